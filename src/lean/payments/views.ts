import type { z } from 'zod';
import type { PaymentDestinationRecord, PaymentIntentRecord, PaymentRecord, PaymentSourceRecord } from '../../sandbox/payments/records.js';
import {
  CustomerPaymentDestinationSchema,
  PaymentDestinationSchema,
  type IntentDestinationSchema,
  type PaymentIntentSchema,
  type PaymentSchema,
  type PaymentSourceSchema,
} from './schemas.js';
import { paymentView as sandboxPaymentView, sourceView as sandboxSourceView } from '../../sandbox/payments/views.js';

/**
 * Records → Lean's JSON. A destination has three shapes in Lean's API (its own, a customer's,
 * inside an intent), and records carry bookkeeping Lean never returns; both are settled here.
 * Fields come in the order of Lean's examples.
 */

type Shape<Schema extends z.ZodType> = z.infer<Schema>;

function defined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as T;
}

/** The schema's fields, in the schema's order (Lean's), taken from the record; absent ones left out. */
function pick<Schema extends z.ZodObject>(schema: Schema, record: object): Shape<Schema> {
  const source = record as Record<string, unknown>;
  return defined(Object.fromEntries(Object.keys(schema.shape).map((key) => [key, source[key]]))) as Shape<Schema>;
}

export function destinationView(d: PaymentDestinationRecord): Shape<typeof PaymentDestinationSchema> {
  return pick(PaymentDestinationSchema, d);
}

/** Only for a customer's destination, which always has a `customer_id`. */
export function customerDestinationView(d: PaymentDestinationRecord & { customer_id: string }): Shape<typeof CustomerPaymentDestinationSchema> {
  return pick(CustomerPaymentDestinationSchema, d);
}

/** Lean's intents name every destination field, null where the destination has none (its recorded intents). */
export function intentDestinationView(d: PaymentDestinationRecord): Shape<typeof IntentDestinationSchema> {
  return defined({
    id: d.id,
    bank_identifier: d.bank_identifier ?? null,
    name: d.name,
    iban: d.iban,
    display_name: d.display_name,
    account_number: d.account_number,
    swift_code: d.swift_code ?? null,
    status: d.status,
    address: d.address,
    country: d.country,
    city: d.city,
    default: d.default,
    customer_id: d.customer_id,
    owner_type: d.customer_id === undefined ? 'APPLICATION' : 'CUSTOMER',
    ifsc: d.ifsc ?? null,
    sort_code: d.sort_code ?? null,
    routing_number: d.routing_number ?? null,
    transit_code: d.transit_number ?? null,
    branch_address: d.branch_address ?? null,
    // Payments are in AED only (intents refuse any other currency).
    currency_iso_code: d.currency ?? 'AED',
    postal_code: d.postal_code ?? null,
    // The mock runs no confirmation-of-payee check.
    confirmation_of_payee_status: null,
    bank_type: d.bank_type ?? null,
  });
}

/** Built in the sandbox (its admin API answers with it too), held here to Lean's schema. */
export const paymentView: (p: PaymentRecord) => Shape<typeof PaymentSchema> = sandboxPaymentView;

export function intentView(
  intent: PaymentIntentRecord,
  payments: readonly PaymentRecord[],
  destination: PaymentDestinationRecord,
): Shape<typeof PaymentIntentSchema> {
  return {
    payment_intent_id: intent.payment_intent_id,
    customer_id: intent.customer_id,
    amount: intent.amount,
    currency: intent.currency,
    description: intent.description,
    payments: payments.map(paymentView),
    payment_destination: intentDestinationView(destination),
    created_at: intent.created_at,
    updated_at: intent.updated_at,
  };
}

export const sourceView: (s: PaymentSourceRecord) => Shape<typeof PaymentSourceSchema> = sandboxSourceView;
