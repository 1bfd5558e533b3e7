import type { PaymentRecord, PaymentSourceRecord } from './records.js';

/**
 * A payment and a payment source as Lean returns them, built here because the admin API (which
 * simulates payments and links sources) answers with them too: the sandbox never imports the Lean
 * routers. src/lean/payments/views.ts holds them to Lean's schemas.
 */

function defined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as T;
}

export function paymentView(p: PaymentRecord) {
  return defined({
    id: p.id,
    payment_intent_id: p.payment_intent_id,
    payment_source_id: p.payment_source_id,
    sender_details: { ...p.sender_details },
    recipient_details: { ...p.recipient_details },
    amount: p.amount,
    currency: p.currency,
    description: p.description,
    submission_timestamp: p.submission_timestamp,
    initiation_timestamp: p.initiation_timestamp,
    status: p.status,
    bank_transaction_reference: p.bank_transaction_reference,
    failure_reason: p.failure_reason,
  });
}

export function sourceView(s: PaymentSourceRecord) {
  return {
    id: s.id,
    customer_id: s.customer_id,
    app_id: s.app_id,
    status: s.status,
    beneficiary_cool_off_expiry: s.beneficiary_cool_off_expiry,
    bank_identifier: s.bank_identifier,
    beneficiaries: s.beneficiaries.map((b) => ({ ...b })),
    accounts: s.accounts.map((a) => ({ ...a })),
  };
}
