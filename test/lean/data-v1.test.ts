import { once } from 'node:events';
import request from 'supertest';
import { beforeEach, describe, expect, it } from 'vitest';
import { createDataRouters } from '../../src/lean/data/index.js';
import {
  DataErrorSchema,
  V1AccountsPayloadSchema,
  V1BalancePayloadSchema,
  V1FailedSchema,
  V1IdentityPayloadSchema,
  V1PendingSchema,
  V1ReconnectSchema,
  V1TransactionsPayloadSchema,
  v1OkSchema,
} from '../../src/lean/data/schemas.js';
import type { SandboxStore } from '../../src/sandbox/store/store.js';
import { SANDBOX_NOW, sandboxApp } from '../support/sandbox-app.js';
import { IDS, RECONNECT_ID, dataStore, expireSession, type DataFixture } from './data-dataset.js';

let store: SandboxStore;
let fixture: DataFixture;
let app: ReturnType<typeof sandboxApp>;

beforeEach(() => {
  ({ store, fixture } = dataStore());
  app = sandboxApp(createDataRouters({ store, resultDelayMs: 0 }));
});

const V1_KEYS = ['status', 'payload', 'results_id', 'message', 'timestamp', 'meta'];
const post = (path: string, body: object, caller = 'my_app') => request(app).post(path).set('x-test-app', caller).send(body);

function expectDataError(body: unknown, status: string, message?: RegExp | string) {
  const error = DataErrorSchema.parse(body);
  expect(Object.keys(error)[0]).toBe('results_id');
  expect(error.status).toBe(status);
  if (message) expect(error.message).toMatch(message);
}

describe.each(['/data/v1', '/v1'])('the v1 data API under %s', (prefix) => {
  it('POST …/accounts lists the accounts with IBAN, account number and, for a card, its credit', async () => {
    const res = await post(`${prefix}/accounts`, { entity_id: IDS.e1 }).expect(200);
    const body = v1OkSchema(V1AccountsPayloadSchema).parse(res.body);
    expect(Object.keys(res.body)).toEqual(V1_KEYS);
    expect(body.timestamp).toBe(SANDBOX_NOW.toISOString());
    expect(body.payload.accounts).toEqual([
      {
        account_id: IDS.a1,
        name: 'CURRENT account',
        currency_code: 'AED',
        type: 'CURRENT',
        iban: 'AE070331234567890123456',
        account_number: '0331234567890123456',
        credit: null,
      },
      {
        account_id: IDS.a2,
        name: 'CREDIT account',
        currency_code: 'AED',
        type: 'CREDIT',
        iban: 'AE230331987654321098765',
        account_number: '0331987654321098765',
        credit: { card_number_last_four: '4242', limit: 20000 },
      },
    ]);
  });

  it('POST …/identity answers the holder, the address as one line', async () => {
    const res = await post(`${prefix}/identity`, { entity_id: IDS.e1, async: false }).expect(200);
    const body = v1OkSchema(V1IdentityPayloadSchema).parse(res.body);
    expect(body.payload).toEqual({
      type: 'identity',
      full_name: 'Mohammed Al-Maktoum',
      mobile_number: '+971501234567',
      gender: 'MALE',
      birth_date: '1988-04-02',
      email_address: 'mohammed@example.com',
      address: 'Villa 8, Jumeirah, Dubai, AE',
      national_identity_number: '784198812345678',
    });
  });

  it('POST …/balance answers the closing available balance as one signed amount', async () => {
    const current = await post(`${prefix}/balance`, { entity_id: IDS.e1, account_id: IDS.a1 }).expect(200);
    expect(v1OkSchema(V1BalancePayloadSchema).parse(current.body).payload).toEqual({
      type: 'balance',
      balance: fixture.a1Closing / 100,
      currency_code: 'AED',
      account_id: IDS.a1,
      account_name: 'CURRENT account',
      account_type: 'CURRENT',
    });
    const card = await post(`${prefix}/balance`, { entity_id: IDS.e1, account_id: IDS.a2 }).expect(200);
    expect(card.body.payload.balance).toBe(fixture.a2Closing / 100);
    expect(fixture.a2Closing).toBeLessThan(0);
  });

  it('POST …/transactions answers signed amounts, newest first, indexed within each day', async () => {
    const res = await post(`${prefix}/transactions`, { entity_id: IDS.e1, account_id: IDS.a1 }).expect(200);
    const { payload } = v1OkSchema(V1TransactionsPayloadSchema).parse(res.body);
    expect(payload.transactions.map((t) => t.id)).toEqual(fixture.a1Transactions.map((t) => t.transaction_id));
    const [newest, sameDay] = [payload.transactions[0]!, payload.transactions[1]!];
    const source = fixture.a1Transactions[0]!;
    expect(newest).toEqual({
      id: source.transaction_id,
      description: source.transaction_information,
      amount: (source.credit_debit_indicator === 'DEBIT' ? -1 : 1) * source.amount.amount,
      currency_code: 'AED',
      index: 0,
      pending: true,
      timestamp: source.booking_date_time,
      running_balance: fixture.a1Closing / 100,
      transaction_reference: source.transaction_reference,
      value_timestamp: source.value_date_time,
      transaction_timestamp: source.booking_date_time,
    });
    expect(sameDay).toMatchObject({ index: 1, pending: false });
    expect(payload.transactions[2]!.index).toBe(0);
    const debit = payload.transactions.find((t) => t.description.startsWith('CARREFOUR'))!;
    expect(debit.amount).toBeLessThan(0);
  });

  it('POST …/transactions filters by start_date and end_date and adds insights only when asked', async () => {
    const day = fixture.a1Transactions[4]!.booking_date_time.slice(0, 10);
    const asked = { entity_id: IDS.e1, account_id: IDS.a1, start_date: day, end_date: day, insights: true };
    const res = await post(`${prefix}/transactions`, asked).expect(200);
    const { payload } = v1OkSchema(V1TransactionsPayloadSchema).parse(res.body);
    expect(payload.transactions).toHaveLength(2);
    for (const t of payload.transactions) expect(t.insights).toMatchObject({ category: expect.any(String) });
    const plain = await post(`${prefix}/transactions`, { entity_id: IDS.e1, account_id: IDS.a2 }).expect(200);
    expect(plain.body.payload.transactions).toHaveLength(40);
    expect(plain.body.payload.transactions.some((t: object) => 'insights' in t)).toBe(false);
  });

  it('answers RECONNECT_REQUIRED with the reconnect id in the payload, HTTP 200', async () => {
    expireSession(store, 'my_app', IDS.e1);
    for (const [path, body] of [['accounts', { entity_id: IDS.e1 }], ['balance', { entity_id: IDS.e1, account_id: IDS.a1 }]] as const) {
      const res = await post(`${prefix}/${path}`, body).expect(200);
      expect(V1ReconnectSchema.parse(res.body).payload.reconnect_id).toBe(RECONNECT_ID);
    }
  });

  it('answers async with PENDING, then the result under …/results/{id}', async () => {
    const ready = once(store, 'event');
    const res = await post(`${prefix}/accounts`, { entity_id: IDS.e1, async: true }).expect(200);
    const pending = V1PendingSchema.parse(res.body);
    await ready;
    const result = await request(app).get(`${prefix}/results/${pending.results_id}`).expect(200);
    const body = v1OkSchema(V1AccountsPayloadSchema).parse(result.body);
    expect(body.results_id).toBe(pending.results_id);
    expect(body.payload.accounts).toHaveLength(2);
  });
});

