import { DATA_COLLECTIONS, type AccountScopedRecord } from '../../src/sandbox/data-access.js';
import type { SandboxStore } from '../../src/sandbox/store/store.js';
import {
  COLLECTIONS,
  type Account,
  type Balance,
  type CreditDebit,
  type Customer,
  type Entity,
  type EntitySession,
  type Identity,
  type Transaction,
} from '../../src/sandbox/store/records.js';
import { SANDBOX_NOW, testStore } from '../support/sandbox-app.js';

/**
 * A small hand-made dataset for the data API's tests, independent of the sandbox's generator:
 * my_app has entity E1 (a current account with 80 transactions, two a day on 40 days, and a
 * credit card with 40) and entity E3 (one account, no transactions, transactions permission not
 * granted); other_app has entity E2 with an account of its own. Every running balance follows
 * from the one before it, and the newest equals the account's CLOSING_AVAILABLE balance.
 */

const id = (prefix: string, n: number): string => `${prefix}000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

export const IDS = {
  customer: id('c1', 1),
  otherCustomer: id('c2', 2),
  e1: id('e1', 1),
  e2: id('e2', 2),
  e3: id('e3', 3),
  a1: id('a1', 1),
  a2: id('a2', 2),
  a3: id('a3', 3),
  a4: id('a4', 4),
} as const;

export const APP_USER_ID = 'user-42';
export const ENTITY_CREATED_AT = '2025-03-01T08:00:00.000Z';
/** Cents, so running balances add up exactly. */
const A1_OPENING = 1_000_000;
const A2_OPENING = -50_000;

const DAY_MS = 86_400_000;
const at = (daysAgo: number, time: string): string =>
  `${new Date(SANDBOX_NOW.getTime() - daysAgo * DAY_MS).toISOString().slice(0, 10)}T${time}.000Z`;

const PERMISSIONS = {
  identity: true,
  accounts: true,
  balance: true,
  transactions: true,
  identities: true,
  scheduled_payments: true,
  standing_orders: true,
  direct_debits: true,
  beneficiaries: true,
};

function entity(entityId: string, customerId: string, transactions = true): Entity {
  return {
    id: entityId,
    customer_id: customerId,
    bank_identifier: 'LEAN_OF_RETAIL_UAE',
    permissions: { ...PERMISSIONS, transactions },
    bank_type: 'RETAIL',
    created_at: ENTITY_CREATED_AT,
    consents: [],
  };
}

function account(entityId: string, accountId: string, subType: string, iban: string, pan?: string): Account {
  const identifications = [
    { scheme_name: 'IBAN', identification: iban, name: 'Mohammed Ahmed' },
    { scheme_name: 'BBAN', identification: iban.slice(4), name: 'Mohammed Ahmed' },
  ];
  if (pan) identifications.push({ scheme_name: 'PAN', identification: pan, name: 'Mohammed Ahmed' });
  return {
    entity_id: entityId,
    account_id: accountId,
    account_holder_name: 'Mohammed Ahmed',
    account_holder_short_name: 'Mohammed',
    status: 'ENABLED',
    status_update_date_time: '2025-03-01T08:00:00.000Z',
    currency: 'AED',
    account_type: 'PERSONAL',
    account_sub_type: subType,
    nickname: `${subType} account`,
    description: `Personal ${subType.toLowerCase()} account`,
    opening_date: '2022-06-10',
    maturity_date: null,
    account: identifications,
    servicer: { scheme_name: 'BICFI', identification: 'EBILAEAD' },
  };
}

interface Movement {
  bookedAt: string;
  indicator: CreditDebit;
  cents: number;
  label: string;
}

const money = (cents: number) => ({ currency: 'AED', amount: cents / 100 });
const signedToBalance = (cents: number) => ({
  credit_debit_indicator: (cents < 0 ? 'DEBIT' : 'CREDIT') as CreditDebit,
  amount: money(Math.abs(cents)),
});

/** Oldest first in, newest first out, each with the balance it leaves. */
function statement(
  entityId: string,
  accountId: string,
  opening: number,
  movements: Movement[],
): { transactions: Transaction[]; closing: number } {
  let running = opening;
  const transactions = movements.map((movement, n): Transaction => {
    running += movement.indicator === 'CREDIT' ? movement.cents : -movement.cents;
    return {
      entity_id: entityId,
      account_id: accountId,
      transaction_id: `${accountId.slice(0, 8)}-0000-4000-9000-${String(n).padStart(12, '0')}`,
      transaction_information: movement.label,
      transaction_reference: `REF-${accountId.slice(0, 2)}-${n}`,
      credit_debit_indicator: movement.indicator,
      amount: money(movement.cents),
      transaction_mutability: 'IMMUTABLE',
      booking_date_time: movement.bookedAt,
      value_date_time: movement.bookedAt,
      status: 'BOOKED',
      balance: { type: 'INTERIM_BOOKED', ...signedToBalance(running) },
      bank_transaction_code: { code: 'Payments', sub_code: movement.indicator === 'CREDIT' ? 'Transfer' : 'POS Purchase' },
      merchant_details: movement.indicator === 'DEBIT' ? { merchant_category_code: '5411', merchant_name: movement.label } : null,
      insights: n % 10 === 3 ? { description_cleansed: 'Groceries', category: 'GROCERIES', category_confidence: 0.9 } : null,
      index: 0,
    };
  });
  const newestFirst = transactions.reverse().map((t, index) => ({ ...t, index }));
  // The newest movement is still pending at the bank.
  newestFirst[0] = { ...newestFirst[0]!, status: 'PENDING', transaction_mutability: 'MUTABLE' };
  return { transactions: newestFirst, closing: running };
}

/**
 * A1: two movements a day on 40 days (1, 9, 17 … 313 days ago); every fifth a salary credit.
 * Dated only, as many banks book them: the statement order alone tells the pair apart.
 */
function a1Movements(): Movement[] {
  const out: Movement[] = [];
  for (let day = 39; day >= 0; day--) {
    for (const slot of [0, 1]) {
      const n = day * 2 + slot;
      const credit = n % 5 === 0;
      out.push({
        bookedAt: at(1 + 8 * day, '00:00:00'),
        indicator: credit ? 'CREDIT' : 'DEBIT',
        cents: credit ? 250_000 : 5_025 + ((n * 3_700) % 40_000),
        label: credit ? 'SALARY TRANSFER' : `CARREFOUR ${n}`,
      });
    }
  }
  return out;
}

/** A2, a credit card: a purchase every 9 days (2 … 353 days ago), every fifth a repayment. */
function a2Movements(): Movement[] {
  const out: Movement[] = [];
  for (let i = 39; i >= 0; i--) {
    const credit = i % 5 === 0;
    out.push({
      bookedAt: at(2 + 9 * i, '12:00:00'),
      indicator: credit ? 'CREDIT' : 'DEBIT',
      cents: credit ? 30_000 : 2_000 + ((i * 1_300) % 10_000),
      label: credit ? 'CARD REPAYMENT' : `NOON.COM ${i}`,
    });
  }
  return out;
}

function balance(accountId: string, type: string, cents: number, creditLine: Balance['credit_line'] = []): Balance {
  return { account_id: accountId, ...signedToBalance(cents), type, date_time: SANDBOX_NOW.toISOString(), credit_line: creditLine };
}

function identity(entityId: string, name: string, extra: Partial<Identity> & { account_id?: string } = {}): Identity {
  return {
    entity_id: entityId,
    full_legal_name: `${name} Al-Maktoum`,
    name,
    phone: '+971501234567',
    email_address: `${name.toLowerCase()}@example.com`,
    mobile_number: '+971501234567',
    birth_date: '1988-04-02',
    gender: 'MALE',
    address: { address_type: 'RESIDENTIAL', town_name: 'Dubai', country: 'AE', address_line: 'Villa 8, Jumeirah, Dubai, AE' },
    account_role: 'ADMINISTRATOR',
    party_type: 'SOLE',
    ...extra,
  };
}

export const A1_BENEFICIARIES: AccountScopedRecord[] = ['Fatima', 'Omar'].map((name, n) => ({
  account_id: IDS.a1,
  account_holder_name: `${name} Al-Rashid`,
  account_holder_short_name: name,
  beneficiary_id: `ben-00${n + 1}`,
  beneficiary_type: 'TRUSTED',
  creditor_agent: { scheme_name: 'BICFI', identification: 'NBADAEAA', name: 'First Abu Dhabi Bank' },
  creditor_account: { scheme_name: 'IBAN', identification: `AE07033123456789012345${n}`, name: `${name} Al-Rashid` },
  reference: `REF-BEN-${n + 1}`,
}));

const creditor = {
  creditor_agent: { identification_type: 'BICFI', identification: 'EBILAEAD', name: 'Emirates NBD' },
  creditor_account: { scheme_name: 'IBAN', identification: 'AE460260001015333439101', name: 'DEWA' },
};

export const A1_DIRECT_DEBIT: AccountScopedRecord = {
  entity_id: IDS.e1,
  account_id: IDS.a1,
  direct_debit_id: 'dd-dewa-1',
  name: 'DEWA',
  status_code: 'ACTIVE',
  frequency: 'MONTHLY',
  mandate_identification: 'DD-DEWA-0001',
  previous_payment_date_time: '2026-02-28T06:00:00.000Z',
  previous_payment_amount: { currency: 'AED', amount: 412.5 },
};

export const A1_SCHEDULED_PAYMENT: AccountScopedRecord = {
  entity_id: IDS.e1,
  account_id: IDS.a1,
  account_holder_name: 'Mohammed Ahmed',
  account_holder_short_name: 'Mohammed',
  scheduled_payment_id: 'sp-rent-1',
  scheduled_type: 'EXECUTION',
  scheduled_payment_date_time: '2026-04-01T06:00:00.000Z',
  debtor_reference: 'RENT-APRIL',
  instructed_amount: { currency: 'AED', amount: 8000 },
  ...creditor,
};

export const A1_STANDING_ORDER: AccountScopedRecord = {
  account_id: IDS.a1,
  standing_order_id: 'so-savings-1',
  standing_order_status_code: 'ACTIVE',
  standing_order_type: 'BETWEEN_MY_ACCOUNTS',
  purpose: 'Monthly savings',
  first_payment_date_time: '2025-04-01T06:00:00.000Z',
  last_payment_date_time: '2026-03-01T06:00:00.000Z',
  next_payment_date_time: '2026-04-01T06:00:00.000Z',
  final_payment_date_time: null,
  frequency: { frequency_type: 'MONTHLY', interval: null },
  number_of_payments: null,
  reference: 'SAVINGS',
  first_payment_amount: { currency: 'AED', amount: 500 },
  last_payment_amount: { currency: 'AED', amount: 500 },
  next_payment_amount: { currency: 'AED', amount: 500 },
  final_payment_amount: null,
  ...creditor,
};

export interface DataFixture {
  /** Newest first, as the API lists them. */
  a1Transactions: Transaction[];
  a2Transactions: Transaction[];
  a1Closing: number;
  a2Closing: number;
}

/** A test store holding the dataset (re-seeded on reset). */
export function dataStore(): { store: SandboxStore; fixture: DataFixture } {
  const store = testStore();
  const a1 = statement(IDS.e1, IDS.a1, A1_OPENING, a1Movements());
  const a2 = statement(IDS.e1, IDS.a2, A2_OPENING, a2Movements());
  const a3 = statement(IDS.e2, IDS.a3, 0, [{ bookedAt: at(3, '09:00:00'), indicator: 'CREDIT', cents: 100, label: 'OTHER APP' }]);
  store.addSeeder('data-test', (s) => {
    const put = <T>(name: string, app: string, key: string, value: T) => s.collection<T>(name).set(app, key, value);
    const customer = (customerId: string, appUserId: string): Customer => ({ customer_id: customerId, app_user_id: appUserId, created_at: ENTITY_CREATED_AT });
    put(COLLECTIONS.customers, 'my_app', IDS.customer, customer(IDS.customer, APP_USER_ID));
    put(COLLECTIONS.customers, 'other_app', IDS.otherCustomer, customer(IDS.otherCustomer, 'other'));
    put(COLLECTIONS.entities, 'my_app', IDS.e1, entity(IDS.e1, IDS.customer));
    put(COLLECTIONS.entities, 'my_app', IDS.e3, entity(IDS.e3, IDS.customer, false));
    put(COLLECTIONS.entities, 'other_app', IDS.e2, entity(IDS.e2, IDS.otherCustomer));
    put(COLLECTIONS.accounts, 'my_app', IDS.a1, account(IDS.e1, IDS.a1, 'CURRENT', 'AE070331234567890123456'));
    put(COLLECTIONS.accounts, 'my_app', IDS.a2, account(IDS.e1, IDS.a2, 'CREDIT', 'AE230331987654321098765', '4111111111114242'));
    put(COLLECTIONS.accounts, 'my_app', IDS.a4, account(IDS.e3, IDS.a4, 'SAVINGS', 'AE550331000000000000004'));
    put(COLLECTIONS.accounts, 'other_app', IDS.a3, account(IDS.e2, IDS.a3, 'CURRENT', 'AE990331000000000000003'));
    put(COLLECTIONS.balances, 'my_app', `${IDS.a1}:EXPECTED`, balance(IDS.a1, 'EXPECTED', a1.closing - 10_000));
    put(COLLECTIONS.balances, 'my_app', `${IDS.a1}:CLOSING_AVAILABLE`, balance(IDS.a1, 'CLOSING_AVAILABLE', a1.closing));
    const creditLine = [{ included: true, amount: money(2_000_000), type: 'AVAILABLE' }];
    put(COLLECTIONS.balances, 'my_app', `${IDS.a2}:CLOSING_AVAILABLE`, balance(IDS.a2, 'CLOSING_AVAILABLE', a2.closing, creditLine));
    put(COLLECTIONS.balances, 'other_app', `${IDS.a3}:CLOSING_AVAILABLE`, balance(IDS.a3, 'CLOSING_AVAILABLE', a3.closing));
    for (const t of a1.transactions) put(COLLECTIONS.transactions, 'my_app', t.transaction_id, t);
    for (const t of a2.transactions) put(COLLECTIONS.transactions, 'my_app', t.transaction_id, t);
    for (const t of a3.transactions) put(COLLECTIONS.transactions, 'other_app', t.transaction_id, t);
    put(COLLECTIONS.identities, 'my_app', IDS.e1, identity(IDS.e1, 'Mohammed', { national_id: '784198812345678' } as Partial<Identity>));
    const party = { account_id: IDS.a1, account_role: 'CUSTOMER', party_type: 'JOINT', gender: 'FEMALE' } as const;
    put(COLLECTIONS.identities, 'my_app', `${IDS.e1}:${IDS.a1}`, identity(IDS.e1, 'Aisha', party));
    put(COLLECTIONS.identities, 'other_app', IDS.e2, identity(IDS.e2, 'Other'));
    for (const b of A1_BENEFICIARIES) put(DATA_COLLECTIONS.beneficiaries, 'my_app', String(b.beneficiary_id), b);
    put(DATA_COLLECTIONS.directDebits, 'my_app', 'dd-dewa-1', A1_DIRECT_DEBIT);
    put(DATA_COLLECTIONS.scheduledPayments, 'my_app', 'sp-rent-1', A1_SCHEDULED_PAYMENT);
    put(DATA_COLLECTIONS.standingOrders, 'my_app', 'so-savings-1', A1_STANDING_ORDER);
  });
  return {
    store,
    fixture: { a1Transactions: a1.transactions, a2Transactions: a2.transactions, a1Closing: a1.closing, a2Closing: a2.closing },
  };
}

export const RECONNECT_ID = 'f0000000-0000-4000-8000-00000000000f';

/** The bank session behind the entity expires, as after the sandbox's idle timeout. */
export function expireSession(store: SandboxStore, app: string, entityId: string): void {
  store.collection<EntitySession>(DATA_COLLECTIONS.entitySessions).set(app, entityId, {
    entity_id: entityId,
    state: 'RECONNECT_REQUIRED',
    reconnect_id: RECONNECT_ID,
  });
}
