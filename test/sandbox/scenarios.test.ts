import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { seededRandom } from '../../src/sandbox/random.js';
import type { ScenarioSummary } from '../../src/sandbox/scenarios/apply.js';
import { ScenarioError } from '../../src/sandbox/scenarios/errors.js';
import type { ScenarioInput } from '../../src/sandbox/scenarios/schema.js';
import { startLeanMock } from '../../src/server/lean-mock.js';
import { startTestMock, type TestMock } from '../../src/testing/index.js';
import { randomScenario } from './scenarios-gen.js';

/*
 * Scenario files in process: what a scenario says is what every product serves — the customer,
 * the entity's accounts, their balances, their transactions with running balances that add up,
 * insights computed from them and verifications that know the holder — on start, after a reset,
 * and for randomly generated scenarios.
 */

const AS_OF = '2026-11-30';
const clock = () => new Date(`${AS_OF}T12:00:00.000Z`);
const ALICE = new URL('../../fixtures/scenarios/alice.json', import.meta.url);
const alice = (): ScenarioInput => JSON.parse(readFileSync(ALICE, 'utf8')) as ScenarioInput;

interface Money { amount: number; currency: string }
interface TransactionView { transaction_id: string; amount: Money; credit_debit_indicator: 'CREDIT' | 'DEBIT'; booking_date_time: string; transaction_information: string; status: string; balance: { credit_debit_indicator: string; amount: Money } }

const signedCents = (indicator: string, amount: number): number => Math.round(amount * 100) * (indicator === 'DEBIT' ? -1 : 1);

let mock: TestMock;
beforeAll(async () => {
  mock = await startTestMock({ scenario: ALICE.pathname, asOf: AS_OF, clock });
});
afterAll(() => mock?.close());

async function get<T>(path: string): Promise<T> {
  const res = await mock.fetch(path, { headers: mock.headers() });
  expect(res.status, `${path}: ${res.status}`).toBe(200);
  return (await res.json()) as T;
}

async function transactionsOf(entityId: string, accountId: string): Promise<TransactionView[]> {
  const out: TransactionView[] = [];
  for (let page = 0; ; page++) {
    const body = await get<{ data: { transactions: TransactionView[]; page: { total_pages: number } } }>(
      `/data/v2/accounts/${accountId}/transactions?entity_id=${entityId}&size=100&page=${page}`,
    );
    out.push(...body.data.transactions);
    if (page + 1 >= body.data.page.total_pages) return out;
  }
}

async function closingOf(entityId: string, accountId: string): Promise<number> {
  const body = await get<{ data: { balances: { type: string; credit_debit_indicator: string; amount: Money }[] } }>(`/data/v2/accounts/${accountId}/balances?entity_id=${entityId}`);
  const closing = body.data.balances.find((balance) => balance.type === 'CLOSING_AVAILABLE')!;
  return signedCents(closing.credit_debit_indicator, closing.amount.amount);
}

