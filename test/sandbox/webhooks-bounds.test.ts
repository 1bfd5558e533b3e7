import { afterEach, describe, expect, it } from 'vitest';
import { createWebhookDispatcher, type WebhookDispatcher, type WebhookDispatcherOptions } from '../../src/sandbox/webhooks/dispatcher.js';
import type { SandboxStore } from '../../src/sandbox/store/store.js';
import { startLeanMock, type LeanMock } from '../../src/server/lean-mock.js';
import { openDescriptors, startHostileReceiver, Tally, type HostileReceiver } from '../support/hostile-receivers.js';
import { SANDBOX_NOW, testStore } from '../support/sandbox-app.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function dispatcherFor(store: SandboxStore, apps: string[], options: Partial<WebhookDispatcherOptions> = {}): WebhookDispatcher {
  const dispatcher = createWebhookDispatcher({
    store,
    apps: apps.map((name) => ({ name, webhookSecret: `${name}-secret` })),
    clock: () => SANDBOX_NOW,
    // A minute per retry: nothing is retried while a test looks.
    timeScale: 1,
    random: () => 0,
    ...options,
  });
  cleanups.push(() => dispatcher.close());
  return dispatcher;
}

async function receiver(mode: 'silent' | 'trickle', tally?: Tally): Promise<HostileReceiver> {
  const started = await startHostileReceiver(mode, tally);
  cleanups.push(() => started.close());
  return started;
}

const event = (app: string) => ({ app, type: 'entity.created', payload: { n: 1 }, message: 'An entity object has been created.' });

