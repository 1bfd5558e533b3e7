import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createWebhookDispatcher, type WebhookDispatcher, type WebhookDispatcherOptions } from '../../src/sandbox/webhooks/dispatcher.js';
import { WebhookDeliverySchema, WebhookEnvelopeSchema } from '../../src/sandbox/webhooks/schemas.js';
import type { SandboxStore } from '../../src/sandbox/store/store.js';
import { verifyWebhookSignature } from '../../src/webhook-signature.js';
import { SANDBOX_NOW, testStore } from '../support/sandbox-app.js';

const SECRETS = { my_app: 'my-app-webhook-secret', other_app: 'other-app-webhook-secret' };
const APPS = Object.entries(SECRETS).map(([name, webhookSecret]) => ({ name, webhookSecret }));
const EVENT_ID = '2f1c5f43-7d3e-4c8a-9a54-0c6a1f0b8e11';

interface Received {
  path: string;
  body: string;
  headers: IncomingHttpHeaders;
  /** performance.now() when the request arrived. */
  at: number;
}

interface Receiver {
  url: string;
  received: Received[];
  close(): Promise<void>;
}

/**
 * A real webhook receiver on an ephemeral loopback port: records every request, answers 500 to
 * the first `failFirst` of them (then `status`, default 200), after `delayMs`.
 */
