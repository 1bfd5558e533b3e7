import { z } from 'zod';
import { PAYMENT_STATUSES } from '../../sandbox/payments/records.js';

/**
 * Response shapes of Lean's payments API, from Lean's OpenAPI definitions (`payments.yml`,
 * `payments-core.yml`, `payments-customers.yml`) and UAE webhook samples. Strict: an extra or a
 * missing field fails, so the mock cannot drift from Lean's shapes unnoticed.
 *
 * Where Lean's own files disagree the schema takes their union: a destination's status is
 * `ACTIVE` in payments-core.yml and in every creation example, `CONFIRMED|PENDING` elsewhere.
 */

const uuid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
const timestamp = z.iso.datetime();
const currency = z.string().regex(/^[A-Z]{3}$/);
const destinationStatus = z.enum(['ACTIVE', 'CONFIRMED', 'PENDING']);

/** The account a destination names, alike in both of Lean's destination shapes (and in this order). */
const destinationAccount = {
  name: z.string().min(1),
  iban: z.string().optional(),
  display_name: z.string().min(1),
  address: z.string().min(1),
  city: z.string().min(1),
  country: z.string().regex(/^[A-Z]{3}$/),
  swift_code: z.string().optional(),
  account_number: z.string().min(1),
};

/** `PaymentDestination`: `GET|POST /payments/v1/destinations`, `GET …/destinations/{id}`. */
export const PaymentDestinationSchema = z.strictObject({
  id: uuid,
  status: destinationStatus,
  default: z.boolean(),
  branch_address: z.string().optional(),
  ...destinationAccount,
  customer_id: uuid.optional(),
  ifsc: z.string().optional(),
  transit_number: z.string().optional(),
  sort_code: z.string().optional(),
  routing_number: z.string().optional(),
  postal_code: z.string().optional(),
  currency: currency.optional(),
});

/** `CustomerPaymentDestination`: `GET /customers/v1/{customer_id}/destinations`. */
export const CustomerPaymentDestinationSchema = z.strictObject({
  id: uuid,
  customer_id: uuid,
  bank_identifier: z.string().optional(),
  status: destinationStatus,
  default: z.boolean(),
  ...destinationAccount,
});

/** The destination inside a `PaymentIntent` (with `owner_type`, and `bank_identifier` as in Lean's example). */
export const IntentDestinationSchema = z.strictObject({
  id: uuid,
  bank_identifier: z.string().nullable(),
  name: z.string().min(1),
  iban: z.string().optional(),
  display_name: z.string().min(1),
  account_number: z.string().min(1),
  swift_code: z.string().nullable(),
  status: destinationStatus,
  address: z.string().min(1),
  country: z.string().regex(/^[A-Z]{3}$/),
  city: z.string().min(1),
  default: z.boolean(),
  customer_id: uuid.optional(),
  owner_type: z.enum(['APPLICATION', 'CUSTOMER']),
  ifsc: z.string().nullable(),
  sort_code: z.string().nullable(),
  routing_number: z.string().nullable(),
  transit_code: z.string().nullable(),
  branch_address: z.string().nullable(),
  currency_iso_code: z.string().regex(/^[A-Z]{3}$/),
  postal_code: z.string().nullable(),
  confirmation_of_payee_status: z.null(),
  bank_type: z.string().nullable(),
});

const accountDetails = z.strictObject({ account_number: z.string(), iban: z.string(), name: z.string() });

/**
 * `Payment`: `GET /payments/v1/{payment_id}` and the items of an intent's `payments`.
 * `bank_transaction_reference` is null until the bank accepts the payment; `failure_reason`
 * (this mock's) appears on FAILED payments whose simulation gave one.
 */
export const PaymentSchema = z.strictObject({
  id: uuid,
  payment_intent_id: uuid,
  payment_source_id: uuid,
  sender_details: accountDetails,
  recipient_details: accountDetails,
  amount: z.number().positive(),
  currency,
  description: z.string(),
  submission_timestamp: timestamp,
  initiation_timestamp: timestamp,
  status: z.enum(PAYMENT_STATUSES),
  bank_transaction_reference: z.string().nullable(),
  failure_reason: z.string().optional(),
});

/** `PaymentIntent`: `POST|GET /payments/v1/intents[/{id}]` (with lean-api.md's `created_at`, `updated_at`). */
export const PaymentIntentSchema = z.strictObject({
  payment_intent_id: uuid,
  customer_id: uuid,
  amount: z.number().positive(),
  currency,
  description: z.string(),
  payments: z.array(PaymentSchema),
  payment_destination: IntentDestinationSchema,
  created_at: timestamp,
  updated_at: timestamp,
});

export const PaginationSchema = z.strictObject({
  number: z.number().int().nonnegative(),
  size: z.number().int().positive(),
  total_elements: z.number().int().nonnegative(),
  total_pages: z.number().int().nonnegative(),
});

/** `GET /payments/v1/intents`: style B, `{data, page}`. */
export const PaymentIntentPageSchema = z.strictObject({ data: z.array(PaymentIntentSchema), page: PaginationSchema });

/** `PaymentSource`: `GET /customers/v1/{customer_id}/payment-sources[/{id}]`. */
export const PaymentSourceSchema = z.strictObject({
  id: uuid,
  customer_id: uuid,
  app_id: z.string().min(1),
  status: z.enum(['AWAITING_BENEFICIARY_COOL_OFF', 'ACTIVE']),
  beneficiary_cool_off_expiry: timestamp,
  bank_identifier: z.string().min(1),
  beneficiaries: z.array(
    z.strictObject({
      id: uuid,
      payment_destination_id: uuid,
      status: z.enum(['AWAITING_BENEFICIARY_COOL_OFF', 'ACTIVE']),
      beneficiary_cool_off_expiry: timestamp.optional(),
    }),
  ),
  accounts: z.array(
    z.strictObject({
      id: uuid,
      account_id: uuid,
      account_name: z.string(),
      account_number: z.string(),
      iban: z.string(),
      balance: z.number(),
      currency,
      balance_last_updated: timestamp,
    }),
  ),
});

/** Webhook payloads, from Lean's UAE samples. */
export const PaymentIntentCreatedPayloadSchema = z.strictObject({
  amount: z.number(),
  reason: z.string(),
  status: z.literal('INTENT_CREATED'),
  currency,
  metadata: z.record(z.string(), z.unknown()).nullable(),
  intent_id: uuid,
});

const paymentEventFields = {
  id: uuid,
  amount: z.number(),
  status: z.enum(PAYMENT_STATUSES),
  currency,
  metadata: z.record(z.string(), z.unknown()).nullable(),
  intent_id: uuid,
  customer_id: uuid,
  payment_destination_id: uuid,
  bank_transaction_reference: z.string().nullable(),
};
export const PaymentCreatedPayloadSchema = z.strictObject({ ...paymentEventFields, reason: z.string() });
export const PaymentUpdatedPayloadSchema = z.strictObject(paymentEventFields);

export const PaymentSourceCreatedPayloadSchema = z.strictObject({
  id: uuid,
  status: z.enum(['AWAITING_BENEFICIARY_COOL_OFF', 'ACTIVE']),
  bank_name: z.string(),
  customer_id: uuid,
  end_user_id: uuid.nullable(),
  bank_identifier: z.string(),
});

export const BeneficiaryCreatedPayloadSchema = z.strictObject({
  id: uuid,
  status: z.enum(['AWAITING_BENEFICIARY_COOL_OFF', 'ACTIVE']),
  customer_id: uuid,
  payment_source_id: uuid,
  payment_destination_id: uuid,
  payment_source_bank_identifier: z.string(),
});
