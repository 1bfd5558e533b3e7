import { LeanError } from '../../app/errors.js';
import type { PaymentStatus } from './records.js';

/**
 * How a payment's status may move. A payment waits for the customer (AWAITING_*) or the bank
 * (PENDING_WITH_BANK) and ends ACCEPTED_BY_BANK or FAILED; an ended payment never moves again.
 */
export const FINAL_STATUSES: readonly PaymentStatus[] = ['ACCEPTED_BY_BANK', 'FAILED'];
/** Where the admin API can move a payment that has not ended. */
export const ADVANCE_TARGETS = ['ACCEPTED_BY_BANK', 'FAILED'] as const;
export type AdvanceTarget = (typeof ADVANCE_TARGETS)[number];

export function isFinal(status: PaymentStatus): boolean {
  return FINAL_STATUSES.includes(status);
}

export function canAdvance(from: PaymentStatus, to: PaymentStatus): to is AdvanceTarget {
  return !isFinal(from) && (ADVANCE_TARGETS as readonly PaymentStatus[]).includes(to);
}

/** Throws a 400 saying why the move is not allowed. */
export function assertCanAdvance(paymentId: string, from: PaymentStatus, to: PaymentStatus): asserts to is AdvanceTarget {
  if (canAdvance(from, to)) return;
  const why = isFinal(from)
    ? `it is already ${from}, a final status`
    : `a payment can only move to ${ADVANCE_TARGETS.join(' or ')}`;
  throw new LeanError('INVALID_STATUS_TRANSITION', 400, `Payment ${paymentId} cannot move from ${from} to ${to}: ${why}.`, {
    field: 'status',
    current_status: from,
    requested_status: to,
  });
}
