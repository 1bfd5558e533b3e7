import type { Request, Response } from 'express';
import type { HandshakeRecord, Journal, RequestRecord } from '../gateway/journal.js';
import type { Clock } from '../app/routing.js';
import { explainHandshake, explainRequest, type ExplainContext, type Explanation } from './explain.js';
import type { Redactor } from './redact.js';

export interface EventHubOptions {
  journal: Journal;
  clock: Clock;
  /** The PKI's first app: its files are the top-level `my_app_*` ones. */
  defaultApp: string | null;
  /** Identifies this mock: a page that sees another one after a reconnect starts over. */
  instance: string;
  /** Hides secrets in request paths (`/customers/v1/<app token>`): the journal keeps paths as sent. */
  redactor: Redactor;
  /** A comment line every so often keeps proxies and idle timers from closing the stream. Default 15 s. */
  heartbeatMs?: number;
  /**
   * How far a client may fall behind (bytes Node holds for it) before its events are dropped; it
   * then gets a `gap` event once it has caught up. Default 1 MiB.
   */
  maxBufferedBytes?: number;
}

/** A journal record as the stream sends it: the record, plus why it was refused. */
export type InspectedRecord<T> = T & { explanation: Explanation | null };

const BATCH_CHARS = 64 * 1024;

const STREAM_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache, no-transform',
  'x-accel-buffering': 'no',
  'x-content-type-options': 'nosniff',
} as const;

interface Client {
  res: Response;
  dropped: number;
}

/**
 * `GET /admin/v1/events`: server-sent events of every handshake and request. A new client first
 * gets what the journal holds (oldest first, or only what came after its `Last-Event-ID`), then a
 * `ready` event, then each record live. The journal is listened to only while someone watches, and
 * each record is serialised once for all clients, a turn of the event loop at a time.
 */
export class EventHub {
  private readonly clients = new Set<Client>();
  private pending = '';
  private flushScheduled = false;
  private readonly heartbeatMs: number;
  private readonly maxBufferedBytes: number;

  constructor(private readonly options: EventHubOptions) {
    this.heartbeatMs = options.heartbeatMs ?? 15_000;
    this.maxBufferedBytes = options.maxBufferedBytes ?? 1024 * 1024;
  }

  get clientCount(): number {
    return this.clients.size;
  }

  readonly handle = (req: Request, res: Response): void => {
    // Node sends no body for HEAD and ignores writes: a stream would never end, nor its client leave.
    if (req.method === 'HEAD') {
      res.writeHead(200, STREAM_HEADERS).end();
      return;
    }
    res.writeHead(200, STREAM_HEADERS);
    const since = lastEventId(req);
    const client: Client = { res, dropped: 0 };
    // What is queued is in the journal already: send it to the others now, or this one gets it twice.
    this.flush();
    // The replay is bounded by the journal's capacity, so it is written whole whatever the budget.
    res.write(`retry: 2000\n\n${this.replay(since)}`);
    if (this.clients.size === 0) this.listen();
    this.clients.add(client);

    const heartbeat = setInterval(() => this.send(client, ': heartbeat\n\n'), this.heartbeatMs);
    heartbeat.unref();
    const onDrain = (): void => {
      if (client.dropped === 0) return;
      const dropped = client.dropped;
      client.dropped = 0;
      this.send(client, frame('gap', null, { dropped }));
    };
    res.on('drain', onDrain);
    res.once('close', () => {
      clearInterval(heartbeat);
      res.off('drain', onDrain);
      this.clients.delete(client);
      if (this.clients.size === 0) this.unlisten();
    });
  };

  /** Tells every page the journal was cleared (`POST /admin/v1/reset`). */
  reset(): void {
    this.flush();
    this.broadcast(frame('reset', null, { at: this.options.clock().toISOString() }));
  }

  inspectHandshake(record: HandshakeRecord): InspectedRecord<HandshakeRecord> {
    return { ...record, explanation: explainHandshake(record, this.context()) };
  }

