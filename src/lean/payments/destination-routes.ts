import type { Router } from 'express';
import { jsonBody } from '../../app/error-handler.js';
import { methodNotAllowed } from '../../app/routing.js';
import { parseInput } from '../../app/validation.js';
import {
  createDestination,
  getDestination,
  listCustomerDestinations,
  listDestinations,
} from '../../sandbox/payments/destinations.js';
import type { SandboxStore } from '../../sandbox/store/store.js';
import { callerApp } from '../../app/context.js';
import { createDestinationBody, customerParams, destinationParams } from './requests.js';
import { customerDestinationView, destinationView } from './views.js';

/** Payment destinations (Lean's "Payment Destination" tag). */
export function addDestinationRoutes(router: Router, store: SandboxStore): void {
  router
    .route('/payments/v1/destinations')
    .get((req, res) => {
      res.json(listDestinations(store, callerApp(req)).map(destinationView));
    })
    .post(jsonBody, (req, res) => {
      const body = parseInput(createDestinationBody, req.body);
      res.json(destinationView(createDestination(store, callerApp(req), body)));
    })
    .all(methodNotAllowed);

  router
    .route('/payments/v1/destinations/:payment_destination_id')
    .get((req, res) => {
      const { payment_destination_id: id } = parseInput(destinationParams, req.params);
      res.json(destinationView(getDestination(store, callerApp(req), id)));
    })
    .all(methodNotAllowed);

  router
    .route('/customers/v1/:customer_id/destinations')
    .get((req, res) => {
      const { customer_id: customerId } = parseInput(customerParams, req.params);
      const owned = listCustomerDestinations(store, callerApp(req), customerId);
      res.json(owned.map((destination) => customerDestinationView({ ...destination, customer_id: customerId })));
    })
    .all(methodNotAllowed);
}
