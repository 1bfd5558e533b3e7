import express from 'express';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { leanErrorHandler } from '../../src/app/error-handler.js';
import { createConnectionsAdminRouter } from '../../src/sandbox/connections-admin.js';
import { sessionOf } from '../../src/sandbox/connections.js';
import { COLLECTIONS, type Customer, type Entity } from '../../src/sandbox/store/records.js';
import type { SandboxEvent } from '../../src/sandbox/store/store.js';
import { SANDBOX_NOW, testStore } from '../support/sandbox-app.js';

const MINE = 'e3e56fe9-1cfc-4f05-b434-7994a5b66e5a';
const THEIRS = '80f315e8-d429-48fe-a902-8b202bb32403';
const UNKNOWN = '4a1d3c2e-5b6f-4c7d-8e9f-0a1b2c3d4e5f';

function setup() {
  const store = testStore();
  const customers = store.collection<Customer>(COLLECTIONS.customers);
  customers.set('my_app', MINE, { customer_id: MINE, app_user_id: 'mine', created_at: SANDBOX_NOW.toISOString() });
  customers.set('other_app', THEIRS, { customer_id: THEIRS, app_user_id: 'theirs', created_at: SANDBOX_NOW.toISOString() });
  const events: SandboxEvent[] = [];
  store.on('event', (event) => events.push(event));
  const app = express();
  app.use(createConnectionsAdminRouter({ store }));
  app.use(leanErrorHandler(() => SANDBOX_NOW));
  return { store, events, http: request(app) };
}

const EntityResponse = z.strictObject({
  id: z.uuid(),
  customer_id: z.uuid(),
  bank_identifier: z.string(),
  permissions: z.strictObject({
    identity: z.literal(true), accounts: z.literal(true), balance: z.literal(true), transactions: z.literal(true), identities: z.literal(true),
    scheduled_payments: z.literal(true), standing_orders: z.literal(true), direct_debits: z.literal(true), beneficiaries: z.literal(true),
  }),
  bank_type: z.literal('RETAIL'),
  created_at: z.iso.datetime(),
  consents: z.array(z.record(z.string(), z.unknown())),
});
const SessionResponse = z.strictObject({ entity_id: z.uuid(), state: z.enum(['ACTIVE', 'RECONNECT_REQUIRED']), reconnect_id: z.uuid().nullable() });
const LeanErrorBody = z.strictObject({ timestamp: z.string(), status: z.string(), message: z.string(), metadata: z.record(z.string(), z.unknown()).nullable() });

const connectPath = (customerId: string) => `/admin/v1/customers/${customerId}/entities`;

describe('POST /admin/v1/customers/:customer_id/entities', () => {
  it('connects the customer to the UAE mock bank by default: 201 with the entity, and entity.created for its app', async () => {
    const { store, events, http } = setup();
    const res = await http.post(connectPath(MINE)).send({});
    expect(res.status).toBe(201);
    const entity = EntityResponse.parse(res.body);
    expect(entity).toMatchObject({ customer_id: MINE, bank_identifier: 'LEAN_OF_RETAIL_UAE', created_at: SANDBOX_NOW.toISOString() });
    expect(store.collection<Entity>(COLLECTIONS.entities).get('my_app', entity.id)).toBeDefined();
    expect(events.map((e) => [e.app, e.type])).toEqual([['my_app', 'entity.created']]);
  });

  it('works without a body, with an explicit bank, and upper-case ids', async () => {
    const { http } = setup();
    expect((await http.post(connectPath(MINE))).status).toBe(201);
    const res = await http.post(connectPath(MINE.toUpperCase())).send({ bank_identifier: 'LEAN_OF_RETAIL_UAE' });
    expect(res.status).toBe(201);
    expect(res.body.customer_id).toBe(MINE);
  });

  it('finds the app that owns the customer, or takes it from the body or the query', async () => {
    const { store, events, http } = setup();
    const owned = await http.post(connectPath(THEIRS)).send({});
    expect(owned.status).toBe(201);
    expect(store.collection(COLLECTIONS.entities).ownerOf(owned.body.id)).toBe('other_app');
    expect((await http.post(connectPath(THEIRS)).send({ app: 'other_app' })).status).toBe(201);
    expect((await http.post(`${connectPath(THEIRS)}?app=other_app`)).status).toBe(201);
    expect(events.every((e) => e.app === 'other_app')).toBe(true);
  });

  it('answers 404 UNKNOWN_CUSTOMER for an unknown customer, or a customer of another app than the one named', async () => {
    const { store, events, http } = setup();
    for (const res of [
      await http.post(connectPath(UNKNOWN)).send({}),
      await http.post(connectPath(THEIRS)).send({ app: 'my_app' }),
      await http.post(`${connectPath(MINE)}?app=other_app`),
    ]) {
      expect(res.status).toBe(404);
      expect(LeanErrorBody.parse(res.body)).toMatchObject({ status: 'UNKNOWN_CUSTOMER', metadata: null, timestamp: SANDBOX_NOW.toISOString() });
    }
    expect(store.collection(COLLECTIONS.entities).size).toBe(0);
    expect(events).toEqual([]);
  });

  it('answers 400 naming the field for bad input, and creates nothing', async () => {
    const { store, events, http } = setup();
    const cases: [string, unknown, string, string][] = [
      [connectPath('not-a-uuid'), {}, 'INVALID_PARAMETERS', 'customer_id'],
      [connectPath(MINE), { bank_identifier: 'ENBD_UAE' }, 'INVALID_PARAMETERS', 'bank_identifier'],
      [connectPath(MINE), { bank_identifier: 42 }, 'INVALID_PARAMETERS', 'bank_identifier'],
      [connectPath(MINE), { app: 'nobody' }, 'INVALID_PARAMETERS', 'app'],
      [connectPath(MINE), { app: '' }, 'INVALID_PARAMETERS', 'app'],
      [connectPath(MINE), { surprise: true }, 'INVALID_PARAMETERS', 'surprise'],
      [`${connectPath(MINE)}?app=nobody`, {}, 'INVALID_PARAMETERS', 'app'],
      [`${connectPath(MINE)}?app=other_app`, { app: 'my_app' }, 'INVALID_PARAMETERS', 'app'],
      [`${connectPath(MINE)}?app=my_app&app=other_app`, {}, 'INVALID_PARAMETERS', 'app'],
    ];
    for (const [path, body, status, field] of cases) {
      const res = await http.post(path).send(body as object);
      expect({ path, body, status: res.status, lean: res.body.status, field: /, field: ([\w.]*\w)/.exec(res.body.message)?.[1] }).toEqual({ path, body, status: 400, lean: status, field });
    }
    const malformed = await http.post(connectPath(MINE)).set('content-type', 'application/json').send('{"bank_identifier":');
    expect(malformed.status).toBe(400);
    expect(malformed.body.status).toBe('INVALID_PARAMETERS');
    const list = await http.post(connectPath(MINE)).send([1, 2]);
    expect(list.status).toBe(400);
    expect(store.collection(COLLECTIONS.entities).size).toBe(0);
    expect(events).toEqual([]);
  });

  it('answers 405 for other methods', async () => {
    const { http } = setup();
    const res = await http.get(connectPath(MINE));
    expect(res.status).toBe(405);
    expect(res.body.status).toBe('INVALID_HTTP_METHOD');
  });
});

