import { Router } from 'express';
import { z } from 'zod';
import { jsonBody } from '../../app/error-handler.js';
import { methodNotAllowed } from '../../app/routing.js';
import { leanId, parseInput } from '../../app/validation.js';
import type { SandboxStore } from '../store/store.js';
import { advancePayout } from './payouts.js';
import { PAYOUT_FAILURE_CODES, PAYOUT_STATUSES } from './records.js';
import { moveRefunds } from './refunds.js';
import { payoutView, refundListItemView } from './views.js';
import { adminAppOf, appField } from '../admin-app.js';


const advancePayoutBody = z.object({
  ...appField,
  // Through z.string() first: a missing enum is otherwise reported as a wrong value, not a missing one.
  status: z.string().pipe(z.enum(PAYOUT_STATUSES)),
  failure_reason: z.string().pipe(z.enum(PAYOUT_FAILURE_CODES)).optional(),
});

const advanceRefundBody = z.object({ ...appField, status: z.string().pipe(z.enum(['COMPLETED', 'FAILED'])) });


/** Who the bank's answer to a refund is recorded as (Lean's `actioned_by` stays the checker's). */
const BANK = null;

/**
 * The admin API's payouts controls: the app's dashboard (authorizing a payout) and the bank
 * (accepting or failing a payout, carrying out an approved refund), played on demand. Each move
 * is one of the tables in status.ts; a payout's move sends its `payment.updated` webhook.
 */
export function createPayoutsAdminRouter(options: { store: SandboxStore }): Router {
  const { store } = options;
  const appOf = adminAppOf(store);

  const router = Router();
  router
    .route('/admin/v1/payouts/:payment_id/advance')
    .post(jsonBody, (req, res) => {
      const { payment_id: id } = parseInput(z.object({ payment_id: leanId }), req.params);
      const body = parseInput(advancePayoutBody, req.body);
      res.json(payoutView(advancePayout(store, appOf(req, body.app), id, body)));
    })
    .all(methodNotAllowed);

  router
    .route('/admin/v1/refunds/:refund_id/advance')
    .post(jsonBody, (req, res) => {
      const { refund_id: id } = parseInput(z.object({ refund_id: leanId }), req.params);
      const body = parseInput(advanceRefundBody, req.body);
      const [moved] = moveRefunds(store, appOf(req, body.app), [{ refund_id: id, status: body.status }], BANK);
      res.json(refundListItemView(moved!));
    })
    .all(methodNotAllowed);

  return router;
}
