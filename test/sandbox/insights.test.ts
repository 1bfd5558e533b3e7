import { describe, expect, it } from 'vitest';
import { ExpensesInsightSchema, IncomeInsightSchema, CashflowsInsightSchema } from '../../src/lean/insights/schemas.js';
import { seededRandom } from '../../src/sandbox/random.js';
import { COLLECTIONS, type Account, type Transaction } from '../../src/sandbox/store/records.js';
import { SANDBOX_NOW } from '../support/sandbox-app.js';
import { insightsFixture, type InsightsFixture } from '../support/insights-fixture.js';

const TODAY = SANDBOX_NOW.toISOString().slice(0, 10);
const units = (amount: number): number => Math.round(amount * 100);
const day = (dateTime: string): string => dateTime.slice(0, 10);

/** The entity's ledger exactly as a client reads it: data v2 accounts, then every page of each account's transactions. */
async function servedLedger(f: InsightsFixture): Promise<{ accounts: Account[]; transactions: Map<string, Transaction> }> {
  const accounts = (await f.get(`/data/v2/accounts?entity_id=${f.entityId}&size=100`).expect(200)).body.data.accounts as Account[];
  const transactions = new Map<string, Transaction>();
  for (const account of accounts) {
    for (let page = 0; ; page++) {
      const body = (await f.get(`/data/v2/accounts/${account.account_id}/transactions?entity_id=${f.entityId}&size=100&page=${page}`).expect(200)).body;
      for (const t of body.data.transactions as Transaction[]) transactions.set(t.transaction_id, t);
      if (page + 1 >= body.data.page.total_pages) break;
    }
  }
  return { accounts, transactions };
}

const LIABILITIES = new Set(['CREDIT', 'CHARGE_CARD', 'MORTGAGE', 'PERSONAL_LOAN']);
const OWN_MOVES = new Set(['Internal Transfer', 'Top-up', 'Card Repayment']);

/** The README's expense rule, restated: debits, except moves between own accounts and interest charged to a loan. */
const isExpense = (t: Transaction): boolean =>
  t.credit_debit_indicator === 'DEBIT' &&
  t.bank_transaction_code?.code !== 'Account Transfers' &&
  !OWN_MOVES.has(t.bank_transaction_code?.sub_code ?? '') &&
  t.bank_transaction_code?.sub_code !== 'Interest Charge';

