import express, { type ErrorRequestHandler, type Router } from 'express';
import { LeanError } from '../../src/app/errors.js';

/** The instant every error envelope of {@link appWith} is stamped with. */
export const FIXED_NOW = new Date('2025-01-15T10:00:00.000Z');

/**
 * A bare express app around one Lean router, with just enough error handling to see Lean's
 * envelope: no TLS, no auth, no correlation headers — those belong to the real app's tests.
 */
export function appWith(router: Router, now: Date = FIXED_NOW): express.Express {
  const app = express();
  app.use(router);
  const onError: ErrorRequestHandler = (error, _req, res, _next) => {
    const lean = error instanceof LeanError ? error : LeanError.of('INTERNAL_SERVER_ERROR');
    res.status(lean.httpStatus).json(lean.body(now));
  };
  app.use(onError);
  return app;
}
