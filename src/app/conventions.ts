import { randomFillSync } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
/** A caller-supplied correlation id is echoed back only if it is this tame. */
const CLIENT_CORRELATION_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** Lean's headers that are the same on every reply, after the two ids. */
const FIXED_HEADERS: readonly (readonly [string, string])[] = [
  ['cache-control', 'no-cache, no-store, max-age=0, must-revalidate'],
  ['strict-transport-security', 'max-age=31536000 ; includeSubDomains'],
  ['x-content-type-options', 'nosniff'],
  ['x-frame-options', 'DENY'],
];

/** Lean's correlation id: 16 alphanumerics, or the one the client sent. */
export function correlationIdFor(req: IncomingMessage): string {
  const sent = req.headers['lean-correlation-id'];
  if (typeof sent === 'string' && CLIENT_CORRELATION_ID.test(sent)) return sent;
  return newCorrelationId();
}

// Every reply draws 32 random bytes (two ids): one call into the CSPRNG per 128 replies rather
// than two per reply, which profiling showed as a tenth of a keep-alive reply's own work. The
// bytes are the same CSPRNG's, each handed out once.
const POOL = Buffer.allocUnsafe(4096);
let poolAt = POOL.length;

function take16(): number {
  if (poolAt + 16 > POOL.length) {
    randomFillSync(POOL);
    poolAt = 0;
  }
  const at = poolAt;
  poolAt += 16;
  return at;
}

export function newCorrelationId(): string {
  const at = take16();
  let id = '';
  for (let i = at; i < at + 16; i++) id += ALPHANUMERIC[POOL[i]! % ALPHANUMERIC.length];
  return id;
}

/** 32 hex digits (Lean's trace id). */
export function newTraceId(): string {
  const at = take16();
  return POOL.toString('hex', at, at + 16);
}

/** The headers every Lean reply carries (lean-api.md §3), success or error. */
export function leanHeaders(correlationId: string): Record<string, string> {
  return { 'lean-correlation-id': correlationId, 'lean-trace-id': newTraceId(), ...Object.fromEntries(FIXED_HEADERS) };
}

export function setLeanHeaders(res: ServerResponse, correlationId: string): void {
  // leanHeaders' names and order, without building an object per reply.
  res.setHeader('lean-correlation-id', correlationId);
  res.setHeader('lean-trace-id', newTraceId());
  for (const [name, value] of FIXED_HEADERS) res.setHeader(name, value);
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
