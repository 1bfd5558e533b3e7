import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLeanPki, type LeanPki } from '../../src/pki/lean-pki.js';
import { startLeanMock, type LeanMock } from '../../src/server/lean-mock.js';
import { appTokenOf, call, presented } from '../support/mock-client.js';
import { SseClient } from './sse-client.js';

let pki: LeanPki;
let mock: LeanMock;
beforeAll(async () => {
  pki = await createLeanPki();
  mock = await startLeanMock({ pki });
});
afterAll(() => mock.close());

const admin = async (path: string, init?: RequestInit) => {
  const response = await fetch(`${mock.adminUrl}${path}`, init);
  const text = await response.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
};

const good = (path = '/banks/v1') => call(mock.url, pki, presented(pki, 'my_app'), { path, headers: appTokenOf(pki) });
const newestRequest = () => mock.journal.requests()[0]!;

describe('the inspector page', () => {
  it('is served on GET / with a strict content security policy', async () => {
    const page = await admin('/');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toMatch(/^default-src 'self'(;|$)/);
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(page.text).toContain('<script type="module" src="/inspector/app.js"></script>');
    // Nothing inline (the policy would block it) and nothing from elsewhere.
    expect(page.text).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>|\sstyle=|\son[a-z]+=/i);
    expect(page.text).not.toMatch(/https?:\/\//);
  });

  it('serves its own scripts, stylesheet and icon, and nothing else', async () => {
    const expected = { 'app.js': 'text/javascript', 'inspector.css': 'text/css', 'favicon.svg': 'image/svg+xml' };
    for (const [file, type] of Object.entries(expected)) {
      const asset = await admin(`/inspector/${file}`);
      expect(asset.status, file).toBe(200);
      expect(asset.headers.get('content-type')).toContain(type);
      expect(asset.text).not.toMatch(/https?:\/\/(?!www\.w3\.org)/);
    }
    for (const path of ['/inspector/nope.js', '/inspector/..%2Fevents.js', '/inspector/..%2F..%2Fpackage.json', '/inspector/index.ts']) {
      expect(await admin(path), path).toMatchObject({ status: 404, json: { status: 'INVALID_URL' } });
    }
  });
});

describe('the event stream', () => {
  it('replays the journal oldest first, then shows a good and a bad client live, with the reason in plain words', async () => {
    mock.reset();
    await good();
    const stream = await SseClient.open(`${mock.adminUrl}/admin/v1/events`);
    try {
      expect(stream.response.headers['content-type']).toBe('text/event-stream; charset=utf-8');
      const ready = await stream.next((event) => event.event === 'ready');
      const replayed = stream.events.slice(0, stream.events.indexOf(ready));
      expect(replayed.map((event) => event.event)).toEqual(['handshake', 'request']);
      expect(replayed.map((event) => Number(event.id))).toEqual([...replayed.map((event) => Number(event.id))].sort((a, b) => a - b));
      expect(ready.data.replayed).toBe(2);

      await good('/customers/v1');
      const live = await stream.next((event) => event.event === 'request' && event.data.path === '/customers/v1');
      expect(live.data).toMatchObject({ method: 'GET', status: 200, app: 'my_app', reason: null, explanation: null });
      expect(live.id).toBe(String(live.data.id));

      await call(mock.url, pki, presented(pki, 'expired'), { headers: appTokenOf(pki) });
      const refused = await stream.next((event) => event.event === 'handshake' && event.data.verdict === 'rejected');
      expect(refused.data).toMatchObject({ reason: 'expired', raw_code: 'CERT_HAS_EXPIRED' });
      expect(refused.data.client.subject).toContain('CN=lean-mock bad certificate: expired');
      expect(refused.data.explanation.summary).toMatch(/^The client certificate \(CN=lean-mock bad certificate: expired\) expired on \d{4}-\d\d-\d\d \(30 days ago\)\.$/);
      expect(refused.data.explanation.fix).toBe(pki.variants.find((variant) => variant.name === 'expired')!.fix);

      await call(mock.url, pki, presented(pki, 'my_app'), { path: '/banks/v1' });
      const unauthenticated = await stream.next((event) => event.event === 'request' && event.data.reason === 'missing_credentials');
      expect(unauthenticated.data.explanation.summary).toContain('neither a lean-app-token header nor an Authorization: Bearer token');
    } finally {
      stream.close();
    }
  });

  it('replays only what came after Last-Event-ID, and everything for an id from another mock', async () => {
    mock.reset();
    await good();
    const lastSeen = newestRequest().id;
    await good('/customers/v1');
    const resumed = await SseClient.open(`${mock.adminUrl}/admin/v1/events`, { 'last-event-id': String(lastSeen) });
    const fromTheFuture = await SseClient.open(`${mock.adminUrl}/admin/v1/events`, { 'last-event-id': String(lastSeen + 1_000) });
    try {
      await resumed.next((event) => event.event === 'ready');
      expect(resumed.events.filter((event) => event.id !== null).every((event) => Number(event.id) > lastSeen)).toBe(true);
      expect(resumed.events.map((event) => event.data.path ?? event.event)).toEqual(['handshake', '/customers/v1', 'ready']);
      expect((await fromTheFuture.next((event) => event.event === 'ready')).data.replayed).toBe(4);
    } finally {
      resumed.close();
      fromTheFuture.close();
    }
  });

  it('tells the page when the mock is reset', async () => {
    const stream = await SseClient.open(`${mock.adminUrl}/admin/v1/events`);
    try {
      await stream.next((event) => event.event === 'ready');
      expect((await admin('/admin/v1/reset', { method: 'POST' })).status).toBe(200);
      await stream.next((event) => event.event === 'reset');
    } finally {
      stream.close();
    }
  });

  it('lets close() finish promptly while a page is watching', async () => {
    const watched = await startLeanMock({ pki });
    const stream = await SseClient.open(`${watched.adminUrl}/admin/v1/events`);
    await stream.next((event) => event.event === 'ready');
    const started = performance.now();
    await watched.close();
    expect(performance.now() - started).toBeLessThan(1_000);
    await expect.poll(() => stream.closed).toBe(true);
  });
});

