/**
 * One recorded exchange as a file: what `record` writes and `serve --replay` reads. Kept readable
 * (JSON bodies stay JSON) yet exact: a body is stored as JSON only when compact JSON gives back
 * the very bytes that were sent, otherwise as text (or base64 for bytes that are not UTF-8).
 */

export const EXCHANGE_FORMAT = 1;

/** A body as stored: exactly one of the three, or none at all for an empty body. */
export interface StoredBody {
  body?: unknown;
  body_text?: string;
  body_base64?: string;
}

export interface RecordedRequest extends StoredBody {
  method: string;
  /** Without the query string. */
  path: string;
  /** Repeated names keep every value, in order. */
  query: Record<string, string | string[]>;
  /** As forwarded to the upstream, secrets redacted. */
  headers: Record<string, string | string[]>;
}

export interface RecordedResponse extends StoredBody {
  status: number;
  /** The subset of the upstream's headers worth replaying (see REPLAYED_HEADERS) plus Lean's ids. */
  headers: Record<string, string>;
}

export interface ExchangeFile {
  lean_mock_exchange: typeof EXCHANGE_FORMAT;
  recorded_at: string;
  upstream: string;
  request: RecordedRequest;
  response: RecordedResponse;
}

/** Response headers a file keeps: what a client may act on. Hop-by-hop and per-connection ones never. */
export const RECORDED_RESPONSE_HEADERS = [
  'content-type',
  'cache-control',
  'location',
  'retry-after',
  'www-authenticate',
  'strict-transport-security',
  'x-content-type-options',
  'x-frame-options',
  'lean-correlation-id',
  'lean-trace-id',
] as const;

/**
 * Recorded headers a replay does not send back: the mock's own correlation id names the request in
 * its journal, and a trace id belongs to one call.
 */
export const NOT_REPLAYED_HEADERS = new Set(['lean-correlation-id', 'lean-trace-id']);

/**
 * `bytes` as a stored body. `redactJson` and `redactText` hide secrets; a redacted body is what is
 * replayed, byte for byte, so the file and the replay never disagree.
 */
export function storeBody(bytes: Buffer, redactJson: (value: unknown) => unknown, redactText: (text: string) => string): StoredBody {
  if (bytes.length === 0) return {};
  const text = bytes.toString('utf8');
  if (!Buffer.from(text, 'utf8').equals(bytes)) return { body_base64: bytes.toString('base64') };
  try {
    const parsed: unknown = JSON.parse(text);
    if (JSON.stringify(parsed) === text) return { body: redactJson(parsed) };
  } catch {
    // Not JSON: kept as text below.
  }
  return { body_text: redactText(text) };
}

/** The bytes a stored body stands for (empty when it has none). */
export function bodyBytes(stored: StoredBody): Buffer {
  if (stored.body_base64 !== undefined) return Buffer.from(stored.body_base64, 'base64');
  if (stored.body_text !== undefined) return Buffer.from(stored.body_text, 'utf8');
  if (stored.body !== undefined) return Buffer.from(JSON.stringify(stored.body), 'utf8');
  return Buffer.alloc(0);
}

/** `0007-GET-data-v2-accounts.json`: sorted by order of recording, readable at a glance, safe on every file system. */
export function exchangeFileName(sequence: number, method: string, path: string): string {
  const slug = path
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80);
  return `${String(sequence).padStart(4, '0')}-${method.replace(/[^A-Za-z]/g, '').toUpperCase()}${slug ? `-${slug}` : ''}.json`;
}

/** Query string → the recorded form: names in first-seen order, repeated names as arrays. */
export function queryObject(search: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of new URLSearchParams(search)) {
    const seen = out[name];
    if (seen === undefined) out[name] = value;
    else out[name] = Array.isArray(seen) ? [...seen, value] : [seen, value];
  }
  return out;
}
