import { daysBetween, PERIODS } from './calendar.js';
import { incomeSourceOf, isLiability, payeeNameOf } from './classify.js';
import type { InsightLedger, LedgerRow } from './ledger.js';
import { meanUnits, Minor, money, round2, type InsightObject, type InsightValue } from './money.js';
import { assetRows } from './cashflows.js';
import { balanceSeries, monthSlice, type BalanceSeries } from './series.js';
import { byMonth, sumUnits } from './stats.js';

/**
 * `GET /insights/v2/assets/balances`: the daily balance of the accounts the customer holds money
 * in (summed), by month and per period, and what the money coming in and going out looks like.
 */

/** Weekend days (0 = Sunday) by currency: Saudi Arabia rests Friday and Saturday, the UAE Saturday and Sunday. */
const WEEKENDS: Record<string, readonly number[]> = { SAR: [5, 6] };
const DEFAULT_WEEKEND = [6, 0];

export function balancesInsight(ledger: InsightLedger): InsightObject {
  const { scale, currency } = ledger;
  const m = (units: number) => money(currency, units, scale);
  const accounts = ledger.accounts.filter((account) => !isLiability(account));
  const series = balanceSeries(ledger, accounts);
  const rows = assetRows(ledger);
  const credits = rows.filter((r) => r.credit);
  const debits = rows.filter((r) => !r.credit);
  const current = series.totals.at(-1) ?? series.opening;
  const available = accounts.reduce((sum, account) => sum + (ledger.closing.get(account.account_id) ?? 0), 0);

  const creditsIn = byMonth(credits);
  const debitsIn = byMonth(debits);
  const months = [...ledger.months].reverse().map((month) => {
    const slice = monthSlice(series, month.key);
    const end = slice.totals.at(-1) ?? slice.initial;
    return {
      month,
      end,
      value: {
        month: month.month,
        year: month.year,
        is_month_complete: month.complete,
        monthly_growth_rate: slice.initial === 0 ? 0 : round2((end - slice.initial) / Math.abs(slice.initial)),
        contribution_amount: m(sumUnits(creditsIn(month.key))),
        average_balance: m(meanUnits(slice.totals)),
        initial_balance: m(slice.initial),
      },
    };
  });
  const changes = months.map((entry, i) => entry.end - (i === 0 ? series.opening : months[i - 1]!.end));
  const monthlyOut = months.map((entry) => sumUnits(debitsIn(entry.month.key)));
  const meanOut = meanUnits(monthlyOut);
  const days = Math.max(series.days.length, 1);
  return {
    total: {
      average_balance: m(meanUnits(series.totals)),
      initial_balance: m(series.opening),
      current_balance: m(current),
      available_balance: m(available),
      frequency_of_contributions: frequency(credits),
    },
    monthly_totals: months.map((entry) => entry.value),
    balance_factors: {
      periods: PERIODS.map(({ period, months: n }) => ({ period, average_balance: new Minor(periodAverage(series, ledger, n), scale) })),
      balance_trend_average_month_on_month: new Minor(meanUnits(changes), scale),
      current_balance: new Minor(current, scale),
      // How many of the window's months ended higher than they started.
      balance_trend: changes.filter((change) => change > 0).length,
      inflow_factors: {
        ...flowFactors(credits, ledger),
        percent_salary_transaction: percent(credits.filter((r) => incomeSourceOf(r.transaction, r.account)?.salary).length, credits.length),
      },
      outflow_factors: {
        ...flowFactors(debits, ledger),
        // Months whose spending ran over one and a half times the window's mean month.
        spike_transactions: months.flatMap((entry, i) =>
          meanOut > 0 && monthlyOut[i]! > 1.5 * meanOut ? [{ month: entry.month.month, year: entry.month.year, amount: new Minor(monthlyOut[i]!, scale) }] : [],
        ),
      },
      daily_net_cashflow_estimate: new Minor(Math.round((sumUnits(credits) - sumUnits(debits)) / days), scale),
    },
  };
}

function periodAverage(series: BalanceSeries, ledger: InsightLedger, months: number): number {
  const keys = new Set(ledger.months.slice(0, months).map((month) => month.key));
  return meanUnits(series.totals.filter((_, i) => keys.has(series.days[i]!.slice(0, 7))));
}

const percent = (part: number, whole: number): number => (whole === 0 ? 0 : Math.round((100 * part) / whole));

function median(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : Math.round((sorted[mid - 1]! + sorted[mid]!) / 2);
}

/** Days between consecutive transactions, oldest first. */
function gaps(rows: readonly LedgerRow[]): number[] {
  const days = rows.map((r) => r.day).reverse();
  return days.slice(1).map((day, i) => daysBetween(days[i]!, day));
}

/**
 * Amount statistics of one direction. `percent_greater_than_x`: the share above the mean amount;
 * `recurring_average`: the mean amount of transactions whose payee recurs in two or more months.
 */
function flowFactors(rows: readonly LedgerRow[], ledger: InsightLedger): Record<string, InsightValue> {
  const { scale } = ledger;
  const weekend = WEEKENDS[ledger.currency] ?? DEFAULT_WEEKEND;
  const amounts = rows.map((r) => r.units);
  const mean = meanUnits(amounts);
  const monthsByName = new Map<string, Set<string>>();
  for (const row of rows) {
    const name = payeeNameOf(row.transaction);
    monthsByName.set(name, (monthsByName.get(name) ?? new Set()).add(row.day.slice(0, 7)));
  }
  const recurring = rows.filter((row) => monthsByName.get(payeeNameOf(row.transaction))!.size >= 2);
  const weekendCount = rows.filter((row) => weekend.includes(new Date(`${row.day}T00:00:00Z`).getUTCDay())).length;
  const between = gaps(rows);
  return {
    median_transaction_amount: new Minor(median(amounts), scale),
    max_transaction_amount: new Minor(amounts.length ? Math.max(...amounts) : 0, scale),
    min_transaction_amount: new Minor(amounts.length ? Math.min(...amounts) : 0, scale),
    weekday_transaction_count: rows.length - weekendCount,
    weekend_transaction_count: weekendCount,
    average_time: between.length ? round2(between.reduce((a, b) => a + b, 0) / between.length) : 0,
    percent_greater_than_x: percent(amounts.filter((a) => a > mean).length, amounts.length),
    recurring_average: new Minor(meanUnits(recurring.map((r) => r.units)), scale),
    median_days: median(between),
  };
}

/** How often money comes in: by the mean gap between credits. */
export function frequency(credits: readonly LedgerRow[]): string | null {
  const between = gaps(credits);
  if (between.length === 0) return null;
  const mean = between.reduce((a, b) => a + b, 0) / between.length;
  return mean <= 1.5 ? 'DAILY' : mean <= 10 ? 'WEEKLY' : mean <= 45 ? 'MONTHLY' : 'IRREGULAR';
}
