import type { IncomingHttpHeaders, IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { RequestRecord } from '../gateway/journal.js';
import { parsedBodyBytes } from '../app/error-handler.js';
import type { ExchangeSink } from '../app/request-log.js';
import { Redactor } from './redact.js';

/**
 * Bodies are kept up to this many bytes (characters for string bodies): a longer reply is cut, and
 * a longer request body is not kept at all (only its size).
 */
export const BODY_LIMIT = 16 * 1024;
/** Kept beyond the limit of a cut reply, so that a secret the cut would split is still hidden whole. */
const MIN_CUT_MARGIN = 256;

/** A body as the inspector shows it. */
export type BodyView =
  | { kind: 'empty' }
  | { kind: 'json'; value: unknown; bytes: number; truncated: false }
  | { kind: 'text'; text: string; bytes: number; truncated: boolean };

/** One request and its reply, redacted, for `GET /admin/v1/requests/:id`. */
export interface ExchangeDetails {
  /** Path and query string, with secret parameters redacted. */
  url: string;
  request: { headers: Record<string, string | string[]>; body: BodyView };
  response: { status: number; headers: Record<string, string | string[]>; body: BodyView };
}

/** What is kept per request: references only, so keeping costs no parsing or copying. */
interface Kept {
  id: number;
  status: number;
  url: string | undefined;
  requestHeaders: IncomingHttpHeaders;
  /** The parsed body, only if it was within {@link BODY_LIMIT}. */
  requestBody: unknown;
  /** The size of a request body too large to keep. */
  requestBodyNotKept: number | null;
  responseHeaders: OutgoingHttpHeaders;
  /** The chunk handed to `res.end` (or, copied, its first {@link BODY_LIMIT} bytes and a margin). */
  body: string | Uint8Array | null;
  /** Bytes of the whole reply body, when it had to be cut (otherwise measured on demand). */
  cutFrom: number | null;
}

/**
 * A bounded ring of the latest exchanges, the journal's size. It sits on the hot path of every
 * request, so `keep` only holds references; parsing, redaction and pretty-printing happen in
 * `details`, when someone asks.
 */
export class ExchangeStore implements ExchangeSink {
  private readonly ring: (Kept | undefined)[];
  private next = 0;
  private readonly redactor: Redactor;
  private readonly cutAt: number;

  constructor(options: { capacity?: number; redactor?: Redactor } = {}) {
    const capacity = options.capacity ?? 1000;
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError('exchange capacity must be a positive integer');
    this.ring = new Array<Kept | undefined>(capacity);
    this.redactor = options.redactor ?? new Redactor([]);
    this.cutAt = BODY_LIMIT + Math.max(MIN_CUT_MARGIN, this.redactor.longestSecret);
  }

  keep(record: RequestRecord, req: IncomingMessage, res: ServerResponse, chunk: unknown): void {
    let body: string | Uint8Array | null = null;
    let cutFrom: number | null = null;
    // A copy of the head (a string slice would pin the whole string), so the ring never pins a large reply.
    if (typeof chunk === 'string') {
      if (chunk.length <= BODY_LIMIT) body = chunk;
      else [body, cutFrom] = [Buffer.from(chunk.slice(0, this.cutAt)), Buffer.byteLength(chunk)];
    } else if (chunk instanceof Uint8Array) {
      if (chunk.byteLength <= BODY_LIMIT) body = chunk;
      else [body, cutFrom] = [Buffer.from(chunk.subarray(0, this.cutAt)), chunk.byteLength];
    }
    const requestBytes = requestBodyBytes(req);
    const tooLarge = requestBytes !== undefined && requestBytes > BODY_LIMIT;
    this.ring[this.next] = {
      id: record.id,
      status: record.status,
      url: req.url,
      requestHeaders: req.headers,
      requestBody: tooLarge ? undefined : (req as { body?: unknown }).body,
      requestBodyNotKept: tooLarge ? requestBytes : null,
      responseHeaders: res.getHeaders(),
      body,
      cutFrom,
    };
    this.next = (this.next + 1) % this.ring.length;
  }

  /** The redacted exchange of request `id`, or undefined once it has left the ring. */
  details(id: number): ExchangeDetails | undefined {
    const kept = this.ring.find((entry) => entry?.id === id);
    if (!kept) return undefined;
    const redact = this.redactor;
    return {
      url: redact.url(kept.url ?? '/'),
      request: { headers: redact.headers(kept.requestHeaders), body: this.requestBodyView(kept) },
      response: { status: kept.status, headers: redact.headers(kept.responseHeaders as Record<string, string>), body: this.replyBodyView(kept) },
    };
  }

  clear(): void {
    this.ring.fill(undefined);
    this.next = 0;
  }

  private requestBodyView(kept: Kept): BodyView {
    if (kept.requestBodyNotKept !== null) {
      const bytes = kept.requestBodyNotKept;
      return { kind: 'text', text: `[not kept: ${bytes} bytes, over the ${BODY_LIMIT}-byte limit]`, bytes, truncated: true };
    }
    const body = kept.requestBody;
    if (body === undefined || body === null) return { kind: 'empty' };
    if (body instanceof Uint8Array || typeof body === 'string') return this.textView(Buffer.from(body), null);
    if (typeof body === 'object' && Object.keys(body).length === 0) return { kind: 'empty' };
    const value = this.redactor.json(body);
    const bytes = Buffer.byteLength(JSON.stringify(value));
    return bytes > BODY_LIMIT ? this.textView(Buffer.from(JSON.stringify(value, null, 2)), null) : { kind: 'json', value, bytes, truncated: false };
  }

  private replyBodyView(kept: Kept): BodyView {
    if (kept.body === null || kept.body.length === 0) return { kind: 'empty' };
    const bytes = Buffer.from(kept.body);
    if (kept.cutFrom === null) {
      try {
        return { kind: 'json', value: this.redactor.json(JSON.parse(bytes.toString('utf8'))), bytes: bytes.length, truncated: false };
      } catch {
        // Not JSON (or not all of it): shown as text.
      }
    }
    return this.textView(bytes, kept.cutFrom);
  }

  /** `cutFrom`: the size of the whole body, when `bytes` holds only its head. */
  private textView(bytes: Buffer, cutFrom: number | null): BodyView {
    const cut = cutFrom !== null || bytes.length > BODY_LIMIT;
    const total = cutFrom ?? bytes.length;
    // Redacted before it is cut, so a cut never shows half a secret.
    const text = this.redactor.head(bytes.toString('utf8'), BODY_LIMIT, cutFrom === null);
    return { kind: 'text', text: cut ? `${text}\n… [truncated: first ${BODY_LIMIT} of ${total} bytes]` : text, bytes: total, truncated: cut };
  }
}

/**
 * The size of a request's body, without reading it: as measured by the JSON parser (exact, after
 * any content-encoding), else as announced by content-length; undefined when neither knows (a
 * chunked body that no measuring parser read, such as a form, whose parser caps it at 16 kB).
 */
function requestBodyBytes(req: IncomingMessage): number | undefined {
  const parsed = parsedBodyBytes(req);
  if (parsed !== undefined) return parsed;
  const encoding = req.headers['content-encoding'];
  if (encoding !== undefined && encoding.toLowerCase() !== 'identity') return undefined;
  const length = req.headers['content-length'];
  return length !== undefined && /^\d{1,15}$/.test(length) ? Number(length) : undefined;
}
