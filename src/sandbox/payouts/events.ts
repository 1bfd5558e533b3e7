import type { SandboxEvent } from '../store/store.js';
import type { PayoutRecord } from './records.js';

/**
 * A payout is a payment to Lean's webhooks: `payment.created` when it is made and
 * `payment.updated` on each move, in the fields of Lean's UAE payment samples
 * (`reference/lean-webhooks/UAE-payment.*.json`) and under the event names Lean's payout history
 * records (`payment.created`). `metadata` is null: payouts take none.
 */

function payload(payout: PayoutRecord): Record<string, unknown> {
  return {
    status: payout.status,
    currency: payout.currency,
    metadata: null,
    intent_id: payout.payment_intent_id,
    customer_id: payout.customer_id,
    payment_destination_id: payout.payment_destination_id,
    bank_transaction_reference: payout.bank_transaction_reference,
  };
}

export function payoutCreated(app: string, payout: PayoutRecord): SandboxEvent {
  return {
    app,
    type: 'payment.created',
    message: 'A payment object has been created.',
    payload: { id: payout.id, amount: payout.amount, reason: payout.description, ...payload(payout) },
  };
}

export function payoutUpdated(app: string, payout: PayoutRecord): SandboxEvent {
  return { app, type: 'payment.updated', message: 'A payment object has been updated.', payload: { id: payout.id, amount: payout.amount, ...payload(payout) } };
}
