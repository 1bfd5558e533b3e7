/** What one POST to a receiver came to. */
export interface PostOutcome {
  status_code: number | null;
  error: string | null;
}

export interface PostRequest {
  url: string;
  body: string;
  headers: Record<string, string>;
  timeoutMs: number;
  fetchImpl: typeof fetch;
  /** Aborting it (the dispatcher closing) ends the request at once. */
  signal: AbortSignal;
}

/**
 * POSTs a webhook once. Never throws: a reply of any status is an outcome, and so are a network
 * error and a receiver too slow to answer its status line within `timeoutMs`. Redirects are not
 * followed (a 3xx is a failure, as with most webhook senders), and the reply body is discarded.
 */
export async function postWebhook(request: PostRequest): Promise<PostOutcome> {
  // One controller for both endings (AbortSignal.any needs Node 20.3).
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, request.timeoutMs);
  timer.unref();
  const onClose = (): void => controller.abort();
  request.signal.addEventListener('abort', onClose, { once: true });
  try {
    const response = await request.fetchImpl(request.url, {
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
