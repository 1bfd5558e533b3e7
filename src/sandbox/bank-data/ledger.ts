import type { CreditDebit } from '../store/records.js';
import type { AccountSubType } from './profile.js';

/**
 * The year's bookkeeping. Activity is planned as postings (one leg per account touched, e.g. a
 * transfer debits the current account and credits savings) and then walked in time order over
 * signed balances in fils, so every running balance is the previous one ± the amount, and a
 * posting that would break an account's limits (an overdraft, a card over its limit) is dropped
 * whole rather than booked on one side only.
 */

/** Lean's `transaction_type` and `sub_transaction_type` of a leg. */
export interface TransactionKind {
  type: 'POS' | 'E_COMMERCE' | 'ATM' | 'BILL_PAYMENTS' | 'LOCAL_BANK_TRANSFER' | 'SAME_BANK_TRANSFER' | 'INTERNATIONAL_TRANSFER' | 'OTHER';
  subType: 'PURCHASE' | 'WITHDRAWAL' | 'DEPOSIT' | 'MONEY_TRANSFER' | 'NOT_APPLICABLE';
}

/** The other side of a transfer: the creditor of a debit, the debtor of a credit. */
export interface Counterparty {
  iban: string;
  name: string;
  bic: string;
  bank: string;
}

/** How a leg reads on its account's statement. */
export interface LegDetails {
  information: string;
  code: string;
  subCode: string;
  merchant: { merchant_category_code: string; merchant_name: string } | null;
  /** Card authorisations: still PENDING when they happened in the last day. */
  card: boolean;
  /** Names the standing order or direct debit that produced the leg, to find its last payment. */
  source?: string;
  kind?: TransactionKind;
  counterparty?: Counterparty;
}

export interface Leg {
  account: AccountSubType;
  direction: CreditDebit;
  details: LegDetails;
}

/** An amount in fils, or a rule that sizes it from the balances at the time (a card settlement). */
export type Amount = number | ((balanceOf: (account: AccountSubType) => number) => number);

export interface Posting {
  at: number;
  amount: Amount;
  legs: Leg[];
}

/** Signed fils: what an account may hold. */
export interface Bounds {
  opening: number;
  min: number;
  max: number;
}

export interface LedgerEntry {
  at: number;
  direction: CreditDebit;
  /** Positive fils. */
  amount: number;
  /** Signed fils after this entry. */
  balance: number;
  details: LegDetails;
}

/** Books the postings in time order (stable for equal times); entries per account, oldest first. */
export function book(postings: readonly Posting[], bounds: ReadonlyMap<AccountSubType, Bounds>): Map<AccountSubType, LedgerEntry[]> {
  const balances = new Map<AccountSubType, number>();
  const ledger = new Map<AccountSubType, LedgerEntry[]>();
  for (const [account, bound] of bounds) {
    balances.set(account, bound.opening);
    ledger.set(account, []);
  }
  const balanceOf = (account: AccountSubType): number => balances.get(account) ?? 0;
  const ordered = postings.map((posting, order) => ({ posting, order })).sort((a, b) => a.posting.at - b.posting.at || a.order - b.order);

  for (const { posting } of ordered) {
    const amount = typeof posting.amount === 'number' ? posting.amount : posting.amount(balanceOf);
    if (!Number.isSafeInteger(amount) || amount <= 0) continue;
    const fits = posting.legs.every((leg) => {
      const bound = bounds.get(leg.account);
      if (!bound) return false;
      const after = balanceOf(leg.account) + (leg.direction === 'CREDIT' ? amount : -amount);
      return after >= bound.min && after <= bound.max;
    });
    if (!fits) continue;
    for (const leg of posting.legs) {
      const balance = balanceOf(leg.account) + (leg.direction === 'CREDIT' ? amount : -amount);
      balances.set(leg.account, balance);
      ledger.get(leg.account)!.push({ at: posting.at, direction: leg.direction, amount, balance, details: leg.details });
    }
  }
  return ledger;
}
