import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
/** A caller-supplied correlation id is echoed back only if it is this tame. */
const CLIENT_CORRELATION_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** Lean's correlation id: 16 alphanumerics, or the one the client sent. */
export function correlationIdFor(req: IncomingMessage): string {
  const sent = req.headers['lean-correlation-id'];
  if (typeof sent === 'string' && CLIENT_CORRELATION_ID.test(sent)) return sent;
  return newCorrelationId();
}

export function newCorrelationId(): string {
  const bytes = randomBytes(16);
  let id = '';
  for (const byte of bytes) id += ALPHANUMERIC[byte % ALPHANUMERIC.length];
  return id;
}

/** The headers every Lean reply carries (lean-api.md §3), success or error. */
export function leanHeaders(correlationId: string): Record<string, string> {
  return {
    'lean-correlation-id': correlationId,
    'lean-trace-id': randomBytes(16).toString('hex'),
    'cache-control': 'no-cache, no-store, max-age=0, must-revalidate',
    'strict-transport-security': 'max-age=31536000 ; includeSubDomains',
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
  };
}

export function setLeanHeaders(res: ServerResponse, correlationId: string): void {
  for (const [name, value] of Object.entries(leanHeaders(correlationId))) res.setHeader(name, value);
}

/**
 * A complete HTTP/1.1 error reply as raw text, for requests Node's parser refuses before any
 * handler exists (a bare CR in a header, an unknown method, oversized headers): still Lean's
 * headers and envelope, then the connection closes.
 */
export function rawLeanErrorReply(httpStatus: number, reasonPhrase: string, body: object, correlationId: string): string {
  const json = JSON.stringify(body);
  const headers = {
    ...leanHeaders(correlationId),
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(json)),
    connection: 'close',
  };
  const lines = Object.entries(headers).map(([name, value]) => `${name}: ${value}`);
  return `HTTP/1.1 ${httpStatus} ${reasonPhrase}\r\n${lines.join('\r\n')}\r\n\r\n${json}`;
}
