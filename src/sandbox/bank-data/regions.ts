/**
 * Lean's regions as data (DESIGN.md §4): a bank's country selects its region, and the region
 * decides the currency, the IBAN format, the account products its mock banks carry, how the
 * customer is identified, how statements word a salary and a bill, the shape of the entity's
 * consent, the hosts Lean serves it on, and which fields its objects carry beyond the common
 * record. Code asks the region; it never branches on which region it is.
 */

/** Lean's `AccountSubType` enum (data.yml), as the mock banks use it. */
export const ACCOUNT_SUB_TYPES = [
  'CURRENT', 'SAVINGS', 'CREDIT', 'PREPAID', 'MORTGAGE', 'PERSONAL_LOAN', 'EMONEY', 'CHARGE_CARD', 'UNSUPPORTED',
] as const;
export type AccountSubType = (typeof ACCOUNT_SUB_TYPES)[number];

/** Records whose shape a region may extend. */
export type RecordKind =
  | 'account' | 'balance' | 'transaction' | 'identity' | 'beneficiary' | 'directDebit' | 'scheduledPayment' | 'standingOrder';

/** The transaction fields Lean's Open Banking banks fill from the payment itself (see statements' details). */
export const TRANSACTION_DETAIL_FIELDS = [
  'statement_reference', 'charge_amount', 'card_instrument', 'proprietary_bank_transaction_code', 'currency_exchange',
  'creditor_account', 'creditor_agent', 'debtor_account', 'debtor_agent', 'local_time_zone', 'transaction_type',
  'sub_transaction_type', 'payment_modes', 'flags', 'regional_data',
] as const;

export interface Region {
  /** Lean's name for the region, as in its recorded collections. */
  name: 'UAE' | 'KSA';
  /** ISO 3166 alpha-3, as Lean's bank list writes `country_code`. */
  countryCode: 'ARE' | 'SAU';
  /** ISO 3166 alpha-2: bank profiles, IBANs and addresses use it. */
  country: 'AE' | 'SA';
  currency: 'AED' | 'SAR';
  /** The BBAN after the country and check digits: a bank code, then the account number. */
  iban: { bankCode: RegExp; accountLength: number; accountAlphabet: 'digits' | 'alphanumeric' };
  /** Every product the region's mock banks carry: a profile has exactly one account of each. */
  accountSubTypes: readonly AccountSubType[];
  /** Mobile numbers: the prefix, one of the operator digits, then `rest` digits. */
  mobile: { prefix: string; operators: readonly string[]; rest: number };
  /** The national identity documents a customer holds, by the holder's `document`. */
  identityDocuments: Readonly<Record<string, { leading: string; digits: number }>>;
  /**
   * How accounts are labelled: `holder` names every identification after the holder (Lean's UAE
   * mock bank), `product` after "<First Last> <nickname>" (Lean's SAMA mock banks).
   */
  accountLabels: 'holder' | 'product';
  /** A card number as statements mask it: `bin` keeps the first six digits, `stars` only the last four. */
  panMask: 'bin' | 'stars';
  /** Statement wording with `{employer}`, `{month}`, `{biller}`, `{mandate}` placeholders. */
  statements: { salary: string; bill: string; mandatePrefix: string };
  /** The entity's consent as the region's Open Finance / Open Banking scheme reports it. */
  consent: 'uae-open-finance' | 'sama-open-banking';
  /** Lean's `local_time_zone` of the region's transactions. */
  timeZone: string;
  /** Charges (in the currency, VAT included) a kind of payment costs, as `charge_amount`. */
  charges: Readonly<Partial<Record<string, number>>>;
  /** Lean's hosts for the region. */
  hosts: { api: string; mtls: string; auth: string };
  /**
   * Lean's payments in the region (intents, destinations, sources), with the intent amount limits
   * in its currency; null where Lean offers none (KSA: its collections have no payments at all).
   */
  payments: { limits: { min: number; max: number } } | null;
  /** Fields the region's objects carry beyond the common record. */
  carries: Readonly<Partial<Record<RecordKind, readonly string[]>>>;
}

