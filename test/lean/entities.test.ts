import request from 'supertest';
import { beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createCustomersRouter } from '../../src/lean/customers/router.js';
import { createEntitiesRouter } from '../../src/lean/entities/router.js';
import { DeleteEntityReplySchema, EntitiesSchema, EntityPageSchema, EntitySchema } from '../../src/lean/entities/schemas.js';
import { createCustomer } from '../../src/sandbox/customers.js';
import type { SandboxEvent, SandboxStore } from '../../src/sandbox/store/store.js';
import { COLLECTIONS, type Account, type Balance, type Entity, type Identity, type Transaction } from '../../src/sandbox/store/records.js';
import { SANDBOX_NOW, sandboxApp, testStore } from '../support/sandbox-app.js';

const ErrorSchema = z.strictObject({
  timestamp: z.literal(SANDBOX_NOW.toISOString()),
  status: z.string(),
  message: z.string(),
  metadata: z.record(z.string(), z.unknown()).nullable(),
});

const UNKNOWN_ID = '4f1c2d3e-0000-4000-8000-00000000abcd';
const UNKNOWN_ENTITY_MESSAGE = /^The entity_id provided did not match an account in our records\.$/;
const ALL_PERMISSIONS = {
  identity: true,
  accounts: true,
  balance: true,
  transactions: true,
  identities: false,
  scheduled_payments: false,
  standing_orders: false,
  direct_debits: false,
  beneficiaries: false,
};

let store: SandboxStore;
let app: ReturnType<typeof sandboxApp>;
let alice: string;
let bob: string;
let events: SandboxEvent[];
beforeEach(() => {
  store = testStore();
  app = sandboxApp([createCustomersRouter({ store }), createEntitiesRouter({ store })]);
  alice = createCustomer(store, 'my_app', { app_user_id: 'alice' }).customer_id;
  bob = createCustomer(store, 'my_app', { app_user_id: 'bob' }).customer_id;
  events = [];
  store.on('event', (event) => events.push(event));
});

/** Stands in for the LinkSDK connect flow: the entity record another product creates. */
function connect(customerId: string, overrides: Partial<Entity> = {}, app = 'my_app'): Entity {
  const entity: Entity = {
    id: store.newId(),
    customer_id: customerId,
    bank_identifier: 'LEAN_OF_RETAIL_UAE',
    permissions: { ...ALL_PERMISSIONS },
    bank_type: 'RETAIL',
    created_at: '2026-03-10T12:00:00.000Z',
    consents: [],
    ...overrides,
  };
  return store.collection<Entity>(COLLECTIONS.entities).set(app, entity.id, entity);
}

async function expectError(res: request.Response, http: number, status: string, message?: RegExp): Promise<void> {
  expect(res.status).toBe(http);
  const body = ErrorSchema.parse(res.body);
  expect(body.status).toBe(status);
  if (message) expect(body.message).toMatch(message);
}

const entityIds = () => store.collection<Entity>(COLLECTIONS.entities).list('my_app').map((e) => e.id);

describe('GET /customers/v1/{customer_id}/entities', () => {
  it('lists the customer’s entities as a bare array, oldest first, and no one else’s', async () => {
    const first = connect(alice);
    connect(bob);
    const second = connect(alice, { bank_identifier: 'LEAN_SME_MB1_UAE', bank_type: 'SME' });
    const res = await request(app).get(`/customers/v1/${alice}/entities`).expect(200);
    expect(EntitiesSchema.parse(res.body)).toEqual([first, second]);
  });

  it('answers an empty array for a customer without entities, with or without the trailing slash', async () => {
    expect((await request(app).get(`/customers/v1/${alice}/entities/`).expect(200)).body).toEqual([]);
  });

  it('carries the consents through in Lean’s shape', async () => {
    const consent = {
      id: '886c65d1-ce6c-469d-a57f-195cba4bbafc',
      bank_consent_id: 'b5f06361-6bd1-4bff-af79-c594312881dc',
      bank_identifier: null,
      consent_type: 'ACCOUNT_ACCESS',
      consent_status: 'ACTIVE',
      standard_consent_status: 'AUTHORISED',
      permissions: ALL_PERMISSIONS,
      creation_date_time: '2026-01-12T15:05:46Z',
      status_update_date_time: '2026-01-12T15:05:46Z',
      expiration_date_time: '2027-01-12T15:05:45.169Z',
      transaction_from_date_time: null,
      transaction_to_date_time: null,
      accounts: [{ scheme_name: 'IBAN', identification: 'AE070331234567890123456', name: 'Lean Bank Account', secondary_identification: null }],
    };
    connect(alice, { consents: [consent] });
    const res = await request(app).get(`/customers/v1/${alice}/entities`).expect(200);
    expect(EntitiesSchema.parse(res.body)[0]?.consents).toEqual([consent]);
  });

  it('answers 404 UNKNOWN_CUSTOMER for an unknown customer and for another app’s', async () => {
    const theirs = createCustomer(store, 'other_app', { app_user_id: 'alice' }).customer_id;
    connect(theirs, {}, 'other_app');
    await expectError(await request(app).get(`/customers/v1/${UNKNOWN_ID}/entities`), 404, 'UNKNOWN_CUSTOMER');
    await expectError(await request(app).get(`/customers/v1/${theirs}/entities`), 404, 'UNKNOWN_CUSTOMER');
  });

  it('refuses a malformed customer_id with 400 naming it', async () => {
    await expectError(await request(app).get('/customers/v1/abc/entities'), 400, 'INVALID_PARAMETERS', /field: customer_id, value: abc/);
  });
});

