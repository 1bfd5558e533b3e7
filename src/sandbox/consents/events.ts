import type { SandboxEvent } from '../store/store.js';
import type { AofPaymentRecord, ConsentRecord } from './records.js';
import { aofPaymentView, consentView } from './views.js';

/**
 * The consents product's webhooks. Lean documents that it sends one whenever a consent's status
 * changes, but publishes no sample: the payload here is the consent as `GET /consents/{id}` shows
 * it, so a receiver can act on it without a second call. AoF payments use Lean's `payment.created`
 * and `payment.updated` types with the payment as `POST /payments/account-on-file` shows it
 * (`type: ACCOUNT_ON_FILE` tells them from intent payments).
 */

export function consentCreated(app: string, consent: ConsentRecord, payments: readonly AofPaymentRecord[], now: Date): SandboxEvent {
  return { app, type: 'consent.created', message: 'A consent object has been created.', payload: consentView(consent, payments, now) };
}

export function consentUpdated(app: string, consent: ConsentRecord, payments: readonly AofPaymentRecord[], now: Date): SandboxEvent {
  return { app, type: 'consent.updated', message: `A consent object has been updated: ${consent.status}.`, payload: consentView(consent, payments, now) };
}

export function aofPaymentCreated(app: string, payment: AofPaymentRecord): SandboxEvent {
  return { app, type: 'payment.created', message: 'A payment object has been created.', payload: aofPaymentView(payment) };
}

export function aofPaymentUpdated(app: string, payment: AofPaymentRecord): SandboxEvent {
  return { app, type: 'payment.updated', message: 'A payment object has been updated.', payload: aofPaymentView(payment) };
}
