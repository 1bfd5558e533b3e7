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
}

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

  push(item: T): void {
    this.items[this.next] = item;
    this.next = (this.next + 1) % this.capacity;
    this.count = Math.min(this.count + 1, this.capacity);
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

/** Every string of a flat record (and of its nested objects, e.g. the client certificate) capped. */
function capStrings<T extends object>(entry: T): T {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(entry)) {
    if (typeof value === 'string') out[key] = capString(value);
    else if (value !== null && typeof value === 'object' && !Array.isArray(value)) out[key] = capStrings(value);
    else out[key] = value;
  }
  return out as T;
}

export interface JournalOptions {
  /** How many handshakes and how many requests to keep (each). Default 1000. */
  capacity?: number;
  clock?: () => Date;
}

/**
 * A bounded in-memory log of every handshake and request (bounded in bytes too: see
 * MAX_JOURNAL_STRING), with subscriptions:
 * `journal.on('handshake', record => …)` and `journal.on('request', record => …)`.
 */
export class Journal extends EventEmitter<JournalEvents> {
  private readonly handshakeRing: Ring<HandshakeRecord>;
  private readonly requestRing: Ring<RequestRecord>;
  private readonly clock: () => Date;
  private lastId = 0;

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

  recordRequest(entry: Omit<RequestRecord, 'id' | 'at'>): RequestRecord {
    const record: RequestRecord = { id: ++this.lastId, at: this.clock().toISOString(), ...capStrings(entry) };
    this.requestRing.push(record);
    this.emit('request', record);
    return record;
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
