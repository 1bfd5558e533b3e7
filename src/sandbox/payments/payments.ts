import { LeanError } from '../../app/errors.js';
import { isBankAvailable, PAYMENT_BANK_ISSUE } from '../availability/availability.js';
import type { SandboxStore } from '../store/store.js';
import { getDestination } from './destinations.js';
import { paymentErrors } from './errors.js';
import { paymentCreated, paymentUpdated } from './events.js';
import { getIntent, intentCollection, paymentsOfIntent } from './intents.js';
import { PAYMENT_COLLECTIONS, type PaymentRecord, type PaymentStatus } from './records.js';
import { buildSource, commitSource, getSource, withBeneficiary } from './sources.js';
import { assertCanAdvance, type AdvanceTarget } from './status.js';

/**
 * Payments against an intent. In Lean the customer makes one in the LinkSDK; here the admin API
 * simulates that (`simulatePayment`) and then plays the bank (`advancePayment`).
 */

export interface SimulatePaymentInput {
  /** The customer's source to pay from; without one, a new source is made (as `.connect()` would). */
  payment_source_id?: string;
  /** Where the payment starts; PENDING_WITH_BANK unless told. */
  status?: PaymentStatus;
}

export interface AdvancePaymentInput {
  status: PaymentStatus;
  failure_reason?: string;
}

const payments = (store: SandboxStore) => store.collection<PaymentRecord>(PAYMENT_COLLECTIONS.payments);

export function getPayment(store: SandboxStore, app: string, id: string): PaymentRecord {
  const payment = payments(store).get(app, id);
  if (!payment) throw paymentErrors.unknownPayment(id);
  return payment;
}

/**
 * The customer pays the intent. An intent takes one payment at a time, as in Lean: another only
 * once every earlier one has FAILED. All checks come before the first write.
 */
export function simulatePayment(store: SandboxStore, app: string, appId: string, intentId: string, input: SimulatePaymentInput): PaymentRecord {
  const intent = getIntent(store, app, intentId);
  const live = paymentsOfIntent(store, app, intent).find((payment) => payment.status !== 'FAILED');
  if (live) {
    throw new LeanError('PAYMENT_ALREADY_EXISTS', 409, `Payment intent ${intentId} already has payment ${live.id} (${live.status}); only after a FAILED payment can the customer pay again.`, {
      payment_id: live.id,
    });
  }
  const destination = getDestination(store, app, intent.payment_destination_id);
  const existing = input.payment_source_id === undefined ? undefined : getSource(store, app, intent.customer_id, input.payment_source_id);
  const { source, added } = withBeneficiary(store, existing ?? buildSource(store, app, appId, { customer_id: intent.customer_id }), destination.id);

  // A bank Lean took offline (or the app disabled) for payments cannot take the transfer: the
  // payment exists, as the customer did try, and fails at once with Lean's BANK_ISSUE.
  const bankDown = !isBankAvailable(store, app, source.bank_identifier, 'payments');
  const status = bankDown ? 'FAILED' : (input.status ?? 'PENDING_WITH_BANK');
  const now = store.now().toISOString();
  const account = source.accounts[0]!;
  const payment: PaymentRecord = {
    id: store.newId(),
    payment_intent_id: intent.payment_intent_id,
    payment_source_id: source.id,
    sender_details: { account_number: account.account_number, iban: account.iban, name: source.holder_name },
    recipient_details: { account_number: destination.account_number, iban: destination.iban ?? '', name: destination.name },
    amount: intent.amount,
    currency: intent.currency,
    description: intent.description,
    submission_timestamp: now,
    initiation_timestamp: now,
    status,
    bank_transaction_reference: status === 'ACCEPTED_BY_BANK' ? bankReference(store) : null,
    customer_id: intent.customer_id,
    payment_destination_id: destination.id,
    updated_at: now,
    ...(bankDown ? { failure_reason: PAYMENT_BANK_ISSUE.code } : {}),
  };

  commitSource(store, app, source, existing === undefined, added);
  payments(store).set(app, payment.id, payment);
  intentCollection(store).set(app, intent.payment_intent_id, { ...intent, payment_ids: [...intent.payment_ids, payment.id], updated_at: now });
  store.publish(paymentCreated(app, payment));
  return payment;
}

/** The bank's (or the customer's) answer: the payment ends ACCEPTED_BY_BANK or FAILED. */
export function advancePayment(store: SandboxStore, app: string, paymentId: string, input: AdvancePaymentInput): PaymentRecord {
  const payment = getPayment(store, app, paymentId);
  assertCanAdvance(payment.id, payment.status, input.status);
  const target: AdvanceTarget = input.status;
  if (input.failure_reason !== undefined && target !== 'FAILED') {
    throw new LeanError('INVALID_PARAMETERS', 400, 'A failure_reason is only taken with status FAILED, field: failure_reason', {
      field: 'failure_reason',
    });
  }
  const now = store.now().toISOString();
  const { failure_reason: _none, ...rest } = payment;
  const updated: PaymentRecord = {
    ...rest,
    status: target,
    bank_transaction_reference: target === 'ACCEPTED_BY_BANK' ? bankReference(store) : null,
    ...(input.failure_reason === undefined ? {} : { failure_reason: input.failure_reason }),
    updated_at: now,
  };
  payments(store).set(app, updated.id, updated);
  const intent = getIntent(store, app, payment.payment_intent_id);
  intentCollection(store).set(app, intent.payment_intent_id, { ...intent, updated_at: now });
  store.publish(paymentUpdated(app, updated));
  return updated;
}

/** Lean's sandbox references look like `payment-<uuid>`. */
function bankReference(store: SandboxStore): string {
  return `payment-${store.newId()}`;
}
