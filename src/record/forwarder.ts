import type { IncomingHttpHeaders, IncomingMessage, OutgoingHttpHeaders } from 'node:http';
import { Router, type NextFunction, type Request, type Response } from 'express';
import { BODY_LIMIT } from '../app/error-handler.js';
import { LeanError } from '../app/errors.js';
import { UpstreamFailure, type UpstreamClient, type UpstreamReply } from '../upstream/client.js';
import type { FailureExplanation } from '../upstream/explain.js';
import type { ExchangeWriter } from './exchange-writer.js';
import type { ForwardedExchange, UpstreamTrouble } from './types.js';

export type { ForwardedExchange, UpstreamTrouble } from './types.js';

/** Largest request body forwarded: the mock's own JSON limit, since every Lean request is small. */
export const MAX_FORWARDED_BODY_BYTES = 256 * 1024;

/**
 * Headers that belong to one connection (RFC 9110 §7.6.1) or that the forwarder sets itself:
 * never passed on in either direction. `accept-encoding` goes too, so the upstream answers in
 * plain bytes the exchange file can show.
 */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'expect',
  'host',
  'content-length',
]);
/** The client's credentials are the mock's; the upstream gets the user's own instead. */
const CREDENTIAL_HEADERS = new Set(['lean-app-token', 'authorization', 'accept-encoding']);

export interface ForwarderOptions {
  readonly upstream: UpstreamClient;
  readonly writer: ExchangeWriter;
  /** Why the upstream failed, in the doctor's words; asked once per failure code. */
  readonly explain: (failure: UpstreamFailure) => Promise<FailureExplanation>;
  readonly clock: () => Date;
  readonly onExchange?: (exchange: ForwardedExchange) => void;
  readonly onFailure?: (trouble: UpstreamTrouble) => void;
}

/**
 * Stands in for the sandbox's routers in record mode: every request the mock's gate and
 * authentication accepted goes to the upstream with the user's identity, the reply goes back to
 * the client, and the exchange is on disk before the client has its reply (so a test or a user
 * reading the folder after a call finds it).
 */
export function createForwarder(options: ForwarderOptions): Router {
  const explanations = new Map<string, Promise<FailureExplanation>>();
  const explain = (failure: UpstreamFailure): Promise<FailureExplanation> => {
    let known = explanations.get(failure.code);
    if (!known) {
      known = options.explain(failure);
      explanations.set(failure.code, known);
    }
    return known;
  };

  const router = Router();
  router.use((req: Request, res: Response, next: NextFunction) => {
    void forward(req, res).catch(next);
  });

  async function forward(req: Request, res: Response): Promise<void> {
    const method = req.method;
    const target = req.originalUrl;
    const path = target.split('?')[0] ?? '/';
    const body = await readBody(req);
    const headers = forwardedHeaders(req.headers);
    let reply: UpstreamReply;
    try {
      reply = await options.upstream.send({ method, target, headers, body });
    } catch (error) {
      if (!(error instanceof UpstreamFailure)) throw error;
      const explanation = await explain(error);
      options.onFailure?.({ method, path, failure: error, explanation });
      const gone = new LeanError('UPSTREAM_UNAVAILABLE', 502, `The upstream ${options.upstream.url.origin} gave no answer: ${explanation.message}`, {
        upstream: options.upstream.url.origin,
        code: error.code,
        fix: explanation.fix,
      });
      // Answered here rather than thrown: the app's error handler would log a 5xx as a bug of ours.
      res.status(gone.httpStatus).json(gone.body(options.clock()));
      return;
    }
    const file = await options.writer.write({
      method,
      target,
      // The credential header is named in the file so a reader sees which kind went; its value is redacted.
      requestHeaders: { ...headers, [options.upstream.credentialHeader]: 'sent' },
      requestBody: body,
      status: reply.status,
      responseHeaders: reply.headers,
      responseBody: reply.body,
    });
    options.onExchange?.({ method, path, status: reply.status, file });
    for (const [name, value] of Object.entries(reply.headers)) {
      // The mock's own correlation id names this request in its journal and inspector.
      if (value === undefined || HOP_BY_HOP.has(name) || name === 'lean-correlation-id') continue;
      res.setHeader(name, value);
    }
    res.status(reply.status).end(reply.body);
  }

  return router;
}

function forwardedHeaders(incoming: IncomingHttpHeaders): OutgoingHttpHeaders {
  const named = new Set(
    String(incoming.connection ?? '')
      .split(',')
      .map((name) => name.trim().toLowerCase())
      .filter(Boolean),
  );
  const out: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(incoming)) {
    if (value === undefined || HOP_BY_HOP.has(name) || CREDENTIAL_HEADERS.has(name) || named.has(name)) continue;
    out[name] = value;
  }
  out['accept-encoding'] = 'identity';
  return out;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_FORWARDED_BODY_BYTES) {
        req.removeAllListeners('data');
        req.resume();
        reject(LeanError.of('PAYLOAD_TOO_LARGE', `The request body is larger than ${BODY_LIMIT}.`));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
