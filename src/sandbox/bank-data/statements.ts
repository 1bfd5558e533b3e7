import type { SeededRandom } from '../random.js';
import { digits, uuid } from './ids.js';
import type { Balance, CreditDebit, Transaction } from '../store/records.js';
import type { AccountPlan } from './accounts.js';
import { DAY, isoDateTime, money, startOfDay } from './calendar.js';
import type { LedgerEntry } from './ledger.js';
import type { Region } from './regions.js';
import { transactionDetails, type DetailsContext } from './transaction-details.js';
import { withRegionalFields } from './regions.js';

/** An account's booked entries as Lean's transactions and balances. */

const direction = (signed: number): CreditDebit => (signed < 0 ? 'DEBIT' : 'CREDIT');

export function transactionRecords(
  random: SeededRandom,
  context: { entityId: string; account: AccountPlan; entries: readonly LedgerEntry[]; asOf: number; region: Region; details: DetailsContext },
): Transaction[] {
  const { entityId, account, entries, asOf, region } = context;
  const { currency } = region;
  // Only a region whose transactions carry the payment's details draws them (from their own fork).
  const detailed = (region.carries.transaction?.length ?? 0) > 0;
  const out: Transaction[] = [];
  // Newest first: index 0 is the latest entry, as Lean's statements are ordered.
  for (let i = entries.length - 1; i >= 0; i--) {
    const entry = entries[i]!;
    const pending = entry.details.card && entry.at > asOf - DAY;
    const at = isoDateTime(entry.at);
    const day = `${at.slice(2, 4)}${at.slice(5, 7)}${at.slice(8, 10)}`;
    const record: Transaction = {
      entity_id: entityId,
      account_id: account.accountId,
      transaction_id: uuid(random),
      transaction_information: entry.details.information,
      transaction_reference: `${entry.details.card ? 'AUTH' : 'FT'}${day}${digits(random, 8)}`,
      credit_debit_indicator: entry.direction,
      amount: money(entry.amount, currency),
      transaction_mutability: pending ? 'MUTABLE' : 'IMMUTABLE',
      booking_date_time: at,
      value_date_time: at,
      status: pending ? 'PENDING' : 'BOOKED',
      balance: { type: 'CLOSING_AVAILABLE', credit_debit_indicator: direction(entry.balance), amount: money(entry.balance, currency) },
      bank_transaction_code: { code: entry.details.code, sub_code: entry.details.subCode },
      merchant_details: entry.details.merchant,
      insights: null,
      index: out.length,
    };
    out.push(detailed ? withRegionalFields(region, 'transaction', record, transactionDetails(entry, account, context.details)) : record);
  }
  return out;
}

/**
 * The account's available balance now (the last entry's) and at the start of today (the last
 * entry before midnight UTC, or the opening balance of the history).
 */
export function balanceRecords(context: { entityId: string; account: AccountPlan; entries: readonly LedgerEntry[]; asOf: number; region: Region }): Balance[] {
  const { account, entries, asOf, region } = context;
  const { currency } = region;
  const midnight = startOfDay(asOf);
  let opening = account.bounds.opening;
  for (const entry of entries) if (entry.at < midnight) opening = entry.balance;
  const closing = entries.at(-1)?.balance ?? account.bounds.opening;
  const creditLine = account.limit === null ? [] : [{ included: false, amount: money(account.limit, currency), type: 'CREDIT' }];
  const balance = (type: string, signed: number, at: number): Balance =>
    withRegionalFields(
      region,
      'balance',
      {
        account_id: account.accountId,
        credit_debit_indicator: direction(signed),
        amount: money(signed, currency),
        type,
        date_time: isoDateTime(at),
        credit_line: creditLine,
      },
      { entity_id: context.entityId },
    );
  return [balance('CLOSING_AVAILABLE', closing, asOf), balance('OPENING_AVAILABLE', opening, midnight)];
}
