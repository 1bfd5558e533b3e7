import type { SandboxEvent } from '../store/store.js';
import { paymentBank } from './banks.js';
import type { BeneficiaryRecord, PaymentIntentRecord, PaymentRecord, PaymentSourceRecord } from './records.js';

/**
 * The payments product's webhook events, shaped like Lean's UAE samples field for field
 * (`reference/lean-webhooks/UAE-payment*.json`). `metadata` is what the app attached to the
 * intent in Lean's samples; this mock takes none, so it is null.
 */

export function paymentIntentCreated(app: string, intent: PaymentIntentRecord): SandboxEvent {
  return {
    app,
    type: 'payment_intent.created',
    message: 'Payment intent created',
    payload: {
      amount: intent.amount,
      reason: intent.description,
      status: 'INTENT_CREATED',
      currency: intent.currency,
      metadata: null,
      intent_id: intent.payment_intent_id,
    },
  };
}

function paymentPayload(payment: PaymentRecord): Record<string, unknown> {
  return {
    id: payment.id,
    amount: payment.amount,
    status: payment.status,
    currency: payment.currency,
    metadata: null,
    intent_id: payment.payment_intent_id,
    customer_id: payment.customer_id,
    payment_destination_id: payment.payment_destination_id,
    bank_transaction_reference: payment.bank_transaction_reference,
  };
}

export function paymentCreated(app: string, payment: PaymentRecord): SandboxEvent {
  const { id, amount, ...rest } = paymentPayload(payment);
  // Lean's sample puts the intent's description, as `reason`, after the amount.
  return { app, type: 'payment.created', message: 'A payment object has been created.', payload: { id, amount, reason: payment.description, ...rest } };
}

export function paymentUpdated(app: string, payment: PaymentRecord): SandboxEvent {
  return { app, type: 'payment.updated', message: 'A payment object has been updated.', payload: paymentPayload(payment) };
}

export function paymentSourceCreated(app: string, source: PaymentSourceRecord): SandboxEvent {
  return {
    app,
    type: 'payment_source.created',
    message: 'A payment source was pre-authorized by your customer.',
    payload: {
      id: source.id,
      status: source.status,
      bank_name: paymentBank(source.bank_identifier)?.name ?? source.bank_identifier,
      customer_id: source.customer_id,
      end_user_id: null,
      bank_identifier: source.bank_identifier,
    },
  };
}

export function beneficiaryCreated(app: string, source: PaymentSourceRecord, beneficiary: BeneficiaryRecord): SandboxEvent {
  return {
    app,
    type: 'payment_source.beneficiary.created',
    message: 'A beneficiary was added for a payment source.',
    payload: {
      id: beneficiary.id,
      status: beneficiary.status,
      customer_id: source.customer_id,
      payment_source_id: source.id,
      payment_destination_id: beneficiary.payment_destination_id,
      payment_source_bank_identifier: source.bank_identifier,
    },
  };
}
