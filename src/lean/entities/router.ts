import { Router, type Request, type RequestHandler } from 'express';
import { jsonBody } from '../../app/error-handler.js';
import { LeanError } from '../../app/errors.js';
import { methodNotAllowed } from '../../app/routing.js';
import { parseInput } from '../../app/validation.js';
import { requireCustomer } from '../../sandbox/customers.js';
import { deleteEntity, entityView, listCustomerEntities, listEntitiesCreatedBetween, requireCustomerEntity } from '../../sandbox/entities.js';
import type { SandboxStore } from '../../sandbox/store/store.js';
import { callerApp } from '../../app/context.js';
import { paginate } from '../pagination.js';
import { customerIdParams, deleteEntityInput, entityParams, listEntitiesQuery } from './requests.js';

/** A customer's entities and the app-wide time-range listing (Lean's `entities.yml`). */
export function createEntitiesRouter(options: { store: SandboxStore }): Router {
  const { store } = options;

  const listForCustomer: RequestHandler = (req, res) => {
    const { customer_id } = parseInput(customerIdParams, req.params);
    const app = callerApp(req);
    requireCustomer(store, app, customer_id);
    res.json(listCustomerEntities(store, app, customer_id).map(entityView));
  };

  const get: RequestHandler = (req, res) => {
    const { customer_id, entity_id } = parseInput(entityParams, req.params);
    const app = callerApp(req);
    requireCustomer(store, app, customer_id);
    res.json(entityView(requireCustomerEntity(store, app, customer_id, entity_id)));
  };

  const remove: RequestHandler = (req, res) => {
    const { customer_id, entity_id } = parseInput(entityParams, req.params);
    parseInput(deleteEntityInput, deletionReason(req));
    const app = callerApp(req);
    requireCustomer(store, app, customer_id);
    deleteEntity(store, app, customer_id, entity_id);
    res.json({});
  };

  const listByCreationDate: RequestHandler = (req, res) => {
    const query = parseInput(listEntitiesQuery, req.query);
    // Lean's dates must be "in the past or present", and the end must not precede the start.
    const today = store.now().toISOString().slice(0, 10);
    if (query.start_date > today) throw LeanError.invalidParameter('start_date', query.start_date);
    if (query.end_date > today) throw LeanError.invalidParameter('end_date', query.end_date);
    if (query.end_date < query.start_date) throw LeanError.invalidParameter('end_date', query.end_date);
    const matching = listEntitiesCreatedBetween(store, callerApp(req), query.start_date, query.end_date);
    const { items, page } = paginate(matching, query.page_number, query.page_size);
    res.json({ data: items, page });
  };

  const router = Router();
  router.route('/customers/v1/entities').get(listByCreationDate).all(methodNotAllowed);
  router.route('/customers/v1/:customer_id/entities').get(listForCustomer).all(methodNotAllowed);
  router.route('/customers/v1/:customer_id/entities/:entity_id').get(get).delete(jsonBody, remove).all(methodNotAllowed);
  return router;
}

/**
 * The deletion's `reason`: from the JSON body as documented, or from the query string, which
 * Lean's definition also lists.
 */
function deletionReason(req: Request): unknown {
  const body: unknown = req.body;
  if (body !== null && typeof body === 'object' && !Array.isArray(body) && 'reason' in body) return body;
  const query = req.query as Record<string, unknown>;
  return query.reason !== undefined ? { reason: query.reason } : body;
}
