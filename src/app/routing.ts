import type { RequestHandler } from 'express';
import { LeanError } from './errors.js';

/**
 * Ends every `router.route(path)` chain: a known path asked with a method it does not serve
 * answers Lean's 405 rather than falling through to the 404 for unknown paths.
 *
 * @example
 * router.route('/banks/v1').get(listBanks).all(methodNotAllowed);
 */
export const methodNotAllowed: RequestHandler = (_req, _res, next) => {
  next(LeanError.of('INVALID_HTTP_METHOD'));
};

export { systemClock, type Clock } from './clock.js';
