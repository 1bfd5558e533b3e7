import { Router, type RequestHandler } from 'express';
import { jsonBody } from '../../app/error-handler.js';
import { LeanError } from '../../app/errors.js';
import { methodNotAllowed } from '../../app/routing.js';
import { parseInput } from '../../app/validation.js';
import {
  createCustomer,
  customerView,
  findCustomerByAppUserId,
  listCustomers,
  requireCustomer,
  unknownCustomer,
  updateGovernmentIdentifiers,
} from '../../sandbox/customers.js';
import type { SandboxStore } from '../../sandbox/store/store.js';
import { paginate } from '../pagination.js';
import { callerApp } from '../../app/context.js';
import { appUserIdParams, createCustomerBody, customerIdParams, listCustomersQuery, updateCustomerBody } from './requests.js';

/** `/customers/v1`: create, list, read and update customers (Lean's `core-resources.yml`). */
export function createCustomersRouter(options: { store: SandboxStore }): Router {
  const { store } = options;

  const create: RequestHandler = (req, res) => {
    const body = parseInput(createCustomerBody, req.body);
    res.status(200).json(customerView(createCustomer(store, callerApp(req), body)));
  };

  const list: RequestHandler = (req, res) => {
    const query = parseInput(listCustomersQuery, req.query);
    const { items, page } = paginate(listCustomers(store, callerApp(req)), query.page_number, query.page_size);
    res.json({ data: items.map(customerView), page });
  };

  const get: RequestHandler = (req, res) => {
    const { customer_id } = parseInput(customerIdParams, req.params);
    res.json(customerView(requireCustomer(store, callerApp(req), customer_id)));
  };

  const getByAppUserId: RequestHandler = (req, res) => {
    const { app_user_id } = parseInput(appUserIdParams, req.params);
    const customer = findCustomerByAppUserId(store, callerApp(req), app_user_id);
    if (!customer) throw unknownCustomer('app_user_id');
    res.json(customerView(customer));
  };

  const update: RequestHandler = (req, res) => {
    const { customer_id } = parseInput(customerIdParams, req.params);
    const body = parseInput(updateCustomerBody, req.body);
    res.json(customerView(updateGovernmentIdentifiers(store, callerApp(req), customer_id, body.government_identifiers)));
  };

  const router = Router();
  // `/customers/v1/entities` belongs to the entities router, whichever order the two are mounted in.
  router.all('/customers/v1/entities', (_req, _res, next) => next('router'));
  router.route('/customers/v1').get(list).post(jsonBody, create).all(methodNotAllowed);
  router
    .route('/customers/v1/app-user-id')
    .get(() => {
      throw LeanError.missingParameter('app_user_id');
    })
    .all(methodNotAllowed);
  router.route('/customers/v1/app-user-id/:app_user_id').get(getByAppUserId).all(methodNotAllowed);
  router.route('/customers/v1/:customer_id').get(get).put(jsonBody, update).all(methodNotAllowed);
  return router;
}
