import { Router } from 'express';
import { z } from 'zod';
import { jsonBody } from '../app/error-handler.js';
import { methodNotAllowed } from '../app/routing.js';
import { leanId, parseInput } from '../app/validation.js';
import { paymentView, sourceView } from './payments/views.js';
import { advancePayment, simulatePayment } from './payments/payments.js';
import { PAYMENT_STATUSES } from './payments/records.js';
import { createSource } from './payments/sources.js';
import type { SandboxStore } from './store/store.js';
import { adminAppOf, appField } from './admin-app.js';

export interface PaymentsAdminOptions {
  store: SandboxStore;
  /** The application id Lean shows as a payment source's `app_id` (the app token); default the app's name. */
  appIdOf?: (app: string) => string;
}


const simulatePaymentBody = z.object({
  ...appField,
  payment_source_id: leanId.optional(),
  status: z.enum(PAYMENT_STATUSES).optional(),
});

const advanceBody = z.object({
  ...appField,
  // Through z.string() first: a missing enum is otherwise reported as a wrong value, not a missing one.
  status: z.string().pipe(z.enum(PAYMENT_STATUSES)),
  failure_reason: z.string().trim().min(1).max(500).optional(),
});

const createSourceBody = z.object({
  ...appField,
  bank_identifier: z.string().min(1).max(64).optional(),
  holder_name: z.string().optional(),
  payment_destination_id: leanId.optional(),
});


/**
 * The admin API's payments controls (plain HTTP, mounted in the admin app): what a customer does
 * in the LinkSDK and what the bank answers, simulated, so an app's backend sees the same
 * records and webhooks as with Lean. The app is named by an `app` field in the body or query;
 * without one, the store's first app.
 */
export function createPaymentsAdminRouter(options: PaymentsAdminOptions): Router {
  const { store } = options;
  const appIdOf = options.appIdOf ?? ((app: string) => app);

  const appOf = adminAppOf(store);

  const router = Router();
  router
    .route('/admin/v1/payment-intents/:payment_intent_id/payments')
    .post(jsonBody, (req, res) => {
      const { payment_intent_id: intentId } = parseInput(z.object({ payment_intent_id: leanId }), req.params);
      const body = parseInput(simulatePaymentBody, req.body);
      const app = appOf(req, body.app);
      res.status(201).json(paymentView(simulatePayment(store, app, appIdOf(app), intentId, body)));
    })
    .all(methodNotAllowed);

  router
    .route('/admin/v1/payments/:payment_id/advance')
    .post(jsonBody, (req, res) => {
      const { payment_id: paymentId } = parseInput(z.object({ payment_id: leanId }), req.params);
      const body = parseInput(advanceBody, req.body);
      res.json(paymentView(advancePayment(store, appOf(req, body.app), paymentId, body)));
    })
    .all(methodNotAllowed);

  router
    .route('/admin/v1/customers/:customer_id/payment-sources')
    .post(jsonBody, (req, res) => {
      const { customer_id: customerId } = parseInput(z.object({ customer_id: leanId }), req.params);
      const body = parseInput(createSourceBody, req.body);
      const app = appOf(req, body.app);
      res.status(201).json(sourceView(createSource(store, app, appIdOf(app), { ...body, customer_id: customerId })));
    })
    .all(methodNotAllowed);

  return router;
}
