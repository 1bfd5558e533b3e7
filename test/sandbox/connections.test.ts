import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { BANK_DATA_COLLECTIONS } from '../../src/sandbox/bank-data/records.js';
import {
  connectEntity,
  DEMO_APP_USER_ID,
  expireSession,
  reconnect,
  seedDemo,
  SESSIONS_COLLECTION,
  sessionOf,
} from '../../src/sandbox/connections.js';
import { COLLECTIONS, type Account, type Customer, type Entity, type Transaction } from '../../src/sandbox/store/records.js';
import type { SandboxEvent, SandboxStore } from '../../src/sandbox/store/store.js';
import { SANDBOX_NOW, testStore } from '../support/sandbox-app.js';

const CUSTOMER_ID = 'e3e56fe9-1cfc-4f05-b434-7994a5b66e5a';
const OTHER_APPS_CUSTOMER = '80f315e8-d429-48fe-a902-8b202bb32403';

function storeWithCustomers(seed?: number): { store: SandboxStore; events: SandboxEvent[] } {
  const store = testStore({ seed });
  const customers = store.collection<Customer>(COLLECTIONS.customers);
  customers.set('my_app', CUSTOMER_ID, { customer_id: CUSTOMER_ID, app_user_id: 'user-1041', created_at: SANDBOX_NOW.toISOString() });
  customers.set('other_app', OTHER_APPS_CUSTOMER, { customer_id: OTHER_APPS_CUSTOMER, app_user_id: 'user-1041', created_at: SANDBOX_NOW.toISOString() });
  const events: SandboxEvent[] = [];
  store.on('event', (event) => events.push(event));
  return { store, events };
}

/** Lean's `entity.created` sample (reference/lean-webhooks/UAE-entity.created.json), as a strict schema. */
const EntityWebhookPayload = z.strictObject({
  id: z.uuid(),
  app_user_id: z.string(),
  customer_id: z.uuid(),
  permissions: z.array(z.enum(['identity', 'accounts', 'balance', 'transactions', 'identities', 'scheduled_payments', 'standing_orders', 'direct_debits', 'beneficiaries'])),
  bank_details: z.strictObject({
    logo: z.url(),
    name: z.string(),
    bank_type: z.enum(['RETAIL', 'SME']),
    identifier: z.string(),
    main_color: z.string(),
    swift_code: z.string().nullable(),
    account_type: z.enum(['PERSONAL', 'BUSINESS']),
    background_color: z.string(),
  }),
});

const sizes = (store: SandboxStore) =>
  [...Object.values(COLLECTIONS), ...Object.values(BANK_DATA_COLLECTIONS), SESSIONS_COLLECTION].map((name) => store.collection(name).size);

