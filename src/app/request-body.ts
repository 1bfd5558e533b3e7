import type { IncomingMessage } from 'node:http';
import { MAX_BODY_BYTES, type RequestBody } from '../gateway/journal.js';
import { parsedBodyBytes } from './error-handler.js';

/** What hides secrets in a body (the inspector's Redactor): by field name in parsed bodies, by value everywhere. */
export interface BodyRedactor {
  json(value: unknown): unknown;
  rawText(text: string): string;
}

/**
 * The journal's view of `req`'s body, once a route has read it: redacted, as text. Runs on the hot
 * path, after the reply: a request without a body costs two header lookups, and a body over
 * MAX_BODY_BYTES is neither redacted nor serialised (only its size is kept).
 */
export function journalBody(req: IncomingMessage, redactor: BodyRedactor): RequestBody | null {
  const declared = declaredBytes(req);
  if (declared === 0) return null;
  const content_type = req.headers['content-type'] ?? null;
  const parsed = (req as { body?: unknown }).body;
  const bytes = parsedBodyBytes(req) ?? declared ?? null;
  if (parsed === undefined) return { content_type, bytes, text: null, omitted: 'not_read' };
  if (bytes !== null && bytes > MAX_BODY_BYTES) return { content_type, bytes, text: null, omitted: 'too_large' };
  return { content_type, bytes, text: asText(parsed, content_type, redactor), omitted: null };
}

/** 0 when the request says it has no body; undefined when it has one of unannounced size (chunked). */
function declaredBytes(req: IncomingMessage): number | undefined {
  const length = req.headers['content-length'];
  if (length !== undefined && /^\d{1,15}$/.test(length)) return Number(length);
  return req.headers['transfer-encoding'] === undefined ? 0 : undefined;
}

function asText(parsed: unknown, contentType: string | null, redactor: BodyRedactor): string {
  if (typeof parsed === 'string') return redactor.rawText(parsed);
  if (parsed instanceof Uint8Array) return redactor.rawText(Buffer.from(parsed).toString('utf8'));
  const redacted = redactor.json(parsed);
  // A form stays a form (express parses it into fields): re-encoded, so it reads as what was sent.
  if (contentType !== null && /^application\/x-www-form-urlencoded\b/i.test(contentType) && isFields(redacted)) {
    const form = new URLSearchParams();
    for (const [name, value] of Object.entries(redacted)) {
      for (const item of Array.isArray(value) ? value : [value]) form.append(name, String(item));
    }
    return form.toString();
  }
  return JSON.stringify(redacted);
}

function isFields(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
