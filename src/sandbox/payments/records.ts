/**
 * The payments product's records. Each keeps Lean's field names; fields Lean never returns
 * (who owns what, when it changed) sit beside them and the views in `src/lean/payments` leave
 * them out. Ids are lower-case UUIDs.
 */

/** Collection names of the payments product (apart from the shared `COLLECTIONS`). */
export const PAYMENT_COLLECTIONS = {
  destinations: 'payment_destinations',
  intents: 'payment_intents',
  payments: 'payments',
  sources: 'payment_sources',
} as const;

export const PAYMENT_STATUSES = [
  'AWAITING_LOGIN_MFA',
  'AWAITING_PAYMENT_MFA',
  'AWAITING_APP_AUTH',
  'PENDING_WITH_BANK',
  'ACCEPTED_BY_BANK',
  'FAILED',
] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

export const DESTINATION_BANK_TYPES = ['RETAIL', 'SME', 'CORPORATE'] as const;
export const GOVERNMENT_IDENTIFIER_TYPES = ['EMIRATES_ID', 'TRADE_LICENSE_NUMBER'] as const;

/** The optional, free-text fields of a destination, as Lean names them. */
export interface DestinationOptionalFields {
  branch_address?: string;
  iban?: string;
  swift_code?: string;
  ifsc?: string;
  transit_number?: string;
  sort_code?: string;
  routing_number?: string;
  postal_code?: string;
  currency?: string;
}

export interface PaymentDestinationRecord extends DestinationOptionalFields {
  id: string;
  /** Lean's sandbox answers ACTIVE for every destination it holds. */
  status: 'ACTIVE';
  /** The one destination an intent without `payment_destination_id` pays into. */
  default: boolean;
  name: string;
  display_name: string;
  address: string;
  city: string;
  country: string;
  account_number: string;
  /** Set for a customer-owned destination; absent for the app's own. */
  customer_id?: string;
  /** Derived from a UAE IBAN's bank code when it is one Lean lists. */
  bank_identifier?: string;
  bank_type?: (typeof DESTINATION_BANK_TYPES)[number];
  government_identifier?: { type: (typeof GOVERNMENT_IDENTIFIER_TYPES)[number]; value: string };
  created_at: string;
}

export interface PaymentIntentRecord {
  payment_intent_id: string;
  customer_id: string;
  amount: number;
  currency: string;
  description: string;
  payment_destination_id: string;
  purpose_code?: string;
  /** Payments made against the intent, oldest first. */
  payment_ids: string[];
  created_at: string;
  updated_at: string;
}

export interface AccountDetails {
  account_number: string;
  iban: string;
  name: string;
}

export interface PaymentRecord {
  id: string;
  payment_intent_id: string;
  payment_source_id: string;
  sender_details: AccountDetails;
  recipient_details: AccountDetails;
  amount: number;
  currency: string;
  description: string;
  submission_timestamp: string;
  initiation_timestamp: string;
  status: PaymentStatus;
  /** The bank's reference, known once the bank accepted the transfer; null before and on failure. */
  bank_transaction_reference: string | null;
  /** Why a FAILED payment failed, when the simulation said. */
  failure_reason?: string;
  customer_id: string;
  payment_destination_id: string;
  updated_at: string;
}

export interface BeneficiaryRecord {
  id: string;
  payment_destination_id: string;
  status: 'ACTIVE' | 'AWAITING_BENEFICIARY_COOL_OFF';
  beneficiary_cool_off_expiry: string;
}

export interface SourceAccountRecord {
  id: string;
  account_id: string;
  account_name: string;
  account_number: string;
  iban: string;
  balance: number;
  currency: string;
  balance_last_updated: string;
}

export interface PaymentSourceRecord {
  id: string;
  customer_id: string;
  app_id: string;
  status: 'ACTIVE' | 'AWAITING_BENEFICIARY_COOL_OFF';
  beneficiary_cool_off_expiry: string;
  bank_identifier: string;
  beneficiaries: BeneficiaryRecord[];
  accounts: SourceAccountRecord[];
  /** The account holder, shown as the payment's `sender_details.name`. */
  holder_name: string;
  created_at: string;
}