describe('the example scenario (fixtures/scenarios/alice.json)', () => {
  const customerId = '6f1c2a4e-8b3d-4c5e-9f70-1a2b3c4d5e6f';
  const entityId = '0c9d8e7f-6a5b-4c3d-8e1f-2a3b4c5d6e7f';
  const accountId = 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d';

  it('is the customer, accounts, balance and transactions the data API serves', async () => {
    const customer = await get<{ app_user_id: string }>(`/customers/v1/${customerId}`);
    expect(customer.app_user_id).toBe('alice');
    const accounts = await get<{ data: { accounts: { account_id: string; nickname: string; account_holder_name: string }[] } }>(`/data/v2/accounts?entity_id=${entityId}`);
    expect(accounts.data.accounts.map((a) => a.nickname)).toEqual(['Alice current', 'Alice savings']);
    expect(new Set(accounts.data.accounts.map((a) => a.account_holder_name))).toEqual(new Set(['Alice Example Smith']));
    expect(await closingOf(entityId, accountId)).toBe(123_456);
    const transactions = await transactionsOf(entityId, accountId);
    expect(transactions.map((t) => [t.transaction_information, t.credit_debit_indicator, t.amount.amount, t.booking_date_time])).toEqual([
      ['Coffee', 'DEBIT', 18.25, '2026-11-03T08:15:00.000Z'],
      ['Rent November', 'DEBIT', 3000, '2026-11-02T00:00:00.000Z'],
      ['Salary', 'CREDIT', 4321.5, '2026-11-01T00:00:00.000Z'],
    ]);
    // Running balances: the newest is the balance now; each older one is the next minus it.
    expect(transactions.map((t) => t.balance.amount.amount)).toEqual([1234.56, 1252.81, 4252.81]);
  });

  it('is what insights compute and what account verification knows', async () => {
    const income = await mock.fetch('/insights/v2/income', {
      method: 'POST',
      headers: { ...mock.headers(), 'content-type': 'application/json' },
      body: JSON.stringify({ entity_id: entityId, start_date: '2026-10-01', income_type: 'SALARY' }),
    });
    const incomeText = await income.text();
    expect(income.status, incomeText).toBe(200);
    expect(incomeText).toContain('4321.5');

    const verified = await mock.fetch('/verifications/v1/accounts', {
      method: 'POST',
      headers: { ...mock.headers(), 'content-type': 'application/json' },
      body: JSON.stringify({
        country_code: 'AE',
        type: 'PERSONAL',
        account_details: { type: 'IBAN', value: 'AE070331234567890123456' },
        identifications: [{ type: 'FULL_NAME', value: 'Alice Example Smith' }, { type: 'NATIONAL_ID', value: '784-1990-1234567-1' }],
      }),
    });
    const verification = (await verified.json()) as { verifications: { account_ownership_verified: boolean; account_holder_name: string } };
    expect(verified.status, JSON.stringify(verification)).toBe(200);
    expect(verification.verifications).toMatchObject({ account_ownership_verified: true, account_holder_name: 'Alice Example Smith' });
  });

  it('is served again, with the same ids, after a reset, and its override answers its one time again', async () => {
    const before = mock.lean.scenarios.state().created;
    await mock.fetch('/customers/v1', { method: 'POST', headers: { ...mock.headers(), 'content-type': 'application/json' }, body: '{"app_user_id":"bob"}' });
    mock.reset();
    expect(mock.lean.scenarios.state().created).toEqual(before);
    expect((await mock.fetch('/banks/v1', { headers: mock.headers() })).status).toBe(503);
    expect((await mock.fetch('/banks/v1', { headers: mock.headers() })).status).toBe(200);
    expect(await closingOf(entityId, accountId)).toBe(123_456);
    expect((await mock.fetch('/customers/v1/app-user-id/bob', { headers: mock.headers() })).status).toBe(404);
  });

  it("gives way to a test's own override, and sends the headers it names", async () => {
    mock.reset();
    mock.lean.scenarios.load({ overrides: [{ path: '/banks/v1', status: 429, headers: { 'retry-after': '7' } }] });
    const canned = await mock.fetch('/banks/v1', { headers: mock.headers() });
    expect([canned.status, canned.headers.get('retry-after')]).toEqual([429, '7']);
    const dispose = mock.use({ path: '/banks/v1', status: 500 });
    expect((await mock.fetch('/banks/v1', { headers: mock.headers() })).status).toBe(500);
    dispose();
    expect((await mock.fetch('/banks/v1', { headers: mock.headers() })).status).toBe(429);
    mock.lean.scenarios.load(alice());
  });

  it('reads the same from YAML as from JSON', async () => {
    const other = await startTestMock({ scenario: alice(), asOf: AS_OF, clock, pki: mock.pki });
    try {
      const viaYaml = other.lean.scenarios.load(null);
      expect(viaYaml.created).toBeNull();
      const { parseScenarioText } = await import('../../src/sandbox/scenarios/load.js');
      const state = other.lean.scenarios.load(await parseScenarioText(stringify(alice()), 'yaml'));
      expect(state.created).toEqual(mock.lean.scenarios.state().created);
    } finally {
      await other.close();
    }
  });
});

