import { callerApp } from '../../app/context.js';
import { Router, type RequestHandler } from 'express';
import type { FastRead, FastReadRoutes } from '../../app/fast-reads.js';
import { methodNotAllowed } from '../../app/routing.js';
import {
  accountBalances,
  accountList,
  accountTransactions,
  entityAccounts,
  entityIdentities,
  requireAccount,
  requireEntity,
  type AccountListKind,
  type DateRange,
} from '../../sandbox/data-access.js';
import { lastRefreshedAt } from '../../sandbox/results.js';
import type { SandboxStore } from '../../sandbox/store/store.js';
import type { Beneficiary } from '../../sandbox/bank-data/records.js';
import type { Account, Balance, Entity, EntityPermissions, Transaction } from '../../sandbox/store/records.js';
import { paginate } from '../pagination.js';
import { V2_STYLE, v2Data, v2Ok, v2OkBytes, v2OkTail, type Body, type Stamp } from './envelopes.js';
import { PageCache } from './page-cache.js';
import { LEAN_FIELDS, withLeanFields } from './lean-fields.js';
import { transactionView } from './transaction-view.js';
import { parseDateRange, parsePathId, parseV2Query } from './params.js';
import { answerData, answersWithData, dataErrors, newStamp, type DataCall, type DataDeps } from './respond.js';

/**
 * Data API v2 (`GET /data/v2/…`, data.yml): an entity's accounts and identity, and per account
 * its balances, transactions, identities, beneficiaries, direct debits, scheduled payments and
 * standing orders, paginated under `data.page`.
 */

interface Lookup {
  store: SandboxStore;
  app: string;
  entity: Entity;
  /** The account of an account-scoped endpoint (checked to belong to the entity); null otherwise. */
  account: Account | null;
  range: DateRange;
}

interface Endpoint {
  path: string;
  /** Lean's `type` of the reply. */
  type: string;
  permission: keyof EntityPermissions;
  items: (lookup: Lookup) => readonly unknown[];
  /** The reply's view of one stored item, when it is more than the record itself. */
  view?: (item: never, lookup: Lookup) => unknown;
}

/** The account id of an account-scoped lookup (its route always has one). */
const accountId = (lookup: Lookup): string => lookup.account?.account_id ?? '';

const perAccount = (kind: AccountListKind) => (l: Lookup) => accountList(l.store, l.app, kind, accountId(l));

/** Paths relative to `/data/v2/accounts/:account_id/`. */
const ACCOUNT_ENDPOINTS: readonly Endpoint[] = [
  {
    path: 'balances',
    type: 'balances',
    permission: 'balance',
    items: (l) => accountBalances(l.store, l.app, accountId(l)),
    // Lean's balances name their entity first.
    view: (b: Balance, l) => ({ entity_id: l.entity.id, ...b }),
  },
  {
    path: 'transactions',
    type: 'transactions',
    permission: 'transactions',
    items: (l) => accountTransactions(l.store, l.app, accountId(l), l.range),
    view: (t: Transaction, l) =>
      transactionView(t, { account: l.account!, beneficiaries: accountList(l.store, l.app, 'beneficiaries', accountId(l)) as unknown as Beneficiary[] }),
  },
  {
    path: 'identities',
    type: 'identities',
    permission: 'identities',
    items: (l) => entityIdentities(l.store, l.app, l.entity.id, accountId(l)),
  },
  { path: 'beneficiaries', type: 'beneficiaries', permission: 'beneficiaries', items: perAccount('beneficiaries') },
  { path: 'direct-debits', type: 'direct-debits', permission: 'direct_debits', items: perAccount('directDebits') },
  { path: 'scheduled-payments', type: 'scheduled-payments', permission: 'scheduled_payments', items: perAccount('scheduledPayments') },
  { path: 'standing-orders', type: 'standing-orders', permission: 'standing_orders', items: perAccount('standingOrders') },
];

