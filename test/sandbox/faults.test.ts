import { once } from 'node:events';
import { request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Router } from 'express';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { jsonBody } from '../../src/app/error-handler.js';
import { methodNotAllowed } from '../../src/app/routing.js';
import { FAULT_HEADER, faultInjector } from '../../src/sandbox/faults/injector.js';
import { FaultRegistry } from '../../src/sandbox/faults/registry.js';
import type { FaultSpecInput } from '../../src/sandbox/faults/schemas.js';
import { eventually } from '../support/eventually.js';
import { SANDBOX_NOW, sandboxApp } from '../support/sandbox-app.js';

/** Stand-ins for Lean's routers: what a request reaches when no fault takes it. */
let customersCreated = 0;
function productRouter(): Router {
  const router = Router();
  router.route('/banks/v1').get((_req, res) => void res.json([{ identifier: 'LEAN_OF_RETAIL_UAE' }])).all(methodNotAllowed);
  router
    .route('/customers/v1')
    .post(jsonBody, (_req, res) => {
      customersCreated += 1;
      res.json({ customer_id: 'c1', app_user_id: 'u1' });
    })
    .all(methodNotAllowed);
  router.get('/data/v2/accounts/:id/:what', (req, res) => void res.json({ status: 'OK', what: req.params.what }));
  return router;
}

const registry = new FaultRegistry({ apps: ['my_app', 'other_app'], clock: () => SANDBOX_NOW });
let server: Server;
let base: string;
beforeAll(async () => {
  const injector = Router().use(faultInjector(registry));
  server = sandboxApp([injector, productRouter()]).listen(0, '127.0.0.1');
  await once(server, 'listening');
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});
beforeEach(() => {
  registry.clear();
  customersCreated = 0;
});

const arm = (spec: FaultSpecInput) => registry.add(spec);
const call = (path: string, init: RequestInit & { app?: string } = {}) =>
  fetch(`${base}${path}`, { ...init, headers: { 'x-test-app': init.app ?? 'my_app', ...(init.headers as Record<string, string>) } });
const createCustomer = (app?: string) =>
  call('/customers/v1', { method: 'POST', app, headers: { 'content-type': 'application/json' }, body: '{"app_user_id":"u1"}' });

describe('a status fault', () => {
  it('answers with Lean’s envelope for that status instead of the route, which never runs', async () => {
    const fault = arm({ match: { path: '/customers/v1' }, fault: { status: 503 } });
    const res = await createCustomer();
    expect(res.status).toBe(503);
    expect(res.headers.get(FAULT_HEADER)).toBe(fault.id);
    expect(await res.json()).toEqual({
      timestamp: SANDBOX_NOW.toISOString(),
      status: 'INTERNAL_SERVER_ERROR',
      message: 'Something has gone wrong. If you continue to see this error, please get in touch with Lean.',
      metadata: null,
    });
    expect(customersCreated).toBe(0);
    expect((await createCustomer()).status).toBe(200);
    expect(customersCreated).toBe(1);
  });

  it('uses Lean’s own status for the HTTP statuses Lean has one for', async () => {
    const seen: Record<number, string> = {};
    for (const status of [400, 401, 404, 429, 500, 409]) {
      arm({ match: { path: '/banks/v1' }, fault: { status } });
      seen[status] = ((await (await call('/banks/v1')).json()) as { status: string }).status;
    }
    expect(seen).toEqual({
      400: 'INVALID_PARAMETERS',
      401: 'UNAUTHORIZED',
      404: 'INVALID_URL',
      429: 'RATE_LIMIT_EXCEEDED',
      500: 'INTERNAL_SERVER_ERROR',
      409: 'CONFLICT',
    });
  });

  it('answers with the given body verbatim', async () => {
    const body = { timestamp: '2026-01-01T00:00:00Z', status: 'CONSENT_EXPIRED', message: 'The consent has expired.', metadata: null };
    arm({ match: { path: '/banks/v1' }, fault: { status: 403, body } });
    const res = await call('/banks/v1');
    expect(res.status).toBe(403);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await res.json()).toEqual(body);
  });
});

describe('a delay fault', () => {
  it('holds the request, then lets it through normally', async () => {
    arm({ match: { path: '/banks/v1' }, fault: { delay_ms: 250 } });
    const started = performance.now();
    const res = await call('/banks/v1');
    expect(performance.now() - started).toBeGreaterThanOrEqual(245);
    expect(res.status).toBe(200);
    expect(res.headers.get(FAULT_HEADER)).toBeNull();
    expect(await res.json()).toEqual([{ identifier: 'LEAN_OF_RETAIL_UAE' }]);
  });

  it('holds only its own request: others are answered meanwhile', async () => {
    // Long enough that the others finish first even on a loaded machine; the delayed request is
    // known to be held once it has used up its one-shot fault.
    arm({ match: { path: '/banks/v1' }, fault: { delay_ms: 2_000 }, count: 1 });
    const finished: string[] = [];
    const slow = call('/banks/v1').then(() => finished.push('delayed'));
    await eventually(() => registry.list().length === 0);
    const fast = Promise.all([call('/banks/v1'), createCustomer()]).then(() => finished.push('others'));
    await Promise.all([slow, fast]);
    expect(finished).toEqual(['others', 'delayed']);
  });

  it('answers with the status after the delay when both are given', async () => {
    arm({ match: { path: '/customers/v1' }, fault: { delay_ms: 150, status: 504 } });
    const started = performance.now();
    const res = await createCustomer();
    expect(performance.now() - started).toBeGreaterThanOrEqual(145);
    expect(res.status).toBe(504);
    expect(customersCreated).toBe(0);
  });
});

