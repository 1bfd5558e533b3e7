import { LeanError } from '../../app/errors.js';
import type { AccountVerification } from '../../sandbox/verifications/accounts.js';
import { FAILURES, type FailureCode } from '../../sandbox/verifications/outcomes.js';

/**
 * The verification envelopes, field for field in the order of Lean's recorded answers:
 * OK `{status, results_id, message, meta, timestamp, status_detail, verifications}`, FAILED with
 * `status_detail.granular_status_code`, and DATA_NOT_FOUND as a 404 error.
 */

export interface Stamp {
  resultsId: string;
  timestamp: string;
}

export const DATA_RETRIEVED = 'Data successfully retrieved';

export function dataNotFound(): LeanError {
  return new LeanError('DATA_NOT_FOUND', 404, 'The data requested could not be found');
}

export function okEnvelope(stamp: Stamp, verifications: unknown, message = DATA_RETRIEVED): Record<string, unknown> {
  return { status: 'OK', results_id: stamp.resultsId, message, meta: null, timestamp: stamp.timestamp, status_detail: null, verifications };
}

export function failedEnvelope(stamp: Stamp, code: FailureCode): Record<string, unknown> {
  const failure = FAILURES[code];
  return {
    status: 'FAILED',
    message: failure.message,
    timestamp: stamp.timestamp,
    meta: null,
    verifications: null,
    results_id: stamp.resultsId,
    status_detail: { granular_status_code: code, status_additional_info: failure.info },
  };
}

/** An answered account verification; `bic` is the bank identifier the request gave, shown when the sandbox knows no bank. */
export function accountVerificationView(stamp: Stamp, result: AccountVerification, requestBic: string | undefined): Record<string, unknown> {
  if (result.kind === 'not_found') throw dataNotFound();
  if (result.kind === 'failed') return failedEnvelope(stamp, result.code);
  const bic = result.bank?.bic ?? requestBic;
  const bankDetails =
    result.bank || bic
      ? { bank_name: result.bank ? { en: result.bank.en, ar: result.bank.ar } : null, bank_identifiers: bic ? [{ type: 'BIC', value: bic }] : [] }
      : null;
  return okEnvelope(stamp, {
    account_ownership_verified: result.verified,
    // Lean's recordings only show null here (a match, or an id check); its docs describe a partial
    // match "with the score": the sandbox's form of that is `{match_type, score}`.
    matching: result.matching && { match_type: result.matching.match, score: result.matching.score },
    bank_details: bankDetails,
    account_status: result.status,
    account_holder_name: result.holder,
    account_currency: result.currency,
    verification_method: 'CONFIRMATION_OF_PAYEE_SERVICE',
  });
}
