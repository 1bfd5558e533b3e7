import { daysBetween } from './calendar.js';
import { expenseCategoryOf, isExpense } from './classify.js';
import type { InsightLedger, LedgerRow } from './ledger.js';
import { Minor, ratio, round2, type InsightObject } from './money.js';
import { byMonth, dayTime, extremes, monthlyTotals, monthRef, summary, sumUnits } from './stats.js';

/** `GET /insights/v2/expenses`: spending in the window, in total, by category and by month. */

export function expenseRows(ledger: InsightLedger): LedgerRow[] {
  return ledger.rows.filter((row) => isExpense(row.transaction));
}

/** Rows by category, largest total first (ties by name, so the order is stable). */
function byCategory(rows: readonly LedgerRow[]): [string, LedgerRow[]][] {
  const groups = new Map<string, LedgerRow[]>();
  for (const row of rows) {
    const category = expenseCategoryOf(row.transaction);
    const group = groups.get(category);
    if (group) group.push(row);
    else groups.set(category, [row]);
  }
  return [...groups].sort((a, b) => sumUnits(b[1]) - sumUnits(a[1]) || (a[0] < b[0] ? -1 : 1));
}

export function expensesInsight(ledger: InsightLedger): InsightObject {
  const { scale } = ledger;
  const rows = expenseRows(ledger);
  const total = sumUnits(rows);
  const totals = monthlyTotals(rows, ledger.months);
  const months = Math.max(totals.length, 1);
  const rowsIn = byMonth(rows);
  const breakdowns = byCategory(rows).map(([category, group]) => {
    const units = sumUnits(group);
    const edges = extremes(monthlyTotals(group, ledger.months))!;
    const first = group.at(-1)!.day;
    const last = group[0]!.day;
    return {
      category,
      amount: new Minor(units, scale),
      count: group.length,
      fraction_of_total_expenses: ratio(units, total),
      average_days_between_transactions: group.length < 2 ? 0 : round2(daysBetween(first, last) / (group.length - 1)),
      last_date_time: dayTime(last),
      first_date_time: dayTime(first),
      average_monthly_amount: new Minor(Math.round(units / months), scale),
      average_monthly_count: round2(group.length / months),
      maximum_monthly_amount: monthRef(edges.max, scale),
      minimum_monthly_amount: monthRef(edges.min, scale),
    };
  });
  const { amount, count, first_date_time, last_date_time, average_monthly_amount, average_monthly_count, maximum_monthly_amount, minimum_monthly_amount } =
    summary(rows, totals, ledger);
  return {
    currency: ledger.currency,
    total: {
      count: count!,
      amount: amount!,
      first_date_time: first_date_time!,
      last_date_time: last_date_time!,
      average_monthly_count: average_monthly_count!,
      average_monthly_amount: average_monthly_amount!,
      minimum_monthly_amount: minimum_monthly_amount!,
      maximum_monthly_amount: maximum_monthly_amount!,
      breakdown: [{ by: 'category', breakdowns }],
    },
    monthly_totals: totals.map((t) => {
      const inMonth = rowsIn(t.month.key);
      return {
        month: t.month.month,
        year: t.month.year,
        amount: new Minor(t.units, scale),
        count: t.count,
        is_month_complete: t.month.complete,
        breakdown: [
          {
            by: 'category',
            breakdowns: byCategory(inMonth).map(([category, group]) => ({
              category,
              amount: new Minor(sumUnits(group), scale),
              count: group.length,
              fraction_of_total_expenses: ratio(sumUnits(group), t.units),
            })),
          },
        ],
      };
    }),
  };
}
