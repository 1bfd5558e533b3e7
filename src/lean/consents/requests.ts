import { z } from 'zod';
import { lazySchema, leanId, pageNumber } from '../../app/validation.js';
import { GOVERNMENT_IDENTIFIER_TYPES } from '../../sandbox/payments/records.js';
import { CONSENT_STATUSES, PERIOD_TYPES, PURPOSE_CODES, REVOCATION_REASONS } from '../../sandbox/consents/records.js';

/**
 * Request shapes of the consents and account-on-file API (`account-on-file.yml`, `consents.yml`).
 * Lean's own collection sends the limits as strings ("50000") and an unset one as "": both are
 * taken, as Lean's Java side coerces them. Unknown fields are ignored, as in the payments API.
 */

const MAX_MONEY = 1_000_000_000;

/** A positive amount with at most two decimals, from a JSON number or a decimal string; null when not one. */
export function toMoney(value: unknown): number | null {
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^\d{1,10}(\.\d{1,2})?$/.test(value.trim()) ? Number(value) : NaN;
  if (!Number.isFinite(n) || n < 0.01 || n > MAX_MONEY) return null;
  return Math.abs(Math.round(n * 100) - n * 100) > 1e-6 ? null : n;
}

function toCount(value: unknown): number | null {
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^\d{1,9}$/.test(value.trim()) ? Number(value) : NaN;
  return Number.isInteger(n) && n >= 1 && n <= 1_000_000 ? n : null;
}

/** An optional limit: absent, null or "" is no limit. */
const limit = (parse: (value: unknown) => number | null) =>
  z
    .union([z.number(), z.string(), z.null()])
    .optional()
    .transform((value, ctx) => {
      if (value === undefined || value === null || value === '') return null;
      const parsed = parse(value);
      if (parsed === null) ctx.addIssue({ code: 'custom', message: 'not a valid limit' });
      return parsed;
    });

const money = z.union([z.number(), z.string()]).transform((value, ctx) => {
  const parsed = toMoney(value);
  if (parsed === null) {
    ctx.addIssue({ code: 'custom', message: 'not an amount' });
    return z.NEVER;
  }
  return parsed;
});

const reference = z.string().trim().min(1).max(64);
const optionalText = (max: number) => z.string().trim().max(max).nullable().optional();
const dateTime = z.iso.datetime({ offset: true }).nullable().optional();

export const createConsentBody = lazySchema(() =>
  z.object({
    customer_id: leanId,
    destination_account_id: leanId,
    currency: z.string().regex(/^[A-Z]{3}$/),
    reference,
    purpose: z.enum(PURPOSE_CODES as [string, ...string[]]),
    control_parameters: z.object({
      // Lean's discriminator; its own collection leaves it out.
      type: z.literal('VariableOnDemand').optional(),
      period_type: z.string().pipe(z.enum(PERIOD_TYPES)),
      max_individual_amount: limit(toMoney),
      max_cumulative_amount: limit(toMoney),
      max_cumulative_number_of_payments: limit(toCount),
      max_cumulative_amount_per_period: limit(toMoney),
      max_cumulative_number_of_payments_per_period: limit(toCount),
    }),
    government_identifier: z
      .object({ type: z.string().pipe(z.enum(GOVERNMENT_IDENTIFIER_TYPES)), value: z.string().regex(/^(?!\s*$).+/).max(64) })
      .optional(),
    start_date_time: dateTime,
    expiration_date_time: dateTime,
    immediate_payment: z
      .object({ amount: money, reference: reference.nullable().optional(), creditor_reference: optionalText(255) })
      .nullable()
      .optional(),
  }),
);

export const initiatePaymentBody = lazySchema(() =>
  z.object({
    consent_id: leanId,
    // Checked by the route for Lean's INVALID_AMOUNT, as intents' amounts are.
    amount: z.unknown(),
    purpose: z.enum(PURPOSE_CODES as [string, ...string[]]).optional(),
    risk_details: z.record(z.string(), z.unknown()),
    reference: optionalText(64),
    creditor_reference: optionalText(255),
  }),
);

/** Lean: "Unique key used to ensure idempotency of requests", a non-blank string; printable ASCII, as HTTP header values are. */
export const idempotencyKey = lazySchema(() =>
  z.string().regex(/^[\x21-\x7e]([\x20-\x7e]{0,253}[\x21-\x7e])?$/),
);

/** `status` may repeat or be comma-separated, as Lean's other list filters. */
const statuses = z
  .union([z.string(), z.array(z.string())])
  .transform((value) => [value].flat().flatMap((item) => item.split(',')))
  .pipe(z.array(z.enum(CONSENT_STATUSES)).min(1));

export const listConsentsQuery = lazySchema(() =>
  z.object({
    customer_id: leanId.optional(),
    status: statuses.optional(),
    page_number: pageNumber.default(0),
    page_size: z.coerce.number().int().min(1).max(100).default(100),
  }),
);

export const historyQuery = lazySchema(() =>
  z.object({
    page_number: pageNumber.default(0),
    page_size: z.coerce.number().int().min(1).max(100).default(100),
  }),
);

export const revocationBody = lazySchema(() =>
  z.object({
    reason: z.string().pipe(z.enum(REVOCATION_REASONS)),
    additional_context: z.string().max(500).nullable().optional(),
  }),
);

export const consentParams = lazySchema(() =>
  z.object({ consent_id: leanId }),
);