describe('GET /customers/v1/{customer_id}/entities/{entity_id}', () => {
  it('returns exactly Lean’s Entity fields', async () => {
    const entity = connect(alice);
    // A record may carry bookkeeping of its own product; the reply never shows it.
    Object.assign(entity, { session_state: 'ACTIVE' });
    const res = await request(app).get(`/customers/v1/${alice}/entities/${entity.id}`).expect(200);
    const { session_state: _hidden, ...lean } = entity as Entity & { session_state: string };
    expect(EntitySchema.parse(res.body)).toEqual(lean);
  });

  it('answers 404 UNKNOWN_ENTITY for an unknown entity and for another customer’s, alike', async () => {
    const bobs = connect(bob);
    const unknown = await request(app).get(`/customers/v1/${alice}/entities/${UNKNOWN_ID}`);
    await expectError(unknown, 404, 'UNKNOWN_ENTITY', UNKNOWN_ENTITY_MESSAGE);
    const foreign = await request(app).get(`/customers/v1/${alice}/entities/${bobs.id}`);
    expect(foreign.status).toBe(404);
    expect(foreign.body).toEqual(unknown.body);
  });

  it('answers 404 UNKNOWN_CUSTOMER when the customer is unknown to the calling app', async () => {
    const entity = connect(alice);
    const res = await request(app).get(`/customers/v1/${alice}/entities/${entity.id}`).set('x-test-app', 'other_app');
    await expectError(res, 404, 'UNKNOWN_CUSTOMER');
  });

  it('refuses a malformed entity_id with 400 naming it', async () => {
    await expectError(await request(app).get(`/customers/v1/${alice}/entities/xyz`), 400, 'INVALID_PARAMETERS', /field: entity_id/);
  });

  it('answers 405 for a method the path does not serve', async () => {
    const entity = connect(alice);
    await expectError(await request(app).put(`/customers/v1/${alice}/entities/${entity.id}`), 405, 'INVALID_HTTP_METHOD');
    await expectError(await request(app).post(`/customers/v1/${alice}/entities`), 405, 'INVALID_HTTP_METHOD');
  });
});

