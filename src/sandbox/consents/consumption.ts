import type { AofPaymentRecord, ConsentRecord, PeriodType } from './records.js';

/**
 * What a consent has used of its limits, and what remains. Lean counts every payment "excluding
 * instructions in a Rejected state" (consents.yml): here every payment that has not FAILED.
 * Periods are UTC: a calendar day, month or year; a week is seven days counted from the
 * consent's start (Lean: "seven consecutive days").
 */

const DAY_MS = 86_400_000;

export function periodOf(type: PeriodType, start: Date, now: Date): { from: Date; to: Date } {
  const y = now.getUTCFullYear();
  const m = now.getUTCMonth();
  switch (type) {
    case 'Day': {
      const from = new Date(Date.UTC(y, m, now.getUTCDate()));
      return { from, to: new Date(from.getTime() + DAY_MS) };
    }
    case 'Week': {
      const weeks = Math.floor((now.getTime() - start.getTime()) / (7 * DAY_MS));
      const from = new Date(start.getTime() + weeks * 7 * DAY_MS);
      return { from, to: new Date(from.getTime() + 7 * DAY_MS) };
    }
    case 'Month':
      return { from: new Date(Date.UTC(y, m, 1)), to: new Date(Date.UTC(y, m + 1, 1)) };
    case 'Year':
      return { from: new Date(Date.UTC(y, 0, 1)), to: new Date(Date.UTC(y + 1, 0, 1)) };
  }
}

export interface Consumption {
  cumulative_number_of_payments: number;
  cumulative_value_of_payments: number;
  cumulative_number_of_payments_in_current_period: number;
  cumulative_value_of_payments_in_current_period: number;
}

/** Money is added in fils, so 0.1 + 0.2 stays 0.3. */
const fils = (amount: number) => Math.round(amount * 100);

export function consumptionOf(consent: ConsentRecord, payments: readonly AofPaymentRecord[], now: Date): Consumption {
  const { from, to } = periodOf(consent.control_parameters.period_type, new Date(consent.start_date_time), now);
  let count = 0;
  let value = 0;
  let periodCount = 0;
  let periodValue = 0;
  for (const payment of payments) {
    if (payment.status === 'FAILED') continue;
    count++;
    value += fils(payment.amount.amount);
    const at = new Date(payment.created_at).getTime();
    if (at >= from.getTime() && at < to.getTime()) {
      periodCount++;
      periodValue += fils(payment.amount.amount);
    }
  }
  return {
    cumulative_number_of_payments: count,
    cumulative_value_of_payments: value / 100,
    cumulative_number_of_payments_in_current_period: periodCount,
    cumulative_value_of_payments_in_current_period: periodValue / 100,
  };
}

export interface LimitBreach {
  limit: string;
  allowed: number;
  wouldBe: number;
  isAmount: boolean;
}

/** The first limit a payment of `amount` would break, or null. */
export function breachOf(consent: ConsentRecord, used: Consumption, amount: number): LimitBreach | null {
  const p = consent.control_parameters;
  const checks: [string, number | null, number, boolean][] = [
    ['max_individual_amount', p.max_individual_amount, amount, true],
    ['max_cumulative_amount', p.max_cumulative_amount, (fils(used.cumulative_value_of_payments) + fils(amount)) / 100, true],
    ['max_cumulative_number_of_payments', p.max_cumulative_number_of_payments, used.cumulative_number_of_payments + 1, false],
    ['max_cumulative_amount_per_period', p.max_cumulative_amount_per_period, (fils(used.cumulative_value_of_payments_in_current_period) + fils(amount)) / 100, true],
    ['max_cumulative_number_of_payments_per_period', p.max_cumulative_number_of_payments_per_period, used.cumulative_number_of_payments_in_current_period + 1, false],
  ];
  for (const [limit, allowed, wouldBe, isAmount] of checks) {
    if (allowed !== null && (isAmount ? fils(wouldBe) > fils(allowed) : wouldBe > allowed)) return { limit, allowed, wouldBe, isAmount };
  }
  return null;
}

/** Whether a lifetime limit is used up, so the consent is CONSUMED (Lean: "automatically marked"). */
export function lifetimeReached(consent: ConsentRecord, used: Consumption): boolean {
  const p = consent.control_parameters;
  return (
    (p.max_cumulative_amount !== null && fils(used.cumulative_value_of_payments) >= fils(p.max_cumulative_amount)) ||
    (p.max_cumulative_number_of_payments !== null && used.cumulative_number_of_payments >= p.max_cumulative_number_of_payments)
  );
}

/** What remains of each limit (null: no such limit), and when the current period ends. */
export function remainingOf(consent: ConsentRecord, used: Consumption, now: Date) {
  const p = consent.control_parameters;
  const left = (limit: number | null, usedSoFar: number, money: boolean) =>
    limit === null ? null : money ? Math.max(0, fils(limit) - fils(usedSoFar)) / 100 : Math.max(0, limit - usedSoFar);
  return {
    max_individual_amount: p.max_individual_amount,
    cumulative_amount: left(p.max_cumulative_amount, used.cumulative_value_of_payments, true),
    cumulative_number_of_payments: left(p.max_cumulative_number_of_payments, used.cumulative_number_of_payments, false),
    amount_in_current_period: left(p.max_cumulative_amount_per_period, used.cumulative_value_of_payments_in_current_period, true),
    number_of_payments_in_current_period: left(p.max_cumulative_number_of_payments_per_period, used.cumulative_number_of_payments_in_current_period, false),
    current_period_end: periodOf(p.period_type, new Date(consent.start_date_time), now).to.toISOString(),
  };
}
