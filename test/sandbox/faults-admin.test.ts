import request from 'supertest';
import { beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type express from 'express';
import { createFaultsAdminRouter } from '../../src/sandbox/faults/admin-router.js';
import { FaultRegistry } from '../../src/sandbox/faults/registry.js';
import { FaultSchema } from '../../src/sandbox/faults/schemas.js';
import { SANDBOX_NOW, sandboxApp } from '../support/sandbox-app.js';

let registry: FaultRegistry;
let admin: express.Express;
beforeEach(() => {
  registry = new FaultRegistry({ apps: ['my_app', 'other_app'], clock: () => SANDBOX_NOW });
  admin = sandboxApp(createFaultsAdminRouter({ registry }));
});

const post = (body: unknown) => request(admin).post('/admin/v1/faults').send(body as object);
const list = async () => z.array(FaultSchema).parse((await request(admin).get('/admin/v1/faults').expect(200)).body);
const take = (path: string) => registry.take({ method: 'GET', path, app: 'my_app' });

describe('POST /admin/v1/faults', () => {
  it('arms a fault and answers 201 with it, defaults filled in', async () => {
    const res = await post({ match: { path: '/banks/v1' }, fault: { status: 503 } }).expect(201);
    expect(FaultSchema.parse(res.body)).toEqual({
      id: expect.any(String),
      match: { method: null, path: '/banks/v1', app: null },
      count: 1,
      remaining: 1,
      fault: { status: 503 },
      created_at: SANDBOX_NOW.toISOString(),
    });
  });

  it('keeps every field it was given', async () => {
    const body = {
      match: { method: 'get', path: '/data/v2/*', app: 'other_app' },
      count: 4,
      fault: { delay_ms: 30_000, status: 429, body: { status: 'RATE_LIMIT_EXCEEDED' } },
    };
    const res = await post(body).expect(201);
    expect(res.body).toMatchObject({ ...body, match: { ...body.match, method: 'GET' }, remaining: 4 });
  });

  const invalid: [string, unknown, 'INVALID_PARAMETERS' | 'MISSING_PARAMETERS', string][] = [
    ['no match', { fault: { status: 500 } }, 'MISSING_PARAMETERS', 'match'],
    ['no path', { match: {}, fault: { status: 500 } }, 'MISSING_PARAMETERS', 'match.path'],
    ['a relative path', { match: { path: 'banks/v1' }, fault: { status: 500 } }, 'INVALID_PARAMETERS', 'match.path'],
    ['a path with a query', { match: { path: '/banks/v1?x=1' }, fault: { status: 500 } }, 'INVALID_PARAMETERS', 'match.path'],
    ['an unknown method', { match: { path: '/x', method: 'FETCH' }, fault: { status: 500 } }, 'INVALID_PARAMETERS', 'match.method'],
    ['an unknown app', { match: { path: '/x', app: 'stranger_app' }, fault: { status: 500 } }, 'INVALID_PARAMETERS', 'match.app'],
    ['an unknown match key', { match: { path: '/x', host: 'a' }, fault: { status: 500 } }, 'INVALID_PARAMETERS', 'match.host'],
    ['a zero count', { match: { path: '/x' }, count: 0, fault: { status: 500 } }, 'INVALID_PARAMETERS', 'count'],
    ['a fractional count', { match: { path: '/x' }, count: 1.5, fault: { status: 500 } }, 'INVALID_PARAMETERS', 'count'],
    ['a count as text', { match: { path: '/x' }, count: '2', fault: { status: 500 } }, 'INVALID_PARAMETERS', 'count'],
    ['no fault', { match: { path: '/x' } }, 'MISSING_PARAMETERS', 'fault'],
    ['an empty fault', { match: { path: '/x' }, fault: {} }, 'INVALID_PARAMETERS', 'fault'],
    ['a 2xx status without the body to answer with', { match: { path: '/x' }, fault: { status: 200 } }, 'INVALID_PARAMETERS', 'fault.body'],
    ['a 1xx status', { match: { path: '/x' }, fault: { status: 101, body: {} } }, 'INVALID_PARAMETERS', 'fault.status'],
    ['a status above 599', { match: { path: '/x' }, fault: { status: 600 } }, 'INVALID_PARAMETERS', 'fault.status'],
    ['a body without status', { match: { path: '/x' }, fault: { body: { a: 1 } } }, 'INVALID_PARAMETERS', 'fault.body'],
    ['a body that is neither an object nor an array', { match: { path: '/x' }, fault: { status: 500, body: 'oops' } }, 'INVALID_PARAMETERS', 'fault.body'],
    ['a delay over 30 s', { match: { path: '/x' }, fault: { delay_ms: 30_001 } }, 'INVALID_PARAMETERS', 'fault.delay_ms'],
    ['a negative delay', { match: { path: '/x' }, fault: { delay_ms: -1 } }, 'INVALID_PARAMETERS', 'fault.delay_ms'],
    ['reset: false', { match: { path: '/x' }, fault: { reset: false } }, 'INVALID_PARAMETERS', 'fault.reset'],
    ['status and reset', { match: { path: '/x' }, fault: { status: 500, reset: true } }, 'INVALID_PARAMETERS', 'fault.reset'],
    ['reset and malformed', { match: { path: '/x' }, fault: { reset: true, malformed: true } }, 'INVALID_PARAMETERS', 'fault.malformed'],
    ['an unknown fault key', { match: { path: '/x' }, fault: { delay: 100 } }, 'INVALID_PARAMETERS', 'fault.delay'],
    ['an unknown top-level key', { match: { path: '/x' }, counts: 2, fault: { status: 500 } }, 'INVALID_PARAMETERS', 'counts'],
  ];
  it.each(invalid)('refuses %s with %s naming %s, arming nothing', async (_name, body, status, field) => {
    const res = await post(body).expect(400);
    expect(res.body).toMatchObject({ status, message: expect.stringContaining(`field: ${field}`), timestamp: SANDBOX_NOW.toISOString() });
    expect(res.body.message).toContain(`field: ${field}`);
    expect(registry.list()).toEqual([]);
  });

  it('refuses a body that is not JSON, or not an object', async () => {
    const broken = await request(admin).post('/admin/v1/faults').set('content-type', 'application/json').send('{"match":').expect(400);
    expect(broken.body.status).toBe('INVALID_PARAMETERS');
    await post([{ match: { path: '/x' } }]).expect(400);
    expect((await request(admin).post('/admin/v1/faults')).status).toBe(400);
    expect(registry.list()).toEqual([]);
  });
});

describe('GET /admin/v1/faults', () => {
  it('lists the active faults, oldest first, with what each has left', async () => {
    await post({ match: { path: '/banks/v1' }, count: 3, fault: { status: 500 } }).expect(201);
    await post({ match: { path: '/customers/v1' }, fault: { reset: true } }).expect(201);
    take('/banks/v1');
    take('/customers/v1');
    const faults = await list();
    expect(faults.map((f) => [f.match.path, f.count, f.remaining])).toEqual([['/banks/v1', 3, 2]]);
  });
});

describe('DELETE /admin/v1/faults[/{id}]', () => {
  it('removes one fault by id, then answers 404 UNKNOWN_FAULT for it', async () => {
    const kept = (await post({ match: { path: '/a' }, fault: { status: 500 } })).body as { id: string };
    const gone = (await post({ match: { path: '/b' }, fault: { status: 500 } })).body as { id: string };
    const res = await request(admin).delete(`/admin/v1/faults/${gone.id}`).expect(200);
    expect(FaultSchema.parse(res.body).id).toBe(gone.id);
    expect((await list()).map((f) => f.id)).toEqual([kept.id]);
    const again = await request(admin).delete(`/admin/v1/faults/${gone.id}`).expect(404);
    expect(again.body).toMatchObject({ status: 'UNKNOWN_FAULT', metadata: null });
  });

  it('answers a malformed id with INVALID_PARAMETERS naming id', async () => {
    const res = await request(admin).delete('/admin/v1/faults/not-an-id').expect(400);
    expect(res.body).toMatchObject({ status: 'INVALID_PARAMETERS', message: expect.stringContaining('field: id') });
  });

  it('removes every fault, saying how many', async () => {
    await post({ match: { path: '/a' }, fault: { status: 500 } });
    await post({ match: { path: '/b' }, fault: { malformed: true } });
    expect((await request(admin).delete('/admin/v1/faults').expect(200)).body).toEqual({ removed: 2 });
    expect(await list()).toEqual([]);
    expect(take('/a')).toBeUndefined();
  });

  it('answers other methods with 405', async () => {
    expect((await request(admin).put('/admin/v1/faults').send({})).body.status).toBe('INVALID_HTTP_METHOD');
    expect((await request(admin).get(`/admin/v1/faults/${crypto.randomUUID()}`)).status).toBe(405);
  });
});
