import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Journal } from '../gateway/journal.js';
import type { RequestContext } from './context.js';

/** Journals the request once its reply is finished or the client has gone. Never the query string, never a header. */
export function journalWhenDone(journal: Journal, req: IncomingMessage, res: ServerResponse, context: RequestContext): void {
  let done = false;
  const record = (): void => {
    if (done) return;
    done = true;
    journal.recordRequest({
      method: req.method ?? '?',
      path: (req.url ?? '/').split('?')[0] ?? '/',
      // 499 (nginx's "client closed request"): the client left before any reply.
      status: res.headersSent ? res.statusCode : 499,
      app: context.app ?? context.certificateApp,
      client_fingerprint: context.client?.fingerprint256 ?? null,
      duration_ms: Math.round((performance.now() - context.startedAt) * 100) / 100,
      handshake_id: context.handshakeId,
      reason: context.rejection,
      correlation_id: context.correlationId,
    });
  };
  // Recorded as soon as the reply is handed to the socket, not on 'finish' (after the flush): an
  // in-process client may read the whole reply and then the journal before 'finish' fires.
  const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
  res.end = ((...args: unknown[]) => {
    const result = end(...args);
    record();
    return result;
  }) as typeof res.end;
  res.once('close', record); // a client that went away before any reply: 499
}
