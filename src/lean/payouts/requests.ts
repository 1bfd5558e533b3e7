import { z } from 'zod';
import { leanId, pageNumber, pageSize } from '../../app/validation.js';
import { PAYOUT_STATUSES, REFUND_STATUSES } from '../../sandbox/payouts/records.js';

/**
 * Request shapes of Lean's payouts and refunds APIs. Only form is checked here; amounts and
 * reason codes pass through to the sandbox, which answers them with Lean's own statuses. Lean's
 * requests are batches (JSON arrays): at most {@link MAX_BATCH} items each.
 */

export const MAX_BATCH = 100;
const text = z.string().trim().min(1).max(255);
const optionalText = text.optional();
const upperCode = (length: number) => z.string().regex(new RegExp(`^[A-Z]{${length}}$`));
const batch = <T extends z.ZodType>(item: T) => z.array(item).min(1).max(MAX_BATCH);

export const createPayoutDestinationsBody = batch(
  z.object({
    bank_identifier: z.string().min(1).max(64).optional(),
    name: z.string(),
    iban: z.string(),
    display_name: z.string(),
    account_number: z.string().regex(/^[A-Za-z0-9]{1,34}$/),
    swift_code: z.string().regex(/^[A-Z0-9]{8}([A-Z0-9]{3})?$/).optional(),
    address: text,
    branch_address: optionalText,
    country: upperCode(3),
    city: text,
    customer_id: leanId.optional(),
    currency_iso_code: upperCode(3).optional(),
    postal_code: optionalText,
    ifsc: optionalText,
    sort_code: optionalText,
    routing_number: optionalText,
    transit_code: optionalText,
  }),
);

export const createPayoutBody = z.object({
  payment_details: batch(
    z.object({
      account_id: leanId,
      currency: upperCode(3),
      destination_details: batch(
        z.object({
          payment_destination_id: leanId,
          amount: z.unknown(),
          description: optionalText,
          authorize_payment: z.boolean().optional(),
        }),
      ),
    }),
  ),
});

export const listPayoutsQuery = z.object({
  page_number: pageNumber.default(0),
  page_size: pageSize.default(50),
  status: z.enum(PAYOUT_STATUSES).optional(),
});

/** Lean's recorded history page has size 10. */
export const historyQuery = z.object({ page_number: pageNumber.default(0), page_size: pageSize.default(10) });

export const createRefundsBody = batch(
  z.object({
    payment_id: leanId,
    amount: z.unknown(),
    currency: upperCode(3),
    reason_code: z.string().max(100),
    description: z.string().max(500).optional(),
    external_reference: z.string().max(255).optional(),
  }),
);

export const processRefundsBody = batch(
  z.object({
    refund_id: leanId,
    // Through z.string() first: a missing enum is otherwise reported as a wrong value, not a missing one.
    status: z.string().pipe(z.enum(['APPROVED', 'REJECTED'])),
  }),
);

/** Lean pages refunds 50 at a time by default. */
export const listRefundsQuery = z.object({
  page: pageNumber.default(0),
  size: pageSize.default(50),
  status: z.enum(REFUND_STATUSES).optional(),
  payment_id: leanId.optional(),
});

export const payoutParams = z.object({ payment_id: leanId });
export const intentParams = z.object({ payment_intent_id: leanId });
export const destinationParams = z.object({ destination_id: leanId });