describe('generated scenarios', () => {
  it('round-trip through the data API: accounts, balances, transactions and running balances are the scenario’s', async () => {
    const apps = mock.apps.map((app) => app.name);
    for (let run = 0; run < 12; run++) {
      const r = seededRandom(9_000 + run);
      const scenario = randomScenario(r, { apps, asOf: AS_OF });
      const { created } = mock.lean.scenarios.load(scenario) as { created: ScenarioSummary };
      for (const [c, customer] of (scenario.customers ?? []).entries()) {
        const made = created.customers[c]!;
        const headers = { 'lean-app-token': mock.apps.find((app) => app.name === made.app)!.appToken };
        const identity = made.app;
        const call = async <T>(path: string): Promise<T> => {
          const res = await mock.fetch(path, { headers, identity });
          expect(res.status, `run ${run} ${path}`).toBe(200);
          return (await res.json()) as T;
        };
        expect((await call<{ app_user_id: string }>(`/customers/v1/${made.customer_id}`)).app_user_id).toBe(customer.app_user_id);
        if (customer.customer_id) expect(made.customer_id).toBe(customer.customer_id);
        for (const [e, entity] of (customer.entities ?? []).entries()) {
          const madeEntity = made.entities[e]!;
          if (entity.entity_id) expect(madeEntity.entity_id).toBe(entity.entity_id);
          const listed = await call<{ data: { accounts: { account_id: string; nickname: string; currency: string; account: { scheme_name: string; identification: string }[] }[] } }>(
            `/data/v2/accounts?entity_id=${madeEntity.entity_id}`,
          );
          expect(listed.data.accounts.map((a) => a.account_id)).toEqual(madeEntity.accounts.map((a) => a.account_id));
          for (const [a, account] of (entity.accounts ?? []).entries()) {
            const served = listed.data.accounts[a]!;
            const id = served.account_id;
            if (account.account_id) expect(id).toBe(account.account_id);
            expect(served.nickname).toBe(account.name);
            if (account.currency) expect(served.currency).toBe(account.currency);
            if (account.iban) expect(served.account.find((i) => i.scheme_name === 'IBAN')?.identification).toBe(account.iban);
            const balances = await call<{ data: { balances: { type: string; credit_debit_indicator: string; amount: Money }[] } }>(`/data/v2/accounts/${id}/balances?entity_id=${madeEntity.entity_id}`);
            const closing = balances.data.balances.find((b) => b.type === 'CLOSING_AVAILABLE')!;
            const closingCents = signedCents(closing.credit_debit_indicator, closing.amount.amount);
            if (account.balance !== undefined) expect(closingCents, `run ${run}`).toBe(Math.round(account.balance * 100));

            const transactions: TransactionView[] = [];
            for (let page = 0; ; page++) {
              const body = await call<{ data: { transactions: TransactionView[]; page: { total_pages: number } } }>(
                `/data/v2/accounts/${id}/transactions?entity_id=${madeEntity.entity_id}&size=100&page=${page}`,
              );
              transactions.push(...body.data.transactions);
              if (page + 1 >= body.data.page.total_pages) break;
            }
            if (account.transactions) {
              const key = (t: { amount: number; credit_debit_indicator: string; description: string; at: number }) => `${t.at}|${t.credit_debit_indicator}|${t.amount}|${t.description}`;
              const given = account.transactions.map((t) => key({ ...t, at: Date.parse(t.booking_date.length === 10 ? `${t.booking_date}T00:00:00Z` : t.booking_date) })).sort();
              const servedKeys = transactions.map((t) => key({ amount: t.amount.amount, credit_debit_indicator: t.credit_debit_indicator, description: t.transaction_information, at: Date.parse(t.booking_date_time) })).sort();
              expect(servedKeys, `run ${run}`).toEqual(given);
              for (const t of account.transactions) if (t.transaction_id) expect(transactions.map((s) => s.transaction_id)).toContain(t.transaction_id);
              expect(madeEntity.accounts[a]!.transactions).toBe(account.transactions.length);
            }
            // One ledger, given or generated: newest first, the newest's balance is the balance now, each older is the next minus it.
            for (let i = 0; i + 1 < transactions.length; i++) expect(transactions[i]!.booking_date_time >= transactions[i + 1]!.booking_date_time).toBe(true);
            if (transactions.length > 0) expect(signedCents(transactions[0]!.balance.credit_debit_indicator, transactions[0]!.balance.amount.amount)).toBe(closingCents);
            for (let i = 0; i + 1 < transactions.length; i++) {
              const newer = transactions[i]!;
              const older = transactions[i + 1]!;
              expect(signedCents(older.balance.credit_debit_indicator, older.balance.amount.amount), `run ${run} account ${a} row ${i}`).toBe(
                signedCents(newer.balance.credit_debit_indicator, newer.balance.amount.amount) - signedCents(newer.credit_debit_indicator, newer.amount.amount),
              );
            }
          }
        }
        for (const source of made.payment_sources) {
          const served = await call<{ id: string }>(`/customers/v1/${made.customer_id}/payment-sources/${source.id}`);
          expect(served.id).toBe(source.id);
        }
      }
    }
  }, 120_000);

  it('give the same records, byte for byte, for the same seed, on every load and reset', async () => {
    const scenario = randomScenario(seededRandom(77), { apps: mock.apps.map((app) => app.name), asOf: AS_OF });
    mock.lean.scenarios.load(scenario);
    const first = mock.lean.store.snapshot();
    mock.reset();
    expect(mock.lean.store.snapshot()).toBe(first);
    mock.lean.scenarios.load(scenario);
    expect(mock.lean.store.snapshot()).toBe(first);
    mock.lean.scenarios.load(alice());
  });
});

describe('a bad scenario in process', () => {
  it('rejects startLeanMock with a ScenarioError naming the path, before anything listens', async () => {
    const bad = alice() as { customers: { entities: { accounts: Record<string, unknown>[] }[] }[] };
    bad.customers[0]!.entities[0]!.accounts[1]!.balance = '12';
    const error = await startLeanMock({ scenario: bad as ScenarioInput, pki: mock.pki, adminPort: 'off' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ScenarioError);
    expect((error as ScenarioError).message).toBe('customers[0].entities[0].accounts[1].balance: expected a number, got a string');
  });

  it('rejects a missing file with one line naming it', async () => {
    const error = await startTestMock({ scenario: '/nonexistent/scenario.json', pki: mock.pki }).catch((e: unknown) => e);
    expect((error as Error).message).toBe('cannot read scenario /nonexistent/scenario.json: no such file');
  });
});