describe('connecting a customer to a bank (LinkSDK .connect)', () => {
  it('creates the entity with all its bank data, an active session, and publishes entity.created', () => {
    const { store, events } = storeWithCustomers();
    const entity = connectEntity(store, 'my_app', { customerId: CUSTOMER_ID });

    expect(entity).toMatchObject({ customer_id: CUSTOMER_ID, bank_identifier: 'LEAN_OF_RETAIL_UAE', bank_type: 'RETAIL', created_at: SANDBOX_NOW.toISOString() });
    expect(entity.id).toBe('00000000-0000-4000-8000-000000000001');
    expect(store.collection<Entity>(COLLECTIONS.entities).get('my_app', entity.id)).toEqual(entity);
    const accounts = store.collection<Account>(COLLECTIONS.accounts).list('my_app', (a) => a.entity_id === entity.id);
    expect(accounts).toHaveLength(9);
    const accountIds = new Set(accounts.map((a) => a.account_id));
    const transactions = store.collection<Transaction>(COLLECTIONS.transactions).list('my_app', (t) => accountIds.has(t.account_id));
    expect(transactions.length).toBeGreaterThan(300);
    expect(store.collection(COLLECTIONS.balances).list('my_app')).toHaveLength(18);
    expect(store.collection(COLLECTIONS.identities).get('my_app', entity.id)).toMatchObject({ entity_id: entity.id });
    for (const name of Object.values(BANK_DATA_COLLECTIONS)) expect(store.collection(name).list('my_app').length).toBeGreaterThan(0);
    expect(sessionOf(store, 'my_app', entity.id)).toEqual({ entity_id: entity.id, state: 'ACTIVE', reconnect_id: null });

    expect(events).toHaveLength(1);
    const [event] = events;
    expect(event).toMatchObject({ app: 'my_app', type: 'entity.created', message: 'An entity object has been created.' });
    const payload = EntityWebhookPayload.parse(event!.payload);
    expect(payload).toMatchObject({ id: entity.id, customer_id: CUSTOMER_ID, app_user_id: 'user-1041' });
    expect(payload.permissions).toHaveLength(9);
    expect(payload.bank_details).toMatchObject({ identifier: 'LEAN_OF_RETAIL_UAE', bank_type: 'RETAIL', account_type: 'PERSONAL', swift_code: null });
  });

  it('keeps the new data inside the app: another app sees none of it', () => {
    const { store } = storeWithCustomers();
    const entity = connectEntity(store, 'my_app', { customerId: CUSTOMER_ID });
    expect(store.collection(COLLECTIONS.entities).get('other_app', entity.id)).toBeUndefined();
    expect(store.collection(COLLECTIONS.accounts).list('other_app')).toEqual([]);
    expect(store.collection(COLLECTIONS.transactions).list('other_app')).toEqual([]);
  });

  it('gives the same data for the same seed and entity id, and different data for another seed', () => {
    const first = storeWithCustomers(3).store;
    const second = storeWithCustomers(3).store;
    const third = storeWithCustomers(4).store;
    for (const store of [first, second, third]) connectEntity(store, 'my_app', { customerId: CUSTOMER_ID });
    const all = (store: SandboxStore) => store.collection<Transaction>(COLLECTIONS.transactions).list('my_app');
    expect(all(second)).toEqual(all(first));
    expect(all(third).map((t) => t.amount)).not.toEqual(all(first).map((t) => t.amount));
  });

  it('connects the same customer twice as two entities with different accounts', () => {
    const { store } = storeWithCustomers();
    const one = connectEntity(store, 'my_app', { customerId: CUSTOMER_ID });
    const two = connectEntity(store, 'my_app', { customerId: CUSTOMER_ID });
    expect(two.id).not.toBe(one.id);
    const accounts = store.collection<Account>(COLLECTIONS.accounts).list('my_app');
    expect(new Set(accounts.map((a) => a.account_id)).size).toBe(18);
  });

  it('answers UNKNOWN_CUSTOMER (404) for an unknown customer or another app’s, and changes nothing', () => {
    const { store, events } = storeWithCustomers();
    const before = sizes(store);
    for (const customerId of ['4a1d3c2e-0000-4000-8000-000000000000', OTHER_APPS_CUSTOMER]) {
      expect(() => connectEntity(store, 'my_app', { customerId })).toThrow(
        expect.objectContaining({ status: 'UNKNOWN_CUSTOMER', httpStatus: 404, message: 'The customer_id provided did not match a customer in our records.' }),
      );
    }
    expect(sizes(store)).toEqual(before);
    expect(events).toEqual([]);
  });

  it('answers INVALID_PARAMETERS naming bank_identifier for a bank it cannot connect to, and changes nothing', () => {
    const { store, events } = storeWithCustomers();
    const before = sizes(store);
    expect(() => connectEntity(store, 'my_app', { customerId: CUSTOMER_ID, bankIdentifier: 'ENBD_UAE' })).toThrow(
      expect.objectContaining({ status: 'INVALID_PARAMETERS', httpStatus: 400, message: expect.stringContaining('field: bank_identifier') }),
    );
    expect(sizes(store)).toEqual(before);
    expect(events).toEqual([]);
  });
});

