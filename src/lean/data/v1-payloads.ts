import type { Account, Balance, Identity, Money, Transaction } from '../../sandbox/store/records.js';
import type { Body } from './envelopes.js';

/**
 * The v1 `payload`s, mapped from the v2 records (data.yml: AccountListDto, BalanceV1Data,
 * IdentityV1Data, TransactionV1DataPayload). v1 money is one signed number (debits negative)
 * beside `currency_code`.
 */

const signed = (indicator: 'CREDIT' | 'DEBIT', money: Money): number => (indicator === 'DEBIT' ? -money.amount : money.amount);

const identification = (account: Account, scheme: string): string | null =>
  account.account.find((entry) => entry.scheme_name === scheme)?.identification ?? null;

const CARD_SUB_TYPES = new Set(['CREDIT', 'CHARGE_CARD']);

export function v1Accounts(accounts: readonly Account[], balancesOf: (accountId: string) => readonly Balance[]): Body {
  return {
    type: 'accounts',
    accounts: accounts.map((account) => ({
      account_id: account.account_id,
      name: account.nickname,
      currency_code: account.currency,
      type: account.account_sub_type,
      iban: identification(account, 'IBAN'),
      account_number: identification(account, 'BBAN'),
      credit: CARD_SUB_TYPES.has(account.account_sub_type) ? creditOf(account, balancesOf(account.account_id)) : null,
    })),
  };
}

/** What a card account's v1 `credit` can say from the v2 data: the card's last digits and its limit. */
function creditOf(account: Account, balances: readonly Balance[]): Body {
  const credit: Body = {};
  const pan = identification(account, 'PAN');
  if (pan) credit.card_number_last_four = pan.slice(-4);
  const line = balances.flatMap((balance) => balance.credit_line)[0];
  if (line) credit.limit = line.amount.amount;
  return credit;
}

/** Which balance v1's single `balance` reports: the most current available one the bank gave. */
const BALANCE_PREFERENCE = ['CLOSING_AVAILABLE', 'INTERIM_AVAILABLE', 'CLOSING_BOOKED', 'INTERIM_BOOKED', 'EXPECTED'];

export function v1Balance(account: Account, balances: readonly Balance[]): Body {
  const rank = (balance: Balance): number => {
    const index = BALANCE_PREFERENCE.indexOf(balance.type);
    return index === -1 ? BALANCE_PREFERENCE.length : index;
  };
  const chosen = [...balances].sort((a, b) => rank(a) - rank(b))[0];
  return {
    type: 'balance',
    balance: chosen ? signed(chosen.credit_debit_indicator, chosen.amount) : 0,
    currency_code: chosen?.amount.currency ?? account.currency,
    account_id: account.account_id,
    account_name: account.nickname,
    account_type: account.account_sub_type,
  };
}

export function v1Identity(identity: (Identity & { national_id?: string }) | undefined): Body {
  if (!identity) return { type: 'identity' };
  const payload: Body = {
    type: 'identity',
    full_name: identity.full_legal_name,
    mobile_number: identity.mobile_number,
    gender: identity.gender,
    birth_date: identity.birth_date,
    email_address: identity.email_address,
    address: identity.address.address_line ?? Object.values(identity.address).join(', '),
  };
  if (identity.national_id !== undefined) payload.national_identity_number = identity.national_id;
  return payload;
}

/**
 * v1 transactions, newest first; `index` counts within each booking date from 0 (data.yml:
 * "For each date, the first transaction will have an index of 0"). `insights` only when asked.
 */
export function v1Transactions(transactions: readonly Transaction[], insights: boolean): Body {
  const perDay = new Map<string, number>();
  return {
    type: 'transactions',
    transactions: transactions.map((t) => {
      const day = t.booking_date_time.slice(0, 10);
      const index = perDay.get(day) ?? 0;
      perDay.set(day, index + 1);
      const v1: Body = {
        id: t.transaction_id,
        description: t.transaction_information,
        amount: signed(t.credit_debit_indicator, t.amount),
        currency_code: t.amount.currency,
        index,
        pending: t.status === 'PENDING',
        timestamp: t.booking_date_time,
        running_balance: signed(t.balance.credit_debit_indicator, t.balance.amount),
        transaction_reference: t.transaction_reference,
        value_timestamp: t.value_date_time,
        transaction_timestamp: t.booking_date_time,
      };
      if (insights) v1.insights = t.insights ?? fallbackInsights(t);
      return v1;
    }),
  };
}

/** A transaction the generator left uncategorised still answers `insights=true` with Lean's shape. */
function fallbackInsights(t: Transaction): Body {
  const description = t.merchant_details?.merchant_name ?? t.transaction_information;
  return { description_cleansed: description, category: 'OTHER', category_confidence: 0 };
}
