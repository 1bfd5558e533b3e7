import { AMOUNT_LIMITS, parseAmount } from '../payments/amount.js';
import { paymentErrors } from '../payments/errors.js';
import { PAYMENT_COLLECTIONS, type PaymentRecord, type PaymentSourceRecord } from '../payments/records.js';
import type { SandboxStore } from '../store/store.js';
import { payoutErrors } from './errors.js';
import { PAYOUT_COLLECTIONS, REFUND_REASON_CODES, type RefundReason, type RefundRecord, type RefundStatus } from './records.js';
import { assertRefundMove } from './status.js';

/**
 * Refunds: money of a payment the app received (a lean-mock payment ACCEPTED_BY_BANK) sent back
 * to the account it came from. All refunds of a payment that are not REJECTED or FAILED together
 * never exceed it. Lean's requests are batches: a batch is checked whole, then written whole.
 */

export interface CreateRefundInput {
  payment_id: string;
  /** Unchecked here: the amount rules answer Lean's INVALID_AMOUNT. */
  amount: unknown;
  currency: string;
  /** Unchecked here: an unknown code answers a message that lists the accepted ones. */
  reason_code: unknown;
  description?: string;
  external_reference?: string;
}

export interface RefundFilter {
  status?: RefundStatus;
  payment_id?: string;
}

/** Who Lean records as having created or decided a refund made through the API. */
const API_ACTOR = 'edge-gateway';
/** Statuses whose money went back to the payer, or may still: they count against the payment. */
const COUNTED: readonly RefundStatus[] = ['CREATED', 'APPROVED', 'COMPLETED'];

export const refunds = (store: SandboxStore) => store.collection<RefundRecord>(PAYOUT_COLLECTIONS.refunds);
const cents = (amount: number) => Math.round(amount * 100);

/** What is left to refund of the payment, in cents, given the refunds already held. */
function remainingCents(store: SandboxStore, app: string, payment: PaymentRecord): number {
  const refunded = refunds(store)
    .list(app, (refund) => refund.payment_id === payment.id && COUNTED.includes(refund.status))
    .reduce((sum, refund) => sum + cents(refund.amount), 0);
  return cents(payment.amount) - refunded;
}

function payerAccountId(store: SandboxStore, app: string, payment: PaymentRecord): string | null {
  const source = store.collection<PaymentSourceRecord>(PAYMENT_COLLECTIONS.sources).get(app, payment.payment_source_id);
  // The customer may have removed the source since paying: the IBAN still says where the money goes.
  return source?.accounts.find((account) => account.iban === payment.sender_details.iban)?.account_id ?? null;
}

export function createRefunds(store: SandboxStore, app: string, inputs: readonly CreateRefundInput[]): RefundRecord[] {
  const now = store.now().toISOString();
  // What this batch has taken of each payment so far, so two items cannot together over-refund.
  const taken = new Map<string, number>();
  const built = inputs.map((input, index): RefundRecord => {
    const payment = store.collection<PaymentRecord>(PAYMENT_COLLECTIONS.payments).get(app, input.payment_id);
    if (!payment) throw paymentErrors.unknownPayment(input.payment_id);
    if (payment.status !== 'ACCEPTED_BY_BANK') throw payoutErrors.notRefundable(payment.id, payment.status);
    const amount = parseAmount(input.amount);
    if (!AMOUNT_LIMITS[input.currency] || input.currency !== payment.currency) {
      throw payoutErrors.currencyMismatch(`[${index}].currency`, input.currency, payment.currency);
    }
    if (typeof input.reason_code !== 'string' || !(REFUND_REASON_CODES as readonly string[]).includes(input.reason_code)) {
      throw payoutErrors.invalidReason(input.reason_code, REFUND_REASON_CODES);
    }
    const left = remainingCents(store, app, payment) - (taken.get(payment.id) ?? 0);
    if (cents(amount) > left) throw payoutErrors.overRefund(payment.id, amount, left / 100, payment.currency);
    taken.set(payment.id, (taken.get(payment.id) ?? 0) + cents(amount));
    return {
      refund_id: store.newId(),
      payment_id: payment.id,
      status: 'CREATED',
      amount,
      currency: payment.currency,
      reason_code: input.reason_code as RefundReason,
      description: input.description ?? null,
      external_reference: input.external_reference ?? null,
      beneficiary: { name: payment.sender_details.name, iban: payment.sender_details.iban, account_id: payerAccountId(store, app, payment), city: null },
      created_at: now,
      created_by: API_ACTOR,
      actioned_by: null,
      updated_at: now,
    };
  });
  for (const refund of built) refunds(store).set(app, refund.refund_id, refund);
  return built;
}

export function getRefund(store: SandboxStore, app: string, id: string): RefundRecord {
  const refund = refunds(store).get(app, id);
  if (!refund) throw payoutErrors.unknownRefund(id);
  return refund;
}

/** The app's refunds, newest first, narrowed by the filter. */
export function listRefunds(store: SandboxStore, app: string, filter: RefundFilter): RefundRecord[] {
  return refunds(store)
    .list(app, (refund) => (filter.status === undefined || refund.status === filter.status) && (filter.payment_id === undefined || refund.payment_id === filter.payment_id))
    .reverse();
}

/**
 * Moves refunds, all or none: every item is checked (known, named once, allowed move) before the
 * first is written. `actor` is who decided: Lean's API gateway for the PUT, the bank otherwise.
 */
export function moveRefunds(
  store: SandboxStore,
  app: string,
  moves: readonly { refund_id: string; status: RefundStatus }[],
  actor: string | null,
): RefundRecord[] {
  const seen = new Set<string>();
  const checked = moves.map((move, index) => {
    if (seen.has(move.refund_id)) throw payoutErrors.duplicateInBatch(`[${index}].refund_id`, move.refund_id);
    seen.add(move.refund_id);
    const refund = getRefund(store, app, move.refund_id);
    assertRefundMove(refund.refund_id, refund.status, move.status);
    return { refund, status: move.status };
  });
  const now = store.now().toISOString();
  return checked.map(({ refund, status }) => {
    const updated: RefundRecord = { ...refund, status, actioned_by: actor ?? refund.actioned_by, updated_at: now };
    return refunds(store).set(app, refund.refund_id, updated);
  });
}

export const processRefunds = (store: SandboxStore, app: string, moves: readonly { refund_id: string; status: 'APPROVED' | 'REJECTED' }[]) =>
  moveRefunds(store, app, moves, API_ACTOR);