describe('the bank session: expiry and reconnection', () => {
  it('expires into RECONNECT_REQUIRED with a fresh reconnect id, kept while it stays expired', () => {
    const { store, events } = storeWithCustomers();
    const entity = connectEntity(store, 'my_app', { customerId: CUSTOMER_ID });
    const expired = expireSession(store, 'my_app', entity.id);
    expect(expired).toEqual({ entity_id: entity.id, state: 'RECONNECT_REQUIRED', reconnect_id: '00000000-0000-4000-8000-000000000002' });
    expect(sessionOf(store, 'my_app', entity.id)).toEqual(expired);
    expect(expireSession(store, 'my_app', entity.id)).toEqual(expired);
    expect(events.map((e) => e.type)).toEqual(['entity.created']);
  });

  it('reconnects to ACTIVE and publishes entity.reconnected with the reconnect id used', () => {
    const { store, events } = storeWithCustomers();
    const entity = connectEntity(store, 'my_app', { customerId: CUSTOMER_ID });
    const { reconnect_id } = expireSession(store, 'my_app', entity.id);
    expect(reconnect(store, 'my_app', entity.id)).toEqual({ entity_id: entity.id, state: 'ACTIVE', reconnect_id: null });
    expect(sessionOf(store, 'my_app', entity.id).state).toBe('ACTIVE');
    expect(events.map((e) => e.type)).toEqual(['entity.created', 'entity.reconnected']);
    expect(events[1]).toMatchObject({ app: 'my_app', message: 'An entity object has been reconnected.' });
    expect(events[1]!.payload).toMatchObject({ id: entity.id, customer_id: CUSTOMER_ID, app_user_id: 'user-1041', reconnect_id });

    const next = expireSession(store, 'my_app', entity.id);
    expect(next.reconnect_id).not.toBe(reconnect_id);
  });

  it('leaves an active session alone when asked to reconnect it, without a webhook', () => {
    const { store, events } = storeWithCustomers();
    const entity = connectEntity(store, 'my_app', { customerId: CUSTOMER_ID });
    expect(reconnect(store, 'my_app', entity.id).state).toBe('ACTIVE');
    expect(events.map((e) => e.type)).toEqual(['entity.created']);
  });

  it('answers UNKNOWN_ENTITY (404) for an unknown entity, and for another app’s without touching it', () => {
    const { store, events } = storeWithCustomers();
    const entity = connectEntity(store, 'my_app', { customerId: CUSTOMER_ID });
    const unknownEntity = expect.objectContaining({ status: 'UNKNOWN_ENTITY', httpStatus: 404, message: 'The entity_id provided did not match an account in our records.' });
    for (const change of [sessionOf, expireSession, reconnect]) {
      expect(() => change(store, 'my_app', '9d2e4f56-7890-4bcd-8345-fedcba987654')).toThrow(unknownEntity);
      expect(() => change(store, 'other_app', entity.id)).toThrow(unknownEntity);
    }
    expect(sessionOf(store, 'my_app', entity.id).state).toBe('ACTIVE');
    expect(events).toHaveLength(1);
  });
});

describe('the demo seeder', () => {
  const seeded = (seed: number) => {
    const store = testStore({ seed });
    store.addSeeder('demo', seedDemo);
    return store;
  };

  it('gives every app a demo customer connected to the UAE mock bank, with its data and an active session', () => {
    const store = seeded(7);
    for (const app of store.apps) {
      const [customer, ...others] = store.collection<Customer>(COLLECTIONS.customers).list(app);
      expect(others).toEqual([]);
      expect(customer).toMatchObject({ app_user_id: DEMO_APP_USER_ID });
      const [entity, ...more] = store.collection<Entity>(COLLECTIONS.entities).list(app);
      expect(more).toEqual([]);
      expect(entity).toMatchObject({ customer_id: customer!.customer_id, bank_identifier: 'LEAN_OF_RETAIL_UAE' });
      expect(store.collection<Account>(COLLECTIONS.accounts).list(app, (a) => a.entity_id === entity!.id)).toHaveLength(9);
      expect(sessionOf(store, app, entity!.id).state).toBe('ACTIVE');
    }
    const [mine, theirs] = store.apps.map((app) => store.collection<Entity>(COLLECTIONS.entities).list(app)[0]!.id);
    expect(mine).not.toBe(theirs);
  });

  it('draws its ids from the seed: the same seed gives the same ids, another seed other ids, and reset restores them', () => {
    const ids = (store: SandboxStore) => [
      ...store.collection<Customer>(COLLECTIONS.customers).list('my_app').map((c) => c.customer_id),
      ...store.collection<Account>(COLLECTIONS.accounts).list('my_app').map((a) => a.account_id),
    ];
    const store = seeded(7);
    const original = ids(store);
    expect(original[0]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(ids(seeded(7))).toEqual(original);
    expect(ids(seeded(8))).not.toEqual(original);

    const entityId = store.collection<Entity>(COLLECTIONS.entities).list('my_app')[0]!.id;
    expireSession(store, 'my_app', entityId);
    store.reset();
    expect(ids(store)).toEqual(original);
    expect(sessionOf(store, 'my_app', entityId).state).toBe('ACTIVE');
  });

  it('publishes no webhooks: nobody connected anything', () => {
    const store = testStore();
    const events: SandboxEvent[] = [];
    store.on('event', (event) => events.push(event));
    store.addSeeder('demo', seedDemo);
    store.reset();
    expect(events).toEqual([]);
  });
});
