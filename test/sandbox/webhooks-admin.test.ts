import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type express from 'express';
import { createWebhooksAdminRouter } from '../../src/sandbox/webhooks/admin-router.js';
import { createWebhookDispatcher, type WebhookDispatcher } from '../../src/sandbox/webhooks/dispatcher.js';
import { WebhookDeliverySchema, WebhookUrlsSchema } from '../../src/sandbox/webhooks/schemas.js';
import type { SandboxStore } from '../../src/sandbox/store/store.js';
import { sandboxApp, testStore } from '../support/sandbox-app.js';

/** The receivers: a fake fetch that records where each webhook went and answers per URL. */
let posted: string[];
const fakeFetch: typeof fetch = async (input) => {
  const url = String(input);
  posted.push(url);
  return new Response(null, { status: url.includes('broken') ? 503 : 200 });
};

let store: SandboxStore;
let dispatcher: WebhookDispatcher;
let admin: express.Express;
beforeEach(() => {
  posted = [];
  store = testStore();
  dispatcher = createWebhookDispatcher({
    store,
    apps: [
      { name: 'my_app', webhookSecret: 's1' },
      { name: 'other_app', webhookSecret: 's2' },
    ],
    urlFor: (app) => (app === 'my_app' ? 'http://hooks.test/my_app' : 'http://hooks.test/broken'),
    fetchImpl: fakeFetch,
    timeScale: 1,
  });
  admin = sandboxApp(createWebhooksAdminRouter({ dispatcher }));
});
afterEach(() => dispatcher.close());

const publish = (app: string, type: string) => store.publish({ app, type, payload: {}, message: 'm' });
const settled = () => dispatcher.waitFor((d) => d.id === 3 && d.status !== 'pending');

describe('GET /admin/v1/webhooks', () => {
  beforeEach(async () => {
    publish('my_app', 'entity.created');
    publish('other_app', 'payment.updated');
    publish('my_app', 'payment.updated');
    await settled();
    await dispatcher.waitFor((d) => d.id === 1 && d.status === 'delivered');
  });

  it('lists the delivery log newest first', async () => {
    const res = await request(admin).get('/admin/v1/webhooks').expect(200);
    const deliveries = z.array(WebhookDeliverySchema).parse(res.body);
    expect(deliveries.map((d) => [d.id, d.app, d.type, d.status])).toEqual([
      [3, 'my_app', 'payment.updated', 'delivered'],
      [2, 'other_app', 'payment.updated', 'retrying'],
      [1, 'my_app', 'entity.created', 'delivered'],
    ]);
    expect(deliveries[1]!.attempts).toEqual([expect.objectContaining({ status_code: 503, error: null })]);
  });

  it('filters by app, type and status, and cuts to limit', async () => {
    const ids = async (query: string) => (await request(admin).get(`/admin/v1/webhooks?${query}`).expect(200)).body.map((d: { id: number }) => d.id);
    expect(await ids('app=my_app')).toEqual([3, 1]);
    expect(await ids('type=payment.updated')).toEqual([3, 2]);
    expect(await ids('status=retrying')).toEqual([2]);
    expect(await ids('app=my_app&type=payment.updated&status=delivered')).toEqual([3]);
    expect(await ids('limit=1')).toEqual([3]);
    expect(await ids('type=results.ready')).toEqual([]);
  });

  it('answers a bad filter with a Lean error naming it', async () => {
    for (const [query, field] of [['status=lost', 'status'], ['app=stranger_app', 'app'], ['limit=0', 'limit'], ['app=a&app=b', 'app']] as const) {
      const res = await request(admin).get(`/admin/v1/webhooks?${query}`).expect(400);
      expect(res.body).toMatchObject({ status: 'INVALID_PARAMETERS', message: expect.stringContaining(`field: ${field}`), timestamp: expect.any(String) });
    }
  });
});

describe('/admin/v1/webhooks/url', () => {
  const put = (body: unknown) => request(admin).put('/admin/v1/webhooks/url').send(body as object);

  it('shows each app’s URL', async () => {
    const res = await request(admin).get('/admin/v1/webhooks/url').expect(200);
    expect(WebhookUrlsSchema.parse(res.body)).toEqual({
      urls: [
        { app: 'my_app', url: 'http://hooks.test/my_app' },
        { app: 'other_app', url: 'http://hooks.test/broken' },
      ],
    });
  });

  it('points one app’s webhooks elsewhere from the next event on', async () => {
    const res = await put({ app: 'other_app', url: 'https://receiver.example/lean' }).expect(200);
    expect(res.body.urls).toContainEqual({ app: 'other_app', url: 'https://receiver.example/lean' });
    expect(res.body.urls).toContainEqual({ app: 'my_app', url: 'http://hooks.test/my_app' });
    publish('other_app', 'entity.created');
    await dispatcher.waitFor((d) => d.status === 'delivered');
    expect(posted).toEqual(['https://receiver.example/lean']);
  });

  it('sets every app’s URL when no app is named, and null turns webhooks off', async () => {
    await put({ url: 'http://127.0.0.1:9999/hooks' }).expect(200);
    expect(dispatcher.apps.map((app) => dispatcher.urlOf(app))).toEqual(['http://127.0.0.1:9999/hooks', 'http://127.0.0.1:9999/hooks']);
    const off = await put({ app: 'my_app', url: null }).expect(200);
    expect(off.body.urls[0]).toEqual({ app: 'my_app', url: null });
    publish('my_app', 'entity.created');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(posted).toEqual([]);
    expect(dispatcher.deliveries()).toEqual([]);
  });

  it('refuses bad bodies with a Lean error naming the field, changing nothing', async () => {
    const cases: [unknown, string, string][] = [
      [{}, 'MISSING_PARAMETERS', 'url'],
      [{ app: 'my_app' }, 'MISSING_PARAMETERS', 'url'],
      [{ url: 'ftp://hooks.test/x' }, 'INVALID_PARAMETERS', 'url'],
      [{ url: 'hooks.test/x' }, 'INVALID_PARAMETERS', 'url'],
      [{ url: 'https://user:secret@hooks.test/x' }, 'INVALID_PARAMETERS', 'url'],
      [{ url: 42 }, 'INVALID_PARAMETERS', 'url'],
      [{ app: 'stranger_app', url: 'http://hooks.test/x' }, 'INVALID_PARAMETERS', 'app'],
      [{ app: 7, url: 'http://hooks.test/x' }, 'INVALID_PARAMETERS', 'app'],
    ];
    for (const [body, status, field] of cases) {
      const res = await put(body).expect(400);
      expect(res.body).toMatchObject({ status, message: expect.stringContaining(`field: ${field}`) });
    }
    const broken = await request(admin).put('/admin/v1/webhooks/url').set('content-type', 'application/json').send('{"url":').expect(400);
    expect(broken.body.status).toBe('INVALID_PARAMETERS');
    expect(dispatcher.urlOf('my_app')).toBe('http://hooks.test/my_app');
    expect(dispatcher.urlOf('other_app')).toBe('http://hooks.test/broken');
  });

  it('answers other methods with 405', async () => {
    expect((await request(admin).post('/admin/v1/webhooks/url').send({})).body.status).toBe('INVALID_HTTP_METHOD');
    expect((await request(admin).delete('/admin/v1/webhooks')).status).toBe(405);
  });
});
