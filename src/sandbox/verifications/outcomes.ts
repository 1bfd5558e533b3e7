/**
 * What an account verification can come to, and the values that force each outcome for an
 * account the sandbox does not hold (in the spirit of Plaid's and Teller's sandbox values):
 *
 * - Lean's own sandbox test accounts (its Account Verification docs and Postman collection)
 *   answer as Lean's sandbox answered them, by account value, before any other check — Lean's
 *   sandbox accepts several of them although their IBAN check digits are wrong.
 * - Otherwise the last three digits of the account (IBAN or account number) pick an outcome, read
 *   as HTTP-like mnemonics: 404 not found, 410 closed, 423 blocked, 451 in liquidation, 422 given
 *   input cannot be verified, 500 Lean error, 501 unsupported by bank, 502 bank issue, 503
 *   disabled by Lean. Any other unknown account exists, is active, and belongs to whoever the
 *   request names — unless the name is the magic "No Match" or "Partial Match".
 */

/** `account_status` values Lean's recordings show. */
export type AccountStatus = 'ACTIVE' | 'CLOSED' | 'BLOCKED' | 'IN_LIQUIDATION';

/** `status_detail.granular_status_code` of a FAILED verification, with Lean's recorded wording. */
export const FAILURES = {
  LEAN_ERROR: { message: 'System error occurred', info: 'Internal system error occurred' },
  BANK_ISSUE: { message: 'Bank temporarily unavailable', info: 'Bank is experiencing technical issues' },
  UNSUPPORTED_BY_BANK: { message: 'Bank verification not supported', info: 'This bank does not support verification' },
  DISABLED_BY_LEAN: { message: 'Verification temporarily disabled', info: 'Verification disabled for this bank' },
  GIVEN_INPUT_CANNOT_BE_VERIFIED: {
    message: 'Account cannot be verified in this case. Please do not retry.',
    info: 'Account cannot be verified in this case. Please do not retry.',
  },
} as const;
export type FailureCode = keyof typeof FAILURES;

export type ForcedOutcome =
  | { kind: 'not_found' }
  | { kind: 'failed'; code: FailureCode }
  | { kind: 'status'; status: Exclude<AccountStatus, 'ACTIVE'> };

export const SUFFIX_OUTCOMES: Readonly<Record<string, ForcedOutcome>> = {
  '404': { kind: 'not_found' },
  '410': { kind: 'status', status: 'CLOSED' },
  '423': { kind: 'status', status: 'BLOCKED' },
  '451': { kind: 'status', status: 'IN_LIQUIDATION' },
  '422': { kind: 'failed', code: 'GIVEN_INPUT_CANNOT_BE_VERIFIED' },
  '500': { kind: 'failed', code: 'LEAN_ERROR' },
  '501': { kind: 'failed', code: 'UNSUPPORTED_BY_BANK' },
  '502': { kind: 'failed', code: 'BANK_ISSUE' },
  '503': { kind: 'failed', code: 'DISABLED_BY_LEAN' },
};

/** Magic holder names (compared after the name rule's normalisation) for accounts the sandbox does not hold. */
export const MAGIC_NAMES = { noMatch: 'no match', partialMatch: 'partial match' } as const;
/** What an unknown account's holder is called when the request names the magic "No Match" / "Partial Match". */
export const MAGIC_HOLDERS = { noMatch: 'Sandbox Other Holder', partialMatchScore: 0.85 } as const;
/** An identification value that never matches an unknown account (ID checks are exact, so binary). */
export const MAGIC_WRONG_ID = '0000000000';

export interface LeanTestAccount {
  holder: string;
  outcome?: ForcedOutcome;
  bank?: { en: string; ar: string; bic: string };
}

const ENBD = { en: 'Emirates NBD Bank PJSC', ar: 'بنك الإمارات دبي الوطني', bic: 'EBILAEADXXX' };
const ADCB = { en: 'Abu Dhabi Commercial Bank', ar: 'بنك أبوظبي التجاري', bic: 'ADCBAEAAXXX' };
const SNB = { en: 'Saudi National Bank', ar: 'البنك الأهلي السعودي', bic: 'NCBKSAJE' };
const MUSCAT = { en: 'Bank Muscat', ar: 'بنك مسقط', bic: 'BMUSSARI' };

/** Lean's sandbox test accounts, by account value (IBANs upper-case, no spaces). */
export const LEAN_TEST_ACCOUNTS: Readonly<Record<string, LeanTestAccount>> = {
  AE420260001015819612801: { holder: 'ADAM AHMED', bank: ENBD },
  AE810030012459313920001: { holder: 'BLOCKED USER', bank: ADCB, outcome: { kind: 'status', status: 'BLOCKED' } },
  AE380030012459313810001: { holder: 'ERROR TEST', outcome: { kind: 'failed', code: 'LEAN_ERROR' } },
  AE160030011522789920001: { holder: 'BANK ERROR TEST', outcome: { kind: 'failed', code: 'BANK_ISSUE' } },
  AE420500000000028645064: { holder: 'UNSUPPORTED TEST', outcome: { kind: 'failed', code: 'UNSUPPORTED_BY_BANK' } },
  AE100500000000028538649: { holder: 'DISABLED TEST', outcome: { kind: 'failed', code: 'DISABLED_BY_LEAN' } },
  AE550030011666123450001: { holder: 'INPUT CANNOT BE VERIFIED TEST', outcome: { kind: 'failed', code: 'GIVEN_INPUT_CANNOT_BE_VERIFIED' } },
  SA2810000011100000461309: { holder: 'ABBAS AL-SHEIKH', bank: SNB },
  SA1300GQO2OTVMEJ3885Y3TO: { holder: 'Adam Ahmed', outcome: { kind: 'not_found' } },
  SA3076747147122249133391: { holder: 'Closed Account Holder', bank: MUSCAT, outcome: { kind: 'status', status: 'CLOSED' } },
  SA4576615857476891197381: { holder: 'Liquidation Account Holder', bank: MUSCAT, outcome: { kind: 'status', status: 'IN_LIQUIDATION' } },
  SA7665000000124A60749002: { holder: 'ERROR TEST', outcome: { kind: 'failed', code: 'LEAN_ERROR' } },
  SA82550000000M1795800177: { holder: 'BANK ERROR TEST', outcome: { kind: 'failed', code: 'BANK_ISSUE' } },
  SA0405000068201235335000: { holder: 'UNSUPPORTED TEST', outcome: { kind: 'failed', code: 'UNSUPPORTED_BY_BANK' } },
  SA5080000146608010554454: { holder: 'DISABLED TEST', outcome: { kind: 'failed', code: 'DISABLED_BY_LEAN' } },
  BE15537752378598: { holder: 'Apple Payments' },
  BR5599950505000010000000505C1: { holder: 'MONKEY D. LUFFY' },
  NL91ABNA0417164389: { holder: 'Finance Co' },
  PL63109010160300071219812876: { holder: 'Star Coffee' },
};

/** Lean's sandbox ids that verify: its documented national id for the account and entity checks. */
export const LEAN_TEST_NATIONAL_IDS: ReadonlySet<string> = new Set(['1234567890', '1106972886']);

/** The outcome forced on an account the sandbox does not hold, or undefined for an ordinary one. */
export function forcedOutcome(accountValue: string): ForcedOutcome | undefined {
  return LEAN_TEST_ACCOUNTS[accountValue]?.outcome ?? SUFFIX_OUTCOMES[accountValue.slice(-3)];
}
