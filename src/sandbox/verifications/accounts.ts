import { LeanError } from '../../app/errors.js';
import type { SandboxStore } from '../store/store.js';
import { COUNTRY_RULES, type CountryCode } from './countries.js';
import { findByAccountNumber, findByIban, type HeldAccount } from './holders.js';
import { checkIban } from './iban.js';
import { compareNames, maskName, nameWords, type NameComparison } from './names.js';
import {
  LEAN_TEST_ACCOUNTS, LEAN_TEST_NATIONAL_IDS, MAGIC_HOLDERS, MAGIC_NAMES, MAGIC_WRONG_ID, forcedOutcome,
  type AccountStatus, type FailureCode,
} from './outcomes.js';

/**
 * Account verification: does the account belong to whom the request says? A held account is
 * checked against what the sandbox holds (name by the rule of ./names.ts, ids exactly); Lean's
 * sandbox test accounts answer as Lean's sandbox does; every other account follows ./outcomes.ts.
 */

export interface AccountVerificationInput {
  country: CountryCode;
  account: { type: 'IBAN' | 'ACCOUNT_ID'; value: string };
  /** FULL_NAME, or GIVEN_NAME and SURNAME joined. */
  name?: string;
  /** NATIONAL_ID / REGISTRATION_ID values. */
  ids: string[];
}

export type AccountVerification =
  | { kind: 'not_found' }
  | { kind: 'failed'; code: FailureCode }
  | {
      kind: 'answered';
      verified: boolean;
      /** Null when verified or when only ids were compared (Lean: ids are match / no match). */
      matching: NameComparison | null;
      status: AccountStatus;
      holder: string;
      bank: { en: string; ar: string | null; bic: string | null } | null;
      currency: string | null;
    };

export function verifyAccount(store: SandboxStore, app: string, input: AccountVerificationInput): AccountVerification {
  const rule = COUNTRY_RULES[input.country];
  const raw = input.account.value;
  const value = input.account.type === 'IBAN' ? raw.replace(/\s+/g, '').toUpperCase() : raw;
  const test = LEAN_TEST_ACCOUNTS[value];
  let held: HeldAccount | undefined;
  if (!test) {
    if (input.account.type === 'IBAN') {
      const checked = checkIban(value, input.country);
      if (!checked.ok) throw invalidAccount(checked.reason);
    }
    held = input.account.type === 'IBAN' ? findByIban(store, app, value) : findByAccountNumber(store, app, input.country, value);
  }
  if (held) return judge(input, held.holder, held.ids, 'ACTIVE', held.bank && { en: held.bank.name, ar: null, bic: held.bank.bic }, held.currency);

  const forced = forcedOutcome(value);
  if (forced?.kind === 'not_found') return { kind: 'not_found' };
  if (forced?.kind === 'failed') return { kind: 'failed', code: forced.code };
  const status = forced?.kind === 'status' ? forced.status : 'ACTIVE';
  const bank = test?.bank ? { en: test.bank.en, ar: test.bank.ar, bic: test.bank.bic } : null;
  if (test) return judge(input, test.holder, [...LEAN_TEST_NATIONAL_IDS], status, bank, rule.currency);
  // An account nobody holds: it belongs to whoever the request names, unless the name is magic.
  const given = input.name === undefined ? '' : nameWords(input.name).join(' ');
  const holder =
    given === MAGIC_NAMES.noMatch ? MAGIC_HOLDERS.noMatch : given === MAGIC_NAMES.partialMatch ? 'Sandbox Partial Match Holder' : (input.name ?? 'Sandbox Account Holder');
  const ids = input.ids.filter((id) => id !== MAGIC_WRONG_ID);
  const answer = judge(input, holder, ids, status, bank, rule.currency);
  if (given === MAGIC_NAMES.partialMatch && answer.kind === 'answered') {
    return { ...answer, verified: false, matching: { match: 'PARTIAL_MATCH', score: MAGIC_HOLDERS.partialMatchScore } };
  }
  return answer;
}

/** Ownership holds when the name (if given) is a MATCH, every id given is the holder's, and the account is active. */
function judge(
  input: AccountVerificationInput,
  holder: string,
  holderIds: readonly string[],
  status: AccountStatus,
  bank: { en: string; ar: string | null; bic: string | null } | null,
  currency: string | null,
): AccountVerification {
  const name = input.name === undefined ? null : compareNames(input.name, holder);
  const ids = new Set(holderIds.map(compactId));
  const idsMatch = input.ids.every((id) => ids.has(compactId(id)));
  const verified = status === 'ACTIVE' && idsMatch && (name === null || name.match === 'MATCH');
  return {
    kind: 'answered',
    verified,
    matching: verified || name === null ? null : name,
    status,
    // Lean shows the holder's name in full only once ownership is confirmed.
    holder: verified ? holder : maskName(holder),
    bank,
    currency,
  };
}

/** Ids compare on their letters and digits only (784-1990-1234567-1 = 784199012345671). */
function compactId(id: string): string {
  return id.replace(/[^0-9A-Za-z]/g, '').toUpperCase();
}

function invalidAccount(reason: string): LeanError {
  const field = 'account_details->value';
  return new LeanError(
    'INVALID_PARAMETERS',
    400,
    `The request is badly formatted or a parameter of the wrong type has been provided, field: ${field} (${reason})`,
    { field, reason },
  );
}