describe('insights agree with the ledger the data API serves, over seeds', () => {
  it('for 20 seeds and random windows: listed transactions exist as served, totals are sums, months add up, windows hold', async () => {
    for (let seed = 1; seed <= 20; seed++) {
      const f = insightsFixture(seed);
      const random = seededRandom(seed).fork('insights-test');
      const { accounts, transactions } = await servedLedger(f);
      const start = new Date(SANDBOX_NOW.getTime() - random.int(1, 360) * 86_400_000).toISOString().slice(0, 10);
      const inWindow = (t: Transaction) => day(t.booking_date_time) >= start && day(t.booking_date_time) <= TODAY;
      const context = `seed ${seed}, start_date ${start}`;

      const income = IncomeInsightSchema.parse((await f.post('/insights/v2/income', { entity_id: f.entityId, income_type: 'ALL', start_date: start }).expect(200)).body).insights;
      for (const group of [income.salary!, income.non_salary!]) {
        let sum = 0;
        for (const listed of group.transactions) {
          const served = transactions.get(listed.transaction_id);
          expect(served, context).toBeDefined();
          expect(served!.credit_debit_indicator, context).toBe('CREDIT');
          expect({ account: served!.account_id, amount: served!.amount.amount, day: day(served!.booking_date_time) }, context).toEqual({
            account: listed.account_id,
            amount: listed.amount,
            day: day(listed.booking_date_time),
          });
          expect(inWindow(served!), context).toBe(true);
          sum += units(listed.amount);
        }
        expect(units(group.total.amount), context).toBe(sum);
        expect(group.total.count, context).toBe(group.transactions.length);
        expect(group.monthly_totals.reduce((s, m) => s + units(m.amount), 0), context).toBe(sum);
        expect(group.monthly_totals.reduce((s, m) => s + m.count, 0), context).toBe(group.total.count);
        if (group.total.count > 0) {
          const max = Math.max(...group.monthly_totals.map((m) => units(m.amount)));
          expect(units(group.total.maximum_monthly_amount!.amount), context).toBe(max);
        }
      }
      // Every salary line the bank coded as salary is in the salary group.
      const salaryIds = new Set(income.salary!.transactions.map((t) => t.transaction_id));
      for (const t of transactions.values()) if (inWindow(t) && t.bank_transaction_code?.sub_code === 'Salary') expect(salaryIds.has(t.transaction_id), context).toBe(true);

      const expenses = ExpensesInsightSchema.parse((await f.get(`/insights/v2/expenses?entity_id=${f.entityId}&start_date=${start}`).expect(200)).body).insights;
      const served = [...transactions.values()].filter((t) => inWindow(t) && isExpense(t));
      expect(units(expenses.total.amount), context).toBe(served.reduce((s, t) => s + units(t.amount.amount), 0));
      expect(expenses.total.count, context).toBe(served.length);
      expect(expenses.monthly_totals.reduce((s, m) => s + units(m.amount), 0), context).toBe(units(expenses.total.amount));
      const categories = expenses.total.breakdown[0]!.breakdowns;
      expect(categories.reduce((s, c) => s + units(c.amount), 0), context).toBe(units(expenses.total.amount));
      expect(categories.reduce((s, c) => s + c.count, 0), context).toBe(expenses.total.count);
      for (const month of expenses.monthly_totals) {
        expect(month.breakdown[0]!.breakdowns.reduce((s, c) => s + units(c.amount), 0), context).toBe(units(month.amount));
      }
      if (expenses.total.count > 0) {
        expect(day(expenses.total.first_date_time!) >= start && day(expenses.total.last_date_time!) <= TODAY, context).toBe(true);
      }
      expect(expenses.currency, context).toBe(accounts[0]!.currency);

      const cashflows = CashflowsInsightSchema.parse((await f.get(`/insights/v2/assets/cashflows?entity_id=${f.entityId}&start_date=${start}`).expect(200)).body).insights;
      const assetIds = new Set(accounts.filter((a) => !LIABILITIES.has(a.account_sub_type)).map((a) => a.account_id));
      const credits = [...transactions.values()].filter((t) => inWindow(t) && assetIds.has(t.account_id) && t.credit_debit_indicator === 'CREDIT');
      expect(units(cashflows.total.inwards[0]!.amount.amount), context).toBe(credits.reduce((s, t) => s + units(t.amount.amount), 0));
      expect(cashflows.monthly_totals.reduce((s, m) => s + units(m.net.overall_amount.amount), 0), context).toBe(units(cashflows.total.net.overall_amount.amount));
    }
  }, 120_000);
});

describe('the insights cache', () => {
  const salary = (f: InsightsFixture) => f.post('/insights/v2/income', { entity_id: f.entityId, income_type: 'SALARY' }).expect(200);

  it('answers a repeated request from the cache, with the same figures', async () => {
    const f = insightsFixture();
    const first = (await salary(f)).body.insights;
    expect(f.service.stats).toEqual({ hits: 0, misses: 1 });
    expect((await salary(f)).body.insights).toEqual(first);
    expect(f.service.stats).toEqual({ hits: 1, misses: 1 });
  });

  it('recomputes when the entity\'s transactions change, and again after a reset', async () => {
    const f = insightsFixture();
    const before = IncomeInsightSchema.parse((await salary(f)).body).insights.salary!;
    const current = f.store.collection<Account>(COLLECTIONS.accounts).list('my_app', (a) => a.entity_id === f.entityId && a.account_sub_type === 'CURRENT')[0]!;
    const template = f.store.collection<Transaction>(COLLECTIONS.transactions).list('my_app', (t) => t.account_id === current.account_id)[0]!;
    const bonus: Transaction = {
      ...template,
      transaction_id: 'b0000000-0000-4000-8000-000000000001',
      transaction_information: 'PAYROLL BONUS ACME LLC',
      credit_debit_indicator: 'CREDIT',
      amount: { currency: current.currency, amount: 1234.56 },
      booking_date_time: `${day(SANDBOX_NOW.toISOString())}T01:00:00.000Z`,
      bank_transaction_code: { code: 'Received Credit Transfers', sub_code: 'Salary' },
      merchant_details: null,
    };
    f.store.collection<Transaction>(COLLECTIONS.transactions).set('my_app', bonus.transaction_id, bonus);

    const after = IncomeInsightSchema.parse((await salary(f)).body).insights.salary!;
    expect(after.transactions[0]).toMatchObject({ transaction_id: bonus.transaction_id, amount: 1234.56 });
    expect(units(after.total.amount)).toBe(units(before.total.amount) + 123_456);

    f.store.reset();
    const reset = IncomeInsightSchema.parse((await salary(f)).body).insights.salary!;
    expect(reset).toEqual(before);
    expect(f.service.stats).toEqual({ hits: 0, misses: 3 });
  });
});
