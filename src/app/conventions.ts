import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
/** A caller-supplied correlation id is echoed back only if it is this tame. */
const CLIENT_CORRELATION_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** Lean's correlation id: 16 alphanumerics, or the one the client sent. */
export function correlationIdFor(req: IncomingMessage): string {
  const sent = req.headers['lean-correlation-id'];
  if (typeof sent === 'string' && CLIENT_CORRELATION_ID.test(sent)) return sent;
  const bytes = randomBytes(16);
  let id = '';
  for (const byte of bytes) id += ALPHANUMERIC[byte % ALPHANUMERIC.length];
  return id;
}

/** The headers every Lean reply carries (lean-api.md §3), success or error. */
export function setLeanHeaders(res: ServerResponse, correlationId: string): void {
  res.setHeader('lean-correlation-id', correlationId);
  res.setHeader('lean-trace-id', randomBytes(16).toString('hex'));
  res.setHeader('cache-control', 'no-cache, no-store, max-age=0, must-revalidate');
  res.setHeader('strict-transport-security', 'max-age=31536000 ; includeSubDomains');
  res.setHeader('x-content-type-options', 'nosniff');
  res.setHeader('x-frame-options', 'DENY');
}
