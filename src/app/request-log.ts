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
      status: res.headersSent ? res.statusCode : 499,
      app: context.app ?? context.certificateApp,
      client_fingerprint: context.client?.fingerprint256 ?? null,
      duration_ms: Math.round((performance.now() - context.startedAt) * 100) / 100,
      handshake_id: context.handshakeId,
      reason: context.rejection,
      correlation_id: context.correlationId,
    });
  };
  res.once('finish', record);
  res.once('close', record);
}
