import { payoutErrors } from './errors.js';
import type { PayoutStatus, RefundStatus } from './records.js';

/**
 * How payouts and refunds may move, as tables: each status lists where it can go next; a status
 * with nowhere to go is final. The admin API and Lean's PUT both ask here before writing.
 */

export const PAYOUT_MOVES: Readonly<Record<PayoutStatus, readonly PayoutStatus[]>> = {
  // Authorizing hands the payout to the bank; refusing to authorize fails it.
  AWAITING_AUTHORIZATION: ['PENDING_WITH_BANK', 'FAILED'],
  PENDING_WITH_BANK: ['ACCEPTED_BY_BANK', 'FAILED'],
  ACCEPTED_BY_BANK: [],
  FAILED: [],
};

export const REFUND_MOVES: Readonly<Record<RefundStatus, readonly RefundStatus[]>> = {
  // The app's checker decides (PUT /payouts/refunds) ...
  CREATED: ['APPROVED', 'REJECTED'],
  // ... and the bank carries an approved refund out, or not (the admin API plays it).
  APPROVED: ['COMPLETED', 'FAILED'],
  REJECTED: [],
  COMPLETED: [],
  FAILED: [],
};

function assertMove<S extends string>(moves: Readonly<Record<S, readonly S[]>>, what: string, id: string, from: S, to: S): void {
  const next = moves[from];
  if (next.includes(to)) return;
  const why = next.length === 0 ? `it is already ${from}, a final status` : `from ${from} it can only move to ${next.join(' or ')}`;
  throw payoutErrors.transition(what, id, from, to, why);
}

export function assertPayoutMove(id: string, from: PayoutStatus, to: PayoutStatus): void {
  assertMove(PAYOUT_MOVES, 'Payout', id, from, to);
}

export function assertRefundMove(id: string, from: RefundStatus, to: RefundStatus): void {
  assertMove(REFUND_MOVES, 'Refund', id, from, to);
}