describe('DELETE /customers/v1/{customer_id}/entities/{entity_id}', () => {
  /** Bank data fetched through an entity, as the data products store it. */
  function fetchData(entity: Entity, accountId: string): void {
    store.collection<Account>(COLLECTIONS.accounts).set('my_app', accountId, { entity_id: entity.id, account_id: accountId } as Account);
    store.collection<Balance>(COLLECTIONS.balances).set('my_app', accountId, { account_id: accountId } as Balance);
    const transactionId = `${accountId}-t1`;
    store
      .collection<Transaction>(COLLECTIONS.transactions)
      .set('my_app', transactionId, { entity_id: entity.id, account_id: accountId, transaction_id: transactionId } as Transaction);
    store.collection<Identity>(COLLECTIONS.identities).set('my_app', entity.id, { entity_id: entity.id } as Identity);
  }
  const remaining = (name: string) => store.collection<Record<string, unknown>>(name).list('my_app');

  it('deletes the entity with reason USER_REQUESTED, answers {} and publishes no webhook', async () => {
    const entity = connect(alice);
    const kept = connect(alice);
    const res = await request(app).delete(`/customers/v1/${alice}/entities/${entity.id}`).send({ reason: 'USER_REQUESTED' }).expect(200);
    expect(DeleteEntityReplySchema.parse(res.body)).toEqual({});
    expect(entityIds()).toEqual([kept.id]);
    await expectError(await request(app).get(`/customers/v1/${alice}/entities/${entity.id}`), 404, 'UNKNOWN_ENTITY');
    expect((await request(app).get(`/customers/v1/${alice}/entities`).expect(200)).body).toEqual([kept]);
    expect(events).toEqual([]);
  });

  it('removes the accounts, balances, transactions and identities of that entity only', async () => {
    const entity = connect(alice);
    const other = connect(bob);
    fetchData(entity, 'acc-deleted');
    fetchData(other, 'acc-kept');
    await request(app).delete(`/customers/v1/${alice}/entities/${entity.id}/`).send({ reason: 'USER_REQUESTED' }).expect(200);
    expect(remaining(COLLECTIONS.accounts)).toEqual([{ entity_id: other.id, account_id: 'acc-kept' }]);
    expect(remaining(COLLECTIONS.balances)).toEqual([{ account_id: 'acc-kept' }]);
    expect(remaining(COLLECTIONS.transactions).map((t) => t.transaction_id)).toEqual(['acc-kept-t1']);
    expect(remaining(COLLECTIONS.identities)).toEqual([{ entity_id: other.id }]);
  });

  it('takes the reason from the query string too, and a null reason as Lean’s schema allows', async () => {
    const first = connect(alice);
    const second = connect(alice);
    await request(app).delete(`/customers/v1/${alice}/entities/${first.id}?reason=USER_REQUESTED`).expect(200);
    await request(app).delete(`/customers/v1/${alice}/entities/${second.id}`).send({ reason: null }).expect(200);
    expect(entityIds()).toEqual([]);
  });

  it.each([
    ['without a reason', undefined, 'MISSING_PARAMETERS', 'reason'],
    ['with an empty body', {}, 'MISSING_PARAMETERS', 'reason'],
    ['with another reason', { reason: 'FRAUD' }, 'INVALID_PARAMETERS', 'reason'],
    ['with the reason in lower case', { reason: 'user_requested' }, 'INVALID_PARAMETERS', 'reason'],
    ['with a list as body', ['USER_REQUESTED'], 'INVALID_PARAMETERS', 'body'],
  ])('refuses a deletion %s with 400 naming the field, deleting nothing', async (_case, body, status, field) => {
    const entity = connect(alice);
    fetchData(entity, 'acc');
    const res = await request(app).delete(`/customers/v1/${alice}/entities/${entity.id}`).send(body as object);
    await expectError(res, 400, status, new RegExp(`field: ${field}`));
    expect(entityIds()).toEqual([entity.id]);
    expect(remaining(COLLECTIONS.accounts)).toHaveLength(1);
  });

  it('answers 404 UNKNOWN_ENTITY for another customer’s entity and leaves it in place', async () => {
    const bobs = connect(bob);
    const res = await request(app).delete(`/customers/v1/${alice}/entities/${bobs.id}`).send({ reason: 'USER_REQUESTED' });
    await expectError(res, 404, 'UNKNOWN_ENTITY', UNKNOWN_ENTITY_MESSAGE);
    expect(entityIds()).toEqual([bobs.id]);
  });

  it('answers 404 for an entity deleted already', async () => {
    const entity = connect(alice);
    const path = `/customers/v1/${alice}/entities/${entity.id}`;
    await request(app).delete(path).send({ reason: 'USER_REQUESTED' }).expect(200);
    await expectError(await request(app).delete(path).send({ reason: 'USER_REQUESTED' }), 404, 'UNKNOWN_ENTITY');
  });

  it('does not let another app delete the entity', async () => {
    const entity = connect(alice);
    const res = await request(app)
      .delete(`/customers/v1/${alice}/entities/${entity.id}`)
      .set('x-test-app', 'other_app')
      .send({ reason: 'USER_REQUESTED' });
    await expectError(res, 404, 'UNKNOWN_CUSTOMER');
    expect(entityIds()).toEqual([entity.id]);
  });
});

