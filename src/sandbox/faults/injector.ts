import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { Request, RequestHandler, Response } from 'express';
import { LEAN_ERRORS, type LeanErrorStatus } from '../../app/errors.js';
import { contextOf } from '../../app/context.js';
import type { Clock } from '../../app/routing.js';
import { requestPath } from './path-pattern.js';
import type { FaultRegistry } from './registry.js';
import type { Fault } from './schemas.js';

/** Names the fault on every reply it shapes, so a puzzled test can tell it from a real error. */
export const FAULT_HEADER = 'lean-mock-fault';

const LEAN_STATUS_FOR: Partial<Record<number, LeanErrorStatus>> = {
  400: 'INVALID_PARAMETERS',
  401: 'UNAUTHORIZED',
  403: 'INCORRECT_ACCESS_LEVEL',
  404: 'INVALID_URL',
  405: 'INVALID_HTTP_METHOD',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'RATE_LIMIT_EXCEEDED',
  500: 'INTERNAL_SERVER_ERROR',
};

/**
 * Lean's error envelope for an HTTP status: Lean's own status where one fits, INTERNAL_SERVER_ERROR
 * for any 5xx, else the reason phrase in Lean's style (409 → CONFLICT).
 */
export function defaultFaultBody(httpStatus: number, now: Date): Record<string, unknown> {
  const known = LEAN_STATUS_FOR[httpStatus] ?? (httpStatus >= 500 ? 'INTERNAL_SERVER_ERROR' : undefined);
  const phrase = STATUS_CODES[httpStatus] ?? 'Error';
  return {
    timestamp: now.toISOString(),
    status: known ?? phrase.toUpperCase().replace(/[^A-Z0-9]+/g, '_'),
    message: known ? LEAN_ERRORS[known].message : `${phrase}.`,
    metadata: null,
  };
}

/**
 * Express middleware that lets armed faults take over matching requests; mount it right after
 * authentication, so a fault can name the calling app. A delay holds only its own request (a
 * timer, not a busy wait); after it the request goes on normally unless the fault also answers.
 * A request whose client gave up during the delay is still carried out, as on a slow server.
 */
export function faultInjector(registry: FaultRegistry): RequestHandler {
  return (req, res, next) => {
    const fault = registry.take({ method: req.method, path: requestPath(req.originalUrl), app: contextOf(req).app });
    if (!fault) return next();
    const act = (): void => apply(fault, req, res, next, registry.clock);
    if (!fault.fault.delay_ms) return act();
    setTimeout(act, fault.fault.delay_ms).unref();
  };
}

function apply(fault: Fault, req: Request, res: Response, next: (error?: unknown) => void, clock: Clock): void {
  const action = fault.fault;
  if (action.reset) return resetConnection(req);
  if (action.status === undefined && !action.malformed) return next();
  res.setHeader(FAULT_HEADER, fault.id);
  if (action.malformed) {
    res.status(200).type('application/json').send(truncatedEnvelope(clock()));
    return;
  }
  const status = action.status!;
  if (action.headers) res.set(action.headers);
  // Lean's data API puts a results_id first in its errors, a 500 included.
  const resultsId = requestPath(req.originalUrl).startsWith('/data/') ? { results_id: randomUUID() } : {};
  res.status(status).json(action.body ?? { ...resultsId, ...defaultFaultBody(status, clock()) });
}

/** A plausible Lean reply cut off mid-value: JSON.parse must fail on it. */
function truncatedEnvelope(now: Date): string {
  return `{"status":"OK","message":"Data successfully retrieved","timestamp":"${now.toISOString()}","data":{"type":"acc`;
}

/** An abrupt TCP reset (RST) where the socket allows it; a TLS socket can only be destroyed. */
function resetConnection(req: Request): void {
  const socket = req.socket;
  try {
    socket.resetAndDestroy();
  } catch {
    socket.destroy();
  }
}
