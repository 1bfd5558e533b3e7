import { callerApp } from '../../app/context.js';
import { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import { jsonBody } from '../../app/error-handler.js';
import { methodNotAllowed } from '../../app/routing.js';
import { leanId, parseInput } from '../../app/validation.js';
import { reconnectIdOf, requireEntity } from '../../sandbox/data-access.js';
import { listRefreshes, requireRefresh, triggerRefresh, type DataRefresh } from '../../sandbox/results.js';
import type { SandboxStore } from '../../sandbox/store/store.js';
import { paginate } from '../pagination.js';
import { parseBody, parsePathId, parseV2Query } from './params.js';
import { dataErrors } from './respond.js';

/**
 * Manual data refreshes (data.yml, "Data refresh"): `POST /data/v2/refreshes {entity_id}`,
 * `GET /data/v2/refreshes?entity_id` (pagination style C, `{content, page}`) and
 * `GET /data/v2/refreshes/{refresh_id}`. Lean's refresh errors carry no `results_id`
 * (its DUPLICATED_REQUEST example), so they go to the app's plain error envelope.
 */

export interface RefreshDeps {
  store: SandboxStore;
  /** How long a refresh stays PENDING. */
  refreshDelayMs: number;
}

const triggerBody = z.object({ entity_id: leanId });

/** A list item, keys in the order of Lean's example. */
function refreshItem(refresh: DataRefresh) {
  const { created_at, customer_id, entity_id, refresh_id, status, updated_at } = refresh;
  return { created_at, customer_id, entity_id, refresh_id, status, updated_at };
}

/** The refresh resource; here data.yml spells `transactionAvailability` and has no month count. */
function refreshView(refresh: DataRefresh) {
  const { accounts, identity, account_data } = refresh.data_status;
  return {
    refresh_id: refresh.refresh_id,
    entity_id: refresh.entity_id,
    customer_id: refresh.customer_id,
    status: refresh.status,
    data_status: {
      accounts,
      identity,
      account_data: account_data.map(({ transaction_availability: availability, ...statuses }) =>
        availability ? { ...statuses, transactionAvailability: { start: availability.start, end: availability.end } } : statuses,
      ),
    },
    created_at: refresh.created_at,
    updated_at: refresh.updated_at,
  };
}

export function createRefreshesRouter(deps: RefreshDeps): Router {
  const { store, refreshDelayMs } = deps;

  const trigger: RequestHandler = (req, res) => {
    const app = callerApp(req);
    const { entity_id } = parseBody(triggerBody, req.body);
    const entity = requireEntity(store, app, entity_id);
    const timestamp = store.now().toISOString();
    const reconnectId = reconnectIdOf(store, app, entity.id);
    if (reconnectId) {
      // data.yml's Reconnect_Required_Example: no refresh starts, and the ids coincide.
      res.json({
        reconnect_id: reconnectId,
        refresh_id: reconnectId,
        status: 'RECONNECT_REQUIRED',
        message: 'User input is required to reconnect with the bank.',
        timestamp,
        metadata: null,
      });
      return;
    }
    const refresh = triggerRefresh(store, app, entity, refreshDelayMs);
    res.json({ refresh_id: refresh.refresh_id, status: 'OK', message: 'Data refresh triggered successfully', timestamp });
  };

  const list: RequestHandler = (req, res) => {
    const app = callerApp(req);
    const query = parseV2Query(req.query);
    const entity = requireEntity(store, app, query.entity_id);
    const { items, page } = paginate(listRefreshes(store, app, entity.id), query.page, query.size);
    res.json({ content: items.map(refreshItem), page });
  };

  const one: RequestHandler = (req, res) => {
    const app = callerApp(req);
    // Lean's collection sends entity_id here too, and Lean answers a bad or unknown one (400, 404).
    // Only entity_id: the collection's other parameters (async, page, meta=string) are ignored here.
    const { entity_id: entityId } = parseInput(z.object({ entity_id: leanId.optional() }), { entity_id: req.query.entity_id });
    if (entityId !== undefined) requireEntity(store, app, entityId);
    res.json(refreshView(requireRefresh(store, app, parsePathId('refresh_id', req.params))));
  };

  const router = Router();
  router.route('/data/v2/refreshes').post(jsonBody, trigger).get(list).all(methodNotAllowed);
  router.route('/data/v2/refreshes/:refresh_id').get(one).all(methodNotAllowed);
  // Lean's recorded refresh errors carry a results_id, except the 429 (and 403) ones.
  router.use(dataErrors(store, new Set(['DUPLICATED_REQUEST', 'CONSENT_EXPIRED'])));
  return router;
}
