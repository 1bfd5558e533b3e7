import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import express, { type Response } from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { leanErrorHandler } from '../../src/app/error-handler.js';
import { Journal } from '../../src/gateway/journal.js';
import { EventHub, MAX_EVENT_CLIENTS } from '../../src/inspector/events.js';
import { Redactor } from '../../src/inspector/redact.js';
import { SseClient } from './sse-client.js';

/** A journal and its event stream on a plain HTTP server, keeping each stream's server-side response. */
async function startHub(maxBufferedBytes: number) {
  const journal = new Journal();
  const hub = new EventHub({ journal, clock: () => new Date(), defaultApp: 'my_app', instance: 'test', redactor: new Redactor([]), maxBufferedBytes });
  const streams: Response[] = [];
  const app = express();
  app.get('/events', (req, res) => {
    streams.push(res);
    hub.handle(req, res);
  });
  app.use(leanErrorHandler(() => new Date()));
  const server: Server = createServer(app);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const close = () => {
    server.closeAllConnections();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return { journal, hub, port, url: `http://127.0.0.1:${port}/events`, streams, close };
}

const requestEntry = (path: string) => ({
  method: 'GET', path, status: 200, app: 'my_app', client_fingerprint: null, duration_ms: 1, handshake_id: null, reason: null, correlation_id: 'c',
});

/** A client that asks for the stream and never reads a byte of it. */
async function silentClient(port: number): Promise<Socket> {
  const socket = connect(port, '127.0.0.1');
  await once(socket, 'connect');
  socket.pause();
  socket.write('GET /events HTTP/1.1\r\nhost: x\r\naccept: text/event-stream\r\n\r\n');
  return socket;
}

let cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
});

/** As long as the journal keeps (MAX_JOURNAL_STRING): a replay of 1000 is 2 MB per client. */
const LONG_PATH = `/${'p'.repeat(2_000)}`;
const FRAME_BYTES = LONG_PATH.length + 1_000;

describe('the event stream is bounded by bytes', () => {
  it(`never holds more than its budget for a client that does not read, however large the replay (and takes ${MAX_EVENT_CLIENTS} clients at most)`, async () => {
    const budget = 256 * 1024;
    const hub = await startHub(budget);
    cleanups.push(hub.close);
    // 1000 records of 2 kB: a 2 MB replay for every client, eight budgets.
    for (let i = 0; i < 1_000; i++) hub.journal.recordRequest(requestEntry(LONG_PATH));
    const sockets = await Promise.all(Array.from({ length: 40 }, () => silentClient(hub.port)));
    cleanups.push(() => sockets.forEach((socket) => socket.destroy()));
    await new Promise<void>((resolve) => {
      const check = (): void => void (hub.streams.length === 40 ? resolve() : setImmediate(check));
      check();
    });
    // Live traffic on top, while nobody reads.
    for (let i = 0; i < 200; i++) hub.journal.recordRequest(requestEntry(LONG_PATH));
    await new Promise((resolve) => setImmediate(resolve));

    const streaming = hub.streams.filter((res) => res.statusCode === 200);
    expect(streaming).toHaveLength(MAX_EVENT_CLIENTS);
    expect(hub.streams.filter((res) => res.statusCode === 503)).toHaveLength(40 - MAX_EVENT_CLIENTS);
    for (const res of streaming) expect(res.writableLength).toBeLessThanOrEqual(budget + FRAME_BYTES);
  });

  it(`answers a client past ${MAX_EVENT_CLIENTS} with a Lean 503, and takes one again once a page leaves`, async () => {
    const hub = await startHub(64 * 1024);
    cleanups.push(hub.close);
    const clients = await Promise.all(Array.from({ length: MAX_EVENT_CLIENTS }, () => SseClient.open(hub.url)));
    cleanups.push(() => clients.forEach((client) => client.close()));
    const refused = await fetch(hub.url);
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('5');
    expect(await refused.json()).toMatchObject({ status: 'TOO_MANY_EVENT_CLIENTS', metadata: { limit: MAX_EVENT_CLIENTS } });
    clients.pop()!.close();
    await new Promise<void>((resolve) => {
      const check = (): void => void (hub.hub.clientCount < MAX_EVENT_CLIENTS ? resolve() : setImmediate(check));
      check();
    });
    const again = await SseClient.open(hub.url);
    cleanups.push(() => again.close());
    expect(again.response.statusCode).toBe(200);
  });

  it('sends a reading client the replay in order, then what came during it, never twice, counting any it dropped', async () => {
    const hub = await startHub(64 * 1024);
    cleanups.push(hub.close);
    for (let i = 0; i < 500; i++) hub.journal.recordRequest(requestEntry(`/${i}${LONG_PATH}`));
    const client = await SseClient.open(hub.url);
    cleanups.push(() => client.close());
    client.response.pause();
    // Recorded while the client is paused, perhaps still catching up: after the replay, never twice.
    for (let i = 500; i < 600; i++) hub.journal.recordRequest(requestEntry(`/${i}${LONG_PATH}`));
    client.response.resume();
    await client.next((event) => event.event === 'ready');
    hub.journal.recordRequest(requestEntry('/live/'));
    await client.next((event) => event.event === 'request' && event.data.path === '/live/');
    const seen = client.events.filter((event) => event.event === 'request').map((event) => event.data.path.split('/')[1]);
    expect(seen.slice(0, 500)).toEqual(Array.from({ length: 500 }, (_, i) => String(i)));
    const numbers = seen.slice(500, -1).map(Number);
    expect(numbers).toEqual([...numbers].sort((a, b) => a - b));
    expect(new Set(numbers).size).toBe(numbers.length);
    // A gap is told at the next drain, which may come after the live record.
    if (numbers.length < 100) await client.next((event) => event.event === 'gap');
    const dropped = client.events.filter((event) => event.event === 'gap').reduce((sum, event) => sum + event.data.dropped, 0);
    expect(numbers.length + dropped).toBe(100);
  });
});
