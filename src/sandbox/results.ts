import { LeanError } from '../app/errors.js';
import { accountTransactions, customerOf, entityAccounts, hasPermission } from './data-access.js';
import { SANDBOX_LIMITS } from './limits.js';
import type { SandboxStore } from './store/store.js';
import type { Entity, EntityPermissions } from './store/records.js';

/**
 * The data API's deferred work: replies held back for `async=true` requests until they are
 * "ready" (then `results.ready` is published), and manual data refreshes that finish after a
 * while (then `entity.data.refresh.updated`). Timers are unref'd so they never keep a process
 * alive, and a store reset in between silently drops whatever was under way.
 */

export const RESULT_COLLECTIONS = { results: 'data_results', refreshes: 'data_refreshes' } as const;

type Body = Record<string, unknown>;

/** A held-back reply: the PENDING envelope until ready, then the full one (both already shaped). */
export interface AsyncResult {
  results_id: string;
  entity_id: string;
  state: 'PENDING' | 'READY';
  pending: Body;
  ready: Body;
}

export function unknownResultsId(): LeanError {
  return new LeanError('UNKNOWN_RESULTS_ID', 404, 'The results_id provided has not been recognized by Lean or has not been processed yet');
}

export function holdResult(store: SandboxStore, app: string, held: Omit<AsyncResult, 'state'>, delayMs: number): void {
  const results = store.collection<AsyncResult>(RESULT_COLLECTIONS.results);
  results.set(app, held.results_id, { ...held, state: 'PENDING' });
  // Each holds a whole reply: the oldest go first, as a client polls a results id soon after asking.
  results.evictOldest(SANDBOX_LIMITS.heldResults);
  later(delayMs, () => {
    const current = results.get(app, held.results_id);
    if (!current || current.state !== 'PENDING') return;
    results.set(app, held.results_id, { ...current, state: 'READY' });
    store.publish({ app, type: 'results.ready', payload: { id: held.results_id }, message: 'Your results are ready.' });
  });
}

/** What `GET …/results/{id}` answers now; UNKNOWN_RESULTS_ID for an id never held (or another app's). */
export function resultReply(store: SandboxStore, app: string, resultsId: string): Body {
  const result = store.collection<AsyncResult>(RESULT_COLLECTIONS.results).get(app, resultsId);
  if (!result) throw unknownResultsId();
  return result.state === 'READY' ? result.ready : result.pending;
}

export type DataStatus = 'PENDING' | 'OK' | 'FAILED' | 'UNSUPPORTED';

export interface AccountRefreshStatus {
  account_id: string;
  balance: DataStatus;
  identity: DataStatus;
  transactions: DataStatus;
  scheduled_payments: DataStatus;
  direct_debits: DataStatus;
  standing_orders: DataStatus;
  beneficiaries: DataStatus;
  /** Known once the refresh has finished. */
  transaction_availability: { start: string; end: string; complete_months: number } | null;
}

export interface DataRefresh {
  refresh_id: string;
  entity_id: string;
  customer_id: string;
  status: 'PENDING' | 'FINISHED';
  data_status: { accounts: DataStatus; identity: DataStatus; account_data: AccountRefreshStatus[] };
  created_at: string;
  updated_at: string;
}

export function duplicatedRefresh(): LeanError {
  return new LeanError('DUPLICATED_REQUEST', 429, 'Data refresh is already pending.');
}

/** Lean documents no error for an unknown refresh id; this mirrors UNKNOWN_RESULTS_ID (unconfirmed). */
export function unknownRefreshId(): LeanError {
  return new LeanError('UNKNOWN_REFRESH_ID', 404, 'The refresh_id provided has not been recognized by Lean.');
}

function refreshes(store: SandboxStore) {
  return store.collection<DataRefresh>(RESULT_COLLECTIONS.refreshes);
}

