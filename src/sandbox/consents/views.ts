import { consumptionOf } from './consumption.js';
import { statusOf } from './status.js';
import { PURPOSES, type AofPaymentRecord, type ConsentRecord, type HistoryEntry } from './records.js';

/**
 * Records → Lean's JSON, fields in the order of Lean's recordings (`payments/consents/*`,
 * `payments/account-on-file/*`). The create reply and the details differ in Lean: `id` vs
 * `consent_id`, `purpose` vs `payment_purpose`; both are kept as recorded.
 */

/** `POST /consents/account-on-file`. */
export function createdConsentView(consent: ConsentRecord) {
  return {
    id: consent.consent_id,
    application_id: consent.application_id,
    start_date_time: consent.start_date_time,
    expiration_date_time: consent.expiration_date_time,
    customer_id: consent.customer_id,
    status: consent.status,
    destination_account_id: consent.destination_account_id,
    reference: consent.reference,
    currency: consent.currency,
    purpose: consent.purpose,
    control_parameters: consent.control_parameters,
    immediate_payment: consent.immediate_payment,
  };
}

/** `GET /consents/{id}` and each item of `GET /consents/v1`: consumption from the payments made under it. */
export function consentView(consent: ConsentRecord, payments: readonly AofPaymentRecord[], now: Date) {
  const account = consent.account;
  return {
    consent_id: consent.consent_id,
    bank_identifier: account?.bank_identifier ?? null,
    application_id: consent.application_id,
    start_date_time: consent.start_date_time,
    expiration_date_time: consent.expiration_date_time,
    customer_id: consent.customer_id,
    status: statusOf(consent, now),
    destination_account_id: consent.destination_account_id,
    sender_account_id: account?.sender_account_id ?? null,
    reference: consent.reference,
    consented_account: account ? { iban: account.iban, holder_name: account.holder_name } : null,
    currency: consent.currency,
    payment_purpose: { code: consent.purpose, description: PURPOSES[consent.purpose] ?? consent.purpose },
    control_parameters: consent.control_parameters,
    payment_consumption: consumptionOf(consent, payments, now),
    immediate_payment: consent.immediate_payment,
  };
}

export function historyView(entry: HistoryEntry) {
  return { id: entry.id, type: entry.type, description: entry.description, timestamp: entry.timestamp, updated_by: entry.updated_by, reason: entry.reason };
}

/** `POST /payments/account-on-file` (account-on-file.yml's InitiateAccountOnFilePaymentResponse). */
export function aofPaymentView(payment: AofPaymentRecord) {
  return {
    id: payment.id,
    account_id: payment.account_id,
    application_id: payment.application_id,
    consent_id: payment.consent_id,
    status: payment.status,
    reference: payment.reference,
    creditor_reference: payment.creditor_reference,
    purpose: payment.purpose,
    amount: payment.amount,
    type: payment.type,
    sender_customer_id: payment.sender_customer_id,
    created_at: payment.created_at,
    last_modified_at: payment.last_modified_at,
    failure_details: payment.failure_details,
  };
}
