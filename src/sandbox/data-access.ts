import { LeanError } from '../app/errors.js';
import type { SandboxStore } from './store/store.js';
import {
  COLLECTIONS,
  type Account,
  type Balance,
  type Customer,
  type Entity,
  type EntityPermissions,
  type EntitySession,
  type Identity,
  type Transaction,
} from './store/records.js';

/**
 * What the data API reads: an app's entities and their accounts, balances, transactions and
 * identities, the account-scoped lists (beneficiaries, direct debits, scheduled payments,
 * standing orders) and the bank session behind each entity. Read-only; never touches HTTP.
 * Another app's entity or account answers exactly like a missing one.
 */

/** Collections this module reads that `COLLECTIONS` does not name (yet). */
export const DATA_COLLECTIONS = {
  entitySessions: 'entity_sessions',
  beneficiaries: 'beneficiaries',
  directDebits: 'direct_debits',
  scheduledPayments: 'scheduled_payments',
  standingOrders: 'standing_orders',
} as const;

/**
 * The least the data API needs of a beneficiary, direct debit, scheduled payment or standing
 * order: the account it belongs to. The rest is Lean's JSON, returned as stored.
 */
export interface AccountScopedRecord {
  account_id: string;
  [field: string]: unknown;
}

export type AccountListKind = 'beneficiaries' | 'directDebits' | 'scheduledPayments' | 'standingOrders';

/** Lean's messages (data.yml, UnknownEntityExample / UnknownAccountExample). */
export function unknownEntity(): LeanError {
  return new LeanError('UNKNOWN_ENTITY', 404, 'The entity_id provided did not match an account in our records.');
}

export function unknownAccount(): LeanError {
  return new LeanError('UNKNOWN_ACCOUNT', 404, 'The account_id provided does not match an account with the entity_id provided.');
}

/** The entity, or UNKNOWN_ENTITY. */
export function requireEntity(store: SandboxStore, app: string, entityId: string): Entity {
  const entity = findById<Entity>(store, COLLECTIONS.entities, app, entityId, (e) => e.id);
  if (!entity) throw unknownEntity();
  return entity;
}

/** The entity's account, or UNKNOWN_ACCOUNT (also for an account of another entity). */
export function requireAccount(store: SandboxStore, app: string, entity: Entity, accountId: string): Account {
  const account = findById<Account>(store, COLLECTIONS.accounts, app, accountId, (a) => a.account_id);
  if (!account || account.entity_id !== entity.id) throw unknownAccount();
  return account;
}

/**
 * The reconnect id while the entity's bank session needs the user again, else null. No session
 * record means the session is active.
 */
export function reconnectIdOf(store: SandboxStore, app: string, entityId: string): string | null {
  const session = store.collection<EntitySession>(DATA_COLLECTIONS.entitySessions).get(app, entityId);
  if (!session || session.state !== 'RECONNECT_REQUIRED') return null;
  // A session marked expired without an id still has to be reconnectable: the entity id serves.
  return session.reconnect_id ?? entityId;
}

/** Whether the user granted this permission when connecting (an absent flag counts as granted). */
export function hasPermission(entity: Entity, permission: keyof EntityPermissions): boolean {
  return entity.permissions?.[permission] !== false;
}

export function entityAccounts(store: SandboxStore, app: string, entityId: string): Account[] {
  return store.collection<Account>(COLLECTIONS.accounts).list(app, (account) => account.entity_id === entityId);
}

export function accountBalances(store: SandboxStore, app: string, accountId: string): Balance[] {
  return store.collection<Balance>(COLLECTIONS.balances).list(app, (balance) => balance.account_id === accountId);
}

/** Inclusive `YYYY-MM-DD` bounds on the booking date (UTC). */
export interface DateRange {
  start?: string | undefined;
  end?: string | undefined;
}

/** The account's transactions booked within the range, newest first (ties: statement order). */
export function accountTransactions(store: SandboxStore, app: string, accountId: string, range: DateRange = {}): Transaction[] {
  const within = (t: Transaction): boolean => {
    const day = t.booking_date_time.slice(0, 10);
    return (!range.start || day >= range.start) && (!range.end || day <= range.end);
  };
  return store
    .collection<Transaction>(COLLECTIONS.transactions)
    .list(app, (t) => t.account_id === accountId && within(t))
    .sort((a, b) => compareDesc(a.booking_date_time, b.booking_date_time) || a.index - b.index);
}

/**
 * Identities are stored one per entity; a record that also names an `account_id` is a party of
 * that account only. `/identity` answers the entity's own record(s), `/identities` every party of
 * the account (the entity's own included), without the internal `account_id`.
 */
export function entityIdentities(store: SandboxStore, app: string, entityId: string, accountId?: string): Identity[] {
  return store
    .collection<Identity & { account_id?: string }>(COLLECTIONS.identities)
    .list(app, (identity) => identity.entity_id === entityId && (identity.account_id === undefined || identity.account_id === accountId))
    .map(({ account_id: _account, ...identity }) => identity);
}

export function accountList(store: SandboxStore, app: string, kind: AccountListKind, accountId: string): AccountScopedRecord[] {
  return store.collection<AccountScopedRecord>(DATA_COLLECTIONS[kind]).list(app, (record) => record.account_id === accountId);
}

export function customerOf(store: SandboxStore, app: string, entity: Entity): Customer | undefined {
  return store.collection<Customer>(COLLECTIONS.customers).get(app, entity.customer_id);
}

/** Records are keyed by their own id; the scan covers a seeder that keyed them otherwise. */
function findById<T>(store: SandboxStore, name: string, app: string, id: string, idOf: (record: T) => string): T | undefined {
  const collection = store.collection<T>(name);
  const keyed = collection.get(app, id);
  if (keyed && idOf(keyed) === id) return keyed;
  return collection.list(app, (record) => idOf(record) === id)[0];
}

function compareDesc(a: string, b: string): number {
  return a < b ? 1 : a > b ? -1 : 0;
}
