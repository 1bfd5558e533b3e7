import { LeanError } from '../../app/errors.js';

/**
 * The payments product's own Lean statuses (lean-api.md §4), worded once. `metadata` stays null as
 * in every error Lean recorded: the field and the limit are in the message.
 */
export const paymentErrors = {
  unknownCustomer: (id: string) => new LeanError('UNKNOWN_CUSTOMER', 404, `No customer with id ${id} exists.`),
  unknownDestination: (id: string) =>
    new LeanError('UNKNOWN_PAYMENT_DESTINATION', 404, `No payment destination with id ${id} exists.`),
  unknownIntent: (id: string) => new LeanError('UNKNOWN_PAYMENT_INTENT', 404, `No payment intent with id ${id} exists.`),
  unknownSource: (id: string) => new LeanError('UNKNOWN_PAYMENT_SOURCE', 404, `No payment source with id ${id} exists.`),
  // Lean documents no status of its own for an unknown payment id; UNKNOWN_PAYMENT is the plausible one.
  unknownPayment: (id: string) => new LeanError('UNKNOWN_PAYMENT', 404, `No payment with id ${id} exists.`),
  invalidIban: (value: string, why: string) =>
    new LeanError('INVALID_IBAN', 400, `The IBAN provided is not valid (${why}), field: iban, value: ${value}`),
  invalidName: (field: string, value: string, why: string) =>
    new LeanError('INVALID_NAME', 400, `The name provided is not valid (${why}), field: ${field}, value: ${value}`),
  invalidAmount: (value: unknown, why: string) =>
    new LeanError('INVALID_AMOUNT', 400, `The amount provided is not valid (${why}), field: amount, value: ${shown(value)}`),
  amountUnderMin: (amount: number, currency: string, min: number) =>
    new LeanError('AMOUNT_UNDER_MIN_VALUE', 400, `The amount ${amount} ${currency} is under the minimum of ${min} ${currency}, field: amount.`),
  amountOverMax: (amount: number, currency: string, max: number) =>
    new LeanError('AMOUNT_OVER_MAX_VALUE', 400, `The amount ${amount} ${currency} is over the maximum of ${max} ${currency}, field: amount.`),
};

function shown(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(JSON.stringify(value));
}
