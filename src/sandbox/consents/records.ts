/**
 * The consents product's records: Account-on-File (AoF) consents and the payments made under
 * them, in Lean's field names (`account-on-file.yml`, `consents.yml`), with the bookkeeping Lean
 * never returns beside them (the views in ./views.ts leave it out).
 */

export const CONSENT_COLLECTIONS = {
  consents: 'consents',
  aofPayments: 'aof_payments',
  /** One record per Idempotency-Key an app used successfully, keyed `<key>`. */
  idempotencyKeys: 'aof_idempotency_keys',
} as const;

/** Lean's ConsentStatus, in its order. */
export const CONSENT_STATUSES = ['AWAITING_AUTHORISATION', 'AUTHORISED', 'REVOKED', 'REJECTED', 'EXPIRED', 'CONSUMED', 'SUSPENDED'] as const;
export type ConsentStatus = (typeof CONSENT_STATUSES)[number];

export const PERIOD_TYPES = ['Day', 'Week', 'Month', 'Year'] as const;
export type PeriodType = (typeof PERIOD_TYPES)[number];

export const PURPOSES: Readonly<Record<string, string>> = {
  FIS: 'Financial services',
  TCS: 'Telecommunication services',
  MWP: 'Mobile wallet card payments',
  OAT: 'Own account transfer',
  IFS: 'Information services',
  RNT: 'Rent payments',
  LNC: 'Loan charges',
  PIN: 'Personal investments',
  GDS: 'Goods bought or sold',
};
export const PURPOSE_CODES = Object.keys(PURPOSES) as readonly string[];

/** Lean's ConsentRevocationReason. */
export const REVOCATION_REASONS = [
  'END_USER_REQUESTED',
  'CONSENT_RENEWAL',
  'KYC_VERIFICATION_FAILED',
  'REGULATORY_RESTRICTION',
  'FRAUD_SUSPECTED',
  'CLIENT_TERMINATED_RELATIONSHIP',
  'ACCOUNT_CLOSED_BY_USER',
  'DUPLICATE_CONSENT',
] as const;
export type RevocationReason = (typeof REVOCATION_REASONS)[number];

/** The limits a consent carries; null where the app set none. */
export interface ControlParameters {
  type: 'VariableOnDemand';
  period_type: PeriodType;
  max_individual_amount: number | null;
  max_cumulative_amount: number | null;
  max_cumulative_number_of_payments: number | null;
  max_cumulative_amount_per_period: number | null;
  max_cumulative_number_of_payments_per_period: number | null;
}

export interface ImmediatePayment {
  amount: number;
  reference: string | null;
  creditor_reference: string | null;
}

/** The customer's account the consent pays from, known once the customer authorised it. */
export interface ConsentedAccount {
  sender_account_id: string;
  bank_identifier: string;
  iban: string;
  holder_name: string;
  /** The account's balance in the consent's currency; PROCESSED payments are debited from it. */
  balance: number;
}

export type HistoryType = 'CONSENT_CREATED' | 'CONSENT_AUTHORISED' | 'CONSENT_REJECTED' | 'CONSENT_REVOKED' | 'CONSENT_EXPIRED' | 'CONSENT_CONSUMED';

export interface HistoryEntry {
  id: string;
  type: HistoryType;
  description: string;
  timestamp: string;
  /** Who made the change: LEAN, the CUSTOMER (LinkSDK), the CLIENT (the app's API call) or the BANK. */
  updated_by: 'LEAN' | 'CUSTOMER' | 'CLIENT' | 'BANK';
  reason: string | null;
}

export interface ConsentRecord {
  consent_id: string;
  application_id: string;
  customer_id: string;
  destination_account_id: string;
  status: ConsentStatus;
  start_date_time: string;
  expiration_date_time: string;
  reference: string;
  currency: string;
  purpose: string;
  control_parameters: ControlParameters;
  immediate_payment: ImmediatePayment | null;
  account: ConsentedAccount | null;
  history: HistoryEntry[];
  created_at: string;
}

export const AOF_PAYMENT_STATUSES = ['CREATED', 'PROCESSING', 'PROCESSED', 'FAILED'] as const;
export type AofPaymentStatus = (typeof AOF_PAYMENT_STATUSES)[number];

export interface AofPaymentRecord {
  id: string;
  /** The destination the payment goes to (Lean's `account_id`). */
  account_id: string;
  application_id: string;
  consent_id: string;
  status: AofPaymentStatus;
  reference: string;
  creditor_reference: string | null;
  purpose: string;
  amount: { currency: string; amount: number };
  type: 'ACCOUNT_ON_FILE';
  sender_customer_id: string;
  created_at: string;
  last_modified_at: string;
  failure_details: { code: string; details: string } | null;
}

/** What an Idempotency-Key was first used with, and what it made. */
export interface IdempotencyRecord {
  key: string;
  /** Canonical JSON of the parsed body: the same body in another key order or spacing is the same request. */
  fingerprint: string;
  payment_id: string;
}
