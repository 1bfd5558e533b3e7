import type { Request } from 'express';
import { contextOf } from '../../app/context.js';
import { LeanError } from '../../app/errors.js';

/** The calling app's name: every read and write of the payments API is scoped to it. */
export function callerApp(req: Request): string {
  const app = contextOf(req).app;
  // Authentication runs before any product router; an anonymous request here is a wiring bug.
  if (!app) throw LeanError.of('UNAUTHORIZED');
  return app;
}
