import type { IncomingMessage } from 'node:http';
import express, { type ErrorRequestHandler, type RequestHandler } from 'express';
import { LeanError } from './errors.js';
import type { Clock } from './routing.js';

/** JSON bodies larger than this are refused with 413: Lean's requests are all small. */
export const BODY_LIMIT = '256kb';

const bodySizes = new WeakMap<IncomingMessage, number>();

/**
 * The JSON body parser for routes that take a body; its errors become Lean's envelope below. It
 * notes each body's size (the inspector keeps only small bodies, and a chunked one announces none).
 */
const parseJson: RequestHandler = express.json({
  limit: BODY_LIMIT,
  verify: (req, _res, buf) => {
    bodySizes.set(req, buf.length);
  },
});
export const jsonBody: RequestHandler = (req, res, next) => {
  parseJson(req, res, (error?: unknown) => next(error === undefined ? undefined : asBodyError(error, req)));
};

/**
 * Every error of the body parser is about the body: one it has no name for (a gzip, deflate or br
 * body that does not decompress is only a zlib error with status 400) must not read as a bad URL.
 */
function asBodyError(error: unknown, req: IncomingMessage): unknown {
  const { type, status } = error as { type?: string; status?: number };
  if (type !== undefined || typeof status !== 'number' || status < 400 || status >= 500) return error;
  const encoding = String(req.headers['content-encoding'] ?? 'identity');
  return LeanError.of('INVALID_PARAMETERS', `The request body could not be decoded (content-encoding: ${encoding}).`);
}

/** The bytes of the body {@link jsonBody} parsed for `req` (after any content-encoding), if it parsed one. */
export function parsedBodyBytes(req: IncomingMessage): number | undefined {
  return bodySizes.get(req);
}

/** body-parser's and express's own client errors, in Lean's words. */
function fromHttpError(error: { type?: string; status?: number; message?: string }): LeanError | undefined {
  switch (error.type) {
    case 'entity.parse.failed':
      return LeanError.of('INVALID_PARAMETERS', 'The request body is not valid JSON.');
    case 'entity.too.large':
      return LeanError.of('PAYLOAD_TOO_LARGE', `The request body is larger than ${BODY_LIMIT}.`);
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return LeanError.of('UNSUPPORTED_MEDIA_TYPE', 'The request body must be UTF-8 JSON.');
    case 'request.size.invalid':
    case 'stream.encoding.set':
      return LeanError.of('INVALID_PARAMETERS', 'The request body could not be read.');
  }
  if (typeof error.status === 'number' && error.status >= 400 && error.status < 500) {
    // e.g. a malformed %-escape in the path: the URL itself is unusable.
    return LeanError.of('INVALID_URL', 'The URL you have requested is malformed.');
  }
  return undefined;
}

/** The last middleware of every express app here: anything thrown becomes Lean's envelope. */
export function leanErrorHandler(clock: Clock): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    if (res.headersSent) return next(error);
    // The client hung up mid-body: nobody is left to answer (the journal records 499).
    if ((error as { type?: string }).type === 'request.aborted') {
      req.socket.destroy();
      return;
    }
    const lean =
      error instanceof LeanError
        ? error
        : (fromHttpError(error as { type?: string; status?: number }) ?? LeanError.of('INTERNAL_SERVER_ERROR'));
    if (lean.httpStatus >= 500) {
      // A bug of ours, not the client's: say so on stderr, never in the reply.
      process.emitWarning(`lean-mock: unexpected error: ${error instanceof Error ? error.stack : String(error)}`);
    }
    res.status(lean.httpStatus).json(lean.body(clock()));
  };
}
