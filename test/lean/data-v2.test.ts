import request from 'supertest';
import { beforeEach, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { createDataRouters } from '../../src/lean/data/index.js';
import {
  AccountSchema,
  BalanceSchema,
  BeneficiarySchema,
  DataErrorSchema,
  DirectDebitSchema,
  IdentitySchema,
  ScheduledPaymentSchema,
  StandingOrderSchema,
  TransactionSchema,
  V2FailedSchema,
  V2PendingSchema,
  V2ReconnectSchema,
  v2DataSchema,
  v2OkSchema,
} from '../../src/lean/data/schemas.js';
import type { SandboxStore } from '../../src/sandbox/store/store.js';
import type { Transaction } from '../../src/sandbox/store/records.js';
import { SANDBOX_NOW, sandboxApp } from '../support/sandbox-app.js';
import {
  A1_BENEFICIARIES,
  A1_DIRECT_DEBIT,
  A1_SCHEDULED_PAYMENT,
  A1_STANDING_ORDER,
  ENTITY_CREATED_AT,
  IDS,
  RECONNECT_ID,
  dataStore,
  expireSession,
  type DataFixture,
} from './data-dataset.js';

let store: SandboxStore;
let fixture: DataFixture;
let app: ReturnType<typeof sandboxApp>;

beforeEach(() => {
  ({ store, fixture } = dataStore());
  app = sandboxApp(createDataRouters({ store, resultDelayMs: 60_000 }));
});

const ENVELOPE_KEYS = ['status', 'results_id', 'message', 'meta', 'timestamp', 'status_detail', 'data', 'type', 'refreshed_at'];
const accountPath = (accountId: string, what: string) => `/data/v2/accounts/${accountId}/${what}`;
const get = (path: string, query: Record<string, string | number> = {}, caller = 'my_app') =>
  request(app).get(path).query({ entity_id: IDS.e1, ...query }).set('x-test-app', caller);

const schemaOf = <Key extends string, Item extends z.ZodType>(type: string, key: Key, item: Item) =>
  v2OkSchema(type, v2DataSchema(type, key, item));
const ids = (transactions: { transaction_id: string }[]) => transactions.map((t) => t.transaction_id);
const day = (t: Transaction) => t.booking_date_time.slice(0, 10);

/** A data error: the status asked for, Lean's envelope with `results_id` first. */
function expectDataError(body: unknown, status: string, message?: RegExp | string) {
  const error = DataErrorSchema.parse(body);
  expect(Object.keys(error)[0]).toBe('results_id');
  expect(error.status).toBe(status);
  if (message) expect(error.message).toMatch(message);
  return error;
}

describe('GET /data/v2/accounts', () => {
  it("answers Lean's envelope with the entity's accounts, field for field and in Lean's order", async () => {
    const res = await get('/data/v2/accounts').expect(200).expect('content-type', /application\/json/);
    const body = schemaOf('accounts', 'accounts', AccountSchema).parse(res.body);
    expect(Object.keys(res.body)).toEqual(ENVELOPE_KEYS);
    expect(Object.keys(res.body.data)).toEqual(['type', 'accounts', 'page']);
    expect(body.data.accounts.map((a) => a.account_id)).toEqual([IDS.a1, IDS.a2]);
    expect(body.data.page).toEqual({ number: 0, size: 50, total_elements: 2, total_pages: 1, sort: null });
    expect(body).toMatchObject({ meta: null, status_detail: null, timestamp: SANDBOX_NOW.toISOString(), refreshed_at: ENTITY_CREATED_AT });
  });

  it('gives every reply a fresh results_id', async () => {
    const first = await get('/data/v2/accounts').expect(200);
    const second = await get('/data/v2/accounts').expect(200);
    expect(first.body.results_id).not.toBe(second.body.results_id);
  });

  it('echoes meta given as a JSON object of strings, and refuses any other meta naming the field', async () => {
    const res = await get('/data/v2/accounts', { meta: '{"foo":"val"}' }).expect(200);
    expect(res.body.meta).toEqual({ foo: 'val' });
    for (const meta of ['not json', '["a"]', '{"n":1}']) {
      const bad = await get('/data/v2/accounts', { meta }).expect(400);
      expectDataError(bad.body, 'INVALID_PARAMETERS', /field: meta/);
    }
  });

  it('answers a missing entity_id with MISSING_PARAMETERS naming it, results_id first', async () => {
    const res = await request(app).get('/data/v2/accounts').expect(400);
    expectDataError(res.body, 'MISSING_PARAMETERS', /entity_id/);
  });

  it('answers a malformed entity_id with INVALID_PARAMETERS naming it', async () => {
    const res = await request(app).get('/data/v2/accounts?entity_id=not-a-uuid').expect(400);
    expectDataError(res.body, 'INVALID_PARAMETERS', /field: entity_id, value: not-a-uuid/);
  });

  it("answers an unknown entity, and another app's entity, with UNKNOWN_ENTITY", async () => {
    const message = 'The entity_id provided did not match an account in our records.';
    const unknown = await get('/data/v2/accounts', { entity_id: '0a000000-0000-4000-8000-000000000000' }).expect(404);
    expectDataError(unknown.body, 'UNKNOWN_ENTITY', message);
    const foreign = await get('/data/v2/accounts', { entity_id: IDS.e2 }).expect(404);
    expect(foreign.body).toEqual({ ...unknown.body, results_id: foreign.body.results_id });
    const owner = await get('/data/v2/accounts', { entity_id: IDS.e2 }, 'other_app').expect(200);
    expect(owner.body.data.accounts.map((a: { account_id: string }) => a.account_id)).toEqual([IDS.a3]);
    await get('/data/v2/accounts', {}, 'other_app').expect(404);
  });

  it('pages with page and size: size 1, and an empty page past the end', async () => {
    const second = await get('/data/v2/accounts', { page: 1, size: 1 }).expect(200);
    expect(second.body.data.accounts.map((a: { account_id: string }) => a.account_id)).toEqual([IDS.a2]);
    expect(second.body.data.page).toEqual({ number: 1, size: 1, total_elements: 2, total_pages: 2, sort: null });
    const past = await get('/data/v2/accounts', { page: 5, size: 1 }).expect(200);
    expect(past.body.data.accounts).toEqual([]);
    expect(past.body.data.page).toEqual({ number: 5, size: 1, total_elements: 2, total_pages: 2, sort: null });
  });

  it('refuses a page or size out of range naming the field', async () => {
    for (const [field, value] of [['page', -1], ['page', 'x'], ['size', 0], ['size', 101], ['size', 1.5], ['async', 'maybe']] as const) {
      const res = await get('/data/v2/accounts', { [field]: value }).expect(400);
      expectDataError(res.body, 'INVALID_PARAMETERS', new RegExp(`field: ${field}, value: ${value}`));
    }
  });

  it('accepts the trailing slash, and answers another method with INVALID_HTTP_METHOD', async () => {
    await request(app).get(`/data/v2/accounts/?entity_id=${IDS.e1}`).expect(200);
    const res = await request(app).post('/data/v2/accounts').send({ entity_id: IDS.e1 }).expect(405);
    expectDataError(res.body, 'INVALID_HTTP_METHOD');
  });
});

describe('GET /data/v2/accounts/{account_id}/balances', () => {
  it("lists the account's balances", async () => {
    const res = await get(accountPath(IDS.a1, 'balances')).expect(200);
    const body = schemaOf('balances', 'balances', BalanceSchema).parse(res.body);
    expect(Object.keys(res.body.data)).toEqual(['type', 'balances', 'page']);
    expect(body.data.balances.map((b) => b.type)).toEqual(['EXPECTED', 'CLOSING_AVAILABLE']);
    expect(body.data.balances[1]!.amount).toEqual({ currency: 'AED', amount: fixture.a1Closing / 100 });
    const card = await get(accountPath(IDS.a2, 'balances')).expect(200);
    expect(card.body.data.balances[0].credit_line).toEqual([{ included: true, amount: { currency: 'AED', amount: 20000 }, type: 'AVAILABLE' }]);
  });

  it("answers an unknown account, another entity's and another app's with UNKNOWN_ACCOUNT", async () => {
    const message = 'The account_id provided does not match an account with the entity_id provided.';
    for (const accountId of ['0a000000-0000-4000-8000-00000000000a', IDS.a4, IDS.a3]) {
      const res = await get(accountPath(accountId, 'balances')).expect(404);
      expectDataError(res.body, 'UNKNOWN_ACCOUNT', message);
    }
  });

  it('checks the entity before the account, and all input before either', async () => {
    const res = await get(accountPath('0a000000-0000-4000-8000-00000000000a', 'balances'), { entity_id: IDS.e2 }).expect(404);
    expectDataError(res.body, 'UNKNOWN_ENTITY');
    const malformed = await get(accountPath('nope', 'balances'), { entity_id: IDS.e2 }).expect(400);
    expectDataError(malformed.body, 'INVALID_PARAMETERS', /field: account_id, value: nope/);
  });
});

describe('GET /data/v2/accounts/{account_id}/transactions', () => {
  it('lists the newest 50 first, every field in Lean’s shape', async () => {
    const res = await get(accountPath(IDS.a1, 'transactions')).expect(200);
    const body = schemaOf('transactions', 'transactions', TransactionSchema).parse(res.body);
    expect(Object.keys(res.body.data)).toEqual(['type', 'transactions', 'page']);
    expect(body.data.page).toEqual({ number: 0, size: 50, total_elements: 80, total_pages: 2, sort: null });
    expect(ids(body.data.transactions)).toEqual(ids(fixture.a1Transactions.slice(0, 50)));
    // The stored record, with Lean's further fields read off it (transaction-view.ts).
    expect(body.data.transactions[0]).toMatchObject({ ...fixture.a1Transactions[0], regional_data: null, currency_exchange: null, flags: [] });
    expect(body.data.transactions[0]!.statement_reference).toEqual([fixture.a1Transactions[0]!.transaction_reference]);
  });

  it('walks every page into the whole statement, each balance following from the one before', async () => {
    const all: Transaction[] = [];
    for (let page = 0; page < 4; page++) {
      const res = await get(accountPath(IDS.a1, 'transactions'), { page, size: 30 }).expect(200);
      all.push(...res.body.data.transactions);
    }
    expect(ids(all)).toEqual(ids(fixture.a1Transactions));
    const signed = (m: { credit_debit_indicator: string; amount: { amount: number } }) =>
      (m.credit_debit_indicator === 'DEBIT' ? -1 : 1) * m.amount.amount;
    for (let i = 0; i + 1 < all.length; i++) {
      const [newer, older] = [all[i]!, all[i + 1]!];
      expect(newer.booking_date_time >= older.booking_date_time).toBe(true);
      expect(signed(newer.balance)).toBeCloseTo(signed(older.balance) + signed(newer), 2);
    }
    expect(signed(all[0]!.balance)).toBeCloseTo(fixture.a1Closing / 100, 2);
  });

  it('filters on the booking date with inclusive bounds', async () => {
    const first = day(fixture.a1Transactions[10]!);
    const last = day(fixture.a1Transactions[3]!);
    const expected = fixture.a1Transactions.filter((t) => day(t) >= first && day(t) <= last);
    expect(expected.length).toBeGreaterThanOrEqual(8);
    const res = await get(accountPath(IDS.a1, 'transactions'), { start_date: first, end_date: last }).expect(200);
    expect(ids(res.body.data.transactions)).toEqual(ids(expected));
    expect(res.body.data.page.total_elements).toBe(expected.length);

    const oneDay = await get(accountPath(IDS.a1, 'transactions'), { start_date: first, end_date: first }).expect(200);
    expect(oneDay.body.data.transactions).toHaveLength(2);
  });

  it('takes either bound alone', async () => {
    const pivot = day(fixture.a2Transactions[20]!);
    const since = await get(accountPath(IDS.a2, 'transactions'), { start_date: pivot }).expect(200);
    expect(since.body.data.page.total_elements).toBe(21);
    const until = await get(accountPath(IDS.a2, 'transactions'), { end_date: pivot }).expect(200);
    expect(until.body.data.page.total_elements).toBe(20);
  });

  it('refuses a start after the end, and malformed dates, naming the field', async () => {
    const backwards = await get(accountPath(IDS.a1, 'transactions'), { start_date: '2026-02-02', end_date: '2026-02-01' }).expect(400);
    expectDataError(backwards.body, 'INVALID_PARAMETERS', /field: start_date, value: 2026-02-02/);
    for (const [field, value] of [['start_date', '2026-02-30'], ['end_date', '2026-2-1'], ['end_date', 'yesterday']]) {
      const res = await get(accountPath(IDS.a1, 'transactions'), { [field!]: value! }).expect(400);
      expectDataError(res.body, 'INVALID_PARAMETERS', new RegExp(`field: ${field}, value: ${value}`));
    }
  });

  it('answers FAILED with USER_PERMISSIONS_NOT_GRANTED, HTTP 200, when the user withheld the permission', async () => {
    const res = await get(accountPath(IDS.a4, 'transactions'), { entity_id: IDS.e3 }).expect(200);
    const body = V2FailedSchema.parse(res.body);
    expect(body.status_detail.granular_status_code).toBe('USER_PERMISSIONS_NOT_GRANTED');
    await get(accountPath(IDS.a4, 'balances'), { entity_id: IDS.e3 }).expect(200, /"status":"OK"/);
  });
});

describe('the identity and the account lists', () => {
  it("GET /data/v2/identity answers the entity's own identity", async () => {
    const res = await get('/data/v2/identity').expect(200);
    const body = schemaOf('identity', 'identities', IdentitySchema).parse(res.body);
    expect(Object.keys(res.body.data)).toEqual(['type', 'account_id', 'identities', 'page']);
    expect(res.body.data.account_id).toBeNull();
    expect(body.data.identities.map((i) => i.name)).toEqual(['Mohammed']);
    expect(body.data.identities[0]!.national_id).toBe('784198812345678');
  });

  it("GET …/identities answers every party of the account, under the account's id", async () => {
    const res = await get(accountPath(IDS.a1, 'identities')).expect(200);
    const body = schemaOf('identities', 'identities', IdentitySchema).parse(res.body);
    expect(Object.keys(res.body.data)).toEqual(['account_id', 'identities', 'page', 'type']);
    expect(res.body.data.account_id).toBe(IDS.a1);
    expect(body.data.identities.map((i) => [i.name, i.party_type])).toEqual([['Mohammed', 'SOLE'], ['Aisha', 'JOINT']]);
    const card = await get(accountPath(IDS.a2, 'identities')).expect(200);
    expect(card.body.data.identities.map((i: { name: string }) => i.name)).toEqual(['Mohammed']);
  });

  it('GET …/beneficiaries lists them, and an empty page for an account with none', async () => {
    const res = await get(accountPath(IDS.a1, 'beneficiaries')).expect(200);
    const body = schemaOf('beneficiaries', 'beneficiaries', BeneficiarySchema).parse(res.body);
    expect(Object.keys(res.body.data)).toEqual(['type', 'beneficiaries', 'page']);
    expect(body.data.beneficiaries).toMatchObject(A1_BENEFICIARIES);
    expect(body.data.beneficiaries.map((b) => [b.supplementary_data, b.regional_data])).toEqual(A1_BENEFICIARIES.map(() => [null, null]));
    const none = await get(accountPath(IDS.a2, 'beneficiaries')).expect(200);
    const emptyPage = { number: 0, size: 50, total_elements: 0, total_pages: 0, sort: null };
    expect(none.body.data).toEqual({ type: 'beneficiaries', beneficiaries: [], page: emptyPage });
  });

  it('GET …/direct-debits, …/scheduled-payments and …/standing-orders, each in its own layout', async () => {
    const debits = await get(accountPath(IDS.a1, 'direct-debits')).expect(200);
    expect(schemaOf('direct-debits', 'direct_debits', DirectDebitSchema).parse(debits.body).data.direct_debits).toEqual([{ ...A1_DIRECT_DEBIT, regional_data: null }]);
    expect(Object.keys(debits.body.data)).toEqual(['direct_debits', 'page', 'type']);

    const scheduled = await get(accountPath(IDS.a1, 'scheduled-payments')).expect(200);
    const scheduledBody = schemaOf('scheduled-payments', 'scheduled_payments', ScheduledPaymentSchema).parse(scheduled.body);
    expect(scheduledBody.data.scheduled_payments).toMatchObject([{ ...A1_SCHEDULED_PAYMENT, reference: null, regional_data: null }]);
    expect(Object.keys(scheduled.body.data)).toEqual(['type', 'page', 'scheduled_payments']);

    const orders = await get(accountPath(IDS.a1, 'standing-orders')).expect(200);
    const ordersBody = schemaOf('standing-orders', 'standing_orders', StandingOrderSchema).parse(orders.body);
    expect(ordersBody.data.standing_orders).toMatchObject([{ ...A1_STANDING_ORDER, regional_data: null }]);
    expect(Object.keys(orders.body.data)).toEqual(['standing_orders', 'page', 'type']);
    for (const what of ['direct-debits', 'scheduled-payments', 'standing-orders']) {
      const empty = await get(accountPath(IDS.a2, what)).expect(200);
      expect(empty.body.data.page.total_elements).toBe(0);
    }
  });
});

describe('an entity whose bank session needs the user again', () => {
  const everyCall = [
    '/data/v2/accounts',
    '/data/v2/identity',
    ...['balances', 'transactions', 'identities', 'beneficiaries', 'direct-debits', 'scheduled-payments', 'standing-orders'].map((what) =>
      accountPath(IDS.a1, what),
    ),
  ];

  it('answers every data call with RECONNECT_REQUIRED, HTTP 200, the reconnect id as results_id', async () => {
    expireSession(store, 'my_app', IDS.e1);
    for (const path of everyCall) {
      const res = await get(path).expect(200);
      const body = V2ReconnectSchema.parse(res.body);
      expect(body.results_id).toBe(RECONNECT_ID);
    }
  });

  it('answers RECONNECT_REQUIRED even to async=true, and still checks the account first', async () => {
    expireSession(store, 'my_app', IDS.e1);
    const res = await get('/data/v2/accounts', { async: 'true' }).expect(200);
    V2ReconnectSchema.parse(res.body);
    await get(accountPath(IDS.a4, 'balances')).expect(404);
  });

  it("leaves the app's other entities alone, and answers OK again once the session is back", async () => {
    expireSession(store, 'my_app', IDS.e1);
    await get('/data/v2/accounts', { entity_id: IDS.e3 }).expect(200, /"status":"OK"/);
    store.collection('entity_sessions').set('my_app', IDS.e1, { entity_id: IDS.e1, state: 'ACTIVE', reconnect_id: null });
    await get('/data/v2/accounts').expect(200, /"status":"OK"/);
  });
});

describe('a synchronous reply', () => {
  it('is not a results id GET /data/v2/results knows', async () => {
    const res = await get('/data/v2/accounts').expect(200);
    const later = await request(app).get(`/data/v2/results/${res.body.results_id}`).expect(404);
    expectDataError(later.body, 'UNKNOWN_RESULTS_ID');
    expect(V2PendingSchema.safeParse(res.body).success).toBe(false);
  });
});