/** Waits (until the test's own timeout) for the process to hold no more descriptors than `baseline`. */
async function descriptorsBackTo(baseline: number | null): Promise<number | null> {
  for (;;) {
    const now = await openDescriptors();
    if (now === null || baseline === null || now <= baseline) return now;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('webhooks in flight are bounded', () => {
  it('never has more than 16 attempts on the wire, nor 4 to one receiver, when every receiver hangs', async () => {
    const tally = new Tally();
    const apps = ['a0', 'a1', 'a2', 'a3', 'a4', 'a5'];
    const receivers = await Promise.all(apps.map(() => receiver('silent', tally)));
    const baseline = await openDescriptors();
    const store = testStore();
    const urls = new Map(apps.map((app, i) => [app, receivers[i]!.url]));
    const dispatcher = dispatcherFor(store, apps, { urlFor: (app) => urls.get(app) ?? null, timeoutMs: 150 });

    for (let round = 0; round < 10; round++) for (const app of apps) store.publish(event(app));
    for (let id = 1; id <= 60; id++) await dispatcher.waitFor((d) => d.id === id && d.status === 'retrying', 30_000);

    expect(tally.peak).toBeLessThanOrEqual(16);
    expect(tally.peak).toBeGreaterThan(4);
    for (const hanging of receivers) expect(hanging.peak).toBeLessThanOrEqual(4);
    expect(receivers.reduce((sum, r) => sum + r.accepted, 0)).toBe(60);
    const attempts = dispatcher.deliveries().flatMap((d) => d.attempts);
    expect(attempts.every((a) => a.status_code === null && /timeout/.test(a.error ?? ''))).toBe(true);

    // Every timed-out attempt let go of its socket: nothing left open at either end.
    await Promise.all(receivers.map((r) => r.until((open) => open === 0)));
    await descriptorsBackTo(baseline);
  });

  it('cuts off a receiver that answers its headers and then trickles a body forever', async () => {
    const trickle = await receiver('trickle');
    const store = testStore();
    const dispatcher = dispatcherFor(store, ['my_app'], { urlFor: () => trickle.url, timeoutMs: 2000 });
    store.publish(event('my_app'));
    const delivered = await dispatcher.waitFor((d) => d.status === 'delivered', 10_000);
    expect(delivered.attempts.map((a) => a.status_code)).toEqual([200]);
    await trickle.until((open, accepted) => accepted === 1 && open === 0);
  });

  it('keeps at most maxPendingPerReceiver deliveries per receiver, dropping the oldest waiting one (logged as dropped)', async () => {
    const silent = await receiver('silent');
    const store = testStore();
    const dispatcher = dispatcherFor(store, ['my_app'], {
      urlFor: () => silent.url,
      maxInFlightPerReceiver: 1,
      maxPendingPerReceiver: 3,
      timeoutMs: 60_000,
    });
    for (let i = 0; i < 5; i++) store.publish(event('my_app'));
    await silent.until((_open, accepted) => accepted === 1);
    const byId = Object.fromEntries(dispatcher.deliveries().map((d) => [d.id, d.status]));
    expect(byId).toEqual({ 1: 'pending', 2: 'dropped', 3: 'dropped', 4: 'pending', 5: 'pending' });
    expect(dispatcher.deliveries().find((d) => d.id === 2)).toMatchObject({ attempts: [], next_attempt_at: null });
  });
});

describe('retries are spread out', () => {
  it('stretches each retry by up to 10 % drawn from `random`, so failures together do not come back together', async () => {
    const store = testStore();
    let draw = 0;
    const fetchImpl: typeof fetch = async () => new Response(null, { status: 503 });
    const dispatcher = dispatcherFor(store, ['my_app'], { urlFor: () => 'http://hooks.test/x', fetchImpl, random: () => (draw++ % 20) / 20 });
    for (let i = 0; i < 20; i++) store.publish(event('my_app'));
    for (let id = 1; id <= 20; id++) await dispatcher.waitFor((d) => d.id === id && d.status === 'retrying');
    const waits = dispatcher.deliveries().map((d) => Date.parse(d.next_attempt_at!) - SANDBOX_NOW.getTime());
    expect(new Set(waits).size).toBe(20);
    expect(Math.min(...waits)).toBe(60_000);
    expect(Math.max(...waits)).toBeLessThan(66_000);
  });
});

describe('a webhook URL pointing at the mock itself', () => {
  let mock: LeanMock;
  const start = async () => {
    mock = await startLeanMock();
    cleanups.push(() => mock.close());
    return { api: mock.port, admin: Number(new URL(mock.adminUrl!).port) };
  };
  const loopbacks = ['127.0.0.1', 'localhost', 'LOCALHOST.', '[::1]', '[::]', '0.0.0.0', '[::ffff:127.0.0.1]', '2130706433', '0x7f.1', 'api.localhost'];

  it('is refused by setUrl for every loopback spelling of the API and admin ports', async () => {
    const ports = await start();
    const random127 = Array.from({ length: 20 }, () => `127.${(Math.random() * 256) | 0}.${(Math.random() * 256) | 0}.${(Math.random() * 256) | 0}`);
    for (const host of [...loopbacks, ...random127]) {
      for (const port of [ports.api, ports.admin]) {
        for (const scheme of ['http', 'https']) {
          expect(() => mock.webhooks.setUrl('my_app', `${scheme}://${host}:${port}/hook`), `${scheme}://${host}:${port}`).toThrow(/lean-mock itself/);
        }
      }
    }
    // Another port on loopback, or the same port elsewhere, is a receiver like any other.
    const other = ports.admin === 65535 ? 65534 : 65535;
    mock.webhooks.setUrl('my_app', `http://127.0.0.1:${other}/hook`);
    mock.webhooks.setUrl('my_app', `http://hooks.test:${ports.admin}/hook`);
    expect(mock.webhooks.urlOf('my_app')).toBe(`http://hooks.test:${ports.admin}/hook`);
  });

  it('is refused at PUT /admin/v1/webhooks/url with a Lean 400 naming the field, changing nothing', async () => {
    const ports = await start();
    for (const url of [`${mock.adminUrl}/admin/v1/reset`, `http://localhost:${ports.api}/x`, `https://[::1]:${ports.api}/x`]) {
      const res = await fetch(`${mock.adminUrl}/admin/v1/webhooks/url`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ url }),
      });
      expect(res.status).toBe(400);
      const body = (await res.json()) as { status: string; message: string; metadata: unknown };
      expect(body).toMatchObject({ status: 'INVALID_PARAMETERS', metadata: { field: 'url' } });
      expect(body.message).toMatch(/lean-mock itself/);
    }
    expect(mock.pki.apps.map((app) => mock.webhooks.urlOf(app.name))).toEqual(mock.pki.apps.map(() => null));
  });
});