describe('request details', () => {
  it('shows the request, the handshake it rode on and Lean’s response, with the token hidden', async () => {
    await good('/banks/v1?country_codes=ARE');
    const record = newestRequest();
    const { status, json, text } = await admin(`/admin/v1/requests/${record.id}`);
    expect(status).toBe(200);
    expect(json.request).toMatchObject({ id: record.id, method: 'GET', path: '/banks/v1', status: 200, explanation: null });
    expect(json.handshake).toMatchObject({ id: record.handshake_id, verdict: 'accepted', app: 'my_app' });
    expect(json.exchange.url).toBe('/banks/v1?country_codes=ARE');
    expect(json.exchange.request.headers['lean-app-token']).toBe('[redacted]');
    expect(json.exchange.response.headers).toMatchObject({ 'content-type': 'application/json; charset=utf-8', 'lean-correlation-id': record.correlation_id });
    expect(json.exchange.response.body.kind).toBe('json');
    expect(json.exchange.response.body.value.map((bank: { identifier: string }) => bank.identifier)).toContain('ENBD_UAE');
    expect(text).not.toContain(pki.apps[0]!.appToken);
  });

  it('never shows a client secret, a bearer token or an app token, in headers, bodies or the query string', async () => {
    const app = pki.apps[0]!;
    const form = new URLSearchParams({ client_id: app.clientId, client_secret: app.clientSecret, grant_type: 'client_credentials', scope: 'api' });
    const issued = await call(mock.url, pki, presented(pki, 'my_app'), {
      method: 'POST', path: '/oauth2/token', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form.toString(),
    });
    const accessToken = (issued.ok && (issued.json as { access_token: string }).access_token) as string;
    expect(accessToken).toMatch(/^eyJ/);
    const tokenDetails = await admin(`/admin/v1/requests/${newestRequest().id}`);
    expect(tokenDetails.json.exchange.request.body.value).toEqual({ client_id: '[redacted]', client_secret: '[redacted]', grant_type: 'client_credentials', scope: 'api' });
    expect(tokenDetails.json.exchange.response.body.value).toMatchObject({ access_token: '[redacted]', token_type: 'Bearer' });

    await call(mock.url, pki, presented(pki, 'my_app'), {
      path: `/customers/v1?client_secret=${app.clientSecret}&echo=${app.appToken}`, headers: { authorization: `Bearer ${accessToken}` },
    });
    const bearerDetails = await admin(`/admin/v1/requests/${newestRequest().id}`);
    expect(bearerDetails.json.exchange.request.headers.authorization).toBe('[redacted]');
    expect(bearerDetails.json.exchange.url).toBe('/customers/v1?client_secret=%5Bredacted%5D&echo=[redacted]');
    for (const details of [tokenDetails, bearerDetails]) {
      for (const secret of [app.appToken, app.clientSecret, accessToken]) expect(details.text).not.toContain(secret);
    }
  });

  it('captures the 403 of a certificate refused in the http style, explained from its handshake', async () => {
    const httpStyle = await startLeanMock({ pki, rejection: 'http' });
    try {
      const refused = await call(httpStyle.url, pki, presented(pki, 'revoked'), { headers: appTokenOf(pki) });
      expect(refused.ok && refused.status).toBe(403);
      const response = await fetch(`${httpStyle.adminUrl}/admin/v1/requests/${httpStyle.journal.requests()[0]!.id}`);
      const details = (await response.json()) as any;
      expect(details.request).toMatchObject({ status: 403, reason: 'revoked' });
      expect(details.request.explanation.summary).toContain('CN=lean-mock bad certificate: revoked');
      expect(details.handshake).toMatchObject({ verdict: 'rejected', reason: 'revoked' });
      expect(details.exchange.response.body.value).toMatchObject({ status: 'INVALID_CERTIFICATE', metadata: { reason: 'revoked' } });
    } finally {
      await httpStyle.close();
    }
  });

  it('answers an unknown id with a Lean 404 and a malformed one with a 400', async () => {
    expect(await admin('/admin/v1/requests/999999')).toMatchObject({ status: 404, json: { status: 'UNKNOWN_REQUEST' } });
    expect(await admin('/admin/v1/requests/abc')).toMatchObject({ status: 400, json: { status: 'INVALID_PARAMETERS', metadata: { field: 'id' } } });
    expect(await admin('/admin/v1/requests/1', { method: 'DELETE' })).toMatchObject({ status: 405, json: { status: 'INVALID_HTTP_METHOD' } });
  });
});

