import { LeanError } from '../../app/errors.js';
import { paymentErrors } from './errors.js';
import { PAYMENT_LIMITS } from './regions.js';

/**
 * Lean's limits on an intent's amount, by currency: one currency per region that has payments
 * (the region records hold them; UAE: AED 10 to 1,000,000, lean-api.md §4).
 */
export const AMOUNT_LIMITS = PAYMENT_LIMITS;

/** A JSON number, positive, with at most two decimals; anything else is INVALID_AMOUNT. */
export function parseAmount(value: unknown): number {
  if (value === undefined) throw LeanError.missingParameter('amount');
  if (typeof value !== 'number' || !Number.isFinite(value)) throw paymentErrors.invalidAmount(value, 'not a number');
  if (value <= 0) throw paymentErrors.invalidAmount(value, 'not positive');
  // Compare in cents, rounded, so 0.1 + 0.2-style binary noise does not count as a third decimal.
  if (Math.abs(Math.round(value * 100) - value * 100) > 1e-6) throw paymentErrors.invalidAmount(value, 'more than two decimals');
  return value;
}

/** Throws when the amount is outside the currency's limits (the currency is already known). */
export function checkAmountLimits(amount: number, currency: string): void {
  const limits = AMOUNT_LIMITS[currency];
  if (!limits) return;
  if (amount < limits.min) throw paymentErrors.amountUnderMin(amount, currency, limits.min);
  if (amount > limits.max) throw paymentErrors.amountOverMax(amount, currency, limits.max);
}
