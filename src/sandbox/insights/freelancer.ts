import { PERIODS } from './calendar.js';
import { isLiability } from './classify.js';
import { assetRows } from './cashflows.js';
import type { InsightLedger, LedgerRow } from './ledger.js';
import { meanUnits, money, type InsightObject } from './money.js';
import { balanceSeries, monthSlice } from './series.js';
import { byMonth, sumUnits } from './stats.js';

/**
 * `GET /insights/v2/freelancer-cashflow`: the money in and out of the customer's own-money
 * accounts (as in cashflows), the main account's holder, and the balance month by month (oldest
 * first, as Lean's recording lists them).
 */
export function freelancerInsight(ledger: InsightLedger): InsightObject {
  const { scale, currency } = ledger;
  const m = (units: number) => money(currency, units, scale);
  const accounts = ledger.accounts.filter((account) => !isLiability(account));
  const main = accounts[0] ?? ledger.accounts[0];
  const series = balanceSeries(ledger, accounts);
  const rows = assetRows(ledger);
  const credits = rows.filter((r) => r.credit);
  const debits = rows.filter((r) => !r.credit);
  type Side = (key: string) => readonly LedgerRow[];
  const inMonths = (side: Side, keys: ReadonlySet<string>) => [...keys].flatMap(side);
  const flow = (list: readonly LedgerRow[]) => {
    const side = byMonth(list);
    return {
      total_amount: m(sumUnits(list)),
      transactions_count: list.length,
      periods: [...PERIODS].reverse().map(({ period, months }) => {
        const keys = new Set(ledger.months.slice(0, months).map((month) => month.key));
        const total = sumUnits(inMonths(side, keys));
        return { period, total_amount: m(total), average_amount: m(Math.round(total / Math.max(keys.size, 1))) };
      }),
    };
  };
  const creditsIn = byMonth(credits);
  const debitsIn = byMonth(debits);
  const months = [...ledger.months].reverse().map((month) => {
    const keys = new Set([month.key]);
    const slice = monthSlice(series, month.key);
    const side = (lookup: Side) => {
      const these = inMonths(lookup, keys);
      return { monthly_average_amount: m(meanUnits(these.map((r) => r.units))), total_amount: m(sumUnits(these)), transactions_count: these.length };
    };
    return {
      month: month.month,
      year: month.year,
      is_month_complete: month.complete,
      inflows: side(creditsIn),
      outflows: side(debitsIn),
      balance: { monthly_average_amount: m(meanUnits(slice.totals)), initial_balance_amount: m(slice.initial) },
    };
  });
  return {
    account_information: {
      account_holder_full_name: main?.account_holder_name ?? null,
      account_holder_short_name: main?.account_holder_short_name ?? null,
      account_opening_date: main ? `${main.opening_date.slice(0, 10)}T00:00:00Z` : null,
    },
    total: {
      current_balance_amount: m(series.totals.at(-1) ?? series.opening),
      average_monthly_balance_amount: m(meanUnits(ledger.months.map((month) => meanUnits(monthSlice(series, month.key).totals)))),
      inflows: flow(credits),
      outflows: flow(debits),
    },
    monthly_totals: months,
  };
}