describe('a reset fault', () => {
  it('drops the connection: the client sees a socket error and no reply', async () => {
    arm({ match: { path: '/banks/v1' }, fault: { reset: true } });
    const outcome = await new Promise<{ error?: NodeJS.ErrnoException; status?: number }>((resolve) => {
      const req = httpRequest(`${base}/banks/v1`, { headers: { 'x-test-app': 'my_app' } }, (res) => resolve({ status: res.statusCode }));
      req.on('error', (error: NodeJS.ErrnoException) => resolve({ error }));
      req.end();
    });
    expect(outcome.status).toBeUndefined();
    expect(outcome.error?.code).toBe('ECONNRESET');
    await expect(call('/banks/v1')).resolves.toMatchObject({ status: 200 });
  });

  it('makes fetch fail', async () => {
    arm({ match: { path: '/customers/v1' }, fault: { reset: true } });
    await expect(createCustomer()).rejects.toThrow(TypeError);
    expect(customersCreated).toBe(0);
  });
});

describe('a malformed fault', () => {
  it('answers 200 with JSON content that does not parse', async () => {
    arm({ match: { path: '/banks/v1' }, fault: { malformed: true } });
    const res = await call('/banks/v1');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const text = await res.text();
    expect(text.startsWith('{')).toBe(true);
    expect(() => JSON.parse(text)).toThrow(SyntaxError);
  });
});

describe('which requests a fault takes', () => {
  const faulted = async (path: string, init: RequestInit & { app?: string } = {}) => (await call(path, init)).headers.has(FAULT_HEADER);

  it('takes exactly the next `count` matching requests', async () => {
    arm({ match: { path: '/banks/v1' }, count: 2, fault: { status: 500 } });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await call('/banks/v1')).status);
    expect(statuses).toEqual([500, 500, 200, 200]);
    expect(registry.list()).toEqual([]);
  });

  it('never exceeds its count under concurrent requests', async () => {
    arm({ match: { path: '/banks/v1' }, count: 3, fault: { status: 503 } });
    arm({ match: { path: '/customers/v1' }, count: 2, fault: { delay_ms: 100, status: 502 } });
    const banks = await Promise.all(Array.from({ length: 12 }, () => call('/banks/v1')));
    const customers = await Promise.all(Array.from({ length: 8 }, () => createCustomer()));
    expect(banks.filter((res) => res.status === 503)).toHaveLength(3);
    expect(banks.filter((res) => res.status === 200)).toHaveLength(9);
    expect(customers.filter((res) => res.status === 502)).toHaveLength(2);
    expect(customersCreated).toBe(6);
  });

  it('matches a glob path, ignoring the query and a trailing slash', async () => {
    arm({ match: { path: '/data/v2/accounts/*/transactions' }, count: 10, fault: { status: 500 } });
    expect(await faulted('/data/v2/accounts/4f1e/transactions?page=0&size=50')).toBe(true);
    expect(await faulted('/data/v2/accounts/4f1e/transactions/')).toBe(true);
    expect(await faulted('/data/v2/accounts/4f1e/balances')).toBe(false);
    arm({ match: { path: '/customers/v1/' }, count: 10, fault: { status: 500 } });
    expect(await faulted('/customers/v1', { method: 'POST' })).toBe(true);
  });

  it('matches an exact path exactly (case aside), with no special meaning for regex characters', async () => {
    arm({ match: { path: '/banks/v1' }, count: 10, fault: { status: 500 } });
    expect(await faulted('/banks/v1/extra')).toBe(false);
    expect(await faulted('/banks')).toBe(false);
    expect(await faulted('/BANKS/v1')).toBe(true);
    registry.clear();
    arm({ match: { path: '/data/v2/accounts/a.b/balances' }, count: 10, fault: { status: 500 } });
    expect(await faulted('/data/v2/accounts/aXb/balances')).toBe(false);
    expect(await faulted('/data/v2/accounts/a.b/balances')).toBe(true);
  });

  it('matches the method when given, in any case, leaving other methods alone', async () => {
    const fault = arm({ match: { method: 'post', path: '/customers/v1' }, fault: { status: 500 } });
    expect(fault.match.method).toBe('POST');
    expect((await call('/customers/v1')).status).toBe(405);
    expect(registry.list()[0]?.remaining).toBe(1);
    expect((await createCustomer()).status).toBe(500);
  });

  it('matches the calling app when given, leaving other apps alone', async () => {
    arm({ match: { path: '/banks/v1', app: 'other_app' }, fault: { status: 500 } });
    expect(await faulted('/banks/v1', { app: 'my_app' })).toBe(false);
    expect(registry.list()[0]?.remaining).toBe(1);
    expect(await faulted('/banks/v1', { app: 'other_app' })).toBe(true);
  });

  it('gives a request to the oldest matching fault first', async () => {
    arm({ match: { path: '/banks/*' }, fault: { status: 500 } });
    arm({ match: { path: '/banks/v1' }, fault: { status: 502 } });
    expect([(await call('/banks/v1')).status, (await call('/banks/v1')).status, (await call('/banks/v1')).status]).toEqual([500, 502, 200]);
  });

  it('takes requests to unknown paths too', async () => {
    arm({ match: { path: '/nowhere/*' }, fault: { status: 503 } });
    expect((await call('/nowhere/at/all')).status).toBe(503);
    expect((await call('/nowhere/at/all')).status).toBe(404);
  });
});
