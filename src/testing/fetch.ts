import type { IncomingMessage } from 'node:http';
import { request, type Agent } from 'node:https';
import type { ConnectOptions } from './agents.js';
import type { IdentityName } from './identities.js';

/** The part of `fetch`'s init the mock's `fetch` honours, plus who calls and over which TLS version. */
export interface TestFetchInit extends ConnectOptions {
  /** Default GET. */
  method?: string;
  headers?: ConstructorParameters<typeof Headers>[0];
  body?: string | Uint8Array | URLSearchParams;
  signal?: AbortSignal;
  /** The client certificate presented; default the default app's (`my_app`). */
  identity?: IdentityName;
}

/** Statuses whose Response must have no body (the WHATWG constructor refuses one). */
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);

/**
 * A WHATWG `fetch` over `https.request`: Node's global fetch (undici) takes a client certificate
 * only through an undici dispatcher, and undici is not a dependency. Buffers the whole body, which
 * suits test-sized replies. Like `fetch`, it adds no credentials of its own.
 */
export function fetchThrough(agent: Agent, url: URL, init: Omit<TestFetchInit, 'identity' | 'tls'>): Promise<Response> {
  const headers = new Headers(init.headers);
  const body = encodeBody(init.body, headers);
  if (body !== undefined) headers.set('content-length', String(body.byteLength));

  return new Promise<Response>((resolve, reject) => {
    const req = request(url, {
      method: init.method?.toUpperCase() ?? 'GET',
      headers: Object.fromEntries(headers),
      agent,
      signal: init.signal,
    });
    req.on('error', reject);
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () => resolve(toResponse(res, Buffer.concat(chunks), url)));
    });
    req.end(body);
  });
}

/** Like fetch: text is UTF-8 with `text/plain`, a URLSearchParams a form, both unless the caller set a type. */
function encodeBody(body: TestFetchInit['body'], headers: Headers): Buffer | undefined {
  if (body === undefined) return undefined;
  if (typeof body === 'string') {
    if (!headers.has('content-type')) headers.set('content-type', 'text/plain;charset=UTF-8');
    return Buffer.from(body, 'utf8');
  }
  if (body instanceof URLSearchParams) {
    if (!headers.has('content-type')) headers.set('content-type', 'application/x-www-form-urlencoded;charset=UTF-8');
    return Buffer.from(body.toString(), 'utf8');
  }
  return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
}

function toResponse(res: IncomingMessage, body: Buffer, url: URL): Response {
  const headers = new Headers();
  for (let i = 0; i + 1 < res.rawHeaders.length; i += 2) headers.append(res.rawHeaders[i]!, res.rawHeaders[i + 1]!);
  const status = res.statusCode ?? 0;
  const response = new Response(NULL_BODY_STATUSES.has(status) ? null : body, {
    status,
    statusText: res.statusMessage ?? '',
    headers,
  });
  // Response.url is read-only and empty for constructed responses; a test's failure message reads better with it.
  Object.defineProperty(response, 'url', { value: url.href });
  return response;
}
