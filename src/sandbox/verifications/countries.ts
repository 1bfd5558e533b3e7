/**
 * The countries Lean's Account Verification API covers, each with the request shape its
 * collection records: how the account is named (an IBAN, or a local account number with the
 * pattern of that country's scheme), which bank identifier must come with it, and the currency
 * Lean's sandbox reports for it (null where Lean's recording shows null). A country is a row
 * here, never a branch in code.
 */

export type AccountKind = 'IBAN' | 'ACCOUNT_ID';
export type BankIdentifierType = 'BIC' | 'CLEARING_ID';

export interface CountryRule {
  account: AccountKind;
  /** For ACCOUNT_ID countries: the local account number (CBU, CLABE, NUBAN, CCI…). */
  accountPattern?: RegExp;
  /** The bank identifier the country needs beside an account number, and its form. */
  bankIdentifier?: { type: BankIdentifierType; pattern: RegExp };
  /** The holder's name as given name + surname instead of FULL_NAME (as Lean's US request). */
  splitName?: boolean;
  currency: string | null;
}

// Lean's BIC values include non-SWIFT codes (Pakistan's wallet "EASYPAISA"): letters and digits, 4–11.
const BIC = { type: 'BIC', pattern: /^[A-Z0-9]{4,11}$/ } as const;
const digits = (min: number, max = min): RegExp => new RegExp(`^[0-9]{${min},${max}}$`);

export const COUNTRY_RULES = {
  AE: { account: 'IBAN', currency: null },
  SA: { account: 'IBAN', currency: null },
  BE: { account: 'IBAN', currency: null },
  BR: { account: 'IBAN', currency: 'BRL' },
  FR: { account: 'IBAN', currency: null },
  IT: { account: 'IBAN', currency: null },
  NL: { account: 'IBAN', currency: null },
  PL: { account: 'IBAN', currency: null },
  TR: { account: 'IBAN', currency: null },
  AR: { account: 'ACCOUNT_ID', accountPattern: digits(22), currency: 'ARS' },
  BD: { account: 'ACCOUNT_ID', accountPattern: digits(6, 20), bankIdentifier: BIC, currency: null },
  CN: { account: 'ACCOUNT_ID', accountPattern: digits(10, 19), currency: null },
  GB: { account: 'ACCOUNT_ID', accountPattern: digits(8), bankIdentifier: { type: 'CLEARING_ID', pattern: digits(6) }, currency: 'GBP' },
  ID: { account: 'ACCOUNT_ID', accountPattern: digits(6, 20), bankIdentifier: BIC, currency: 'IDR' },
  IN: {
    account: 'ACCOUNT_ID',
    accountPattern: digits(9, 18),
    // IFSC: four letters, a zero, six letters or digits.
    bankIdentifier: { type: 'CLEARING_ID', pattern: /^[A-Z]{4}0[A-Z0-9]{6}$/ },
    currency: 'INR',
  },
  KR: { account: 'ACCOUNT_ID', accountPattern: digits(10, 14), bankIdentifier: BIC, currency: 'KRW' },
  MX: { account: 'ACCOUNT_ID', accountPattern: digits(18), currency: 'MXN' },
  MY: { account: 'ACCOUNT_ID', accountPattern: digits(6, 20), bankIdentifier: BIC, currency: 'MYR' },
  NG: { account: 'ACCOUNT_ID', accountPattern: digits(10), bankIdentifier: BIC, currency: 'NGN' },
  NP: { account: 'ACCOUNT_ID', accountPattern: digits(6, 20), bankIdentifier: BIC, currency: null },
  PE: { account: 'ACCOUNT_ID', accountPattern: digits(20), currency: 'PEN' },
  PK: { account: 'ACCOUNT_ID', accountPattern: digits(6, 24), bankIdentifier: BIC, currency: 'PKR' },
  UG: { account: 'ACCOUNT_ID', accountPattern: digits(6, 20), bankIdentifier: BIC, currency: null },
  US: {
    account: 'ACCOUNT_ID',
    accountPattern: digits(4, 17),
    // ABA routing number.
    bankIdentifier: { type: 'CLEARING_ID', pattern: digits(9) },
    splitName: true,
    currency: null,
  },
  UY: { account: 'ACCOUNT_ID', accountPattern: digits(6, 20), bankIdentifier: { type: 'CLEARING_ID', pattern: digits(3) }, currency: 'UYU' },
  VN: { account: 'ACCOUNT_ID', accountPattern: digits(6, 20), bankIdentifier: BIC, currency: 'VND' },
  ZA: { account: 'ACCOUNT_ID', accountPattern: digits(6, 12), bankIdentifier: { type: 'CLEARING_ID', pattern: digits(6) }, currency: null },
} as const satisfies Record<string, CountryRule>;

export type CountryCode = keyof typeof COUNTRY_RULES;
export const COUNTRY_CODES = Object.keys(COUNTRY_RULES) as [CountryCode, ...CountryCode[]];

export function countryRule(code: CountryCode): CountryRule {
  return COUNTRY_RULES[code];
}

/** ISO 3166 alpha-3 (how payment destinations name a country) to the alpha-2 these rules use. */
export const ALPHA3: Readonly<Record<string, CountryCode>> = { ARE: 'AE', SAU: 'SA', USA: 'US', GBR: 'GB', IND: 'IN', PAK: 'PK' };