describe('GET /customers/v1/entities (by creation date, pagination style B)', () => {
  const RANGE = 'start_date=2026-03-01&end_date=2026-03-10';

  it('lists the app’s entities created within the dates, both days included, with status and updated_at', async () => {
    connect(alice, { created_at: '2026-02-28T23:59:59.999Z' });
    const onFirstDay = connect(alice, { created_at: '2026-03-01T00:00:00.000Z' });
    const onLastDay = connect(bob, { created_at: '2026-03-10T23:59:59.999Z' });
    connect(alice, { created_at: '2026-03-11T00:00:00.000Z' });
    const res = await request(app).get(`/customers/v1/entities?${RANGE}`).expect(200);
    const body = EntityPageSchema.parse(res.body);
    expect(body.data).toEqual([
      { ...onFirstDay, status: 'ACTIVE', updated_at: onFirstDay.created_at },
      { ...onLastDay, status: 'ACTIVE', updated_at: onLastDay.created_at },
    ]);
    expect(body.page).toEqual({ number: 0, size: 100, total_elements: 2, total_pages: 1, sort: null });
  });

  it('orders by creation time, not by insertion', async () => {
    const later = connect(alice, { created_at: '2026-03-05T10:00:00.000Z' });
    const earlier = connect(bob, { created_at: '2026-03-02T10:00:00.000Z' });
    const res = await request(app).get(`/customers/v1/entities/?${RANGE}`).expect(200);
    expect(EntityPageSchema.parse(res.body).data.map((e) => e.id)).toEqual([earlier.id, later.id]);
  });

  it('keeps a deleted entity in the listing, as DELETED, updated when it was deleted', async () => {
    const entity = connect(alice);
    await request(app).delete(`/customers/v1/${alice}/entities/${entity.id}`).send({ reason: 'USER_REQUESTED' }).expect(200);
    const res = await request(app).get(`/customers/v1/entities?${RANGE}`).expect(200);
    expect(EntityPageSchema.parse(res.body).data).toEqual([{ ...entity, status: 'DELETED', updated_at: SANDBOX_NOW.toISOString() }]);
  });

  it('accepts a single day (start equal to end) up to today', async () => {
    const today = connect(alice, { created_at: '2026-03-15T08:00:00.000Z' });
    const res = await request(app).get('/customers/v1/entities?start_date=2026-03-15&end_date=2026-03-15').expect(200);
    expect(EntityPageSchema.parse(res.body).data.map((e) => e.id)).toEqual([today.id]);
  });

  it('pages with page_size 1 and answers an empty page past the end', async () => {
    const ids = [connect(alice).id, connect(bob).id, connect(alice).id];
    const second = await request(app).get(`/customers/v1/entities?${RANGE}&page_number=1&page_size=1`).expect(200);
    expect(EntityPageSchema.parse(second.body)).toMatchObject({ page: { number: 1, size: 1, total_elements: 3, total_pages: 3, sort: null } });
    expect(second.body.data.map((e: Entity) => e.id)).toEqual([ids[1]]);
    const past = await request(app).get(`/customers/v1/entities?${RANGE}&page_number=3&page_size=1`).expect(200);
    expect(EntityPageSchema.parse(past.body)).toEqual({ data: [], page: { number: 3, size: 1, total_elements: 3, total_pages: 3, sort: null } });
  });

  it('shows each app only its own entities', async () => {
    connect(alice);
    const theirs = createCustomer(store, 'other_app', { app_user_id: 'carol' }).customer_id;
    const carols = connect(theirs, {}, 'other_app');
    const res = await request(app).get(`/customers/v1/entities?${RANGE}`).set('x-test-app', 'other_app').expect(200);
    expect(EntityPageSchema.parse(res.body).data.map((e) => e.id)).toEqual([carols.id]);
  });

  it.each([
    ['end_date=2026-03-10', 'MISSING_PARAMETERS', 'start_date'],
    ['start_date=2026-03-01', 'MISSING_PARAMETERS', 'end_date'],
    ['start_date=2026-02-30&end_date=2026-03-10', 'INVALID_PARAMETERS', 'start_date'],
    ['start_date=2026-3-1&end_date=2026-03-10', 'INVALID_PARAMETERS', 'start_date'],
    ['start_date=2026-03-01&end_date=10/03/2026', 'INVALID_PARAMETERS', 'end_date'],
    ['start_date=2026-03-10&end_date=2026-03-01', 'INVALID_PARAMETERS', 'end_date'],
    ['start_date=2026-03-16&end_date=2026-03-16', 'INVALID_PARAMETERS', 'start_date'],
    ['start_date=2026-03-01&end_date=2026-03-16', 'INVALID_PARAMETERS', 'end_date'],
    [`${RANGE}&page_size=101`, 'INVALID_PARAMETERS', 'page_size'],
    [`${RANGE}&page_size=0`, 'INVALID_PARAMETERS', 'page_size'],
    [`${RANGE}&page_number=-1`, 'INVALID_PARAMETERS', 'page_number'],
  ])('refuses ?%s with 400 naming the field', async (query, status, field) => {
    const res = await request(app).get(`/customers/v1/entities?${query}`);
    await expectError(res, 400, status, new RegExp(`field: ${field}`));
    expect(res.body).toMatchObject({ metadata: null, message: expect.stringContaining(`field: ${field}`) });
  });

  it('is reached whichever order the customers and entities routers are mounted in', async () => {
    connect(alice);
    const reversed = sandboxApp([createEntitiesRouter({ store }), createCustomersRouter({ store })]);
    for (const server of [app, reversed]) {
      const res = await request(server).get(`/customers/v1/entities?${RANGE}`).expect(200);
      expect(EntityPageSchema.parse(res.body).page.total_elements).toBe(1);
      await expectError(await request(server).post('/customers/v1/entities'), 405, 'INVALID_HTTP_METHOD');
    }
  });
});
