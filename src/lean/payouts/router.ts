import { Router } from 'express';
import { callerApp } from '../../app/context.js';
import { jsonBody } from '../../app/error-handler.js';
import { methodNotAllowed } from '../../app/routing.js';
import { parseInput } from '../../app/validation.js';
import { createPayoutDestinations, getPayoutDestination } from '../../sandbox/payouts/destinations.js';
import { createPayouts, getPayout, getPayoutByIntent, listPayouts } from '../../sandbox/payouts/payouts.js';
import { REFUND_REASONS } from '../../sandbox/payouts/records.js';
import { createRefunds, listRefunds, processRefunds } from '../../sandbox/payouts/refunds.js';
import type { SandboxStore } from '../../sandbox/store/store.js';
import {
  destinationCreatedView,
  payoutCreatedView,
  payoutDestinationView,
  payoutHistoryView,
  payoutIntentView,
  payoutListItemView,
  payoutView,
  refundListItemView,
  refundView,
} from '../../sandbox/payouts/views.js';
import { paginate } from '../pagination.js';
import {
  createPayoutBody,
  createPayoutDestinationsBody,
  createRefundsBody,
  destinationParams,
  historyQuery,
  intentParams,
  listPayoutsQuery,
  listRefundsQuery,
  payoutParams,
  processRefundsBody,
} from './requests.js';

/**
 * Lean's payouts API (the app pays destinations from its own connected account) and its refunds
 * API, which Lean serves under /payouts. The bank's answers to a payout and a refund are played
 * by the admin API (src/sandbox/payouts/admin-router.ts).
 */
export function createPayoutsRouter(options: { store: SandboxStore }): Router {
  const { store } = options;
  const router = Router();

  router
    .route('/payouts/v1/payment/destinations')
    .post(jsonBody, (req, res) => {
      const body = parseInput(createPayoutDestinationsBody, req.body);
      res.json(createPayoutDestinations(store, callerApp(req), body).map(destinationCreatedView));
    })
    .all(methodNotAllowed);

  router
    .route('/payouts/v1/payment/destinations/:destination_id')
    .get((req, res) => {
      const { destination_id: id } = parseInput(destinationParams, req.params);
      res.json(payoutDestinationView(getPayoutDestination(store, callerApp(req), id)));
    })
    .all(methodNotAllowed);

  router
    .route('/payouts/v1/payment')
    .post(jsonBody, (req, res) => {
      const body = parseInput(createPayoutBody, req.body);
      const created = createPayouts(store, callerApp(req), body.payment_details);
      res.json({ end_user_id: created[0]!.payment_source_id, payouts_payment_details: created.map(payoutCreatedView) });
    })
    .all(methodNotAllowed);

  router
    .route('/payouts/v1/payments')
    .get((req, res) => {
      const query = parseInput(listPayoutsQuery, req.query);
      const app = callerApp(req);
      const { items, page } = paginate(listPayouts(store, app, { status: query.status }), query.page_number, query.page_size);
      res.json({ content: items.map((payout) => payoutListItemView(payout, getPayoutDestination(store, app, payout.payment_destination_id))), page });
    })
    .all(methodNotAllowed);

  router
    .route('/payouts/v1/payments/:payment_id/history')
    .get((req, res) => {
      const { payment_id: id } = parseInput(payoutParams, req.params);
      const query = parseInput(historyQuery, req.query);
      const { items, page } = paginate([getPayout(store, callerApp(req), id)], query.page_number, query.page_size);
      res.json({ content: items.map(payoutHistoryView), page });
    })
    .all(methodNotAllowed);

  router
    .route('/payouts/v1/intents/:payment_intent_id')
    .get((req, res) => {
      const { payment_intent_id: id } = parseInput(intentParams, req.params);
      const app = callerApp(req);
      const payout = getPayoutByIntent(store, app, id);
      res.json(payoutIntentView(payout, getPayoutDestination(store, app, payout.payment_destination_id)));
    })
    .all(methodNotAllowed);

  router
    .route('/payouts/refunds')
    .get((req, res) => {
      const query = parseInput(listRefundsQuery, req.query);
      const all = listRefunds(store, callerApp(req), { status: query.status, payment_id: query.payment_id });
      const { items, page } = paginate(all, query.page, query.size);
      res.json({ content: items.map(refundListItemView), page });
    })
    .post(jsonBody, (req, res) => {
      const body = parseInput(createRefundsBody, req.body);
      res.status(201).json(createRefunds(store, callerApp(req), body).map(refundView));
    })
    .put(jsonBody, (req, res) => {
      const body = parseInput(processRefundsBody, req.body);
      res.json(processRefunds(store, callerApp(req), body).map((refund) => ({ refund_id: refund.refund_id, status: refund.status })));
    })
    .all(methodNotAllowed);

  router
    .route('/payouts/refunds/reasons')
    .get((_req, res) => {
      res.json(Object.entries(REFUND_REASONS).map(([reason_code, description]) => ({ reason_code, description })));
    })
    .all(methodNotAllowed);

  // Last: its path would otherwise swallow /payouts/v1/payments and /payouts/v1/payment.
  router
    .route('/payouts/v1/:payment_id')
    .get((req, res) => {
      const { payment_id: id } = parseInput(payoutParams, req.params);
      res.json(payoutView(getPayout(store, callerApp(req), id)));
    })
    .all(methodNotAllowed);

  return router;
}