const ENDPOINTS: readonly Endpoint[] = [
  { path: '/data/v2/accounts', type: 'accounts', permission: 'accounts', items: (l) => entityAccounts(l.store, l.app, l.entity.id) },
  { path: '/data/v2/identity', type: 'identity', permission: 'identity', items: (l) => entityIdentities(l.store, l.app, l.entity.id) },
  ...ACCOUNT_ENDPOINTS.map((endpoint) => ({ ...endpoint, path: `/data/v2/accounts/:account_id/${endpoint.path}` })),
];

interface Prepared {
  call: DataCall;
  ok: (stamp: Stamp) => Body;
  okBytes: (stamp: Stamp) => Buffer;
}

export interface DataV2Deps extends DataDeps {
  /** Where the pages register to be answered before express (src/app/fast-reads.ts). */
  fast?: FastReadRoutes;
}

export function createDataV2Router(deps: DataV2Deps): Router {
  const { store } = deps;
  const pages = new PageCache(store);
  /** The request checked and looked up, for express and the fast read alike; throws Lean's 400s and 404s. */
  const prepare = (endpoint: Endpoint, app: string, rawQuery: unknown, params: unknown): Prepared => {
    // Every 400 before any 404: all input is checked before anything is looked up.
    const query = parseV2Query(rawQuery);
    const accountIdParam = endpoint.path.includes(':account_id') ? parsePathId('account_id', params) : null;
    const range = endpoint.type === 'transactions' ? parseDateRange(rawQuery) : {};
    const entity = requireEntity(store, app, query.entity_id);
    const account = accountIdParam === null ? null : requireAccount(store, app, entity, accountIdParam);
    const call = { app, entity, permission: endpoint.permission, async: query.async, meta: query.meta, style: V2_STYLE };
    const build = (): { data: Body; refreshedAt: string } => {
      const lookup = { store, app, entity, account, range };
      const { items, page } = paginate(endpoint.items(lookup), query.page, query.size);
      const viewed = items.map((item) => withLeanFields(endpoint.view ? endpoint.view(item as never, lookup) : item, LEAN_FIELDS[endpoint.type]));
      return { data: v2Data(endpoint.type, viewed, page, account?.account_id), refreshedAt: lastRefreshedAt(store, app, entity) };
    };
    // Everything the page depends on besides the sandbox's state (the cache's revision).
    const key = JSON.stringify([app, endpoint.type, entity.id, account?.account_id ?? null, range.start ?? null, range.end ?? null, query.page, query.size]);
    const ok = (stamp: Stamp): Body => {
      const { data, refreshedAt } = build();
      return v2Ok(stamp, endpoint.type, data, refreshedAt);
    };
    const okBytes = (stamp: Stamp): Buffer =>
      v2OkBytes(stamp, pages.bytes(key, () => {
        const { data, refreshedAt } = build();
        return v2OkTail(endpoint.type, data, refreshedAt);
      }));
    return { call, ok, okBytes };
  };

  const handler =
    (endpoint: Endpoint): RequestHandler =>
    (req, res) => {
      const { call, ok, okBytes } = prepare(endpoint, callerApp(req), req.query, req.params);
      answerData(res, deps, call, ok, okBytes);
    };

  /** The page answerData would send, when it would send one; undefined for everything else (express answers that). */
  const fastRead = (endpoint: Endpoint): FastRead => ({
    queryKeys: endpoint.type === 'transactions' ? [...V2_QUERY_KEYS, 'start_date', 'end_date'] : V2_QUERY_KEYS,
    answer: ({ app, params, query }) => {
      let prepared: Prepared;
      try {
        prepared = prepare(endpoint, app, query, params.length > 0 ? { account_id: params[0] } : {});
      } catch {
        return undefined;
      }
      if (!answersWithData(store, prepared.call)) return undefined;
      return prepared.okBytes(newStamp(store, prepared.call.meta));
    },
  });

  const router = Router();
  for (const endpoint of ENDPOINTS) {
    router.route(endpoint.path).get(handler(endpoint)).all(methodNotAllowed);
    deps.fast?.add(endpoint.path, fastRead(endpoint));
  }
  router.use(dataErrors(store));
  return router;
}

/** The v2 query keys a fast read takes (`meta` is JSON, never a plain value: express parses it). */
const V2_QUERY_KEYS = ['entity_id', 'page', 'size', 'async'];