async function startReceiver(options: { failFirst?: number; status?: number; delayMs?: number } = {}): Promise<Receiver> {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({ path: req.url ?? '', body: Buffer.concat(chunks).toString('utf8'), headers: req.headers, at: performance.now() });
      const status = received.length <= (options.failFirst ?? 0) ? 500 : (options.status ?? 200);
      setTimeout(() => res.writeHead(status, { 'content-type': 'text/plain' }).end('thanks'), options.delayMs ?? 0);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  receivers.push(server);
  return {
    url: `http://127.0.0.1:${port}/lean/webhooks`,
    received,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const receivers: Server[] = [];
const dispatchers: WebhookDispatcher[] = [];
afterEach(async () => {
  for (const dispatcher of dispatchers.splice(0)) dispatcher.close();
  for (const server of receivers.splice(0)) {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

function dispatcherFor(store: SandboxStore, options: Partial<WebhookDispatcherOptions> = {}): WebhookDispatcher {
  const dispatcher = createWebhookDispatcher({ store, apps: APPS, clock: () => SANDBOX_NOW, timeScale: 0.00001, random: () => 0, ...options });
  dispatchers.push(dispatcher);
  return dispatcher;
}

const entityCreated = (app = 'my_app') => ({
  app,
  type: 'entity.created',
  payload: { id: 'e0a3b0a4-6d5c-4c1e-8a0e-1b2c3d4e5f60', customer_id: 'c0a3b0a4-6d5c-4c1e-8a0e-1b2c3d4e5f61', permissions: ['identity'] },
  message: 'An entity object has been created.',
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('webhook delivery', () => {
  it('POSTs Lean’s envelope, signed over the raw body with the app’s secret', async () => {
    const receiver = await startReceiver();
    const store = testStore();
    const dispatcher = dispatcherFor(store, { urlFor: () => receiver.url, newEventId: () => EVENT_ID });
    store.publish(entityCreated());
    const delivery = await dispatcher.waitFor((d) => d.status === 'delivered');

    expect(receiver.received).toHaveLength(1);
    const [request] = receiver.received;
    expect(request!.path).toBe('/lean/webhooks');
    expect(request!.headers['content-type']).toBe('application/json');
    expect(request!.headers['user-agent']).toMatch(/^lean-mock-webhooks/);
    expect(request!.headers['lean-signature']).toMatch(/^sha512=[0-9a-f]{128}$/);
    expect(verifyWebhookSignature(request!.body, request!.headers['lean-signature'] as string, SECRETS.my_app)).toBe(true);
    expect(verifyWebhookSignature(request!.body, request!.headers['lean-signature'] as string, SECRETS.other_app)).toBe(false);

    const envelope = WebhookEnvelopeSchema.parse(JSON.parse(request!.body));
    expect(Object.keys(envelope)).toEqual(['type', 'payload', 'message', 'timestamp', 'event_id']);
    const { type, payload, message } = entityCreated();
    expect(envelope).toEqual({ type, payload, message, timestamp: SANDBOX_NOW.toISOString(), event_id: EVENT_ID });

    expect(WebhookDeliverySchema.parse(delivery)).toMatchObject({
      id: 1,
      event_id: EVENT_ID,
      app: 'my_app',
      type: 'entity.created',
      url: receiver.url,
      status: 'delivered',
      next_attempt_at: null,
      attempts: [{ at: SANDBOX_NOW.toISOString(), status_code: 200, error: null }],
    });
  });

  it('sends each app’s events to that app’s URL with that app’s secret, and ignores unknown apps', async () => {
    const receiver = await startReceiver();
    const store = testStore();
    const dispatcher = dispatcherFor(store, { urlFor: (app) => `${receiver.url}/${app}` });
    store.publish(entityCreated('other_app'));
    store.publish(entityCreated('stranger_app'));
    await dispatcher.waitFor((d) => d.status === 'delivered');
    await sleep(50);
    expect(receiver.received.map((r) => r.path)).toEqual(['/lean/webhooks/other_app']);
    const { body, headers } = receiver.received[0]!;
    expect(verifyWebhookSignature(body, headers['lean-signature'] as string, SECRETS.other_app)).toBe(true);
    expect(dispatcher.deliveries()).toHaveLength(1);
  });

  it('counts any 2xx as delivered, and a redirect as a failure it does not follow', async () => {
    const accepted = await startReceiver({ status: 204 });
    const moved = await startReceiver({ status: 302 });
    const store = testStore();
    const dispatcher = dispatcherFor(store, { urlFor: (app) => (app === 'my_app' ? accepted.url : moved.url), timeScale: 1 });
    store.publish(entityCreated('my_app'));
    store.publish(entityCreated('other_app'));
    const delivered = await dispatcher.waitFor((d) => d.app === 'my_app' && d.status === 'delivered');
    const redirected = await dispatcher.waitFor((d) => d.app === 'other_app' && d.status === 'retrying');
    expect(delivered.attempts.map((a) => a.status_code)).toEqual([204]);
    expect(redirected.attempts.map((a) => a.status_code)).toEqual([302]);
    expect(moved.received).toHaveLength(1);
  });
});

describe('retries', () => {
  it('retries after 1, 2, 5, 10, 60 and 180 (scaled) minutes, resends the same body, then gives up', async () => {
    const receiver = await startReceiver({ failFirst: Infinity });
    const store = testStore();
    // 0.0001: a minute lasts 6 ms, the whole schedule about 1.5 s.
    const dispatcher = dispatcherFor(store, { urlFor: () => receiver.url, timeScale: 0.0001 });
    store.publish(entityCreated());

    const waits: number[] = [];
    for (let failures = 1; failures <= 6; failures++) {
      const retrying = await dispatcher.waitFor((d) => d.status === 'retrying' && d.attempts.length === failures);
      waits.push(Date.parse(retrying.next_attempt_at!) - SANDBOX_NOW.getTime());
    }
    expect(waits).toEqual([6, 12, 30, 60, 360, 1080]);

    const failed = await dispatcher.waitFor((d) => d.status === 'failed');
    expect(failed.next_attempt_at).toBeNull();
    expect(failed.attempts).toHaveLength(7);
    expect(failed.attempts.every((a) => a.status_code === 500 && a.error === null)).toBe(true);
    expect(receiver.received).toHaveLength(7);
    expect(new Set(receiver.received.map((r) => r.body)).size).toBe(1);
    expect(new Set(receiver.received.map((r) => r.headers['lean-signature'])).size).toBe(1);
    receiver.received.slice(1).forEach((request, index) => {
      expect(request.at - receiver.received[index]!.at).toBeGreaterThanOrEqual(waits[index]! - 1);
    });

    await sleep(300);
    expect(receiver.received).toHaveLength(7);
  });

  it('stops retrying once the receiver answers 2xx, logging every attempt', async () => {
    const receiver = await startReceiver({ failFirst: 2 });
    const store = testStore();
    const dispatcher = dispatcherFor(store, { urlFor: () => receiver.url });
    store.publish(entityCreated());
    const delivered = await dispatcher.waitFor((d) => d.status === 'delivered');
    expect(delivered.attempts.map((a) => [a.status_code, a.error])).toEqual([[500, null], [500, null], [200, null]]);
    expect(receiver.received).toHaveLength(3);
    await sleep(50);
    expect(receiver.received).toHaveLength(3);
  });

  it('treats a refused connection as a failed attempt and retries it', async () => {
    const closed = await startReceiver();
    await closed.close();
    const store = testStore();
    const dispatcher = dispatcherFor(store, { urlFor: () => closed.url });
    store.publish(entityCreated());
    const failed = await dispatcher.waitFor((d) => d.status === 'failed');
    expect(failed.attempts).toHaveLength(7);
    expect(failed.attempts[0]).toMatchObject({ status_code: null, error: expect.stringContaining('ECONNREFUSED') });
  });

  it('treats a receiver slower than timeoutMs as a failed attempt', async () => {
    // Far slower than the 60 ms timeout, so even a loaded machine sees the timeout, not the reply.
    const slow = await startReceiver({ delayMs: 5_000 });
    const store = testStore();
    const dispatcher = dispatcherFor(store, { urlFor: () => slow.url, timeoutMs: 60, timeScale: 1 });
    store.publish(entityCreated());
    const retrying = await dispatcher.waitFor((d) => d.status === 'retrying');
    const [attempt] = retrying.attempts;
    expect(attempt).toMatchObject({ status_code: null, error: expect.stringMatching(/timeout/) });
    expect(attempt!.duration_ms).toBeGreaterThanOrEqual(55);
    expect(Date.parse(retrying.next_attempt_at!) - SANDBOX_NOW.getTime()).toBe(60_000);
  });

  it('sends a retry to the URL configured at the time of the retry', async () => {
    const broken = await startReceiver({ failFirst: Infinity });
    const fixed = await startReceiver();
    const store = testStore();
    const dispatcher = dispatcherFor(store, { urlFor: () => broken.url, timeScale: 0.001 });
    store.publish(entityCreated());
    await dispatcher.waitFor((d) => d.status === 'retrying');
    dispatcher.setUrl('my_app', fixed.url);
    const delivered = await dispatcher.waitFor((d) => d.status === 'delivered');
    expect(delivered.url).toBe(fixed.url);
    expect([broken.received.length, fixed.received.length]).toEqual([1, 1]);
  });
});

describe('turning webhooks off and stopping', () => {
  it('sends nothing to an app without a URL, or after setUrl(null)', async () => {
    const receiver = await startReceiver();
    const store = testStore();
    const dispatcher = dispatcherFor(store, { urlFor: (app) => (app === 'my_app' ? receiver.url : null) });
    dispatcher.setUrl('my_app', null);
    store.publish(entityCreated('my_app'));
    store.publish(entityCreated('other_app'));
    await sleep(100);
    expect(receiver.received).toHaveLength(0);
    expect(dispatcher.deliveries()).toEqual([]);
    expect(dispatcher.urlOf('my_app')).toBeNull();
  });

  it('abandons a pending retry whose app’s URL was turned off', async () => {
    const receiver = await startReceiver({ failFirst: Infinity });
    const store = testStore();
    const dispatcher = dispatcherFor(store, { urlFor: () => receiver.url, timeScale: 0.001 });
    store.publish(entityCreated());
    await dispatcher.waitFor((d) => d.status === 'retrying');
    dispatcher.setUrl('my_app', null);
    const failed = await dispatcher.waitFor((d) => d.status === 'failed');
    expect(failed.attempts).toHaveLength(1);
    expect(receiver.received).toHaveLength(1);
  });

  it('close() cancels pending retries and ignores later events', async () => {
    const receiver = await startReceiver({ failFirst: Infinity });
    const store = testStore();
    // A first retry 120 ms after the failure: close() comes well before it.
    const dispatcher = dispatcherFor(store, { urlFor: () => receiver.url, timeScale: 0.002 });
    store.publish(entityCreated());
    await dispatcher.waitFor((d) => d.status === 'retrying');
    dispatcher.close();
    store.publish(entityCreated());
    await sleep(300);
    expect(receiver.received).toHaveLength(1);
    expect(dispatcher.deliveries()).toHaveLength(1);
    expect(dispatcher.deliveries()[0]).toMatchObject({ status: 'failed', next_attempt_at: null });
  });

  it('clear() empties the log and cancels retries, and deliveries go on for new events', async () => {
    const receiver = await startReceiver({ failFirst: 1 });
    const store = testStore();
    const dispatcher = dispatcherFor(store, { urlFor: () => receiver.url, timeScale: 0.002 });
    store.publish(entityCreated());
    await dispatcher.waitFor((d) => d.status === 'retrying');
    dispatcher.clear();
    expect(dispatcher.deliveries()).toEqual([]);
    await sleep(200);
    expect(receiver.received).toHaveLength(1);
    store.publish(entityCreated());
    await dispatcher.waitFor((d) => d.status === 'delivered');
    expect(dispatcher.deliveries()).toHaveLength(1);
  });
});

describe('the delivery log', () => {
  const okFetch: typeof fetch = async () => new Response('ok', { status: 200 });

  it('keeps the newest deliveries up to its capacity, newest first', async () => {
    const store = testStore();
    const dispatcher = dispatcherFor(store, { urlFor: () => 'http://receiver.test/hook', fetchImpl: okFetch, logCapacity: 3 });
    for (let i = 0; i < 5; i++) store.publish(entityCreated());
    await dispatcher.waitFor((d) => d.id === 5 && d.status === 'delivered');
    expect(dispatcher.deliveries().map((d) => d.id)).toEqual([5, 4, 3]);
  });

  it('never holds the secret or the signature, and hands out copies', async () => {
    const store = testStore();
    const dispatcher = dispatcherFor(store, { urlFor: () => 'http://receiver.test/hook', fetchImpl: okFetch });
    store.publish(entityCreated());
    await dispatcher.waitFor((d) => d.status === 'delivered');
    const shown = JSON.stringify(dispatcher.deliveries());
    expect(shown).not.toContain(SECRETS.my_app);
    expect(shown).not.toContain('sha512=');
    dispatcher.deliveries()[0]!.attempts.length = 0;
    expect(dispatcher.deliveries()[0]!.attempts).toHaveLength(1);
  });

  it('waitFor rejects when nothing matches in time', async () => {
    const dispatcher = dispatcherFor(testStore());
    await expect(dispatcher.waitFor((d) => d.status === 'delivered', 30)).rejects.toThrow(/no webhook delivery matched within 30 ms/);
  });
});

describe('configuration errors', () => {
  it('refuses a non-positive time scale or timeout', () => {
    expect(() => createWebhookDispatcher({ store: testStore(), apps: APPS, timeScale: 0 })).toThrow(RangeError);
    expect(() => createWebhookDispatcher({ store: testStore(), apps: APPS, timeoutMs: -1 })).toThrow(RangeError);
  });

  it('setUrl refuses unknown apps and URLs that are not http(s) or carry credentials', () => {
    const dispatcher = dispatcherFor(testStore());
    expect(() => dispatcher.setUrl('stranger_app', 'http://127.0.0.1/hook')).toThrow(/stranger_app/);
    expect(() => dispatcher.setUrl('my_app', 'ftp://127.0.0.1/hook')).toThrow(RangeError);
    expect(() => dispatcher.setUrl('my_app', 'not a url')).toThrow(RangeError);
    expect(() => dispatcher.setUrl('my_app', 'https://user:pw@127.0.0.1/hook')).toThrow(/credentials/);
    expect(dispatcher.urlOf('my_app')).toBeNull();
  });

  it('sends nothing, and warns without the URL, when urlFor gives an unusable URL', async () => {
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(warning.message);
    process.on('warning', onWarning);
    try {
      let calls = 0;
      const store = testStore();
      const fetchImpl: typeof fetch = async () => (calls++, new Response(null, { status: 200 }));
      const dispatcher = dispatcherFor(store, { urlFor: () => 'https://user:hunter2@hooks.test/x', fetchImpl });
      expect(() => store.publish(entityCreated())).not.toThrow();
      await sleep(20);
      expect(calls).toBe(0);
      expect(dispatcher.deliveries()).toEqual([]);
      expect(warnings).toEqual([expect.stringContaining('credentials')]);
      expect(warnings.join()).not.toContain('hunter2');
    } finally {
      process.off('warning', onWarning);
    }
  });
});
