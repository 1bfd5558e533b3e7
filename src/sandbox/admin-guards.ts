import type { RequestHandler } from 'express';
import { LeanError } from '../app/errors.js';

const LOOPBACK_HOST = /^(127\.0\.0\.1|localhost|\[::1\])(:\d{1,5})?$/i;
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Binding to loopback is not enough: a web page the developer visits can point its own DNS name
 * at 127.0.0.1 (DNS rebinding) and then read the admin port as same-origin. Such requests carry
 * the foreign name in Host, so only loopback names are served.
 */
export const refuseForeignHosts: RequestHandler = (req, _res, next) => {
  const host = req.headers.host ?? '';
  if (LOOPBACK_HOST.test(host)) return next();
  next(new LeanError('FORBIDDEN_HOST', 403, `The admin port answers only to 127.0.0.1, localhost or [::1], not Host ${JSON.stringify(host.slice(0, 64))}.`));
};

/**
 * Any web page can still send a simple cross-site POST to 127.0.0.1 (no preflight for a
 * text/plain body), and with the inspector open a browser sits on this port all day. Browsers
 * say where a request comes from (Sec-Fetch-Site, Origin); scripts and test clients send
 * neither, so they are unaffected.
 */
export const refuseCrossSiteWrites: RequestHandler = (req, _res, next) => {
  if (SAFE_METHODS.has(req.method)) return next();
  const site = req.headers['sec-fetch-site'];
  const origin = req.headers.origin;
  const fromElsewhere = (site !== undefined && site !== 'same-origin' && site !== 'none') || (origin !== undefined && !isLoopbackOrigin(origin));
  if (!fromElsewhere) return next();
  next(new LeanError('FORBIDDEN_ORIGIN', 403, `The admin port takes changes only from loopback pages and scripts, not from ${JSON.stringify((origin ?? site ?? '').slice(0, 64))}.`));
};

function isLoopbackOrigin(origin: string): boolean {
  try {
    return LOOPBACK_HOST.test(new URL(origin).host);
  } catch {
    return false; // "null" (sandboxed frames, file://) and garbage are nobody we know
  }
}
