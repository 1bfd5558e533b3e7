import type { Money } from '../store/records.js';

/**
 * The account-level records of data v2 that only bank data has (Lean's data.yml schemas
 * `Beneficiary`, `DirectDebit`, `ScheduledPayment`, `StandingOrder`), in Lean's JSON shapes so a
 * router can return them as they are. Lean's beneficiaries and standing orders carry no
 * `entity_id`: find them through their `account_id`.
 */

export const BANK_DATA_COLLECTIONS = {
  beneficiaries: 'beneficiaries',
  directDebits: 'direct_debits',
  scheduledPayments: 'scheduled_payments',
  standingOrders: 'standing_orders',
} as const;

/** Lean's `OBPostalAddress`. */
export interface ObPostalAddress {
  address_type?: 'BUSINESS' | 'CORRESPONDENCE' | 'DELIVERY_TO' | 'MAIL_TO' | 'PO_BOX' | 'POSTAL' | 'RESIDENTIAL' | 'STATEMENT' | 'UNSUPPORTED';
  address_line?: string;
  building_number?: string;
  street_name?: string;
  post_code?: string;
  town_name?: string;
  country_sub_division?: string;
  country?: string;
}

/** Lean's `AccountIdentification` as used for a creditor. */
export interface CreditorAccount {
  scheme_name: 'IBAN' | 'BBAN' | 'PAN' | 'OTHER';
  identification: string;
  name: string;
}

/** Lean's `CreditorAgent` (scheduled payments and standing orders). */
export interface CreditorAgent {
  identification_type: 'BICFI' | 'OTHER';
  identification: string;
  name: string;
}

export interface Beneficiary {
  account_id: string;
  account_holder_name: string;
  account_holder_short_name: string;
  beneficiary_id: string;
  beneficiary_type: 'TRUSTED' | 'ORDINARY' | 'OTHER' | 'UNSUPPORTED';
  /** Lean's `BeneficiaryCreditorAgent`. */
  creditor_agent: { scheme_name: 'BICFI' | 'OTHER' | 'UNSUPPORTED'; identification: string; name: string; postal_address: ObPostalAddress };
  creditor_account: CreditorAccount;
  reference: string;
}

export interface DirectDebit {
  entity_id: string;
  account_id: string;
  direct_debit_id: string;
  name: string;
  status_code: 'ACTIVE' | 'INACTIVE' | 'UNSUPPORTED';
  frequency: 'MONTHLY' | 'QUARTERLY' | 'HALF_YEARLY' | 'ANNUAL' | 'FORTNIGHTLY' | 'DAILY' | 'WEEKLY' | 'NOT_KNOWN' | 'UNSUPPORTED';
  mandate_identification: string;
  previous_payment_date_time: string;
  previous_payment_amount: Money;
}

export interface ScheduledPayment {
  entity_id: string;
  account_id: string;
  account_holder_name: string;
  account_holder_short_name: string;
  scheduled_payment_id: string;
  scheduled_type: 'ARRIVAL' | 'EXECUTION' | 'UNSUPPORTED';
  scheduled_payment_date_time: string;
  debtor_reference: string;
  instructed_amount: Money;
  creditor_agent: CreditorAgent;
  creditor_account: CreditorAccount;
}

export interface StandingOrder {
  account_id: string;
  standing_order_id: string;
  standing_order_status_code: string;
  standing_order_type: 'BETWEEN_MY_ACCOUNTS' | 'SAME_BANK_TRANSFER' | 'LOCAL_BANK_TRANSFER' | 'INTERNATIONAL_TRANSFER' | 'CHARITY' | 'UNSUPPORTED';
  purpose: string;
  first_payment_date_time: string | null;
  last_payment_date_time: string | null;
  next_payment_date_time: string | null;
  final_payment_date_time: string | null;
  frequency: {
    frequency_type: 'DAILY' | 'WEEKLY' | 'FORTNIGHTLY' | 'MONTHLY' | 'QUARTERLY' | 'HALF_YEARLY' | 'YEARLY' | 'OTHER';
    interval: string | null;
  };
  number_of_payments: number | null;
  reference: string | null;
  first_payment_amount: Money | null;
  last_payment_amount: Money | null;
  next_payment_amount: Money | null;
  final_payment_amount: Money | null;
  creditor_agent: CreditorAgent;
  creditor_account: CreditorAccount;
}
