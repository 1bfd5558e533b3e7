import { PERIODS } from './calendar.js';
import { incomeSourceOf, type IncomeSource } from './classify.js';
import type { InsightLedger, LedgerRow } from './ledger.js';
import { meanUnits, Minor, money, round2, stddev, type InsightObject, type InsightValue } from './money.js';
import { extremes, monthlyTotals, summary, sumUnits, type MonthTotal } from './stats.js';

/** `POST /insights/v2/income`: salary and other income, each with its totals, months, transactions and factors. */

export const INCOME_TYPES = ['ALL', 'SALARY', 'NON_SALARY'] as const;
export type IncomeType = (typeof INCOME_TYPES)[number];

export interface IncomeRow {
  row: LedgerRow;
  source: IncomeSource;
}

export function incomeRows(ledger: InsightLedger): IncomeRow[] {
  const out: IncomeRow[] = [];
  for (const row of ledger.rows) {
    const source = incomeSourceOf(row.transaction, row.account);
    if (source) out.push({ row, source });
  }
  return out;
}

export function incomeInsight(ledger: InsightLedger, type: IncomeType): InsightObject {
  const rows = incomeRows(ledger);
  const out: Record<string, InsightValue> = {};
  if (type !== 'NON_SALARY') out['salary'] = incomeGroup(ledger, rows.filter((r) => r.source.salary));
  if (type !== 'SALARY') out['non_salary'] = incomeGroup(ledger, rows.filter((r) => !r.source.salary));
  return out;
}

function incomeGroup(ledger: InsightLedger, income: readonly IncomeRow[]): InsightObject {
  const { scale, currency } = ledger;
  const rows = income.map((r) => r.row);
  const totals = monthlyTotals(rows, ledger.months);
  const { amount, count, first_date_time, last_date_time, average_monthly_amount, average_monthly_count, maximum_monthly_amount, minimum_monthly_amount } =
    summary(rows, totals, ledger);
  const monthsWithIncome = Math.max(totals.filter((t) => t.count > 0).length, 1);
  return {
    currency,
    total: {
      amount: amount!,
      count: count!,
      last_date_time: last_date_time!,
      first_date_time: first_date_time!,
      average_monthly_amount: average_monthly_amount!,
      average_monthly_count: average_monthly_count!,
      // Per month that had any: what a month with income brings in.
      average_monthly_received_value: new Minor(Math.round(sumUnits(rows) / monthsWithIncome), scale),
      maximum_monthly_amount: maximum_monthly_amount!,
      minimum_monthly_amount: minimum_monthly_amount!,
    },
    monthly_totals: totals.map((t) => ({ month: t.month.month, year: t.month.year, amount: new Minor(t.units, scale), count: t.count, is_month_complete: t.month.complete })),
    transactions: income.map(({ row, source }) => ({
      account_id: row.account.account_id,
      transaction_id: row.transaction.transaction_id,
      transaction_information: row.transaction.transaction_information,
      booking_date_time: row.transaction.booking_date_time,
      amount: new Minor(row.units, scale),
      income_source: { type: source.type, name: source.name },
    })),
    income_factors: incomeFactors(totals, scale, currency),
  };
}

/**
 * Per period (the newest 3, 6, 9, 12 months): the mean month and its spread (population standard
 * deviation); the gap between the best and worst month; the mean month-on-month relative change.
 */
function incomeFactors(totals: readonly MonthTotal[], scale: number, currency: string): InsightObject {
  const edges = extremes(totals);
  const chronological = totals.map((t) => t.units).reverse();
  const changes: number[] = [];
  for (let i = 1; i < chronological.length; i++) if (chronological[i - 1]! > 0) changes.push((chronological[i]! - chronological[i - 1]!) / chronological[i - 1]!);
  return {
    periods: PERIODS.map(({ period, months }) => {
      const amounts = totals.slice(0, months).map((t) => t.units);
      return { period, income_variation: new Minor(Math.round(stddev(amounts)), scale), average_income: money(currency, meanUnits(amounts), scale) };
    }),
    delta_min_max: new Minor(edges ? edges.max.units - edges.min.units : 0, scale),
    average_monthly_income_change: changes.length === 0 ? 0 : round2(changes.reduce((a, b) => a + b, 0) / changes.length),
  };
}