describe('v1 input errors', () => {
  it('answers a missing entity_id or account_id with MISSING_PARAMETERS naming it', async () => {
    expectDataError((await post('/data/v1/accounts', {}).expect(400)).body, 'MISSING_PARAMETERS', /entity_id/);
    expectDataError((await post('/data/v1/balance', { entity_id: IDS.e1 }).expect(400)).body, 'MISSING_PARAMETERS', /account_id/);
    const noBody = await request(app).post('/data/v1/identity').expect(400);
    expectDataError(noBody.body, 'MISSING_PARAMETERS', /entity_id/);
  });

  it('answers an unknown key or a wrongly typed value with INVALID_PARAMETERS naming it', async () => {
    const unknownKey = await post('/data/v1/accounts', { entity_id: IDS.e1, entity_uuid: IDS.e1 }).expect(400);
    expectDataError(unknownKey.body, 'INVALID_PARAMETERS', /field: entity_uuid/);
    const wrongType = await post('/data/v1/accounts', { entity_id: IDS.e1, async: 'yes' }).expect(400);
    expectDataError(wrongType.body, 'INVALID_PARAMETERS', /field: async, value: yes/);
    const backwards = { entity_id: IDS.e1, account_id: IDS.a1, start_date: '2026-03-02', end_date: '2026-03-01' };
    const badDates = await post('/data/v1/transactions', backwards).expect(400);
    expectDataError(badDates.body, 'INVALID_PARAMETERS', /field: start_date/);
    const array = await post('/data/v1/accounts', [IDS.e1]).expect(400);
    expectDataError(array.body, 'INVALID_PARAMETERS');
  });

  it("answers another app's entity with UNKNOWN_ENTITY and another entity's account with UNKNOWN_ACCOUNT", async () => {
    expectDataError((await post('/v1/identity', { entity_id: IDS.e2 }).expect(404)).body, 'UNKNOWN_ENTITY');
    expectDataError((await post('/v1/transactions', { entity_id: IDS.e1, account_id: IDS.a4 }).expect(404)).body, 'UNKNOWN_ACCOUNT');
    await post('/v1/identity', { entity_id: IDS.e2 }, 'other_app').expect(200);
  });

  it('answers GET with INVALID_HTTP_METHOD', async () => {
    expectDataError((await request(app).get('/data/v1/accounts').expect(405)).body, 'INVALID_HTTP_METHOD');
  });

  it('answers a withheld permission with FAILED and the granular code', async () => {
    const res = await post('/data/v1/transactions', { entity_id: IDS.e3, account_id: IDS.a4 }).expect(200);
    expect(V1FailedSchema.parse(res.body).status_detail.granular_status_code).toBe('USER_PERMISSIONS_NOT_GRANTED');
  });
});
