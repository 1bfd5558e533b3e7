import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Journal } from '../gateway/journal.js';
import type { Connection } from '../gateway/tls-server.js';
import type { RequestContext } from './context.js';
import { newCorrelationId, rawLeanErrorReply, setLeanHeaders } from './conventions.js';
import { LeanError } from './errors.js';
import { journalWhenDone } from './request-log.js';
import type { Clock } from './routing.js';

/**
 * Replies that refuse a request before the express app ever sees it: a connection whose client
 * certificate the gate rejected (`--reject http`), a `CONNECT`, and a request Node's parser could not read.
 */

/** 403 INVALID_CERTIFICATE with the gate's reason; the connection closes after it. */
export function refuseCertificate(
  journal: Journal,
  clock: Clock,
  req: IncomingMessage,
  res: ServerResponse,
  context: RequestContext,
  connection: Connection,
): void {
  const reason = connection.verdict.reason === 'handshake_failed' ? null : connection.verdict.reason;
  context.rejection = reason;
  journalWhenDone(journal, req, res, context);
  setLeanHeaders(res, context.correlationId);
  const error = LeanError.of('INVALID_CERTIFICATE', undefined, {
    reason,
    raw_code: connection.verdict.rawCode,
    handshake_id: connection.handshakeId,
  });
  answerAndClose(res, error, clock);
}

/** 405 INVALID_HTTP_METHOD for `CONNECT`: the mock is no proxy. The connection closes after it. */
export function refuseConnectMethod(journal: Journal, clock: Clock, req: IncomingMessage, res: ServerResponse, context: RequestContext): void {
  journalWhenDone(journal, req, res, context);
  setLeanHeaders(res, context.correlationId);
  answerAndClose(res, LeanError.of('INVALID_HTTP_METHOD', 'CONNECT is not supported: lean-mock is not a proxy.'), clock);
}

function answerAndClose(res: ServerResponse, error: LeanError, clock: Clock): void {
  const body = JSON.stringify(error.body(clock()));
  res.writeHead(error.httpStatus, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body), connection: 'close' });
  res.end(body);
}

const DEFAULT_PARSER_ERROR: [number, string, LeanError] = [
  400,
  'Bad Request',
  LeanError.of('INVALID_PARAMETERS', 'The request could not be parsed as HTTP/1.1.'),
];
const PARSER_ERRORS: Record<string, [number, string, LeanError]> = {
  HPE_HEADER_OVERFLOW: [431, 'Request Header Fields Too Large', new LeanError('INVALID_PARAMETERS', 431, 'The request headers are too large.')],
  HPE_INVALID_METHOD: [405, 'Method Not Allowed', LeanError.of('INVALID_HTTP_METHOD')],
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'Request Timeout', new LeanError('INVALID_PARAMETERS', 408, 'The request was not received in time.')],
};

/** Errors of the request itself, which an HTTP reply can still answer: the parser's, and its timeouts. */
function isHttpError(code: string | undefined): boolean {
  // HPE_INVALID_EOF_STATE: the client hung up part-way through its request; nobody is left to answer.
  return code === 'ERR_HTTP_REQUEST_TIMEOUT' || (code !== undefined && code.startsWith('HPE_') && code !== 'HPE_INVALID_EOF_STATE');
}

/**
 * A `clientError` listener: Node's HTTP parser refused the request, but the reply is still Lean's.
 * Anything else reaching here is the connection failing (a reset, a TLS alert such as a refused
 * renegotiation, a handshake that never completed): it is closed without a word and journals nothing,
 * since no HTTP request was ever made and a reply could never be read.
 */
export function refuseUnparsable(journal: Journal, clock: Clock): (error: NodeJS.ErrnoException, socket: Duplex) => void {
  return (error, socket) => {
    if (!socket.writable || !isHttpError(error.code)) {
      socket.destroy();
      return;
    }
    const [http, phrase, lean] = PARSER_ERRORS[error.code ?? ''] ?? DEFAULT_PARSER_ERROR;
    const correlationId = newCorrelationId();
    socket.end(rawLeanErrorReply(http, phrase, lean.body(clock()), correlationId));
    journal.recordRequest({
      method: '?',
      path: '?',
      status: http,
      app: null,
      client_fingerprint: null,
      duration_ms: 0,
      handshake_id: null,
      reason: null,
      correlation_id: correlationId,
    });
  };
}
