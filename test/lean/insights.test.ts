import { readdirSync, readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  BalancesInsightSchema,
  CashflowsInsightSchema,
  CreditObligationsInsightSchema,
  EmploymentInsightSchema,
  ExpensesInsightSchema,
  FreelancerInsightSchema,
  IncomeInsightSchema,
  InsightPendingSchema,
  NonCreditObligationsInsightSchema,
} from '../../src/lean/insights/schemas.js';
import { expireSession } from '../../src/sandbox/connections.js';
import type { SandboxEvent } from '../../src/sandbox/store/store.js';
import { COLLECTIONS, type Entity } from '../../src/sandbox/store/records.js';
import { SANDBOX_NOW } from '../support/sandbox-app.js';
import { insightsFixture, RESULT_DELAY_MS, type InsightsFixture } from '../support/insights-fixture.js';

const GET_PATHS = {
  expenses: ['/insights/v2/expenses', ExpensesInsightSchema],
  cashflows: ['/insights/v2/assets/cashflows', CashflowsInsightSchema],
  balances: ['/insights/v2/assets/balances', BalancesInsightSchema],
  credit: ['/insights/v2/liabilities/credit-obligations', CreditObligationsInsightSchema],
  nonCredit: ['/insights/v2/liabilities/non-credit-obligations', NonCreditObligationsInsightSchema],
  employment: ['/insights/v2/income/employment', EmploymentInsightSchema],
  freelancer: ['/insights/v2/freelancer-cashflow', FreelancerInsightSchema],
} as const;

const UNKNOWN_ID = '0e000000-0000-4000-8000-00000000dead';
const TODAY = SANDBOX_NOW.toISOString().slice(0, 10);

let f: InsightsFixture;
beforeEach(() => {
  f = insightsFixture();
});

function expectLeanError(body: unknown, status: string, field?: string): void {
  expect(body).toMatchObject({ status });
  expect(Object.keys(body as object)).toEqual(['timestamp', 'status', 'message', 'metadata']);
  if (field) expect((body as { message: string }).message).toContain(`field: ${field}`);
}

describe('insights routes answer every insight in Lean\'s shape', () => {
  it('income (POST, JSON body) and each GET insight parse with their schemas', async () => {
    IncomeInsightSchema.parse((await f.post('/insights/v2/income', { entity_id: f.entityId, income_type: 'ALL' }).expect(200)).body);
    for (const [path, schema] of Object.values(GET_PATHS)) {
      schema.parse((await f.get(`${path}?entity_id=${f.entityId}&start_date=2025-07-04&async=false`).expect(200)).body);
    }
  });

  it('income_type SALARY and NON_SALARY answer only their group', async () => {
    const salary = IncomeInsightSchema.parse((await f.post('/insights/v2/income', { entity_id: f.entityId, income_type: 'SALARY' }).expect(200)).body);
    expect(Object.keys(salary.insights)).toEqual(['salary']);
    const other = IncomeInsightSchema.parse((await f.post('/insights/v2/income', { entity_id: f.entityId, income_type: 'NON_SALARY' }).expect(200)).body);
    expect(Object.keys(other.insights)).toEqual(['non_salary']);
  });

  it('takes its currency from the entity\'s accounts', async () => {
    const accounts = f.store.collection<{ entity_id: string; currency: string }>(COLLECTIONS.accounts).list('my_app', (a) => a.entity_id === f.entityId);
    const expenses = ExpensesInsightSchema.parse((await f.get(`/insights/v2/expenses?entity_id=${f.entityId}`).expect(200)).body);
    expect(expenses.insights.currency).toBe(accounts[0]!.currency);
  });
});

