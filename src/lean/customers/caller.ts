import type { Request } from 'express';
import { contextOf } from '../../app/context.js';
import { LeanError } from '../../app/errors.js';

/** The calling app's name: every sandbox read and write is scoped to it. */
export function callerApp(req: Request): string {
  const app = contextOf(req).app;
  // Authentication runs before any product router, so this is a wiring mistake, not the client's.
  if (!app) throw LeanError.of('UNAUTHORIZED');
  return app;
}
