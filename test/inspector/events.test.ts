import { once } from 'node:events';
import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { Journal } from '../../src/gateway/journal.js';
import { EventHub } from '../../src/inspector/events.js';
import { Redactor } from '../../src/inspector/redact.js';
import { SseClient } from './sse-client.js';

const APP_TOKEN = '6f1c2a9e-0b7d-4d3e-9a51-2f8e7c6b5a40';

/** A journal and its event stream on a plain HTTP server, without the rest of the mock. */
async function startHub(options: { heartbeatMs?: number; maxBufferedBytes?: number } = {}) {
  const journal = new Journal();
  const redactor = new Redactor([APP_TOKEN]);
  const hub = new EventHub({ journal, clock: () => new Date(), defaultApp: 'my_app', instance: 'test', redactor, ...options });
  const app = express();
  app.get('/events', hub.handle);
  const server: Server = createServer(app);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/events`;
  const close = () => {
    server.closeAllConnections();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return { journal, hub, url, close };
}

const requestEntry = (path: string) => ({
  method: 'GET', path, status: 200, app: 'my_app', client_fingerprint: null, duration_ms: 1, handshake_id: null, reason: null, correlation_id: 'c',
});

let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => {
  await cleanup?.();
  cleanup = undefined;
});

describe('the event hub', () => {
  it('sends a heartbeat comment while nothing happens', async () => {
    const hub = await startHub({ heartbeatMs: 40 });
    cleanup = hub.close;
    const client = await SseClient.open(hub.url);
    await expect.poll(() => client.comments).toBeGreaterThanOrEqual(2);
    client.close();
  });

  it('answers HEAD with the stream’s headers and ends, without taking it for a watcher', async () => {
    const hub = await startHub();
    cleanup = hub.close;
    const req = request(hub.url, { method: 'HEAD' });
    req.end();
    const [res] = (await once(req, 'response')) as [IncomingMessage];
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    res.resume();
    await once(res, 'end');
    expect(hub.hub.clientCount).toBe(0);
    expect(hub.journal.listenerCount('request')).toBe(0);
  });

  it('hides a secret in a request’s path, replayed or live', async () => {
    const hub = await startHub();
    cleanup = hub.close;
    hub.journal.recordRequest(requestEntry(`/customers/v1/${APP_TOKEN}`));
    const client = await SseClient.open(hub.url);
    await client.next((event) => event.event === 'ready');
    hub.journal.recordRequest(requestEntry(`/customers/v1/${APP_TOKEN}/entities`));
    await client.next((event) => event.event === 'request' && event.data.path.endsWith('/entities'));
    const paths = client.events.filter((event) => event.event === 'request').map((event) => event.data.path);
    expect(paths).toEqual(['/customers/v1/[redacted]', '/customers/v1/[redacted]/entities']);
    client.close();
  });

  it('listens to the journal only while someone watches', async () => {
    const hub = await startHub();
    cleanup = hub.close;
    expect(hub.journal.listenerCount('request')).toBe(0);
    const [a, b] = [await SseClient.open(hub.url), await SseClient.open(hub.url)];
    expect(hub.journal.listenerCount('request')).toBe(1);
    expect(hub.hub.clientCount).toBe(2);
    a.close();
    b.close();
    await expect.poll(() => hub.hub.clientCount).toBe(0);
    expect(hub.journal.listenerCount('request')).toBe(0);
    expect(hub.journal.listenerCount('handshake')).toBe(0);
  });

  it('drops events for a client that stops reading, then tells it how many it missed', async () => {
    const hub = await startHub({ maxBufferedBytes: 64 * 1024 });
    cleanup = hub.close;
    const client = await SseClient.open(hub.url);
    await client.next((event) => event.event === 'ready');
    client.response.pause();
    // ~24 MB of events: far more than the socket buffers and the 64 kB budget hold.
    const path = `/${'x'.repeat(4_000)}`;
    for (let i = 0; i < 6_000; i++) hub.journal.recordRequest(requestEntry(path));
    client.response.resume();
    const gap = await client.next((event) => event.event === 'gap');
    const delivered = client.events.filter((event) => event.event === 'request').length;
    expect(gap.data.dropped).toBeGreaterThan(0);
    expect(delivered + gap.data.dropped).toBe(6_000);
    expect(delivered).toBeLessThan(6_000);
    // After the gap it is live again.
    hub.journal.recordRequest(requestEntry('/after'));
    await client.next((event) => event.event === 'request' && event.data.path === '/after');
    client.close();
  });
});
