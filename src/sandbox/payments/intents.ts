import { LeanError } from '../../app/errors.js';
import type { SandboxStore } from '../store/store.js';
import { AMOUNT_LIMITS, checkAmountLimits, parseAmount } from './amount.js';
import { requireCustomer } from './customers.js';
import { defaultDestination, getDestination } from './destinations.js';
import { paymentErrors } from './errors.js';
import { paymentIntentCreated } from './events.js';
import { PAYMENT_COLLECTIONS, type PaymentIntentRecord, type PaymentRecord } from './records.js';
import { refuseCurrencyWithoutPayments } from './regions.js';

/** Payment intents: the app's promise to Lean that it will ask a customer for an amount. */

export interface CreateIntentInput {
  customer_id: string;
  /** Unchecked: the amount rules answer Lean's own INVALID_AMOUNT, not a generic type error. */
  amount: unknown;
  currency: string;
  payment_destination_id?: string;
  description?: string;
  purpose_code?: string;
}

export interface IntentFilter {
  customer_id?: string;
  /** Created at or after this instant. */
  from?: Date;
  /** Created at or before this instant. */
  to?: Date;
  /** Intents with a payment in this status. */
  status?: string;
}

export const intentCollection = (store: SandboxStore) => store.collection<PaymentIntentRecord>(PAYMENT_COLLECTIONS.intents);

/**
 * Checks in the order a client fixes them: the amount's form, the currency, the limits, then
 * the customer and the destination; nothing is written until all pass.
 */
export function createIntent(store: SandboxStore, app: string, input: CreateIntentInput): PaymentIntentRecord {
  const amount = parseAmount(input.amount);
  refuseCurrencyWithoutPayments('currency', input.currency);
  if (!AMOUNT_LIMITS[input.currency]) {
    const use = Object.keys(AMOUNT_LIMITS).join(' or ');
    throw new LeanError('INVALID_PARAMETERS', 400, `The currency ${input.currency} is not supported for payments: use ${use}, field: currency, value: ${input.currency}.`);
  }
  checkAmountLimits(amount, input.currency);
  requireCustomer(store, app, input.customer_id);
  const destination =
    input.payment_destination_id === undefined ? defaultDestination(store, app) : getDestination(store, app, input.payment_destination_id);
  // Without a default (an app whose seeded destination is gone) there is nothing to pay into.
  if (!destination) throw LeanError.missingParameter('payment_destination_id');
  // A customer's own destination is that customer's alone: other customers cannot pay into it.
  if (destination.customer_id !== undefined && destination.customer_id !== input.customer_id) {
    throw paymentErrors.unknownDestination(destination.id);
  }

  const id = store.newId();
  const now = store.now().toISOString();
  const intent: PaymentIntentRecord = {
    payment_intent_id: id,
    customer_id: input.customer_id,
    amount,
    currency: input.currency,
    // Lean's default reference: the intent's id without hyphens.
    description: input.description ?? id.replaceAll('-', ''),
    payment_destination_id: destination.id,
    ...(input.purpose_code === undefined ? {} : { purpose_code: input.purpose_code }),
    payment_ids: [],
    created_at: now,
    updated_at: now,
  };
  intentCollection(store).set(app, id, intent);
  store.publish(paymentIntentCreated(app, intent));
  return intent;
}

/** The intent's payments, oldest first. */
export function paymentsOfIntent(store: SandboxStore, app: string, intent: PaymentIntentRecord): PaymentRecord[] {
  const payments = store.collection<PaymentRecord>(PAYMENT_COLLECTIONS.payments);
  return intent.payment_ids.flatMap((id) => payments.get(app, id) ?? []);
}

export function getIntent(store: SandboxStore, app: string, id: string): PaymentIntentRecord {
  const intent = intentCollection(store).get(app, id);
  if (!intent) throw paymentErrors.unknownIntent(id);
  return intent;
}

/** The app's intents, oldest first, narrowed by the filter. */
export function listIntents(store: SandboxStore, app: string, filter: IntentFilter): PaymentIntentRecord[] {
  return intentCollection(store).list(app, (intent) => {
    const created = Date.parse(intent.created_at);
    return (
      (filter.customer_id === undefined || intent.customer_id === filter.customer_id) &&
      (filter.from === undefined || created >= filter.from.getTime()) &&
      (filter.to === undefined || created <= filter.to.getTime()) &&
      (filter.status === undefined || paymentsOfIntent(store, app, intent).some((payment) => payment.status === filter.status))
    );
  });
}
