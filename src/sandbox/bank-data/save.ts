import type { SandboxStore } from '../store/store.js';
import { COLLECTIONS, type Account, type Balance, type Entity, type Identity, type Transaction } from '../store/records.js';
import type { BankData } from './generate.js';
import { BANK_DATA_COLLECTIONS, type Beneficiary, type DirectDebit, type ScheduledPayment, type StandingOrder } from './records.js';

/** Every collection {@link saveBankData} writes, in the order it first writes them. */
export const SAVED_COLLECTIONS: readonly string[] = [
  COLLECTIONS.entities,
  COLLECTIONS.identities,
  COLLECTIONS.accounts,
  COLLECTIONS.balances,
  COLLECTIONS.transactions,
  BANK_DATA_COLLECTIONS.beneficiaries,
  BANK_DATA_COLLECTIONS.directDebits,
  BANK_DATA_COLLECTIONS.scheduledPayments,
  BANK_DATA_COLLECTIONS.standingOrders,
];

/**
 * Puts a connection's data into the app's collections, keyed so readers can list an account's
 * records in statement order (insertion order is kept: transactions newest first).
 */
export function saveBankData(store: SandboxStore, app: string, data: BankData): void {
  store.collection<Entity>(COLLECTIONS.entities).set(app, data.entity.id, data.entity);
  // One identity per entity: keyed by the entity.
  store.collection<Identity>(COLLECTIONS.identities).set(app, data.identity.entity_id, data.identity);
  const accounts = store.collection<Account>(COLLECTIONS.accounts);
  for (const account of data.accounts) accounts.set(app, account.account_id, account);
  const balances = store.collection<Balance>(COLLECTIONS.balances);
  for (const balance of data.balances) balances.set(app, balanceKey(balance), balance);
  const transactions = store.collection<Transaction>(COLLECTIONS.transactions);
  for (const transaction of data.transactions) transactions.set(app, transaction.transaction_id, transaction);
  const beneficiaries = store.collection<Beneficiary>(BANK_DATA_COLLECTIONS.beneficiaries);
  for (const beneficiary of data.beneficiaries) beneficiaries.set(app, beneficiary.beneficiary_id, beneficiary);
  const directDebits = store.collection<DirectDebit>(BANK_DATA_COLLECTIONS.directDebits);
  for (const debit of data.directDebits) directDebits.set(app, debit.direct_debit_id, debit);
  const scheduled = store.collection<ScheduledPayment>(BANK_DATA_COLLECTIONS.scheduledPayments);
  for (const payment of data.scheduledPayments) scheduled.set(app, payment.scheduled_payment_id, payment);
  const orders = store.collection<StandingOrder>(BANK_DATA_COLLECTIONS.standingOrders);
  for (const order of data.standingOrders) orders.set(app, order.standing_order_id, order);
}

/** Balances have no id of their own: an account has one balance of each type. */
export function balanceKey(balance: Pick<Balance, 'account_id' | 'type'>): string {
  return `${balance.account_id}:${balance.type}`;
}

/**
 * Removes what the bank shared for an entity (its accounts and everything under them, its
 * identity), leaving the entity record itself to whoever manages its lifecycle.
 */
export function removeBankData(store: SandboxStore, app: string, entityId: string): void {
  const accounts = store.collection<Account>(COLLECTIONS.accounts);
  const accountIds = new Set(accounts.list(app, (account) => account.entity_id === entityId).map((account) => account.account_id));
  const underAccounts = (name: string): void => {
    store.collection<{ account_id: string }>(name).deleteWhere(app, (record) => accountIds.has(record.account_id));
  };
  underAccounts(COLLECTIONS.transactions);
  underAccounts(COLLECTIONS.balances);
  for (const name of Object.values(BANK_DATA_COLLECTIONS)) underAccounts(name);
  accounts.deleteWhere(app, (account) => account.entity_id === entityId);
  store.collection<Identity>(COLLECTIONS.identities).deleteWhere(app, (identity) => identity.entity_id === entityId);
}
