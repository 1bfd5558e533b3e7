import { PERIODS } from './calendar.js';
import type { InsightLedger, LedgerRow } from './ledger.js';
import { meanUnits, money, ratio, round2, type InsightObject } from './money.js';
import { byMonth, sumUnits } from './stats.js';

/**
 * `GET /insights/v2/assets/cashflows`: money in and out of the accounts the customer holds money
 * in (not cards or loans). Every credit there is an inflow, every debit an outflow, moves between
 * two of those accounts included (they add to both sides and cancel in the net).
 */

export function assetRows(ledger: InsightLedger): LedgerRow[] {
  return ledger.rows.filter((row) => !row.liability);
}

export function cashflowsInsight(ledger: InsightLedger): InsightObject {
  const { scale, currency } = ledger;
  const rows = assetRows(ledger);
  const credits = rows.filter((r) => r.credit);
  const debits = rows.filter((r) => !r.credit);
  const m = (units: number) => money(currency, units, scale);
  const flows = (inRows: readonly LedgerRow[], outRows: readonly LedgerRow[]) => ({
    inwards: [{ category: 'inflow', amount: m(sumUnits(inRows)), count: inRows.length }],
    outwards: [{ category: 'outflow', amount: m(sumUnits(outRows)), count: outRows.length }],
    net: { overall_amount: m(sumUnits(inRows) - sumUnits(outRows)), net_cashflow: null },
  });
  const creditsIn = byMonth(credits);
  const debitsIn = byMonth(debits);
  const largest = (rows: readonly LedgerRow[]) => rows.reduce((max, r) => Math.max(max, r.units), 0);
  const maxIn = ledger.months.map((month) => largest(creditsIn(month.key)));
  const maxOut = ledger.months.map((month) => largest(debitsIn(month.key)));
  return {
    total: flows(credits, debits),
    monthly_totals: ledger.months.map((month) => ({
      month: month.month,
      year: month.year,
      is_month_complete: month.complete,
      ...flows(creditsIn(month.key), debitsIn(month.key)),
    })),
    credit_debit_behaviour: {
      periods: PERIODS.map(({ period, months }) => {
        const keys = new Set(ledger.months.slice(0, months).map((month) => month.key));
        const c = [...keys].flatMap(creditsIn);
        const d = [...keys].flatMap(debitsIn);
        const n = Math.max(keys.size, 1);
        const avgCredit = meanUnits(c.map((r) => r.units));
        const avgDebit = meanUnits(d.map((r) => r.units));
        return {
          period,
          grand_average_credit_amount: m(avgCredit),
          grand_average_credit_count: round2(c.length / n),
          grand_average_debit_amount: m(avgDebit),
          grand_average_debit_count: round2(d.length / n),
          grand_average_credit_debit_amount_ratio: ratio(avgCredit, avgDebit),
          grand_average_credit_debit_count_ratio: ratio(c.length, d.length),
          total_volume_of_credit: m(sumUnits(c)),
          total_volume_of_debit: m(sumUnits(d)),
          total_volume_of_credit_debit_ratio: ratio(sumUnits(c), sumUnits(d)),
        };
      }),
    },
    big_payments: {
      periods: PERIODS.map(({ period, months }) => {
        const credit = meanUnits(maxIn.slice(0, months));
        const debit = meanUnits(maxOut.slice(0, months));
        return {
          period,
          average_max_monthly_credit_amount: m(credit),
          average_max_monthly_debit_amount: m(debit),
          average_max_monthly_credit_debit_amount_ratio: ratio(credit, debit),
        };
      }),
    },
  };
}