/** Starts a refresh of the entity's data; DUPLICATED_REQUEST while another one is pending. */
export function triggerRefresh(store: SandboxStore, app: string, entity: Entity, delayMs: number): DataRefresh {
  if (listRefreshes(store, app, entity.id).some((refresh) => refresh.status === 'PENDING')) throw duplicatedRefresh();
  const now = store.now().toISOString();
  const refresh: DataRefresh = {
    refresh_id: store.newId(),
    entity_id: entity.id,
    customer_id: entity.customer_id,
    status: 'PENDING',
    data_status: dataStatus(store, app, entity, false),
    created_at: now,
    updated_at: now,
  };
  refreshes(store).set(app, refresh.refresh_id, refresh);
  // A pending one is still wanted (it answers DUPLICATED_REQUEST): only finished ones are forgotten.
  refreshes(store).evictOldest(SANDBOX_LIMITS.refreshes, (old) => old.status === 'FINISHED');
  later(delayMs, () => finishRefresh(store, app, entity, refresh.refresh_id));
  return refresh;
}

function finishRefresh(store: SandboxStore, app: string, entity: Entity, refreshId: string): void {
  const current = refreshes(store).get(app, refreshId);
  if (!current || current.status !== 'PENDING') return;
  const done: DataRefresh = {
    ...current,
    status: 'FINISHED',
    data_status: dataStatus(store, app, entity, true),
    updated_at: store.now().toISOString(),
  };
  refreshes(store).set(app, refreshId, done);
  store.publish({
    app,
    type: 'entity.data.refresh.updated',
    // Lean's UAE sample says "OK" where the refresh resource says FINISHED; the webhook follows the sample.
    payload: {
      entity_id: done.entity_id,
      refresh_id: done.refresh_id,
      customer_id: done.customer_id,
      status: 'OK',
      data_status: done.data_status,
      app_user_id: customerOf(store, app, entity)?.app_user_id ?? null,
    },
    message: 'An entity data refresh state has been updated.',
  });
}

/** The entity's refreshes, newest first. */
export function listRefreshes(store: SandboxStore, app: string, entityId: string): DataRefresh[] {
  return refreshes(store)
    .list(app, (refresh) => refresh.entity_id === entityId)
    .reverse();
}

export function requireRefresh(store: SandboxStore, app: string, refreshId: string): DataRefresh {
  const refresh = refreshes(store).get(app, refreshId);
  if (!refresh) throw unknownRefreshId();
  return refresh;
}

/** When the entity's data was last fetched from the bank: the latest finished refresh, else the connection. */
export function lastRefreshedAt(store: SandboxStore, app: string, entity: Entity): string {
  return listRefreshes(store, app, entity.id).find((refresh) => refresh.status === 'FINISHED')?.updated_at ?? entity.created_at;
}

function dataStatus(store: SandboxStore, app: string, entity: Entity, finished: boolean): DataRefresh['data_status'] {
  const status = (permission: keyof EntityPermissions): DataStatus =>
    !finished ? 'PENDING' : hasPermission(entity, permission) ? 'OK' : 'UNSUPPORTED';
  const today = store.now().toISOString().slice(0, 10);
  return {
    accounts: status('accounts'),
    identity: status('identity'),
    account_data: entityAccounts(store, app, entity.id).map((account) => {
      const oldest = accountTransactions(store, app, account.account_id).at(-1)?.booking_date_time.slice(0, 10) ?? today;
      return {
        account_id: account.account_id,
        balance: status('balance'),
        identity: status('identities'),
        transactions: status('transactions'),
        scheduled_payments: status('scheduled_payments'),
        direct_debits: status('direct_debits'),
        standing_orders: status('standing_orders'),
        beneficiaries: status('beneficiaries'),
        transaction_availability: finished ? { start: oldest, end: today, complete_months: completeMonths(oldest, today) } : null,
      };
    }),
  };
}

/** Calendar months lying wholly within [start, end] (Lean's `complete_months`). */
export function completeMonths(start: string, end: string): number {
  let count = 0;
  const month = new Date(`${start.slice(0, 7)}-01T00:00:00.000Z`);
  for (;;) {
    const first = month.toISOString().slice(0, 10);
    if (first > end) return count;
    const last = new Date(Date.UTC(month.getUTCFullYear(), month.getUTCMonth() + 1, 0)).toISOString().slice(0, 10);
    if (first >= start && last <= end) count++;
    month.setUTCMonth(month.getUTCMonth() + 1);
  }
}

function later(delayMs: number, task: () => void): void {
  setTimeout(task, delayMs).unref();
}
