/**
 * The sandbox's core records, in Lean's own JSON shapes (snake_case, as the API returns them),
 * so a router can return a record without mapping it. Shapes follow Lean's OpenAPI definitions
 * (data v2). Product modules may define further record types in their own files; these are
 * shared by several products, so change a field here only with every reader.
 */

/** Collection names: one place, so a typo cannot create a second, empty collection. */
export const COLLECTIONS = {
  customers: 'customers',
  entities: 'entities',
  accounts: 'accounts',
  balances: 'balances',
  transactions: 'transactions',
  identities: 'identities',
  entitySessions: 'entity_sessions',
} as const;

export interface Money {
  currency: string;
  /** Always positive; the direction is in `credit_debit_indicator`. */
  amount: number;
}

export type CreditDebit = 'CREDIT' | 'DEBIT';

export interface GovernmentIdentifier {
  type: string;
  value: string;
}

export interface Customer {
  customer_id: string;
  app_user_id: string;
  government_identifiers?: GovernmentIdentifier[];
  /** Not in Lean's customer JSON; kept for date-range listings. */
  created_at: string;
}

export interface EntityPermissions {
  identity: boolean;
  accounts: boolean;
  balance: boolean;
  transactions: boolean;
  identities: boolean;
  scheduled_payments: boolean;
  standing_orders: boolean;
  direct_debits: boolean;
  beneficiaries: boolean;
}

/** A customer's connection to one bank (created by the LinkSDK flow; here by the admin API). */
export interface Entity {
  id: string;
  customer_id: string;
  bank_identifier: string;
  permissions: EntityPermissions;
  bank_type: 'RETAIL' | 'SME';
  created_at: string;
  consents: Record<string, unknown>[];
}

/** The bank session behind an entity: data calls answer RECONNECT_REQUIRED while expired. */
export interface EntitySession {
  entity_id: string;
  state: 'ACTIVE' | 'RECONNECT_REQUIRED';
  /** Set while reconnection is required. */
  reconnect_id: string | null;
}

export interface AccountIdentification {
  scheme_name: 'IBAN' | 'BBAN' | 'PAN' | string;
  identification: string;
  name: string;
}

/** A data v2 account. */
export interface Account {
  entity_id: string;
  account_id: string;
  account_holder_name: string;
  account_holder_short_name: string;
  status: 'ENABLED' | 'DISABLED' | 'DELETED' | 'PROFORMA' | 'PENDING';
  status_update_date_time: string;
  currency: string;
  account_type: 'PERSONAL' | 'BUSINESS';
  account_sub_type: string;
  nickname: string;
  description: string;
  opening_date: string;
  maturity_date: string | null;
  account: AccountIdentification[];
  servicer: { scheme_name: string; identification: string };
}

/** A data v2 balance. */
export interface Balance {
  account_id: string;
  credit_debit_indicator: CreditDebit;
  amount: Money;
  type: 'OPENING_AVAILABLE' | 'CLOSING_AVAILABLE' | 'CLOSING_BOOKED' | 'EXPECTED' | 'INTERIM_AVAILABLE' | 'INTERIM_BOOKED' | string;
  date_time: string;
  credit_line: { included: boolean; amount: Money; type: string }[];
}

/** A data v2 transaction. */
export interface Transaction {
  entity_id: string;
  account_id: string;
  transaction_id: string;
  transaction_information: string;
  transaction_reference: string;
  credit_debit_indicator: CreditDebit;
  amount: Money;
  transaction_mutability: 'MUTABLE' | 'IMMUTABLE';
  booking_date_time: string;
  value_date_time: string;
  status: 'BOOKED' | 'PENDING';
  /** The account's balance after this transaction. */
  balance: { type: string; credit_debit_indicator: CreditDebit; amount: Money };
  bank_transaction_code: { code: string; sub_code: string } | null;
  merchant_details: { merchant_category_code: string; merchant_name: string } | null;
  insights: Record<string, unknown> | null;
  /** Position in the account's statement, newest first from 0. */
  index: number;
}

/** A data v2 identity (one per entity; the `/identities` endpoint lists an account's parties). */
export interface Identity {
  entity_id: string;
  full_legal_name: string;
  name: string;
  phone: string;
  email_address: string;
  mobile_number: string;
  birth_date: string;
  gender: 'MALE' | 'FEMALE';
  address: Record<string, string>;
  account_role?: string;
  party_type?: string;
  party_id?: string;
  party_number?: string;
  legal_structure?: string;
}