describe('the sandbox state', () => {
  it('lists every app’s collections with their counts', async () => {
    mock.reset();
    const { status, json } = await admin('/admin/v1/state');
    expect(status).toBe(200);
    expect(json.apps.map((entry: { app: string }) => entry.app)).toEqual(['my_app', 'other_app']);
    const mine = json.apps[0].collections;
    expect(mine[0]).toEqual({ name: 'customers', count: 1 });
    expect(mine.find((entry: { name: string }) => entry.name === 'accounts').count).toBe(9);
  });

  it('lists payment intents and payments before any exists, so "none yet" is visible', async () => {
    const fresh = await startLeanMock({ pki });
    try {
      const json = (await (await fetch(`${fresh.adminUrl}/admin/v1/state`)).json()) as { apps: { collections: { name: string; count: number }[] }[] };
      const names = json.apps[0]!.collections.map((entry) => entry.name);
      expect(names.slice(0, 4)).toEqual(['customers', 'entities', 'payment_intents', 'payments']);
      expect(json.apps[0]!.collections[3]).toEqual({ name: 'payments', count: 0 });
      const empty = await fetch(`${fresh.adminUrl}/admin/v1/state/my_app/payments`);
      expect(empty.status).toBe(200);
      expect(await empty.json()).toMatchObject({ total: 0, records: [] });
    } finally {
      await fresh.close();
    }
  });

  it('shows what a client just created first, in its own app only', async () => {
    mock.reset();
    const created = await call(mock.url, pki, presented(pki, 'my_app'), {
      method: 'POST', path: '/customers/v1', headers: { ...appTokenOf(pki), 'content-type': 'application/json' }, body: JSON.stringify({ app_user_id: 'inspector-user' }),
    });
    expect(created.ok && created.status).toBe(200);
    const mine = await admin('/admin/v1/state/my_app/customers');
    expect(mine.json).toMatchObject({ app: 'my_app', collection: 'customers', page: 0, size: 50, total: 2 });
    expect(mine.json.records[0].record.app_user_id).toBe('inspector-user');
    expect(mine.json.records[0].id).toBe(mine.json.records[0].record.customer_id);
    const theirs = await admin('/admin/v1/state/other_app/customers');
    expect(theirs.json.records.map((entry: { record: { app_user_id: string } }) => entry.record.app_user_id)).toEqual(['demo-customer']);
  });

  it('pages through a collection', async () => {
    const first = await admin('/admin/v1/state/my_app/transactions?page=0&size=7');
    const second = await admin('/admin/v1/state/my_app/transactions?page=1&size=7');
    expect(first.json.records).toHaveLength(7);
    expect(second.json.records).toHaveLength(7);
    expect(second.json.records[0].id).not.toBe(first.json.records[0].id);
    expect(first.json.total).toBeGreaterThan(100);
  });

  it('hides the app token a payment source carries as its app_id', async () => {
    const customer = (await admin('/admin/v1/state/my_app/customers')).json.records.at(-1).id;
    const source = await admin(`/admin/v1/customers/${customer}/payment-sources`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(source.status).toBe(201);
    const sources = await admin('/admin/v1/state/my_app/payment_sources');
    expect(sources.json.records[0].record.app_id).toBe('[redacted]');
    expect(sources.text).not.toContain(pki.apps[0]!.appToken);
  });

  it('answers bad input with Lean errors naming what is wrong', async () => {
    expect(await admin('/admin/v1/state/nobody/customers')).toMatchObject({ status: 404, json: { status: 'UNKNOWN_APP' } });
    expect(await admin('/admin/v1/state/my_app/secrets')).toMatchObject({ status: 404, json: { status: 'UNKNOWN_COLLECTION' } });
    for (const [query, field] of [['size=0', 'size'], ['size=501', 'size'], ['page=-1', 'page'], ['page=abc', 'page']]) {
      expect(await admin(`/admin/v1/state/my_app/customers?${query}`), query).toMatchObject({ status: 400, json: { status: 'INVALID_PARAMETERS', metadata: { field } } });
    }
    expect(await admin('/admin/v1/state', { method: 'POST' })).toMatchObject({ status: 405, json: { status: 'INVALID_HTTP_METHOD' } });
  });
});
