import express, { type Router } from 'express';
import { attachContext } from '../../src/app/context.js';
import { leanErrorHandler } from '../../src/app/error-handler.js';
import { LeanError } from '../../src/app/errors.js';
import { SandboxStore } from '../../src/sandbox/store/store.js';

/** The instant sandbox tests stand still at. */
export const SANDBOX_NOW = new Date('2026-03-15T09:30:00.000Z');

/** A store with two apps, a fixed clock and, unless told otherwise, sequential ids. */
export function testStore(options: { seed?: number; now?: () => Date } = {}): SandboxStore {
  let next = 0;
  return new SandboxStore({
    seed: options.seed ?? 7,
    apps: ['my_app', 'other_app'],
    clock: options.now ?? (() => SANDBOX_NOW),
    newId: () => `00000000-0000-4000-8000-${String(++next).padStart(12, '0')}`,
  });
}

/**
 * An express app around product routers, as the real app runs them after authentication: every
 * request carries a context naming the calling app (the `x-test-app` header picks it, default
 * my_app), and errors become Lean's envelope. No TLS: routers never see it.
 */
export function sandboxApp(routers: Router | Router[], clock: () => Date = () => SANDBOX_NOW): express.Express {
  const app = express();
  app.use((req, _res, next) => {
    const caller = req.headers['x-test-app'];
    attachContext(req, {
      mtls: false,
      handshakeId: null,
      client: null,
      certificateApp: null,
      app: typeof caller === 'string' ? caller : 'my_app',
      customerId: null,
      rejection: null,
      correlationId: 'test',
      startedAt: 0,
    });
    next();
  });
  for (const router of [routers].flat()) app.use(router);
  app.use((_req, _res, next) => next(LeanError.of('INVALID_URL')));
  app.use(leanErrorHandler(clock));
  return app;
}
