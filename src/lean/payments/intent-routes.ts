import type { Router } from 'express';
import { jsonBody } from '../../app/error-handler.js';
import { methodNotAllowed } from '../../app/routing.js';
import { parseInput } from '../../app/validation.js';
import { getDestination } from '../../sandbox/payments/destinations.js';
import { createIntent, getIntent, listIntents, paymentsOfIntent } from '../../sandbox/payments/intents.js';
import { getPayment } from '../../sandbox/payments/payments.js';
import type { PaymentIntentRecord } from '../../sandbox/payments/records.js';
import type { SandboxStore } from '../../sandbox/store/store.js';
import { paginate, withoutSort } from '../pagination.js';
import { callerApp } from '../../app/context.js';
import { createIntentBody, intentParams, listIntentsQuery, paymentParams } from './requests.js';
import { intentView, paymentView } from './views.js';

/** Payment intents and the payments made against them. */
export function addIntentRoutes(router: Router, store: SandboxStore): void {
  const view = (app: string, intent: PaymentIntentRecord) =>
    intentView(intent, paymentsOfIntent(store, app, intent), getDestination(store, app, intent.payment_destination_id));

  router
    .route('/payments/v1/intents')
    .get((req, res) => {
      const query = parseInput(listIntentsQuery, req.query);
      const app = callerApp(req);
      const intents = listIntents(store, app, {
        customer_id: query.customer_id,
        from: query.from === undefined ? undefined : new Date(query.from),
        to: query.to === undefined ? undefined : new Date(query.to),
        status: query.status,
      });
      const { items, page } = paginate(intents, query.page, query.size);
      res.json({ data: items.map((intent) => view(app, intent)), page: withoutSort(page) });
    })
    .post(jsonBody, (req, res) => {
      const body = parseInput(createIntentBody, req.body);
      const app = callerApp(req);
      res.json(view(app, createIntent(store, app, body)));
    })
    .all(methodNotAllowed);

  router
    .route('/payments/v1/intents/:payment_intent_id')
    .get((req, res) => {
      const { payment_intent_id: id } = parseInput(intentParams, req.params);
      const app = callerApp(req);
      res.json(view(app, getIntent(store, app, id)));
    })
    .all(methodNotAllowed);

  // Last: its path would otherwise swallow /payments/v1/intents and /payments/v1/destinations.
  router
    .route('/payments/v1/:payment_id')
    .get((req, res) => {
      const { payment_id: id } = parseInput(paymentParams, req.params);
      res.json(paymentView(getPayment(store, callerApp(req), id)));
    })
    .all(methodNotAllowed);
}
