import { LeanError } from '../../app/errors.js';
import type { SandboxStore } from '../store/store.js';
import { findByIban } from './holders.js';
import { checkIban } from './iban.js';
import { maskName } from './names.js';
import { LEAN_TEST_ACCOUNTS, forcedOutcome, type AccountStatus, type FailureCode } from './outcomes.js';

/**
 * Beneficiary name: who holds an IBAN. The sandbox's own accounts answer their holder; Lean's
 * test IBANs and the magic suffixes of ./outcomes.ts answer their outcome; any other IBAN is not
 * found (there is no name to give).
 */
export type BeneficiaryName =
  | { kind: 'not_found' }
  | { kind: 'failed'; code: FailureCode }
  | { kind: 'answered'; name: string; status: AccountStatus };

export function beneficiaryName(store: SandboxStore, app: string, raw: string): BeneficiaryName {
  const value = raw.replace(/\s+/g, '').toUpperCase();
  const test = LEAN_TEST_ACCOUNTS[value];
  if (!test) {
    const checked = checkIban(value);
    if (!checked.ok) {
      throw new LeanError(
        'INVALID_PARAMETERS',
        400,
        `The request is badly formatted or a parameter of the wrong type has been provided, field: iban (${checked.reason})`,
        { field: 'iban', reason: checked.reason },
      );
    }
    const held = findByIban(store, app, value);
    if (held) return { kind: 'answered', name: held.holder, status: 'ACTIVE' };
  }
  const forced = forcedOutcome(value);
  if (forced?.kind === 'not_found') return { kind: 'not_found' };
  if (forced?.kind === 'failed') return { kind: 'failed', code: forced.code };
  if (forced?.kind === 'status') return { kind: 'answered', name: maskName(test?.holder ?? 'Sandbox Account Holder'), status: forced.status };
  return test ? { kind: 'answered', name: test.holder, status: 'ACTIVE' } : { kind: 'not_found' };
}
