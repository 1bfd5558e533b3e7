import type { Request, Response } from 'express';
import type { HandshakeRecord, Journal, RequestRecord } from '../gateway/journal.js';
import { LeanError } from '../app/errors.js';
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

/** Pages watching at once; one more is answered 503 (each may hold up to the byte budget). */
export const MAX_EVENT_CLIENTS = 32;

/** Live records a client still replaying may owe before the oldest are counted as dropped. */
const MAX_OWED = 10_000;

interface Client {
  res: Response;
  dropped: number;
  /**
   * Ids of journal records still to send, oldest first, while the client catches up (null once
   * live): read from the journal a slice at a time, so a client that does not read holds ids,
   * never the records' text.
   */
  owed: number[] | null;
  replayed: number;
}

/**
 * `GET /admin/v1/events`: server-sent events of every handshake and request. A new client first
 * gets what the journal holds (oldest first, or only what came after its `Last-Event-ID`), then a
 * `ready` event, then each record live. No client is ever handed more than its byte budget at
 * once: the replay goes out a slice per `drain`, read from the journal as it goes. The journal is listened to only while someone watches, and
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
    if (this.clients.size >= MAX_EVENT_CLIENTS) {
      // Answered here, not thrown: the error handler takes every 5xx for a bug of ours.
      const refusal = new LeanError(
        'TOO_MANY_EVENT_CLIENTS',
        503,
        `The inspector streams to at most ${MAX_EVENT_CLIENTS} clients at once; close another page or try again later.`,
        { limit: MAX_EVENT_CLIENTS },
      );
      res.status(503).set('retry-after', '5').json(refusal.body(this.options.clock()));
      return;
    }
    res.writeHead(200, STREAM_HEADERS);
    const since = lastEventId(req);
    // What is queued is in the journal already: send it to the others now, or this one gets it twice.
    this.flush();
    const client: Client = { res, dropped: 0, owed: this.replayIds(since), replayed: 0 };
    res.write('retry: 2000\n\n');
    if (this.clients.size === 0) this.listen();
    this.clients.add(client);
    this.catchUp(client);

    const heartbeat = setInterval(() => this.send(client, ': heartbeat\n\n'), this.heartbeatMs);
    heartbeat.unref();
    const onDrain = (): void => {
      if (client.owed) return this.catchUp(client);
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
    // What a catching-up client still owed is gone with the journal: the reset says so.
    for (const client of this.clients) if (client.owed) client.owed.length = 0;
    const text = frame('reset', null, { at: this.options.clock().toISOString() });
    for (const client of this.clients) this.send(client, text);
    for (const client of this.clients) if (client.owed) this.catchUp(client);
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

  /** The ids a new client is owed: everything the journal holds, or what came after `since`. */
  private replayIds(since: number | null): number[] {
    const { journal } = this.options;
    const handshakes = journal.handshakes();
    const requests = journal.requests();
    const newest = Math.max(handshakes[0]?.id ?? 0, requests[0]?.id ?? 0);
    // An id from the future comes from another (restarted) mock: replay everything.
    const after = since !== null && since <= newest ? since : 0;
    return [...handshakes, ...requests]
      .map((record) => record.id)
      .filter((id) => id > after)
      .sort((a, b) => a - b);
  }

  /**
   * Sends what `client` is owed, read from the journal, until its budget is full (the rest waits
   * for `drain`); records the journal let go of meanwhile are counted for a `gap` event. Once
   * nothing is owed: `ready`, and the client is live.
   */
  private catchUp(client: Client): void {
    const owed = client.owed;
    if (!owed || owed.length === 0) return owed ? this.goLive(client) : undefined;
    const { journal } = this.options;
    const handshakes = new Map(journal.handshakes().map((h) => [h.id, h]));
    const requests = new Map(journal.requests().map((r) => [r.id, r]));
    let sent = 0;
    while (sent < owed.length && client.res.writableLength <= this.maxBufferedBytes) {
      const id = owed[sent++]!;
      const handshake = handshakes.get(id);
      const request = handshake ? undefined : requests.get(id);
      if (handshake) client.res.write(frame('handshake', id, this.inspectHandshake(handshake)));
      else if (request) {
        const rode = request.handshake_id === null ? undefined : handshakes.get(request.handshake_id);
        client.res.write(frame('request', id, this.inspectRequest(request, rode)));
      } else {
        client.dropped++;
        continue;
      }
      client.replayed++;
    }
    owed.splice(0, sent);
    if (owed.length === 0) this.goLive(client);
  }

  private goLive(client: Client): void {
    // Queued live frames hold records this client just read from the journal: out before it joins them.
    this.flush();
    client.owed = null;
    client.res.write(frame('ready', null, { instance: this.options.instance, replayed: client.replayed }));
    if (client.dropped > 0) {
      const dropped = client.dropped;
      client.dropped = 0;
      client.res.write(frame('gap', null, { dropped }));
    }
  }

  private readonly onHandshake = (record: HandshakeRecord): void => {
    this.owe(record.id);
    this.queue(frame('handshake', record.id, this.inspectHandshake(record)));
  };

  private readonly onRequest = (record: RequestRecord): void => {
    this.owe(record.id);
    this.queue(frame('request', record.id, this.inspectRequest(record)));
  };

  /** A client still catching up gets new records after the old ones, from the journal like them. */
  private owe(id: number): void {
    for (const client of this.clients) {
      if (!client.owed) continue;
      client.owed.push(id);
      if (client.owed.length > MAX_OWED) {
        client.owed.shift();
        client.dropped++;
      }
    }
  }

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

  /** To live clients: one catching up reads the same records from the journal in order. */
  private broadcast(text: string): void {
    for (const client of this.clients) if (!client.owed) this.send(client, text);
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
