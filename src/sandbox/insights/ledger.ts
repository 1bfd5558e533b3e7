import { accountBalances, accountTransactions, entityAccounts } from '../data-access.js';
import type { SandboxStore } from '../store/store.js';
import type { Account, Entity, Transaction } from '../store/records.js';
import { windowMonths, type Month } from './calendar.js';
import { isLiability } from './classify.js';
import { scaleOf, toUnits } from './money.js';

/**
 * An entity's ledger over an insight's window, read exactly as the data API serves it (the same
 * accounts, the same transactions with the same ids, amounts and dates), with each amount in
 * minor units. Every insight is a fold over these rows.
 */

export interface LedgerRow {
  account: Account;
  transaction: Transaction;
  /** `YYYY-MM-DD` of the booking. */
  day: string;
  /** Positive minor units. */
  units: number;
  credit: boolean;
  liability: boolean;
}

export interface Window {
  /** First day, inclusive. */
  start: string;
  /** Last day, inclusive: today. */
  end: string;
}

export interface InsightLedger {
  currency: string;
  scale: number;
  window: Window;
  accounts: Account[];
  /** Newest first. */
  rows: LedgerRow[];
  /** Newest first. */
  months: Month[];
  /** Each account's CLOSING_AVAILABLE balance (signed minor units) as the balances endpoint serves it. */
  closing: Map<string, number>;
}

/**
 * The entity's currency is its first account's (the data API lists accounts in the bank's
 * order, the main account first); transactions in another currency are left out of the figures.
 */
export function readLedger(store: SandboxStore, app: string, entity: Entity, window: Window): InsightLedger {
  const accounts = entityAccounts(store, app, entity.id);
  const currency = accounts[0]?.currency ?? 'AED';
  const scale = scaleOf(currency);
  const rows: LedgerRow[] = [];
  for (const account of accounts) {
    for (const transaction of accountTransactions(store, app, account.account_id, window)) {
      if (transaction.amount.currency !== currency) continue;
      rows.push({
        account,
        transaction,
        day: transaction.booking_date_time.slice(0, 10),
        units: toUnits(transaction.amount.amount, scale),
        credit: transaction.credit_debit_indicator === 'CREDIT',
        liability: isLiability(account),
      });
    }
  }
  rows.sort((a, b) => (a.transaction.booking_date_time < b.transaction.booking_date_time ? 1 : a.transaction.booking_date_time > b.transaction.booking_date_time ? -1 : 0));
  const closing = new Map<string, number>();
  for (const account of accounts) {
    const balance = accountBalances(store, app, account.account_id).find((b) => b.type === 'CLOSING_AVAILABLE');
    if (balance) closing.set(account.account_id, signed(balance.credit_debit_indicator, toUnits(balance.amount.amount, scale)));
  }
  return { currency, scale, window, accounts, rows, months: windowMonths(window.start, window.end), closing };
}

export const signed = (indicator: 'CREDIT' | 'DEBIT', units: number): number => (indicator === 'DEBIT' ? -units : units);
