import { z } from 'zod';
import { leanId, pageNumber, pageSize } from '../../app/validation.js';
import { DESTINATION_BANK_TYPES, GOVERNMENT_IDENTIFIER_TYPES } from '../../sandbox/payments/records.js';

/**
 * Request shapes of the payments API. Only form is checked here (INVALID_/MISSING_PARAMETERS);
 * the rules Lean answers with its own statuses (INVALID_AMOUNT, INVALID_IBAN, INVALID_NAME and
 * the amount limits) belong to the sandbox modules, so `amount`, `name`, `display_name` and
 * `iban` pass through as they came. Unknown fields are ignored, as Lean's own clients send some.
 */

const text = z.string().trim().min(1).max(255);
const upperCode = (length: string) => z.string().regex(new RegExp(`^[A-Z]{${length}}$`));

export const createDestinationBody = z.object({
  branch_address: text.optional(),
  name: z.string(),
  iban: z.string().optional(),
  display_name: z.string(),
  address: text,
  city: text,
  // ISO 3166 alpha-3, as Lean's examples (ARE).
  country: upperCode('3'),
  swift_code: z.string().regex(/^[A-Z0-9]{8}([A-Z0-9]{3})?$/).optional(),
  account_number: z.string().regex(/^[A-Za-z0-9]{1,34}$/),
  customer_id: leanId.optional(),
  ifsc: text.optional(),
  transit_number: text.optional(),
  sort_code: text.optional(),
  routing_number: text.optional(),
  postal_code: text.optional(),
  currency: upperCode('3').optional(),
  bank_type: z.enum(DESTINATION_BANK_TYPES).optional(),
  government_identifier: z
    .object({ type: z.enum(GOVERNMENT_IDENTIFIER_TYPES), value: z.string().regex(/^(?!\s*$).+/) })
    .optional(),
});

export const PURPOSE_CODES = ['FIS', 'TCS', 'MWP', 'OAT', 'IFS', 'RNT', 'LNC', 'PIN', 'GDS'] as const;

export const createIntentBody = z.object({
  customer_id: leanId,
  amount: z.unknown(),
  currency: upperCode('3'),
  payment_destination_id: leanId.optional(),
  description: text.optional(),
  purpose_code: z.enum(PURPOSE_CODES).optional(),
});

/** The statuses Lean's OpenAPI lists for filtering intents. */
export const INTENT_FILTER_STATUSES = [
  'CREDENTIALS_UPDATE_REQUIRED', 'AWAITING_END_USER_AUTHORIZATION', 'AWAITING_LOGIN_MFA_TOKEN', 'AWAITING_APP_AUTH',
  'AWAITING_PAYMENT_MFA_TOKEN', 'AWAITING_PAYMENT_SECURITY_QUESTIONS', 'INVALID_CREDENTIALS', 'INVALID_LOGIN_MFA',
  'INVALID_PAYMENT_MFA', 'BENEFICIARY_NOT_FOUND', 'MFA_ATTEMPTS_EXHAUSTED', 'SECURITY_QUESTION_ANSWER_ATTEMPTS_EXHAUSTED',
  'PENDING_WITH_BANK', 'AWAITING_AUTHORIZATION', 'FAILED', 'AWAITING_AUTHORIZATION_LOGIN_MFA',
  'INVALID_AUTHORIZATION_LOGIN_MFA', 'AWAITING_AUTHORIZATION_LOGIN_SECURITY_QUESTION',
  'AWAITING_AUTHORIZATION_LOGIN_SECURITY_QUESTION_ANSWER', 'INVALID_AUTHORIZATION_LOGIN_SECURITY_QUESTION_ANSWER',
  'AUTHORIZATION_LOGIN_SECURITY_QUESTION_ANSWER_ATTEMPTS_EXHAUSTED', 'AUTHORIZATION_FAILED',
  'AWAITING_AUTHORIZATION_PAYMENT_MFA', 'INVALID_AUTHORIZATION_PAYMENT_MFA', 'PARTIAL_ACCEPTED_BY_BANK',
  'AUTHORIZATION_MFA_ATTEMPTS_EXHAUSTED',
] as const;

/** Lean marks `page` and `size` required; missing ones default (0, 50) as Lean's other lists do. */
export const listIntentsQuery = z.object({
  page: pageNumber.default(0),
  size: pageSize.default(50),
  customer_id: leanId.optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  status: z.enum(INTENT_FILTER_STATUSES).optional(),
});

export const deleteSourceBody = z.object({ reason: z.enum(['USER_REQUESTED', 'TPP_REQUESTED']).optional() });

export const destinationParams = z.object({ payment_destination_id: leanId });
export const intentParams = z.object({ payment_intent_id: leanId });
export const paymentParams = z.object({ payment_id: leanId });
export const customerParams = z.object({ customer_id: leanId });
export const sourceParams = z.object({ customer_id: leanId, payment_source_id: leanId });
