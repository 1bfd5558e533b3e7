import { callerApp } from '../../app/context.js';
import { Router, type RequestHandler } from 'express';
import { jsonBody } from '../../app/error-handler.js';
import { methodNotAllowed } from '../../app/routing.js';
import {
  accountBalances,
  accountTransactions,
  entityAccounts,
  entityIdentities,
  requireAccount,
  requireEntity,
} from '../../sandbox/data-access.js';
import type { Entity, EntityPermissions } from '../../sandbox/store/records.js';
import { V1_STYLE, v1Ok } from './envelopes.js';
import { parseDateRange, parseBody, v1AccountBody, v1EntityBody, v1TransactionsBody } from './params.js';
import { answerData, dataErrors, type DataCall, type DataDeps } from './respond.js';
import { v1Accounts, v1Balance, v1Identity, v1Transactions } from './v1-payloads.js';

/**
 * Data API v1, the older style: `POST /data/v1/identity|accounts|balance|transactions` with the
 * entity (and account) in a JSON body, answering `{status, payload, results_id, …}`. Lean's own
 * material also calls the same endpoints without `/data` (`/v1/identity` …): both are served.
 */

export const V1_PREFIXES = ['/data/v1', '/v1'] as const;

export function createDataV1Router(deps: DataDeps): Router {
  const { store } = deps;

  const identity: RequestHandler = (req, res) => {
    const app = callerApp(req);
    const body = parseBody(v1EntityBody, req.body);
    const entity = requireEntity(store, app, body.entity_id);
    answerData(res, deps, call(app, entity, 'identity', body.async), (stamp) =>
      v1Ok(stamp, v1Identity(entityIdentities(store, app, entity.id)[0])),
    );
  };

  const accounts: RequestHandler = (req, res) => {
    const app = callerApp(req);
    const body = parseBody(v1EntityBody, req.body);
    const entity = requireEntity(store, app, body.entity_id);
    answerData(res, deps, call(app, entity, 'accounts', body.async), (stamp) =>
      v1Ok(stamp, v1Accounts(entityAccounts(store, app, entity.id), (accountId) => accountBalances(store, app, accountId))),
    );
  };

  const balance: RequestHandler = (req, res) => {
    const app = callerApp(req);
    const body = parseBody(v1AccountBody, req.body);
    const entity = requireEntity(store, app, body.entity_id);
    const account = requireAccount(store, app, entity, body.account_id);
    answerData(res, deps, call(app, entity, 'balance', body.async), (stamp) =>
      v1Ok(stamp, v1Balance(account, accountBalances(store, app, account.account_id))),
    );
  };

  const transactions: RequestHandler = (req, res) => {
    const app = callerApp(req);
    const body = parseBody(v1TransactionsBody, req.body);
    const range = parseDateRange(body);
    const entity = requireEntity(store, app, body.entity_id);
    const account = requireAccount(store, app, entity, body.account_id);
    answerData(res, deps, call(app, entity, 'transactions', body.async), (stamp) =>
      v1Ok(stamp, v1Transactions(accountTransactions(store, app, account.account_id, range), body.insights ?? false)),
    );
  };

  const router = Router();
  for (const prefix of V1_PREFIXES) {
    router.route(`${prefix}/identity`).post(jsonBody, identity).all(methodNotAllowed);
    router.route(`${prefix}/accounts`).post(jsonBody, accounts).all(methodNotAllowed);
    router.route(`${prefix}/balance`).post(jsonBody, balance).all(methodNotAllowed);
    router.route(`${prefix}/transactions`).post(jsonBody, transactions).all(methodNotAllowed);
  }
  router.use(dataErrors(store));
  return router;
}

/** v1 takes no `meta`: its replies say `meta: null`. */
function call(app: string, entity: Entity, permission: keyof EntityPermissions, async: boolean | undefined): DataCall {
  return { app, entity, permission, async: async ?? false, meta: null, style: V1_STYLE };
}
