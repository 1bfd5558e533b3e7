import express, { type Express, type Router } from 'express';
import { leanErrorHandler } from './error-handler.js';
import { LeanError } from './errors.js';
import { authenticate } from './auth/authenticate.js';
import type { TokenAuthority } from './auth/tokens.js';
import { contextOf } from './context.js';
import { setLeanHeaders } from './conventions.js';
import type { Clock } from './routing.js';

export interface LeanAppOptions {
  apps: readonly { name: string; appToken: string }[];
  tokens: TokenAuthority;
  /** Routers reachable without credentials (the OAuth token endpoint). */
  publicRouters: readonly Router[];
  /** One router per Lean product, behind authentication. */
  routers: readonly Router[];
  clock: Clock;
}

/**
 * The express app behind the gate: Lean's headers on every reply, authentication, the product
 * routers (each parsing JSON bodies with {@link jsonBody} on the routes that take one, so an
 * unknown path or a wrong method is answered as such before any body is read), and Lean's error envelope for everything that goes wrong — never a 500
 * with a stack trace for anything a client sends.
 *
 * Expects every request to carry a {@link RequestContext} (attached by the composition root).
 */
export function createLeanApp(options: LeanAppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  app.set('query parser', 'extended');

  app.use((req, res, next) => {
    setLeanHeaders(res, contextOf(req).correlationId);
    next();
  });
  for (const router of options.publicRouters) app.use(router);
  app.use(authenticate({ apps: options.apps, tokens: options.tokens }));
  for (const router of options.routers) app.use(router);
  app.use((_req, _res, next) => next(LeanError.of('INVALID_URL')));
  app.use(leanErrorHandler(options.clock));
  return app;
}