describe('POST /admin/v1/entities/:entity_id/expire-session and /reconnect', () => {
  async function connected() {
    const context = setup();
    const res = await context.http.post(connectPath(MINE)).send({});
    return { ...context, entityId: res.body.id as string };
  }

  it('expires the session (200 with the reconnect id) and reconnects it (200, entity.reconnected)', async () => {
    const { store, events, http, entityId } = await connected();
    const expired = await http.post(`/admin/v1/entities/${entityId}/expire-session`);
    expect(expired.status).toBe(200);
    expect(SessionResponse.parse(expired.body)).toMatchObject({ entity_id: entityId, state: 'RECONNECT_REQUIRED' });
    expect(expired.body.reconnect_id).not.toBeNull();
    expect(sessionOf(store, 'my_app', entityId).state).toBe('RECONNECT_REQUIRED');

    const back = await http.post(`/admin/v1/entities/${entityId}/reconnect`).send({ app: 'my_app' });
    expect(back.status).toBe(200);
    expect(SessionResponse.parse(back.body)).toEqual({ entity_id: entityId, state: 'ACTIVE', reconnect_id: null });
    expect(events.map((e) => e.type)).toEqual(['entity.created', 'entity.reconnected']);
    expect(events[1]!.payload).toMatchObject({ id: entityId, reconnect_id: expired.body.reconnect_id });
  });

  it('answers 404 UNKNOWN_ENTITY for an unknown entity, or when another app is named, leaving the session alone', async () => {
    const { store, http, entityId } = await connected();
    for (const action of ['expire-session', 'reconnect']) {
      for (const res of [
        await http.post(`/admin/v1/entities/${UNKNOWN}/${action}`),
        await http.post(`/admin/v1/entities/${entityId}/${action}`).send({ app: 'other_app' }),
        await http.post(`/admin/v1/entities/${entityId}/${action}?app=other_app`),
      ]) {
        expect(res.status).toBe(404);
        expect(LeanErrorBody.parse(res.body)).toMatchObject({ status: 'UNKNOWN_ENTITY', message: 'The entity_id provided did not match an account in our records.' });
      }
    }
    expect(sessionOf(store, 'my_app', entityId).state).toBe('ACTIVE');
  });

  it('answers 400 naming the field for a bad entity id, app or key, and 405 for other methods', async () => {
    const { store, http, entityId } = await connected();
    const bad = [
      [await http.post('/admin/v1/entities/12345/expire-session'), 'entity_id'],
      [await http.post(`/admin/v1/entities/${entityId}/expire-session`).send({ app: 'nobody' }), 'app'],
      [await http.post(`/admin/v1/entities/${entityId}/reconnect`).send({ reason: 'x' }), 'reason'],
    ] as const;
    for (const [res, field] of bad) {
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ status: 'INVALID_PARAMETERS', message: expect.stringContaining(`field: ${field}`) });
    }
    expect(sessionOf(store, 'my_app', entityId).state).toBe('ACTIVE');
    for (const action of ['expire-session', 'reconnect']) {
      const res = await http.put(`/admin/v1/entities/${entityId}/${action}`);
      expect(res.status).toBe(405);
    }
  });
});
