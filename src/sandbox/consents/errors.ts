import { LeanError } from '../../app/errors.js';
import type { ConsentStatus } from './records.js';

/**
 * The consents product's Lean statuses, worded once. Lean publishes no error catalogue for AoF:
 * `CONSENT_EXPIRED` is the status its data API records for an expired consent; the others follow
 * its naming (README, "Choices where Lean's behaviour is not public"). `metadata` stays null as in
 * every error Lean recorded: what was refused and why is in the message.
 */
export const consentErrors = {
  // Lean documents no status for an unknown payment id; the payments product answers this one too.
  unknownPayment: (id: string) => new LeanError('UNKNOWN_PAYMENT', 404, `No payment with id ${id} exists.`),
  failureOnlyWhenFailed: () =>
    new LeanError('INVALID_PARAMETERS', 400, 'A failure_code or failure_details is only taken with status FAILED, field: failure_code.'),
  unknownConsent: (id: string) => new LeanError('UNKNOWN_CONSENT', 404, `No consent with id ${id} exists.`),
  /** A payment under a consent that cannot pay now: its status names why. */
  unusable: (id: string, status: ConsentStatus): LeanError => {
    switch (status) {
      case 'EXPIRED':
        return new LeanError('CONSENT_EXPIRED', 409, `Consent ${id} has expired; a new consent must be created and authorised.`);
      case 'REVOKED':
        return new LeanError('CONSENT_REVOKED', 409, `Consent ${id} was revoked; a new consent must be created and authorised.`);
      case 'CONSUMED':
        return new LeanError('CONSENT_CONSUMED', 409, `Consent ${id} has reached its limits; a new consent must be created and authorised.`);
      default:
        return new LeanError('CONSENT_NOT_AUTHORISED', 409, `Consent ${id} is ${status}; only an AUTHORISED consent can be used.`);
    }
  },
  notStarted: (id: string, start: string) =>
    new LeanError('CONSENT_NOT_ACTIVE', 409, `Consent ${id} is active only from ${start}.`),
  /** Lean's revocation answers 400 for a consent that is not AUTHORISED (consents.yml). */
  notRevocable: (id: string, status: ConsentStatus) =>
    new LeanError('CONSENT_NOT_AUTHORISED', 400, `Consent ${id} is ${status}; only an AUTHORISED consent can be revoked.`),
  /** Lean answers a balance for an authorised consent only (consents.yml: 409). */
  noBalance: (id: string, status: ConsentStatus) =>
    new LeanError('CONSENT_NOT_AUTHORISED', 409, `Consent ${id} is ${status}; a balance is answered for an AUTHORISED consent only.`),
  limitExceeded: (id: string, limit: string, allowed: number, wouldBe: number, currency: string | null) =>
    new LeanError(
      'CONSENT_LIMIT_EXCEEDED',
      400,
      `The payment would exceed consent ${id}'s ${limit} of ${allowed}${currency ? ` ${currency}` : ''} (${wouldBe}${currency ? ` ${currency}` : ''} with this payment), field: amount.`,
    ),
  idempotencyKeyReused: (key: string) =>
    new LeanError(
      'IDEMPOTENCY_KEY_REUSED',
      409,
      `The Idempotency-Key ${JSON.stringify(key)} was already used with a different request; use a new key for a new payment.`,
    ),
  invalidTransition: (kind: 'Consent' | 'Payment', id: string, from: string, to: string, why: string) =>
    new LeanError('INVALID_STATUS_TRANSITION', 400, `${kind} ${id} cannot move from ${from} to ${to}: ${why}.`),
};
