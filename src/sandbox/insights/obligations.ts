import { MONTH_NAMES } from './calendar.js';
import { expenseCategoryOf, isCard, isCardRepayment, isExpense, isLiability, isLoanDisbursement, isLoanRepayment, payeeNameOf } from './classify.js';
import type { InsightLedger, LedgerRow } from './ledger.js';
import { meanUnits, money, ratio, round2, type InsightObject, type InsightValue } from './money.js';
import { frequency } from './balances.js';
import { balanceSeries, monthSlice } from './series.js';
import { dayTime, extremes, monthlyTotals, sumUnits, type MonthTotal } from './stats.js';

/**
 * `GET /insights/v2/liabilities/credit-obligations`: loan instalments paid from the customer's
 * own accounts, loans paid out to them, card bills paid and card spending, and the cards' balance.
 * `…/non-credit-obligations`: spending (as in expenses, loans aside) on payees that recur in two
 * or more months of the window.
 */

export function creditObligationsInsight(ledger: InsightLedger): InsightObject {
  const { scale, currency } = ledger;
  const m = (units: number) => money(currency, units, scale);
  const cards = ledger.accounts.filter(isCard);
  const repayments = ledger.rows.filter((r) => !r.liability && !r.credit && isLoanRepayment(r.transaction));
  const received = ledger.rows.filter((r) => !r.liability && r.credit && isLoanDisbursement(r.transaction));
  const cardIds = new Set(cards.map((card) => card.account_id));
  const onCards = ledger.rows.filter((r) => cardIds.has(r.account.account_id));
  const cardRepayments = onCards.filter((r) => r.credit && isCardRepayment(r.transaction));
  const cardSpending = onCards.filter((r) => !r.credit && isExpense(r.transaction));
  const series = cards.length ? balanceSeries(ledger, cards) : null;
  // A card balance is money owed: shown as a positive amount owed.
  const owed = (signedUnits: number) => m(-signedUnits);
  const sumOf = (rows: readonly LedgerRow[]) => ({ amount: m(sumUnits(rows)), count: rows.length });
  const stat = (rows: readonly LedgerRow[], pick: (units: number[]) => number) => (rows.length ? m(pick(rows.map((r) => r.units))) : null);
  const currentOwed = cards.reduce((sum, card) => sum + (ledger.closing.get(card.account_id) ?? 0), 0);
  const cardBalance = (average: number, initial: number, current: number, available: number | null, credits: readonly LedgerRow[]) =>
    series
      ? { average_balance: owed(average), initial_balance: owed(initial), current_balance: owed(current), available_balance: available === null ? null : owed(available), frequency_of_contributions: frequency(credits) }
      : { average_balance: null, initial_balance: null, current_balance: null, available_balance: null, frequency_of_contributions: null };

  return {
    current_credit_cards_balance: { amount: cards.length ? owed(currentOwed) : null },
    number_of_credit_cards: cards.length,
    total: {
      loan_repayments: sumOf(repayments),
      minimum_loan_repayment: stat(repayments, (u) => Math.min(...u)),
      maximum_loan_repayment: stat(repayments, (u) => Math.max(...u)),
      average_loan_repayment: stat(repayments, meanUnits),
      last_loan_repayment_date_time: dayTime(repayments[0]?.day),
      loan_received: sumOf(received),
      minimum_loan_received: stat(received, (u) => Math.min(...u)),
      maximum_loan_received: stat(received, (u) => Math.max(...u)),
      average_loan_received: stat(received, meanUnits),
      last_loan_received_date_time: dayTime(received[0]?.day),
      credit_cards_repayments: sumOf(cardRepayments),
      credit_cards_spending: sumOf(cardSpending),
      credit_cards_balance: series
        ? cardBalance(meanUnits(series.totals), series.opening, series.totals.at(-1) ?? series.opening, currentOwed, cardRepayments)
        : cardBalance(0, 0, 0, null, []),
    },
    monthly_totals: ledger.months.map((month) => {
      const inMonth = (rows: readonly LedgerRow[]) => rows.filter((r) => r.day.startsWith(month.key));
      const slice = series ? monthSlice(series, month.key) : null;
      return {
        month: month.month,
        year: month.year,
        is_month_complete: month.complete,
        loan_repayments: sumOf(inMonth(repayments)),
        loan_received: sumOf(inMonth(received)),
        credit_cards_repayments: sumOf(inMonth(cardRepayments)),
        credit_cards_spending: sumOf(inMonth(cardSpending)),
        credit_cards_balance: slice
          ? cardBalance(meanUnits(slice.totals), slice.initial, slice.totals.at(-1) ?? slice.initial, null, inMonth(cardRepayments))
          : cardBalance(0, 0, 0, null, []),
      };
    }),
  };
}

/** Non-credit obligations: recurring spending other than loans and card bills. */
export function obligationRows(ledger: InsightLedger): Map<string, LedgerRow[]> {
  const groups = new Map<string, LedgerRow[]>();
  for (const row of ledger.rows) {
    if (!isExpense(row.transaction) || expenseCategoryOf(row.transaction) === 'LOAN' || isLiability(row.account) && !isCard(row.account)) continue;
    const name = payeeNameOf(row.transaction);
    const group = groups.get(name);
    if (group) group.push(row);
    else groups.set(name, [row]);
  }
  for (const [name, group] of groups) if (new Set(group.map((r) => r.day.slice(0, 7))).size < 2) groups.delete(name);
  return groups;
}

export function nonCreditObligationsInsight(ledger: InsightLedger): InsightObject {
  const { scale, currency } = ledger;
  const m = (units: number) => money(currency, units, scale);
  const groups = [...obligationRows(ledger)].sort((a, b) => sumUnits(b[1]) - sumUnits(a[1]) || (a[0] < b[0] ? -1 : 1));
  const rows = groups.flatMap(([, group]) => group).sort((a, b) => (a.transaction.booking_date_time < b.transaction.booking_date_time ? 1 : -1));
  const total = sumUnits(rows);
  const months = Math.max(ledger.months.length, 1);
  const named = (t: MonthTotal): InsightObject => ({ month: MONTH_NAMES[t.month.month - 1]!, amount: m(t.units) });
  const edgesOf = (totals: readonly MonthTotal[]): Record<string, InsightValue> => {
    const edges = extremes(totals);
    return { maximum_monthly_amount: edges ? named(edges.max) : null, minimum_monthly_amount: edges ? named(edges.min) : null };
  };
  const totals = monthlyTotals(rows, ledger.months);
  return {
    total: {
      amount: m(total),
      count: rows.length,
      first_date_time: dayTime(rows.at(-1)?.day),
      last_date_time: dayTime(rows[0]?.day),
      average_monthly_amount: m(Math.round(total / months)),
      average_monthly_count: round2(rows.length / months),
      ...edgesOf(totals),
      breakdown: [
        {
          by: 'RECURRING_TRANSACTIONS',
          breakdowns: groups.map(([name, group]) => {
            const units = sumUnits(group);
            // Per month the payee was paid in.
            const paid = monthlyTotals(group, ledger.months).filter((t) => t.count > 0);
            return {
              transaction_name: name,
              amount: m(units),
              count: group.length,
              fraction_of_total_obligations: ratio(units, total),
              average_monthly_amount: m(Math.round(units / paid.length)),
              average_monthly_count: round2(group.length / paid.length),
              ...edgesOf(paid),
            };
          }),
        },
      ],
    },
    monthly_totals: totals.map((t) => ({ month: t.month.month, year: t.month.year, is_month_complete: t.month.complete, amount: m(t.units), count: t.count })),
  };
}
