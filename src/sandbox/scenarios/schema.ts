import { z } from 'zod';
import { lazySchema } from '../../app/validation.js';
import { ACCOUNT_SUB_TYPES } from '../bank-data/regions.js';
import { GOVERNMENT_IDENTIFIER_TYPES } from '../payments/records.js';

/**
 * The shape of a scenario file (DESIGN.md §2.6): what a test wants the sandbox to hold at start
 * and after every reset. Every object is strict, so a typo (`balanse`) is an error naming its
 * path rather than a field silently ignored. Checks that need the sandbox (apps, banks, ids
 * already taken) are in ./validate.ts.
 */

/**
 * Every schema of the file, built together on the first scenario parsed: a start without a
 * scenario builds none of them (they were the costliest schemas of a cold `serve` to build).
 */
function buildSchemas() {
  const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
  /** Ids are Lean's: UUIDs, stored lower-case as the API returns them. */
  const id = z.string().regex(UUID, 'expected a UUID').transform((value) => value.toLowerCase());
  const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max);

  /** Money in the account's currency: two decimals at most, as AED and SAR are written. */
  const money = z
    .number()
    .finite()
    .refine((value) => Math.abs(value) <= 1e12, 'must be at most 1,000,000,000,000')
    .refine((value) => Math.abs(Math.round(value * 100) - value * 100) < 1e-6, 'at most two decimals');
  const amount = money.refine((value) => value > 0, 'must be above 0');

  /** `2026-11-01` (midnight UTC) or a full ISO date-time with a zone. */
  const day = z.union([z.iso.date(), z.iso.datetime({ offset: true })], { error: 'expected a date (YYYY-MM-DD) or an ISO date-time' });

  const iban = z.string().transform((value) => value.replace(/\s+/g, '').toUpperCase());

  const TransactionSpec = z.strictObject({
    transaction_id: id.optional(),
    amount,
    credit_debit_indicator: z.enum(['CREDIT', 'DEBIT']),
    booking_date: day,
    /** Default: the booking date. */
    value_date: day.optional(),
    description: text(500),
    /** Default BOOKED. */
    status: z.enum(['BOOKED', 'PENDING']).optional(),
    /** Default: generated from the date, like the bank's own references. */
    reference: text(64).optional(),
    merchant: z.strictObject({ name: text(200), category_code: z.string().regex(/^\d{4}$/, 'expected 4 digits') }).optional(),
    /** The bank's code (e.g. `{ "code": "Payments", "sub_code": "Salary Credit" }`): insights classify by it. Default none. */
    bank_transaction_code: z.strictObject({ code: text(100), sub_code: text(100) }).optional(),
  });

  const AccountSpec = z.strictObject({
    account_id: id.optional(),
    /** The account's nickname, as the bank lists it. */
    name: text(200),
    /** Lean's account_sub_type; the bank's region must carry it. */
    type: z.enum(ACCOUNT_SUB_TYPES),
    /** Default: the bank's region's currency. */
    currency: z.string().regex(/^[A-Z]{3}$/, 'expected a 3-letter currency code').optional(),
    /** The available balance now; negative is money owed (DEBIT). Default: generated. */
    balance: money.optional(),
    /** Default: generated in the bank's format. */
    iban: iban.optional(),
    /** Default: a year of generated history; `[]` for none. */
    transactions: z.array(TransactionSpec).max(10_000).optional(),
  });

  const EntitySpec = z.strictObject({
    entity_id: id.optional(),
    bank_identifier: z.string().min(1).max(64),
    /** Who holds the accounts (names accounts and identity). Default: generated. */
    holder_name: text(200).optional(),
    /** Default: every product of the bank, generated. */
    accounts: z.array(AccountSpec).max(50).optional(),
  });

  const sourceAccount = z.strictObject({
    account_id: id.optional(),
    account_name: text(200).optional(),
    iban: iban.optional(),
    balance: money.optional(),
    currency: z.string().regex(/^[A-Z]{3}$/, 'expected a 3-letter currency code').optional(),
  });

  const PaymentSourceSpec = z.strictObject({
    id: id.optional(),
    /** One of the payment banks; default LEAN_OF_RETAIL_UAE. */
    bank_identifier: z.string().min(1).max(64).optional(),
    holder_name: text(200).optional(),
    /** Default: one current account. */
    accounts: z.array(sourceAccount).min(1).max(20).optional(),
  });

  const DestinationSpec = z.strictObject({
    id: id.optional(),
    name: text(200),
    display_name: text(200).optional(),
    iban,
    address: text(500).optional(),
    city: text(100).optional(),
    /** ISO alpha-3, as Lean's destinations write it; Lean pays only within the UAE. */
    country: z.literal('ARE').optional(),
    swift_code: z.string().regex(/^[A-Z0-9]{8}([A-Z0-9]{3})?$/, 'expected a BIC').optional(),
    currency: z.literal('AED').optional(),
    /** Intents without a destination pay into it (instead of the seeded one). */
    default: z.boolean().optional(),
  });

  const CustomerSpec = z.strictObject({
    customer_id: id.optional(),
    /** Default: the default app (the first in the certificate folder). */
    app: z.string().min(1).max(128).optional(),
    app_user_id: text(255),
    government_identifiers: z
      .array(z.strictObject({ type: z.enum(GOVERNMENT_IDENTIFIER_TYPES), value: text(64) }))
      .max(10)
      .optional(),
    entities: z.array(EntitySpec).max(100).optional(),
    payment_sources: z.array(PaymentSourceSpec).max(100).optional(),
    /** The customer's own destinations (payouts to them, customer-owned intents). */
    payment_destinations: z.array(DestinationSpec).max(100).optional(),
  });

  const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'] as const;

  /** A canned reply, armed as a fault in the sandbox's registry (the machinery `mock.use()` uses). */
  const OverrideSpec = z.strictObject({
    /** Default: any method. */
    method: z.enum(METHODS).optional(),
    /** Exact, or a glob where `*` is any run of characters. */
    path: z.string(),
    app: z.string().min(1).max(128).optional(),
    status: z.number().int(),
    body: z.union([z.record(z.string(), z.unknown()), z.array(z.unknown())]).optional(),
    headers: z.record(z.string(), z.string()).optional(),
    delay_ms: z.number().int().optional(),
    /** How many matching requests it answers; default every one until the next reset re-arms it. */
    times: z.number().int().min(1).max(1_000_000).optional(),
  });

  const ScenarioSchema = z.strictObject({
    /** Free text for the reader of the file. */
    description: z.string().max(2000).optional(),
    customers: z.array(CustomerSpec).max(1000).optional(),
    /** The app's own destinations. */
    payment_destinations: z
      .array(DestinationSpec.extend({ app: z.string().min(1).max(128).optional() }))
      .max(100)
      .optional(),
    overrides: z.array(OverrideSpec).max(1000).optional(),
  });

  return { TransactionSpec, AccountSpec, EntitySpec, PaymentSourceSpec, DestinationSpec, CustomerSpec, OverrideSpec, ScenarioSchema };
}

type Schemas = ReturnType<typeof buildSchemas>;

/** The whole scenario file's schema. */
export const ScenarioSchema = lazySchema(() => buildSchemas().ScenarioSchema);

/** A scenario as written (ids may be upper-case, fields absent). */
export type ScenarioInput = z.input<Schemas['ScenarioSchema']>;
/** A scenario after parsing: ids lower-cased, IBANs compacted. */
export type Scenario = z.output<Schemas['ScenarioSchema']>;
export type CustomerSpec = z.output<Schemas['CustomerSpec']>;
export type EntitySpec = z.output<Schemas['EntitySpec']>;
export type AccountSpec = z.output<Schemas['AccountSpec']>;
export type TransactionSpec = z.output<Schemas['TransactionSpec']>;
export type PaymentSourceSpec = z.output<Schemas['PaymentSourceSpec']>;
export type DestinationSpec = z.output<Schemas['DestinationSpec']>;
export type OverrideSpec = z.output<Schemas['OverrideSpec']>;
