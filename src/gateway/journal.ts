import { EventEmitter } from 'node:events';
import type { TlsRejectionReason, HttpRejectionReason } from '../reasons.js';

/** The client certificate as the journal shows it: identity facts, never key material. */
export interface ClientCertificateInfo {
  subject: string;
  issuer: string;
  serial: string;
  fingerprint256: string;
  /** ISO 8601; null when the certificate's field is not a valid time (refused as `invalid_certificate`). */
  not_before: string | null;
  not_after: string | null;
  /** Basic constraints CA:TRUE. */
  ca: boolean;
  /** Key usage names (`digitalSignature`, `keyCertSign`, …); null when the certificate has none. */
  key_usage: string[] | null;
  /** Extended key usage names (`clientAuth`, …, unnamed ones as OIDs); null when the certificate has none. */
  extended_key_usage: string[] | null;
  /** What is wrong with the certificate itself, in words (bad fields, unknown critical extensions, usages refusing client authentication); empty when nothing is. */
  faults: string[];
}

/**
 * A handshake that failed for a reason other than the client certificate (no common cipher or
 * protocol, plain HTTP spoken to the TLS port, a client that hung up mid-handshake): journaled,
 * never silent.
 */
export type HandshakeFailure = 'handshake_failed';

export interface HandshakeRecord {
  id: number;
  at: string;
  remote: string;
  tls_version: string | null;
  verdict: 'accepted' | 'rejected';
  reason: TlsRejectionReason | HandshakeFailure | null;
  /** What Node/OpenSSL reported, e.g. `CERT_HAS_EXPIRED`; null when accepted. */
  raw_code: string | null;
  client: ClientCertificateInfo | null;
  /** The app the client certificate is bound to, if any. */
  app: string | null;
  /** Only on a bad-server-certificate listener (DESIGN.md §2.5): which variant the client was shown. */
  server_variant?: string;
  /** `refused`: the client aborted (as it must for a must-refuse variant); `accepted`: it sent data, an insecure client. */
  client_verdict?: 'refused' | 'accepted';
  /** The TLS alert the client sent when it refused, e.g. `certificate_expired`; null when it just closed. */
  client_alert?: string | null;
}

export interface RequestRecord {
  id: number;
  at: string;
  method: string;
  /** Path without the query string. */
  path: string;
  status: number;
  app: string | null;
  client_fingerprint: string | null;
  duration_ms: number;
  handshake_id: number | null;
  /** Why the request was refused, when it was refused for its certificate or credentials. */
  reason: TlsRejectionReason | HttpRejectionReason | null;
  correlation_id: string;
  /** The recorded exchange file that answered (`serve --replay`); absent when the sandbox did. */
  replayed?: string;
  /** The request body as the server read it, redacted; null when the request carried none. */
  body: RequestBody | null;
}

/**
 * A request body in the journal: redacted before it is kept (secrets never enter the journal), as
 * text, and only up to {@link MAX_BODY_BYTES}.
 */
export interface RequestBody {
  /** The content-type header as sent (capped like every journal string), or null. */
  content_type: string | null;
  /** Bytes of the body as received (after any content-encoding), or null when nobody counted them. */
  bytes: number | null;
  /** The body, redacted: JSON re-serialised compactly, a form re-encoded, other text as sent. Null when `omitted` says why. */
  text: string | null;
  /**
   * Why `text` is null: `too_large` (over MAX_BODY_BYTES), `not_read` (no route of the mock parses
   * a body there, so it was never read), `evicted` (newer bodies needed the journal's BODY_BUDGET_BYTES).
   */
  omitted: 'too_large' | 'not_read' | 'evicted' | null;
}

/** Longest body text kept per request (bytes); a longer body keeps only its size. The inspector's limit too. */
export const MAX_BODY_BYTES = 16 * 1024;
/**
 * All kept body texts together stay under this many bytes: once over, the oldest requests lose
 * their text (`omitted: 'evicted'`), never their record. With MAX_BODY_BYTES, 256 full-size bodies.
 */
export const BODY_BUDGET_BYTES = 4 * 1024 * 1024;

interface JournalEvents {
  handshake: [HandshakeRecord];
  request: [RequestRecord];
}

/** A fixed-size ring: the oldest entry makes way for the newest, so memory stays flat under load. */
class Ring<T> {
  private readonly items: (T | undefined)[];
  private next = 0;
  private count = 0;

  constructor(readonly capacity: number) {
    this.items = new Array<T | undefined>(capacity);
  }

  /** Adds `item`, answering the oldest one it pushed out (if the ring was full). */
  push(item: T): T | undefined {
    const out = this.count === this.capacity ? this.items[this.next] : undefined;
    this.items[this.next] = item;
    this.next = (this.next + 1) % this.capacity;
    this.count = Math.min(this.count + 1, this.capacity);
    return out;
  }

  newestFirst(): T[] {
    const out: T[] = [];
    for (let i = 1; i <= this.count; i++) {
      out.push(this.items[(this.next - i + this.capacity) % this.capacity] as T);
    }
    return out;
  }

  clear(): void {
    this.items.fill(undefined);
    this.next = 0;
    this.count = 0;
  }
}

/**
 * Longest string a record keeps (paths, subjects, remote addresses …): a client choosing a 16 kB
 * path must not make the ring 16 kB × capacity. Longer ones keep their start and a marker.
 */
export const MAX_JOURNAL_STRING = 2048;

/** `text` cut to MAX_JOURNAL_STRING characters, saying how much was cut. */
export function capString(text: string): string {
  if (text.length <= MAX_JOURNAL_STRING) return text;
  const cut = text.length - MAX_JOURNAL_STRING;
  return `${text.slice(0, MAX_JOURNAL_STRING)}…[${cut} more characters]`;
}

