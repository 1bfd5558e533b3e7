import type { Account } from '../store/records.js';
import { eachDay } from './calendar.js';
import { signed, type InsightLedger, type LedgerRow } from './ledger.js';
import { toUnits } from './money.js';

/**
 * The end-of-day balance of a set of accounts over the window, summed, from the running balance
 * each transaction carries (the balance before the window is the oldest row's balance less its
 * amount; an account without rows in the window holds its closing balance throughout).
 */
export interface BalanceSeries {
  days: string[];
  /** Signed minor units at the end of each day. */
  totals: number[];
  /** Before the window's first transaction. */
  opening: number;
}

export function balanceSeries(ledger: InsightLedger, accounts: readonly Account[]): BalanceSeries {
  const days = eachDay(ledger.window.start, ledger.window.end);
  const totals = new Array<number>(days.length).fill(0);
  let opening = 0;
  const byAccount = new Map<string, LedgerRow[]>();
  // Oldest first: the ledger lists newest first.
  for (let i = ledger.rows.length - 1; i >= 0; i--) {
    const row = ledger.rows[i]!;
    const list = byAccount.get(row.account.account_id);
    if (list) list.push(row);
    else byAccount.set(row.account.account_id, [row]);
  }
  for (const account of accounts) {
    const rows = byAccount.get(account.account_id) ?? [];
    const first = rows[0];
    let balance = first
      ? signed(first.transaction.balance.credit_debit_indicator, toUnits(first.transaction.balance.amount.amount, ledger.scale)) -
        (first.credit ? first.units : -first.units)
      : (ledger.closing.get(account.account_id) ?? 0);
    opening += balance;
    let next = 0;
    days.forEach((day, i) => {
      while (next < rows.length && rows[next]!.day <= day) {
        const row = rows[next++]!;
        balance = signed(row.transaction.balance.credit_debit_indicator, toUnits(row.transaction.balance.amount.amount, ledger.scale));
      }
      totals[i]! += balance;
    });
  }
  return { days, totals, opening };
}

/** The series' days within one month (or none), with the balance the month started from. */
export function monthSlice(series: BalanceSeries, key: string): { totals: number[]; initial: number } {
  const from = series.days.findIndex((day) => day.startsWith(key));
  if (from < 0) return { totals: [], initial: 0 };
  let to = from;
  while (to < series.days.length && series.days[to]!.startsWith(key)) to++;
  return { totals: series.totals.slice(from, to), initial: from === 0 ? series.opening : series.totals[from - 1]! };
}
