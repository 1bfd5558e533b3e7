import type { Month } from './calendar.js';
import type { InsightLedger, LedgerRow } from './ledger.js';
import { Minor, round2, type InsightObject, type InsightValue } from './money.js';

/** The folds several insights share: per-month totals and a summary of a set of rows. */

export interface MonthTotal {
  month: Month;
  units: number;
  count: number;
}

/** One total per window month (newest first, as `months`), zero where nothing happened. */
export function monthlyTotals(rows: readonly LedgerRow[], months: readonly Month[]): MonthTotal[] {
  const byKey = new Map(months.map((month) => [month.key, { month, units: 0, count: 0 }]));
  for (const row of rows) {
    const total = byKey.get(row.day.slice(0, 7));
    if (!total) continue;
    total.units += row.units;
    total.count++;
  }
  return [...byKey.values()];
}

export const sumUnits = (rows: readonly LedgerRow[]): number => rows.reduce((sum, row) => sum + row.units, 0);

/** The highest and lowest month (ties: the newest), or null without months. */
export function extremes(totals: readonly MonthTotal[]): { max: MonthTotal; min: MonthTotal } | null {
  if (totals.length === 0) return null;
  let max = totals[0]!;
  let min = totals[0]!;
  for (const total of totals) {
    if (total.units > max.units) max = total;
    if (total.units < min.units) min = total;
  }
  return { max, min };
}

export const monthRef = (total: MonthTotal, scale: number): InsightObject => ({
  month: total.month.month,
  year: total.month.year,
  amount: new Minor(total.units, scale),
});

/** Lean's midnight-UTC date-time of a booking day (insights report days, not times). */
export const dayTime = (day: string | undefined): string | null => (day === undefined ? null : `${day}T00:00:00Z`);

/**
 * `total` of income and expenses: sum and count, first and last booking, per-month averages over
 * the window's months, and the highest and lowest month.
 */
export function summary(rows: readonly LedgerRow[], totals: readonly MonthTotal[], ledger: InsightLedger): Record<string, InsightValue> {
  const units = sumUnits(rows);
  const months = Math.max(totals.length, 1);
  const edges = extremes(totals);
  return {
    amount: new Minor(units, ledger.scale),
    count: rows.length,
    first_date_time: dayTime(rows.at(-1)?.day),
    last_date_time: dayTime(rows[0]?.day),
    average_monthly_amount: new Minor(Math.round(units / months), ledger.scale),
    average_monthly_count: round2(rows.length / months),
    maximum_monthly_amount: edges ? monthRef(edges.max, ledger.scale) : null,
    minimum_monthly_amount: edges ? monthRef(edges.min, ledger.scale) : null,
  };
}

/** Rows by `YYYY-MM`, each month's in the rows' order: one pass instead of a filter per month. */
export function byMonth(rows: readonly LedgerRow[]): (key: string) => readonly LedgerRow[] {
  const groups = new Map<string, LedgerRow[]>();
  for (const row of rows) {
    const key = row.day.slice(0, 7);
    const group = groups.get(key);
    if (group) group.push(row);
    else groups.set(key, [row]);
  }
  return (key) => groups.get(key) ?? [];
}
