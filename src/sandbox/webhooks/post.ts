import { request as httpRequest, type ClientRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

/** What one POST to a receiver came to. */
export interface PostOutcome {
  status_code: number | null;
  error: string | null;
}

export interface PostRequest {
  url: string;
  body: string;
  headers: Record<string, string>;
  /** The whole attempt (connect, send, status line) must end within this; its socket is then closed. */
  timeoutMs: number;
  /** Absent: node:http(s) with one fresh socket per attempt, closed when the attempt ends. */
  fetchImpl?: typeof fetch;
  /** Aborting it (the dispatcher closing) ends the request at once. */
  signal: AbortSignal;
}

/**
 * POSTs a webhook once. Never throws: a reply of any status is an outcome, and so are a network
 * error and a receiver too slow to answer its status line within `timeoutMs`. Redirects are not
 * followed (a 3xx is a failure, as with most webhook senders), and the reply body is discarded.
 */
export function postWebhook(request: PostRequest): Promise<PostOutcome> {
  return request.fetchImpl ? postWithFetch(request, request.fetchImpl) : postWithNode(request);
}

/**
 * The default: one socket per attempt, owned here, destroyed the moment the attempt ends (status
 * line read, error, deadline, or close). The global fetch pools sockets and, on abort, leaves
 * some open and opens others (measured: 4 aborted POSTs to a silent receiver made 6 connections),
 * so no bound on descriptors could be kept through it.
 */
function postWithNode(request: PostRequest): Promise<PostOutcome> {
  return new Promise((resolve) => {
    const target = new URL(request.url);
    const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
    let req: ClientRequest | undefined;
    let settled = false;
    const done = (outcome: PostOutcome): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      request.signal.removeEventListener('abort', onClose);
      // Only the status counts: the body, complete or trickling forever, goes with the socket.
      // Resolving once it is closed frees the dispatcher's slot only when the descriptor is gone.
      if (!req || req.closed) return resolve(outcome);
      req.once('close', () => resolve(outcome));
      req.destroy();
    };
    const onClose = (): void => done({ status_code: null, error: 'dispatcher closed' });
    const timer = setTimeout(() => done({ status_code: null, error: `timeout: no reply within ${request.timeoutMs} ms` }), request.timeoutMs);
    if (request.signal.aborted) return onClose();
    request.signal.addEventListener('abort', onClose, { once: true });
    try {
      req = send(target, {
        method: 'POST',
        headers: { ...request.headers, 'content-length': String(Buffer.byteLength(request.body)) },
        agent: false,
      });
    } catch (error) {
      return done({ status_code: null, error: describe(error) });
    }
    req.on('response', (res) => done({ status_code: res.statusCode ?? null, error: null }));
    req.on('error', (error) => done({ status_code: null, error: describe(error) }));
    req.end(request.body);
  });
}

async function postWithFetch(request: PostRequest, fetchImpl: typeof fetch): Promise<PostOutcome> {
  // One controller for both endings (AbortSignal.any needs Node 20.3).
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, request.timeoutMs);
  const onClose = (): void => controller.abort();
  request.signal.addEventListener('abort', onClose, { once: true });
  try {
    const response = await fetchImpl(request.url, {
      method: 'POST',
      headers: request.headers,
      body: request.body,
      redirect: 'manual',
      signal: controller.signal,
    });
    // Only the status counts; drop the body so the connection is released.
    response.body?.cancel().catch(() => undefined);
    return { status_code: response.status, error: null };
  } catch (error) {
    if (request.signal.aborted) return { status_code: null, error: 'dispatcher closed' };
    if (timedOut) return { status_code: null, error: `timeout: no reply within ${request.timeoutMs} ms` };
    return { status_code: null, error: describe(error) };
  } finally {
    clearTimeout(timer);
    request.signal.removeEventListener('abort', onClose);
  }
}

/** fetch's own message is just "fetch failed"; the useful part (ECONNREFUSED …) is in its cause. */
function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause: unknown = error.cause;
  if (cause instanceof Error && cause.message) return cause.message;
  return error.message;
}
