import type { Request } from 'express';
import { z } from 'zod';
import { LeanError } from '../app/errors.js';
import { parseInput } from '../app/validation.js';
import type { SandboxStore } from './store/store.js';

/**
 * Which app an admin call acts for: an `app` field in the body, else `?app=`, else the store's
 * first app. Shared by every admin router that steers one app's records.
 */

/** The optional `app` field of an admin body (spread into each body schema). */
export const appField = { app: z.string().min(1).max(128).optional() };
const appQuery = z.object(appField);

/** `appOf(req, body.app)`: the named app, or 400 INVALID_PARAMETERS naming `app`. */
export function adminAppOf(store: Pick<SandboxStore, 'apps'>): (req: Request, bodyApp: string | undefined) => string {
  return (req, bodyApp) => {
    const app = bodyApp ?? parseInput(appQuery, req.query).app ?? store.apps[0];
    if (app === undefined || !store.apps.includes(app)) throw LeanError.invalidParameter('app', app ?? null);
    return app;
  };
}