describe('insights errors, as Lean answers them', () => {
  it('refuses a malformed entity id, date, async flag, income type or unknown body key with 400 naming the field', async () => {
    const snapshot = f.store.snapshot();
    expectLeanError((await f.post('/insights/v2/income', { entity_id: `${f.entityId}a`, income_type: 'ALL' }).expect(400)).body, 'INVALID_PARAMETERS', 'entity_id');
    expectLeanError((await f.post('/insights/v2/income', { entity_id: f.entityId, income_type: 'BONUS' }).expect(400)).body, 'INVALID_PARAMETERS', 'income_type');
    expectLeanError((await f.post('/insights/v2/income', { entity_id: f.entityId, extra: 1 }).expect(400)).body, 'INVALID_PARAMETERS', 'extra');
    expectLeanError((await f.post('/insights/v2/income', { income_type: 'ALL' }).expect(400)).body, 'MISSING_PARAMETERS');
    expectLeanError((await f.post('/insights/v2/income', { entity_id: f.entityId, start_date: '1900-01-01' }).expect(400)).body, 'INVALID_PARAMETERS', 'start_date');
    await f.post('/insights/v2/income', { entity_id: f.entityId, start_date: '2024-03-15' }).expect(200);
    for (const [path] of Object.values(GET_PATHS)) {
      expectLeanError((await f.get(`${path}?entity_id=${f.entityId}&start_date=2025-02-30`).expect(400)).body, 'INVALID_PARAMETERS', 'start_date');
      expectLeanError((await f.get(`${path}?entity_id=${f.entityId}&start_date=2099-01-01`).expect(400)).body, 'INVALID_PARAMETERS', 'start_date');
      // A window of centuries would cost a day-by-day walk of every one of its days.
      expectLeanError((await f.get(`${path}?entity_id=${f.entityId}&start_date=0001-01-01`).expect(400)).body, 'INVALID_PARAMETERS', 'start_date');
      expectLeanError((await f.get(`${path}?entity_id=${f.entityId}&async=maybe`).expect(400)).body, 'INVALID_PARAMETERS', 'async');
      expectLeanError((await f.get(`${path}?entity_id=nope`).expect(400)).body, 'INVALID_PARAMETERS', 'entity_id');
    }
    expect(f.store.snapshot()).toBe(snapshot);
  });

  it('answers UNKNOWN_ENTITY for an unknown entity and for another app\'s', async () => {
    const body = (await f.post('/insights/v2/income', { entity_id: UNKNOWN_ID, income_type: 'ALL' }).expect(404)).body;
    expectLeanError(body, 'UNKNOWN_ENTITY');
    expect(body.message).toBe('The entity_id provided did not match an account in our records.');
    expectLeanError((await f.get(`/insights/v2/expenses?entity_id=${f.entityId}`, 'other_app').expect(404)).body, 'UNKNOWN_ENTITY');
  });

  it('answers RECONNECT_REQUIRED while the bank session is expired, with the reconnect id', async () => {
    const session = expireSession(f.store, 'my_app', f.entityId);
    const body = (await f.get(`/insights/v2/expenses?entity_id=${f.entityId}`).expect(200)).body;
    expect(body).toMatchObject({ status: 'RECONNECT_REQUIRED', results_id: session.reconnect_id, insights: null });
  });

  it('answers FAILED when the customer did not share transactions', async () => {
    const entities = f.store.collection<Entity>(COLLECTIONS.entities);
    const entity = entities.get('my_app', f.entityId)!;
    entities.set('my_app', entity.id, { ...entity, permissions: { ...entity.permissions, transactions: false } });
    const body = (await f.post('/insights/v2/income', { entity_id: f.entityId }).expect(200)).body;
    expect(body).toMatchObject({ status: 'FAILED', status_detail: { granular_status_code: 'USER_PERMISSIONS_NOT_GRANTED' }, insights: null });
  });

  it('answers 405 to another method on an insights path', async () => {
    await f.get(`/insights/v2/income?entity_id=${f.entityId}`).expect(405);
  });
});

