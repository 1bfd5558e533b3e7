import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createDataRouters } from '../../src/lean/data/index.js';
import {
  AccountSchema,
  DataErrorSchema,
  RefreshListSchema,
  RefreshReconnectSchema,
  RefreshStatusSchema,
  RefreshWebhookPayloadSchema,
  TransactionSchema,
  TriggerRefreshSchema,
  V1PendingSchema,
  V2PendingSchema,
  v2DataSchema,
  v2OkSchema,
} from '../../src/lean/data/schemas.js';
import { completeMonths } from '../../src/sandbox/results.js';
import type { SandboxEvent, SandboxStore } from '../../src/sandbox/store/store.js';
import { SANDBOX_NOW, sandboxApp } from '../support/sandbox-app.js';
import { APP_USER_ID, ENTITY_CREATED_AT, IDS, RECONNECT_ID, dataStore, expireSession, type DataFixture } from './data-dataset.js';

const DELAY_MS = 100;

let store: SandboxStore;
let fixture: DataFixture;
let app: ReturnType<typeof sandboxApp>;
let events: SandboxEvent[];

beforeEach(() => {
  // Only the sandbox's own timers are faked: supertest and the HTTP server keep real time.
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  ({ store, fixture } = dataStore());
  app = sandboxApp(createDataRouters({ store, resultDelayMs: DELAY_MS, refreshDelayMs: DELAY_MS }));
  events = [];
  store.on('event', (event) => events.push(event));
});

afterEach(() => {
  vi.useRealTimers();
});

const get = (path: string, caller = 'my_app') => request(app).get(path).set('x-test-app', caller);
const AccountsOk = v2OkSchema('accounts', v2DataSchema('accounts', 'accounts', AccountSchema));

function expectError(body: unknown, status: string, message?: string) {
  const error = DataErrorSchema.parse(body);
  expect(Object.keys(error)[0]).toBe('results_id');
  expect(error.status).toBe(status);
  if (message) expect(error.message).toBe(message);
}

describe('async=true on the v2 data API', () => {
  it('answers 202 PENDING, the results stay PENDING until ready, then answer the full envelope', async () => {
    const accepted = await get(`/data/v2/accounts?entity_id=${IDS.e1}&async=true&meta={"ref":"r-1"}`).expect(202);
    const pending = V2PendingSchema.parse(accepted.body);
    expect(pending.meta).toEqual({ ref: 'r-1' });

    const early = await get(`/data/v2/results/${pending.results_id}`).expect(200);
    expect(early.body).toEqual(accepted.body);
    vi.advanceTimersByTime(DELAY_MS - 1);
    await get(`/data/v2/results/${pending.results_id}`).expect(200, /"status":"PENDING"/);
    expect(events).toEqual([]);

    vi.advanceTimersByTime(1);
    const ready = await get(`/data/v2/results/${pending.results_id}`).expect(200);
    const body = AccountsOk.parse(ready.body);
    expect(body).toMatchObject({ results_id: pending.results_id, meta: { ref: 'r-1' } });
    const sync = await get(`/data/v2/accounts?entity_id=${IDS.e1}&meta={"ref":"r-1"}`).expect(200);
    expect({ ...sync.body, results_id: pending.results_id }).toEqual(ready.body);
  });

  it('publishes results.ready once, with the results id, to the requesting app only', async () => {
    const accepted = await get(`/data/v2/accounts/${IDS.a1}/transactions?entity_id=${IDS.e1}&async=true&size=5`).expect(202);
    vi.advanceTimersByTime(DELAY_MS * 10);
    expect(events).toEqual([
      { app: 'my_app', type: 'results.ready', payload: { id: accepted.body.results_id }, message: 'Your results are ready.' },
    ]);
    const ready = await get(`/data/v2/results/${accepted.body.results_id}`).expect(200);
    const body = v2OkSchema('transactions', v2DataSchema('transactions', 'transactions', TransactionSchema)).parse(ready.body);
    expect(body.data.transactions.map((t) => t.transaction_id)).toEqual(fixture.a1Transactions.slice(0, 5).map((t) => t.transaction_id));
    expect(events).toHaveLength(1);
  });

  it("answers another app's results id, an unknown one and a malformed one as Lean does", async () => {
    const accepted = await get(`/data/v2/accounts?entity_id=${IDS.e1}&async=true`).expect(202);
    const message = 'The results_id provided has not been recognized by Lean or has not been processed yet';
    expectError((await get(`/data/v2/results/${accepted.body.results_id}`, 'other_app').expect(404)).body, 'UNKNOWN_RESULTS_ID', message);
    expectError((await get('/data/v2/results/0a000000-0000-4000-8000-000000000000').expect(404)).body, 'UNKNOWN_RESULTS_ID', message);
    const malformed = await get('/data/v2/results/abc').expect(400);
    expectError(malformed.body, 'INVALID_PARAMETERS');
    expect(malformed.body.message).toMatch(/field: results_id, value: abc/);
    expectError((await request(app).delete(`/data/v2/results/${accepted.body.results_id}`).expect(405)).body, 'INVALID_HTTP_METHOD');
  });

  it('checks the request before accepting it: nothing is held, nothing published', async () => {
    await get(`/data/v2/accounts?entity_id=${IDS.e2}&async=true`).expect(404);
    await get(`/data/v2/accounts/${IDS.a4}/balances?entity_id=${IDS.e1}&async=true`).expect(404);
    vi.advanceTimersByTime(DELAY_MS * 10);
    expect(events).toEqual([]);
    expect(store.collection('data_results').size).toBe(0);
  });

  it('forgets a pending result when the sandbox is reset, without announcing it', async () => {
    const accepted = await get(`/data/v2/accounts?entity_id=${IDS.e1}&async=true`).expect(202);
    store.reset();
    vi.advanceTimersByTime(DELAY_MS);
    expect(events).toEqual([]);
    await get(`/data/v2/results/${accepted.body.results_id}`).expect(404);
  });

  it('serves a v1 async result under both v1 results paths, PENDING first', async () => {
    const accepted = await request(app).post('/v1/balance').send({ entity_id: IDS.e1, account_id: IDS.a1, async: true }).expect(200);
    V1PendingSchema.parse(accepted.body);
    for (const prefix of ['/data/v1', '/v1']) {
      await get(`${prefix}/results/${accepted.body.results_id}`).expect(200, /"status":"PENDING"/);
    }
    vi.advanceTimersByTime(DELAY_MS);
    for (const prefix of ['/data/v1', '/v1']) {
      const ready = await get(`${prefix}/results/${accepted.body.results_id}`).expect(200);
      expect(ready.body.payload).toMatchObject({ type: 'balance', balance: fixture.a1Closing / 100 });
    }
    expect(events.map((e) => e.type)).toEqual(['results.ready']);
  });
});