/** Capped copies of frozen nested objects, made once: the gate hands over one frozen description per client certificate. */
const cappedFrozen = new WeakMap<object, object>();

/**
 * Every string of a flat record (and of its nested objects, e.g. the client certificate) capped.
 * A frozen nested object (shared by every connection with the same certificate) is capped once
 * and its frozen copy shared by the records too; anything else is copied, arrays included, so a
 * record never shares what its writer may still change.
 */
function capStrings<T extends object>(entry: T): T {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(entry)) {
    if (typeof value === 'string') out[key] = capString(value);
    else if (Array.isArray(value)) out[key] = [...(value as unknown[])];
    else if (value !== null && typeof value === 'object') out[key] = Object.isFrozen(value) ? cappedOnce(value) : capStrings(value);
    else out[key] = value;
  }
  return out as T;
}

function cappedOnce(value: object): object {
  let capped = cappedFrozen.get(value);
  if (!capped) {
    capped = capStrings(value);
    for (const field of Object.values(capped)) if (Array.isArray(field)) Object.freeze(field);
    Object.freeze(capped);
    cappedFrozen.set(value, capped);
  }
  return capped;
}

/** `body` as the journal keeps it: content type capped, text over MAX_BODY_BYTES dropped. */
function keptBody(body: RequestBody | null): RequestBody | null {
  if (body === null) return null;
  const content_type = body.content_type === null ? null : capString(body.content_type);
  if (body.text !== null && Buffer.byteLength(body.text) > MAX_BODY_BYTES) return { ...body, content_type, text: null, omitted: 'too_large' };
  return { ...body, content_type };
}

function textBytes(record: RequestRecord): number {
  return Buffer.byteLength(record.body?.text ?? '');
}

export interface JournalOptions {
  /** How many handshakes and how many requests to keep (each). Default 1000. */
  capacity?: number;
  clock?: () => Date;
}

/**
 * A bounded in-memory log of every handshake and request (bounded in bytes too: see
 * MAX_JOURNAL_STRING, MAX_BODY_BYTES and BODY_BUDGET_BYTES), with subscriptions:
 * `journal.on('handshake', record => …)` and `journal.on('request', record => …)`.
 */
export class Journal extends EventEmitter<JournalEvents> {
  private readonly handshakeRing: Ring<HandshakeRecord>;
  private readonly requestRing: Ring<RequestRecord>;
  private readonly clock: () => Date;
  private lastId = 0;
  /** Records still holding body text, oldest first, and the bytes of those texts. */
  private readonly withBodies: RequestRecord[] = [];
  private bodyBytes = 0;

  constructor(options: JournalOptions = {}) {
    super();
    const capacity = options.capacity ?? 1000;
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError('journal capacity must be a positive integer');
    this.handshakeRing = new Ring(capacity);
    this.requestRing = new Ring(capacity);
    this.clock = options.clock ?? (() => new Date());
  }

  recordHandshake(entry: Omit<HandshakeRecord, 'id' | 'at'>): HandshakeRecord {
    const record: HandshakeRecord = { id: ++this.lastId, at: this.clock().toISOString(), ...capStrings(entry) };
    this.handshakeRing.push(record);
    this.emit('handshake', record);
    return record;
  }

  /** `body` defaults to null (no body): refusals never read one. */
  recordRequest(entry: Omit<RequestRecord, 'id' | 'at' | 'body'> & { body?: RequestBody | null }): RequestRecord {
    const { body = null, ...fields } = entry;
    const record: RequestRecord = { id: ++this.lastId, at: this.clock().toISOString(), ...capStrings(fields), body: keptBody(body) };
    const out = this.requestRing.push(record);
    if (out !== undefined && this.withBodies[0] === out) this.bodyBytes -= textBytes(this.withBodies.shift()!);
    if (record.body?.text) this.keepText(record);
    this.emit('request', record);
    return record;
  }

  /** Counts `record`'s body text against the budget, taking the oldest texts out while over it. */
  private keepText(record: RequestRecord): void {
    this.withBodies.push(record);
    this.bodyBytes += textBytes(record);
    while (this.bodyBytes > BODY_BUDGET_BYTES) {
      const oldest = this.withBodies.shift()!;
      this.bodyBytes -= textBytes(oldest);
      oldest.body = { ...oldest.body!, text: null, omitted: 'evicted' };
    }
  }

  /** Bytes of body text the journal holds now (at most BODY_BUDGET_BYTES). */
  get bodyTextBytes(): number {
    return this.bodyBytes;
  }

  /** Newest first. */
  handshakes(): HandshakeRecord[] {
    return this.handshakeRing.newestFirst();
  }

  /** Newest first. */
  requests(): RequestRecord[] {
    return this.requestRing.newestFirst();
  }

  clear(): void {
    this.handshakeRing.clear();
    this.requestRing.clear();
    this.withBodies.length = 0;
    this.bodyBytes = 0;
  }

  /** Resolves with the next handshake matching `predicate` (or rejects after `timeoutMs`). */
  nextHandshake(predicate: (record: HandshakeRecord) => boolean = () => true, timeoutMs = 5000): Promise<HandshakeRecord> {
    return new Promise((resolve, reject) => {
      const onHandshake = (record: HandshakeRecord): void => {
        if (!predicate(record)) return;
        clearTimeout(timer);
        this.off('handshake', onHandshake);
        resolve(record);
      };
      const timer = setTimeout(() => {
        this.off('handshake', onHandshake);
        reject(new Error(`no matching handshake within ${timeoutMs} ms`));
      }, timeoutMs);
      this.on('handshake', onHandshake);
    });
  }
}