describe('async=true', () => {
  let events: SandboxEvent[];
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    f = insightsFixture();
    events = [];
    f.store.on('event', (event) => events.push(event));
  });
  afterEach(() => vi.useRealTimers());

  it('answers 202 PENDING, then results.ready, then the insight at the results endpoint', async () => {
    for (const send of [
      () => f.post('/insights/v2/income', { entity_id: f.entityId, income_type: 'ALL', async: true }),
      () => f.get(`/insights/v2/expenses?entity_id=${f.entityId}&async=true`),
    ]) {
      events.length = 0;
      const pending = InsightPendingSchema.parse((await send().expect(202)).body);
      expect((await f.get(`/data/v2/results/${pending.results_id}`).expect(200)).body).toMatchObject({ status: 'PENDING' });
      vi.advanceTimersByTime(RESULT_DELAY_MS);
      expect(events).toEqual([{ app: 'my_app', type: 'results.ready', payload: { id: pending.results_id }, message: 'Your results are ready.' }]);
      const ready = (await f.get(`/data/v2/results/${pending.results_id}`).expect(200)).body;
      expect(ready).toMatchObject({ status: 'OK', results_id: pending.results_id });
    }
  });

  it('holds the same insight the synchronous call answers', async () => {
    const pending = (await f.get(`/insights/v2/assets/cashflows?entity_id=${f.entityId}&async=true`).expect(202)).body;
    vi.advanceTimersByTime(RESULT_DELAY_MS);
    const ready = (await f.get(`/data/v2/results/${pending.results_id}`).expect(200)).body;
    const sync = (await f.get(`/insights/v2/assets/cashflows?entity_id=${f.entityId}`).expect(200)).body;
    expect(ready.insights).toEqual(sync.insights);
  });
});

/**
 * Every key Lean's recording shows, recursively (into objects and the first element of arrays),
 * is in our reply. In-repo copies of the recordings: test/fixtures/lean-recorded/{UAE,KSA}/insights.
 */
describe('replies carry every key of Lean\'s recorded insights', () => {
  const root = new URL('../fixtures/lean-recorded/', import.meta.url);
  const files = ['UAE', 'KSA'].flatMap((region) => readdirSync(new URL(`${region}/insights/`, root)).map((name) => `${region}/insights/${name}`));

  /** Lists that are empty when the ledger has nothing to put in them (no month spent 1.5× the mean). */
  const MAY_BE_EMPTY = new Set(['$.insights.balance_factors.outflow_factors.spike_transactions']);

  function missingKeys(recorded: unknown, ours: unknown, path: string): string[] {
    if (Array.isArray(recorded)) {
      if (recorded.length === 0 || (MAY_BE_EMPTY.has(path) && Array.isArray(ours) && ours.length === 0)) return [];
      if (!Array.isArray(ours) || ours.length === 0) return [`${path}[0]`];
      return missingKeys(recorded[0], ours[0], `${path}[0]`);
    }
    if (recorded === null || typeof recorded !== 'object') return [];
    if (ours === null || typeof ours !== 'object') return [path];
    return Object.entries(recorded).flatMap(([key, value]) =>
      key in (ours as object) ? missingKeys(value, (ours as Record<string, unknown>)[key], `${path}.${key}`) : [`${path}.${key}`],
    );
  }

  it.each(files)('%s', async (file) => {
    const recording = JSON.parse(readFileSync(new URL(file, root), 'utf8')) as {
      method: string;
      url: string;
      request_body: Record<string, string> | null;
      recorded: { code: number; body: unknown }[];
    };
    const fill = (text: string) => text.replaceAll('{{entity_id}}', f.entityId).replace('{{baseUrl}}', '');
    // Lean's KSA collection records the freelancer cashflow with an empty URL.
    const url = recording.url === '' ? `/insights/v2/freelancer-cashflow?entity_id=${f.entityId}` : fill(recording.url);
    const body = recording.request_body && JSON.parse(fill(JSON.stringify(recording.request_body)));
    const reply = recording.method === 'POST' ? await f.post(url, body) : await f.get(url);
    const ok = recording.recorded.find((r) => r.code === 200)!;
    expect(reply.status).toBe(200);
    expect(missingKeys(ok.body, reply.body, '$')).toEqual([]);
  });
});

it('windows default to six months back for income and expenses', async () => {
  const expenses = ExpensesInsightSchema.parse((await f.get(`/insights/v2/expenses?entity_id=${f.entityId}`).expect(200)).body);
  expect(expenses.insights.total.first_date_time! >= '2025-09-15').toBe(true);
  expect(expenses.insights.total.last_date_time! <= `${TODAY}T23:59:59Z`).toBe(true);
  expect(expenses.insights.monthly_totals.map((m) => `${m.year}-${m.month}`)).toEqual(['2026-3', '2026-2', '2026-1', '2025-12', '2025-11', '2025-10', '2025-9']);
});
