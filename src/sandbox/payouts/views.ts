import type { PayoutDestinationRecord, PayoutRecord, RefundRecord } from './records.js';

/**
 * Records → Lean's JSON, in the order of Lean's recorded replies. Here rather than in src/lean so
 * the admin API (which must not import src/lean) answers in the same shapes.
 */

/** An item of `POST /payouts/v1/payment/destinations`: the beneficiary is added at once in the sandbox. */
export function destinationCreatedView(d: PayoutDestinationRecord) {
  return {
    add_beneficiary_task_id: d.add_beneficiary_task_id,
    destination_id: d.id,
    bank_identifier: d.bank_identifier,
    iban: d.iban,
    account_number: d.account_number,
    display_name: d.display_name,
    status: 'CONFIRMED' as const,
  };
}

/** A destination as a payout intent names it (and `GET /payouts/v1/payment/destinations/{id}`, unrecorded). */
export function payoutDestinationView(d: PayoutDestinationRecord) {
  return {
    id: d.id,
    name: d.name,
    bank_identifier: d.bank_identifier,
    short_name: d.display_name,
    iban: d.iban,
    account_number: d.account_number,
    swift_code: d.swift_code,
    status: 'ACTIVE' as const,
    address: d.address,
    country: d.country,
    city: d.city,
    // Lean names the emirate of a UAE destination; its recording shows the city there.
    emirate: d.country === 'ARE' ? d.city : null,
    ifsc: d.ifsc,
    sort_code: d.sort_code,
    // The sandbox has no beneficiary cool-off.
    cool_off_expiry: null,
    routing_code: d.routing_number,
    transit_code: d.transit_code,
    branch_address: d.branch_address,
    currency_iso_code: d.currency_iso_code,
    postal_code: d.postal_code,
  };
}

/** `GET /payouts/v1/{payment_id}`, and the `payment` of a payout intent. */
export function payoutView(p: PayoutRecord) {
  return {
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
    post_initiation_status: p.post_initiation_status,
    bank_transaction_reference: p.bank_transaction_reference,
    granular_status_code: p.granular_status_code,
    status_additional_details: p.status_additional_details,
  };
}

/** One item of `POST /payouts/v1/payment`'s `payouts_payment_details`: the initiation task, CREATED. */
export function payoutCreatedView(p: PayoutRecord) {
  return {
    payment_intent_id: p.payment_intent_id,
    initiate_payment_task_id: p.initiate_payment_task_id,
    account_number: p.sender_details.account_number,
    iban: p.sender_details.iban,
    destination_details: {
      destination_id: p.payment_destination_id,
      amount: p.amount,
      currency: p.currency,
      payment_status: 'CREATED' as const,
      error_message: null,
      recipient_details: { ...p.recipient_details },
    },
    bank_identifier: p.bank_identifier,
  };
}

/** An item of `GET /payouts/v1/payments` (with `payment_id`, which Lean's list lacks, to look one up). */
export function payoutListItemView(p: PayoutRecord, d: PayoutDestinationRecord) {
  return {
    payment_id: p.id,
    recipient_name: d.display_name,
    recipient_bank_name: d.bank_identifier,
    recipient_iban: d.iban,
    recipient_cool_off_expiry: d.created_at,
    recipient_address: d.address,
    recipient_city: d.city,
    recipient_country: d.country,
    description: p.description,
    currency: p.currency,
    amount: p.amount,
    created_at: p.created_at,
    updated_at: p.updated_at,
    payment_intent_id: p.payment_intent_id,
    auto_authorized: p.auto_authorized,
    pending_manual_authorization: p.status === 'AWAITING_AUTHORIZATION',
    status: p.status,
    post_initiation_status: p.post_initiation_status,
    bank_transaction_reference: p.bank_transaction_reference,
  };
}

export function payoutIntentView(p: PayoutRecord, d: PayoutDestinationRecord) {
  return {
    payment_intent_id: p.payment_intent_id,
    customer_id: p.customer_id,
    amount: p.amount,
    currency: p.currency,
    description: p.description,
    external_reference: null,
    payment: payoutView(p),
    payment_destination: payoutDestinationView(d),
  };
}

export function payoutHistoryView(p: PayoutRecord) {
  return { payment_id: p.id, events: p.history.map((event) => ({ ...event })) };
}

/** A refund as `POST /payouts/refunds` answers it. */
export function refundView(r: RefundRecord) {
  return {
    refund_id: r.refund_id,
    payment_id: r.payment_id,
    status: r.status,
    amount: r.amount,
    currency: r.currency,
    reason_code: r.reason_code,
    description: r.description,
    external_reference: r.external_reference,
    beneficiary: { ...r.beneficiary },
  };
}

/** A refund as `GET /payouts/refunds` lists it: the deposit is the refund's own amount (no fees in the sandbox). */
export function refundListItemView(r: RefundRecord) {
  const { refund_id, ...refund } = refundView(r);
  return {
    refund_id,
    deposit_amount: r.amount,
    deposit_currency: r.currency,
    ...refund,
    created_at: r.created_at,
    created_by: r.created_by,
    actioned_by: r.actioned_by,
    // Lean pays a refund out through a payout intent; the sandbox settles it without one.
    refund_intent_id: null,
  };
}