const UAE: Region = {
  name: 'UAE',
  countryCode: 'ARE',
  country: 'AE',
  currency: 'AED',
  iban: { bankCode: /^\d{3}$/, accountLength: 16, accountAlphabet: 'digits' },
  accountSubTypes: ACCOUNT_SUB_TYPES,
  mobile: { prefix: '+9715', operators: ['0', '2', '4', '5', '6', '8'], rest: 7 },
  identityDocuments: { EMIRATES_ID: { leading: '784', digits: 15 } },
  accountLabels: 'holder',
  panMask: 'bin',
  statements: { salary: 'SALARY CREDIT {employer} WPS {month}', bill: 'DIRECT DEBIT {biller} {mandate}', mandatePrefix: 'UAEDDS' },
  consent: 'uae-open-finance',
  timeZone: 'UTC+04:00',
  charges: {},
  hosts: { api: 'sandbox.leantech.me', mtls: 'mtls.sandbox.leantech.me', auth: 'auth.sandbox.leantech.me' },
  // lean-api.md §4: AED 10 to 1,000,000 per intent.
  payments: { limits: { min: 10, max: 1_000_000 } },
  carries: {},
};

const REGIONAL_DATA = ['regional_data'] as const;

const KSA: Region = {
  name: 'KSA',
  countryCode: 'SAU',
  country: 'SA',
  currency: 'SAR',
  // SA + 2 check digits + 2-digit bank code + 18 alphanumerics: 24 characters.
  iban: { bankCode: /^\d{2}$/, accountLength: 18, accountAlphabet: 'alphanumeric' },
  // The seven products on Lean's recorded SAMA mock-bank entity: no mortgage or personal loan.
  accountSubTypes: ['CURRENT', 'SAVINGS', 'CREDIT', 'CHARGE_CARD', 'PREPAID', 'EMONEY', 'UNSUPPORTED'],
  mobile: { prefix: '+9665', operators: ['0', '3', '4', '5', '6', '9'], rest: 7 },
  // A citizen's national ID starts with 1, a resident's iqama with 2; both are ten digits.
  identityDocuments: { NATIONAL_ID: { leading: '1', digits: 10 }, IQAMA: { leading: '2', digits: 10 } },
  accountLabels: 'product',
  panMask: 'stars',
  statements: { salary: 'PAYROLL SARIE {employer} SALARY {month}', bill: 'SADAD BILL PAYMENT {biller} {mandate}', mandatePrefix: 'SADAD' },
  consent: 'sama-open-banking',
  timeZone: 'UTC+03:00',
  // SAR 25 plus 15% VAT for a transfer abroad.
  charges: { INTERNATIONAL_TRANSFER: 28.75 },
  hosts: { api: 'sandbox.sa.leantech.me', mtls: 'mtls.sandbox.sa.leantech.me', auth: 'auth.sandbox.sa.leantech.me' },
  payments: null,
  // Every field Lean's recorded KSA responses carry that the common record does not.
  carries: {
    account: REGIONAL_DATA,
    balance: ['entity_id', 'regional_data'],
    transaction: TRANSACTION_DETAIL_FIELDS,
    identity: ['national_id', 'regional_data'],
    beneficiary: ['supplementary_data', 'regional_data'],
    directDebit: REGIONAL_DATA,
    scheduledPayment: ['reference', 'regional_data'],
    standingOrder: REGIONAL_DATA,
  },
};

export const REGIONS: readonly Region[] = [UAE, KSA];

/** The region of a country, by ISO alpha-2 (bank profiles) or alpha-3 (Lean's bank list); undefined for any other. */
export function regionOf(country: string): Region | undefined {
  return REGIONS.find((region) => region.country === country || region.countryCode === country);
}

/** Whether the region's objects of a kind carry a field. */
export function carries(region: Region, kind: RecordKind, field: string): boolean {
  return region.carries[kind]?.includes(field) ?? false;
}

/**
 * The record with the region's extra fields of its kind, in the region's order, taken from
 * `extras`; a field the region carries but `extras` lacks is null, as Lean writes an empty one.
 */
export function withRegionalFields<T extends object>(region: Region, kind: RecordKind, record: T, extras: Readonly<Record<string, unknown>> = {}): T {
  const fields = region.carries[kind];
  if (!fields || fields.length === 0) return record;
  const out: Record<string, unknown> = { ...(record as Record<string, unknown>) };
  for (const field of fields) out[field] = Object.hasOwn(extras, field) ? extras[field] : null;
  return out as T;
}

/** Fills a statement template's `{placeholders}`. */
export function fill(template: string, values: Readonly<Record<string, string>>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => values[key] ?? whole);
}
