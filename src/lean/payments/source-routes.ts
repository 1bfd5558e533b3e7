import type { Router } from 'express';
import { jsonBody } from '../../app/error-handler.js';
import { methodNotAllowed } from '../../app/routing.js';
import { parseInput } from '../../app/validation.js';
import { deleteSource, getSource, listSources } from '../../sandbox/payments/sources.js';
import type { SandboxStore } from '../../sandbox/store/store.js';
import { callerApp } from '../../app/context.js';
import { customerParams, deleteSourceBody, sourceParams } from './requests.js';
import { sourceView } from './views.js';

/** A customer's payment sources (Lean's "Payment Source" tag). */
export function addSourceRoutes(router: Router, store: SandboxStore): void {
  router
    .route('/customers/v1/:customer_id/payment-sources')
    .get((req, res) => {
      const { customer_id: customerId } = parseInput(customerParams, req.params);
      res.json(listSources(store, callerApp(req), customerId).map(sourceView));
    })
    .all(methodNotAllowed);

  router
    .route('/customers/v1/:customer_id/payment-sources/:payment_source_id')
    .get((req, res) => {
      const { customer_id: customerId, payment_source_id: sourceId } = parseInput(sourceParams, req.params);
      res.json(sourceView(getSource(store, callerApp(req), customerId, sourceId)));
    })
    // Lean's payments.yml asks for a `reason`, payments-customers.yml for no body: both are taken.
    .delete(jsonBody, (req, res) => {
      const { customer_id: customerId, payment_source_id: sourceId } = parseInput(sourceParams, req.params);
      parseInput(deleteSourceBody, req.body);
      deleteSource(store, callerApp(req), customerId, sourceId);
      res.json({});
    })
    .all(methodNotAllowed);
}
