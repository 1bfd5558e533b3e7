import { LeanError } from '../../app/errors.js';

/**
 * The payouts and refunds products' own Lean statuses, worded once. Lean publishes no error
 * table for either: the names follow its payments API (UNKNOWN_<THING>, INVALID_STATUS_TRANSITION)
 * and `metadata` stays null as in every error Lean recorded, the facts being in the message.
 */
export const payoutErrors = {
  unknownPayout: (id: string) => new LeanError('UNKNOWN_PAYMENT', 404, `No payout payment with id ${id} exists.`),
  unknownIntent: (id: string) => new LeanError('UNKNOWN_PAYMENT_INTENT', 404, `No payout intent with id ${id} exists.`),
  unknownDestination: (id: string) => new LeanError('UNKNOWN_PAYMENT_DESTINATION', 404, `No payout destination with id ${id} exists.`),
  unknownAccount: (id: string) =>
    new LeanError('UNKNOWN_ACCOUNT', 404, `No payout account with id ${id} exists: connect the business account as a payment source first, field: account_id.`),
  currencyMismatch: (field: string, currency: string, expected: string) =>
    new LeanError('INVALID_PARAMETERS', 400, `The currency ${currency} does not match the account's ${expected}, field: ${field}, value: ${currency}.`),
  unknownRefund: (id: string) => new LeanError('UNKNOWN_REFUND', 404, `No refund with id ${id} exists.`),
  notRefundable: (paymentId: string, status: string) =>
    new LeanError('PAYMENT_NOT_REFUNDABLE', 400, `Payment ${paymentId} is ${status}: only a payment ACCEPTED_BY_BANK can be refunded, field: payment_id.`),
  overRefund: (paymentId: string, amount: number, remaining: number, currency: string) =>
    new LeanError(
      'REFUND_AMOUNT_EXCEEDS_PAYMENT',
      400,
      `A refund of ${amount} ${currency} is more than the ${remaining} ${currency} left to refund of payment ${paymentId}, field: amount.`,
    ),
  invalidReason: (value: unknown, accepted: readonly string[]) =>
    new LeanError(
      'INVALID_PARAMETERS',
      400,
      `The reason code is not one Lean accepts (${accepted.join(', ')}), field: reason_code, value: ${String(JSON.stringify(value)).slice(0, 100)}.`,
    ),
  transition: (what: string, id: string, from: string, to: string, why: string) =>
    new LeanError('INVALID_STATUS_TRANSITION', 400, `${what} ${id} cannot move from ${from} to ${to}: ${why}.`, {
      field: 'status',
      current_status: from,
      requested_status: to,
    }),
  duplicateInBatch: (field: string, id: string) =>
    new LeanError('INVALID_PARAMETERS', 400, `The same id appears twice in one request, field: ${field}, value: ${id}.`),
};
