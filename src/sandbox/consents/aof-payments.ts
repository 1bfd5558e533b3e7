import type { SandboxStore } from '../store/store.js';
import { aofPayments, consents, getConsent, moveConsent, paymentsOf } from './consents.js';
import { breachOf, consumptionOf, lifetimeReached } from './consumption.js';
import { consentErrors } from './errors.js';
import { aofPaymentCreated, aofPaymentUpdated } from './events.js';
import { CONSENT_COLLECTIONS, type AofPaymentRecord, type AofPaymentStatus, type ConsentRecord, type IdempotencyRecord } from './records.js';
import { statusOf } from './status.js';

/**
 * Payments under an AUTHORISED consent, made by the app's backend with no customer present.
 * Each is asked for with an Idempotency-Key: a key used once with a body answers that payment
 * again for the same body and IDEMPOTENCY_KEY_REUSED for another; only a payment that was made
 * uses up its key, so a refused request may be retried under the same key. Everything here is
 * synchronous, so concurrent retries of one key are serialised by the event loop: one payment.
 */

export interface InitiateAofInput {
  consent_id: string;
  amount: number;
  reference?: string | null;
  creditor_reference?: string | null;
  purpose?: string;
}

const keys = (store: SandboxStore) => store.collection<IdempotencyRecord>(CONSENT_COLLECTIONS.idempotencyKeys);
/** Collection ids are global: an app's key must not shadow another app's same key. */
const keyId = (app: string, key: string) => `${app}\u0000${key}`;

export function getAofPayment(store: SandboxStore, app: string, id: string): AofPaymentRecord {
  const payment = aofPayments(store).get(app, id);
  if (!payment) throw consentErrors.unknownPayment(id);
  return payment;
}

/** The payment `key` made for this `fingerprint`, or a refusal; undefined for a key not used yet. */
export function replayOf(store: SandboxStore, app: string, key: string, fingerprint: string): AofPaymentRecord | undefined {
  const used = keys(store).get(app, keyId(app, key));
  if (!used) return undefined;
  if (used.fingerprint !== fingerprint) throw consentErrors.idempotencyKeyReused(key);
  return getAofPayment(store, app, used.payment_id);
}

export function initiateAofPayment(store: SandboxStore, app: string, key: string, fingerprint: string, input: InitiateAofInput): AofPaymentRecord {
  const replay = replayOf(store, app, key, fingerprint);
  if (replay) return replay;
  const consent = getConsent(store, app, input.consent_id);
  const payment = makePayment(store, app, consent, input);
  keys(store).set(app, keyId(app, key), { key, fingerprint, payment_id: payment.id });
  return payment;
}

/**
 * A payment under `consent`, checked against its status, start and limits, stored and announced;
 * a lifetime limit it uses up turns the consent CONSUMED. Also the immediate payment at authorisation.
 */
export function makePayment(store: SandboxStore, app: string, consent: ConsentRecord, input: Omit<InitiateAofInput, 'consent_id'>): AofPaymentRecord {
  const now = store.now();
  const status = statusOf(consent, now);
  if (status !== 'AUTHORISED') throw consentErrors.unusable(consent.consent_id, status);
  if (now.getTime() < new Date(consent.start_date_time).getTime()) throw consentErrors.notStarted(consent.consent_id, consent.start_date_time);
  const made = paymentsOf(store, app, consent.consent_id);
  const breach = breachOf(consent, consumptionOf(consent, made, now), input.amount);
  if (breach) throw consentErrors.limitExceeded(consent.consent_id, breach.limit, breach.allowed, breach.wouldBe, breach.isAmount ? consent.currency : null);

  const at = now.toISOString();
  const payment: AofPaymentRecord = {
    id: store.newId(),
    account_id: consent.destination_account_id,
    application_id: consent.application_id,
    consent_id: consent.consent_id,
    status: 'CREATED',
    reference: input.reference ?? consent.reference,
    creditor_reference: input.creditor_reference ?? null,
    purpose: input.purpose ?? consent.purpose,
    amount: { currency: consent.currency, amount: input.amount },
    type: 'ACCOUNT_ON_FILE',
    sender_customer_id: consent.customer_id,
    created_at: at,
    last_modified_at: at,
    failure_details: null,
  };
  aofPayments(store).set(app, payment.id, payment);
  store.publish(aofPaymentCreated(app, payment));
  if (lifetimeReached(consent, consumptionOf(consent, [...made, payment], now))) moveConsent(store, app, consent, 'CONSUMED', 'LEAN');
  return payment;
}

/** Where the admin API can move a payment: the bank's progress, then its outcome. */
const PAYMENT_MOVES: Readonly<Record<AofPaymentStatus, readonly AofPaymentStatus[]>> = {
  CREATED: ['PROCESSING', 'PROCESSED', 'FAILED'],
  PROCESSING: ['PROCESSED', 'FAILED'],
  PROCESSED: [],
  FAILED: [],
};

export interface AdvanceAofInput {
  status: AofPaymentStatus;
  failure_code?: string;
  failure_details?: string;
}

/** Account-on-file.yml's one documented failure. */
const DEFAULT_FAILURE = { code: 'BANK_ISSUE', details: 'The banks is having a technical issues. Please try again later.' };

/** The bank's answer. PROCESSED debits the consented account; FAILED gives the payment's share of the limits back. */
export function advanceAofPayment(store: SandboxStore, app: string, paymentId: string, input: AdvanceAofInput): AofPaymentRecord {
  const payment = getAofPayment(store, app, paymentId);
  const allowed = PAYMENT_MOVES[payment.status];
  if (!allowed.includes(input.status)) {
    const why = allowed.length === 0 ? `${payment.status} is a final status` : `a ${payment.status} payment can only move to ${allowed.join(', ')}`;
    throw consentErrors.invalidTransition('Payment', payment.id, payment.status, input.status, why);
  }
  if ((input.failure_code !== undefined || input.failure_details !== undefined) && input.status !== 'FAILED') {
    throw consentErrors.failureOnlyWhenFailed();
  }
  const consent = getConsent(store, app, payment.consent_id);
  const updated: AofPaymentRecord = {
    ...payment,
    status: input.status,
    last_modified_at: store.now().toISOString(),
    failure_details:
      input.status === 'FAILED'
        ? { code: input.failure_code ?? DEFAULT_FAILURE.code, details: input.failure_details ?? (input.failure_code === undefined ? DEFAULT_FAILURE.details : `The bank refused the payment (${input.failure_code}).`) }
        : null,
  };
  aofPayments(store).set(app, updated.id, updated);
  if (updated.status === 'PROCESSED' && consent.account) {
    const balance = Math.round(consent.account.balance * 100 - payment.amount.amount * 100) / 100;
    consents(store).set(app, consent.consent_id, { ...consent, account: { ...consent.account, balance } });
  }
  store.publish(aofPaymentUpdated(app, updated));
  return updated;
}
