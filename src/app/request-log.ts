import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Journal, RequestRecord } from '../gateway/journal.js';
import { Redactor } from '../inspector/redact.js';
import type { RequestContext } from './context.js';
import { journalBody, type BodyRedactor } from './request-body.js';

/**
 * Keeps each journaled request's headers and reply for a later look (the inspector). `keep` runs
 * on the hot path of every request: it must hold references, never parse, copy or serialise.
 */
export interface ExchangeSink {
  /** `chunk` is what the handler passed to `res.end` (the reply body, or nothing). */
  keep(record: RequestRecord, req: IncomingMessage, res: ServerResponse, chunk: unknown): void;
}

// Per journal rather than a parameter, so every reply that journals a request (the app's and the
// refusals' alike) is captured without each of them knowing about the inspector.
const sinks = new WeakMap<Journal, ExchangeSink>();

// Per journal for the same reason: whoever journals a request redacts its body with the apps' secrets.
const redactors = new WeakMap<Journal, BodyRedactor>();
/** Without the apps' secrets, secret-named fields are still hidden. */
const byNameOnly = new Redactor([]);

/** Redacts the bodies `journal` keeps from now on with `redactor` (one that knows the apps' secrets). */
export function redactBodiesWith(journal: Journal, redactor: BodyRedactor): void {
  redactors.set(journal, redactor);
}

/** Hands every request `journal` records from now on, with its reply, to `sink` (null: to no one). */
export function captureExchanges(journal: Journal, sink: ExchangeSink | null): void {
  if (sink) sinks.set(journal, sink);
  else sinks.delete(journal);
}

/**
 * Journals the request once its reply is finished or the client has gone, with its body redacted.
 * Never the query string, never a header (but the content-type).
 */
export function journalWhenDone(journal: Journal, req: IncomingMessage, res: ServerResponse, context: RequestContext): void {
  const sink = sinks.get(journal);
  let done = false;
  let chunk: unknown;
  const record = (): void => {
    if (done) return;
    done = true;
    const entry = journal.recordRequest({
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
      ...(context.replayed ? { replayed: context.replayed } : {}),
      body: journalBody(req, redactors.get(journal) ?? byNameOnly),
    });
    sink?.keep(entry, req, res, chunk);
  };
  // Recorded as soon as the reply is handed to the socket, not on 'finish' (after the flush): an
  // in-process client may read the whole reply and then the journal before 'finish' fires.
  const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
  res.end = ((...args: unknown[]) => {
    chunk = args[0];
    const result = end(...args);
    record();
    return result;
  }) as typeof res.end;
  res.once('close', record); // a client that went away before any reply: 499
}
