/**
 * The payouts product's records (payouts and the refunds Lean serves under /payouts). Lean's
 * field names; bookkeeping Lean never returns (owner ids, history) sits beside them and the
 * views leave it out.
 */

export const PAYOUT_COLLECTIONS = {
  destinations: 'payout_destinations',
  payouts: 'payouts',
  refunds: 'refunds',
} as const;

/**
 * Where a payout can be. A payout the app did not authorize (`authorize_payment: false`) waits
 * in AWAITING_AUTHORIZATION (a status Lean lists for intents); an authorized one is with the bank
 * until it answers ACCEPTED_BY_BANK or FAILED.
 */
export const PAYOUT_STATUSES = ['AWAITING_AUTHORIZATION', 'PENDING_WITH_BANK', 'ACCEPTED_BY_BANK', 'FAILED'] as const;
export type PayoutStatus = (typeof PAYOUT_STATUSES)[number];

/**
 * Why a payout fails, as the mock reports it in `granular_status_code` (Lean records only null
 * there): the statuses Lean lists for a failed payment step, plus the bank's plain refusals.
 */
export const PAYOUT_FAILURE_REASONS = {
  INSUFFICIENT_BALANCE: 'The payout account does not hold enough money for this payout.',
  BENEFICIARY_NOT_FOUND: "The bank could not find the destination among the payout account's beneficiaries.",
  AUTHORIZATION_FAILED: 'The payout was not authorized.',
  REJECTED_BY_BANK: 'The bank rejected the transfer.',
  LIMIT_EXCEEDED: "The transfer is over the payout account's daily limit at the bank.",
} as const;
export type PayoutFailureReason = keyof typeof PAYOUT_FAILURE_REASONS;
export const PAYOUT_FAILURE_CODES = Object.keys(PAYOUT_FAILURE_REASONS) as [PayoutFailureReason, ...PayoutFailureReason[]];

export interface AccountDetails {
  account_number: string;
  iban: string;
  name: string;
}

export interface PayoutDestinationRecord {
  id: string;
  add_beneficiary_task_id: string;
  bank_identifier: string | null;
  name: string;
  display_name: string;
  iban: string;
  account_number: string;
  swift_code: string | null;
  address: string;
  branch_address: string | null;
  country: string;
  city: string;
  customer_id: string | null;
  currency_iso_code: string;
  postal_code: string | null;
  ifsc: string | null;
  sort_code: string | null;
  routing_number: string | null;
  transit_code: string | null;
  created_at: string;
}

/** One step of a payout's life, as `GET /payouts/v1/payments/{id}/history` lists it. */
export interface PayoutEventRecord {
  event: 'payment.created' | 'payment.updated';
  status: PayoutStatus;
  post_initiation_status: string | null;
  published_at: string;
}

/** A payout payment and the payout intent it belongs to (Lean makes one intent per payout). */
export interface PayoutRecord {
  id: string;
  payment_intent_id: string;
  initiate_payment_task_id: string;
  /** The payment source the payout account belongs to (Lean's `end_user_id`). */
  payment_source_id: string;
  customer_id: string;
  account_id: string;
  bank_identifier: string;
  payment_destination_id: string;
  sender_details: AccountDetails;
  recipient_details: AccountDetails;
  amount: number;
  currency: string;
  description: string;
  submission_timestamp: string;
  initiation_timestamp: string;
  status: PayoutStatus;
  /** PROCESSED once the bank accepted; null before and on failure. */
  post_initiation_status: 'PROCESSED' | null;
  bank_transaction_reference: string | null;
  granular_status_code: PayoutFailureReason | null;
  status_additional_details: string | null;
  auto_authorized: boolean;
  history: PayoutEventRecord[];
  created_at: string;
  updated_at: string;
}

/** Lean's reason codes for a refund (its collection names these four). */
export const REFUND_REASONS = {
  CUSTOMER_REQUEST: 'The customer asked for the refund.',
  DUPLICATED_PAYMENT: 'The customer paid twice for the same thing.',
  FRAUDULENT_PAYMENT: 'The payment was fraudulent.',
  ORDER_CANCELLED: 'The order the payment was for was cancelled.',
} as const;
export type RefundReason = keyof typeof REFUND_REASONS;
export const REFUND_REASON_CODES = Object.keys(REFUND_REASONS) as [RefundReason, ...RefundReason[]];

/**
 * A refund waits for the app's checker (CREATED), who APPROVES or REJECTS it; an approved refund
 * is sent back to the payer and ends COMPLETED or FAILED. Lean names CREATED, APPROVED, REJECTED
 * and FAILED; COMPLETED is this mock's word for a refund the bank carried out (Lean records none).
 */
export const REFUND_STATUSES = ['CREATED', 'APPROVED', 'REJECTED', 'COMPLETED', 'FAILED'] as const;
export type RefundStatus = (typeof REFUND_STATUSES)[number];

export interface RefundRecord {
  refund_id: string;
  payment_id: string;
  status: RefundStatus;
  amount: number;
  currency: string;
  reason_code: RefundReason;
  description: string | null;
  external_reference: string | null;
  beneficiary: { name: string; iban: string; account_id: string | null; city: string | null };
  created_at: string;
  created_by: string;
  actioned_by: string | null;
  updated_at: string;
}