  inspectRequest(record: RequestRecord, handshake?: HandshakeRecord): InspectedRecord<RequestRecord> {
    const rode = handshake ?? (record.reason !== null ? this.handshakeOf(record) : undefined);
    return { ...record, path: this.options.redactor.url(record.path), explanation: explainRequest(record, rode, this.context()) };
  }

  private context(): ExplainContext {
    return { now: this.options.clock(), defaultApp: this.options.defaultApp };
  }

  private handshakeOf(record: RequestRecord): HandshakeRecord | undefined {
    return record.handshake_id === null ? undefined : this.options.journal.handshakes().find((h) => h.id === record.handshake_id);
  }

  private replay(since: number | null): string {
    const { journal } = this.options;
    const handshakes = journal.handshakes();
    const requests = journal.requests();
    const newest = Math.max(handshakes[0]?.id ?? 0, requests[0]?.id ?? 0);
    // An id from the future comes from another (restarted) mock: replay everything.
    const after = since !== null && since <= newest ? since : 0;
    const byId = new Map(handshakes.map((h) => [h.id, h]));
    const events = [
      ...handshakes.filter((h) => h.id > after).map((h) => ({ id: h.id, text: frame('handshake', h.id, this.inspectHandshake(h)) })),
      ...requests
        .filter((r) => r.id > after)
        .map((r) => ({ id: r.id, text: frame('request', r.id, this.inspectRequest(r, r.handshake_id === null ? undefined : byId.get(r.handshake_id))) })),
    ].sort((a, b) => a.id - b.id);
    const ready = frame('ready', null, { instance: this.options.instance, replayed: events.length });
    return events.map((event) => event.text).join('') + ready;
  }

  private readonly onHandshake = (record: HandshakeRecord): void => {
    this.queue(frame('handshake', record.id, this.inspectHandshake(record)));
  };

  private readonly onRequest = (record: RequestRecord): void => {
    this.queue(frame('request', record.id, this.inspectRequest(record)));
  };

  private listen(): void {
    this.options.journal.on('handshake', this.onHandshake);
    this.options.journal.on('request', this.onRequest);
  }

  private unlisten(): void {
    this.options.journal.off('handshake', this.onHandshake);
    this.options.journal.off('request', this.onRequest);
  }

  private queue(text: string): void {
    this.pending += text;
    // A burst within one turn is sent in slices, so each slice meets the per-client budget.
    if (this.pending.length >= BATCH_CHARS) return this.flush();
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      this.flush();
    });
  }

  private flush(): void {
    const text = this.pending;
    this.pending = '';
    if (text) this.broadcast(text);
  }

  private broadcast(text: string): void {
    for (const client of this.clients) this.send(client, text);
  }

  /** Writes unless the client is too far behind; then counts what it missed, for its `gap` event. */
  private send(client: Client, text: string): void {
    if (client.res.writableLength > this.maxBufferedBytes) {
      if (!text.startsWith(':')) client.dropped += countEvents(text);
      return;
    }
    client.res.write(text);
  }
}

function frame(event: string, id: number | null, data: unknown): string {
  return `${id === null ? '' : `id: ${id}\n`}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

/** Every frame ends with a blank line, and JSON data never holds a raw newline. */
function countEvents(text: string): number {
  let count = 0;
  for (let at = text.indexOf('\n\n'); at !== -1; at = text.indexOf('\n\n', at + 2)) count++;
  return count;
}

/** `Last-Event-ID` (what EventSource sends when it reconnects), or `?since=` for hand-made clients. */
function lastEventId(req: Request): number | null {
  const raw = req.get('last-event-id') ?? (typeof req.query.since === 'string' ? req.query.since : undefined);
  if (raw === undefined || !/^\d{1,15}$/.test(raw.trim())) return null;
  return Number(raw.trim());
}