describe('data refreshes', () => {
  const trigger = (entityId: string = IDS.e1, caller = 'my_app') =>
    request(app).post('/data/v2/refreshes').set('x-test-app', caller).send({ entity_id: entityId });

  it('starts a refresh, refuses a second while it is pending, and accepts one once it has finished', async () => {
    const first = await trigger().expect(200);
    expect(TriggerRefreshSchema.parse(first.body).timestamp).toBe(SANDBOX_NOW.toISOString());
    const duplicate = await trigger().expect(429);
    expect(duplicate.body).toEqual({
      timestamp: SANDBOX_NOW.toISOString(),
      status: 'DUPLICATED_REQUEST',
      message: 'Data refresh is already pending.',
      metadata: null,
    });
    await trigger(IDS.e3).expect(200);
    vi.advanceTimersByTime(DELAY_MS);
    const second = await trigger().expect(200);
    expect(second.body.refresh_id).not.toBe(first.body.refresh_id);
  });

  it('shows the refresh PENDING, then FINISHED with what was fetched and how far back transactions go', async () => {
    const { refresh_id } = (await trigger().expect(200)).body;
    const pending = RefreshStatusSchema.parse((await get(`/data/v2/refreshes/${refresh_id}`).expect(200)).body);
    expect(pending).toMatchObject({ refresh_id, entity_id: IDS.e1, customer_id: IDS.customer, status: 'PENDING' });
    expect(pending.data_status.account_data.map((a) => [a.account_id, a.transactions, a.transactionAvailability])).toEqual([
      [IDS.a1, 'PENDING', undefined],
      [IDS.a2, 'PENDING', undefined],
    ]);

    vi.advanceTimersByTime(DELAY_MS);
    const finished = RefreshStatusSchema.parse((await get(`/data/v2/refreshes/${refresh_id}`).expect(200)).body);
    expect(finished.status).toBe('FINISHED');
    expect(finished.data_status).toMatchObject({ accounts: 'OK', identity: 'OK' });
    const oldest = (transactions: { booking_date_time: string }[]) => transactions.at(-1)!.booking_date_time.slice(0, 10);
    expect(finished.data_status.account_data[0]!.transactionAvailability).toEqual({ start: oldest(fixture.a1Transactions), end: '2026-03-15' });
    expect(finished.data_status.account_data[1]!.transactionAvailability).toEqual({ start: oldest(fixture.a2Transactions), end: '2026-03-15' });
  });

  it('publishes entity.data.refresh.updated once, in the shape of Lean’s sample', async () => {
    const { refresh_id } = (await trigger().expect(200)).body;
    expect(events).toEqual([]);
    vi.advanceTimersByTime(DELAY_MS * 10);
    expect(events).toHaveLength(1);
    const [event] = events;
    expect(event).toMatchObject({
      app: 'my_app',
      type: 'entity.data.refresh.updated',
      message: 'An entity data refresh state has been updated.',
    });
    const payload = RefreshWebhookPayloadSchema.parse(event!.payload);
    expect(payload).toMatchObject({ refresh_id, entity_id: IDS.e1, customer_id: IDS.customer, app_user_id: APP_USER_ID, status: 'OK' });
    // A1 reaches back to 2025-05-06, A2 to 2025-03-27; both end on 2026-03-15.
    expect(payload.data_status.account_data.map((a) => a.transaction_availability.complete_months)).toEqual([9, 11]);
  });

  it('marks what the user did not grant as UNSUPPORTED', async () => {
    const { refresh_id } = (await trigger(IDS.e3).expect(200)).body;
    vi.advanceTimersByTime(DELAY_MS);
    const refresh = RefreshStatusSchema.parse((await get(`/data/v2/refreshes/${refresh_id}`).expect(200)).body);
    expect(refresh.data_status.account_data[0]).toMatchObject({ account_id: IDS.a4, transactions: 'UNSUPPORTED', balance: 'OK' });
  });

  it("moves the data's refreshed_at to the refresh's end", async () => {
    const before = await get(`/data/v2/accounts?entity_id=${IDS.e1}`).expect(200);
    expect(before.body.refreshed_at).toBe(ENTITY_CREATED_AT);
    await trigger().expect(200);
    vi.advanceTimersByTime(DELAY_MS);
    const after = await get(`/data/v2/accounts?entity_id=${IDS.e1}`).expect(200);
    expect(after.body.refreshed_at).toBe(SANDBOX_NOW.toISOString());
  });

  it("lists the entity's refreshes newest first, as {content, page}", async () => {
    const first = (await trigger().expect(200)).body.refresh_id;
    vi.advanceTimersByTime(DELAY_MS);
    const second = (await trigger().expect(200)).body.refresh_id;
    const res = await get(`/data/v2/refreshes?entity_id=${IDS.e1}`).expect(200);
    const body = RefreshListSchema.parse(res.body);
    expect(Object.keys(res.body)).toEqual(['content', 'page']);
    expect(body.content.map((r) => [r.refresh_id, r.status])).toEqual([[second, 'PENDING'], [first, 'FINISHED']]);
    expect(body.page).toEqual({ number: 0, size: 50, total_elements: 2, total_pages: 1, sort: null });
    const paged = await get(`/data/v2/refreshes?entity_id=${IDS.e1}&page=1&size=1`).expect(200);
    expect(paged.body.content.map((r: { refresh_id: string }) => r.refresh_id)).toEqual([first]);
    expect((await get(`/data/v2/refreshes?entity_id=${IDS.e3}`).expect(200)).body.content).toEqual([]);
  });

  it('answers RECONNECT_REQUIRED, HTTP 200, and starts nothing while the session needs the user', async () => {
    expireSession(store, 'my_app', IDS.e1);
    const res = await trigger().expect(200);
    expect(RefreshReconnectSchema.parse(res.body)).toMatchObject({ reconnect_id: RECONNECT_ID, refresh_id: RECONNECT_ID });
    expect((await get(`/data/v2/refreshes?entity_id=${IDS.e1}`).expect(200)).body.content).toEqual([]);
    vi.advanceTimersByTime(DELAY_MS);
    expect(events).toEqual([]);
  });

  it('answers bad input, unknown entities and unknown refreshes in Lean’s error envelope', async () => {
    const missing = await request(app).post('/data/v2/refreshes').send({}).expect(400);
    expect(missing.body).toMatchObject({ status: 'MISSING_PARAMETERS', message: expect.stringMatching(/entity_id/) });
    const extra = await request(app).post('/data/v2/refreshes').send({ entity_id: IDS.e1, force: true }).expect(400);
    expect(extra.body.message).toMatch(/field: force/);
    expect((await trigger(IDS.e2).expect(404)).body.status).toBe('UNKNOWN_ENTITY');
    expect((await get('/data/v2/refreshes').expect(400)).body.status).toBe('MISSING_PARAMETERS');
    const { refresh_id } = (await trigger().expect(200)).body;
    const foreign = await get(`/data/v2/refreshes/${refresh_id}`, 'other_app').expect(404);
    const unknownRefresh = { results_id: expect.any(String), timestamp: SANDBOX_NOW.toISOString(), status: 'UNKNOWN_REFRESH_ID', message: expect.any(String), metadata: null };
    expect(foreign.body).toEqual(unknownRefresh);
    expect((await get('/data/v2/refreshes/xyz').expect(400)).body.message).toMatch(/field: refresh_id, value: xyz/);
    expect((await request(app).delete('/data/v2/refreshes').expect(405)).body.status).toBe('INVALID_HTTP_METHOD');
  });
});

describe('completeMonths', () => {
  it("counts the calendar months lying wholly within the range, as Lean's sample does", () => {
    expect(completeMonths('2025-07-01', '2026-05-12')).toBe(10);
    expect(completeMonths('2025-05-13', '2026-05-12')).toBe(11);
    expect(completeMonths('2026-01-01', '2026-02-28')).toBe(2);
    expect(completeMonths('2026-03-15', '2026-03-15')).toBe(0);
  });
});
