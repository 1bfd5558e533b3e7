/**
 * Insights add up amounts in integer minor units (fils, halalas), so a total is exactly the sum
 * of what it totals; the router turns them into Lean's decimal amounts only when it renders.
 */

/** An amount in minor units of some currency; `scale` is the currency's number of decimals. */
export class Minor {
  constructor(
    readonly units: number,
    readonly scale: number,
  ) {}

  /** The decimal amount Lean shows (one division, so no drift from repeated float additions). */
  toDecimal(): number {
    return this.units / 10 ** this.scale;
  }
}

/** ISO 4217 currencies with other than two decimals that the region's banks could hold. */
const SCALES: Record<string, number> = { BHD: 3, KWD: 3, OMR: 3, JOD: 3, IQD: 3, LYD: 3, TND: 3, JPY: 0, KRW: 0 };

export function scaleOf(currency: string): number {
  return SCALES[currency] ?? 2;
}

/** A transaction amount (a decimal as the data API serves it) in minor units. */
export function toUnits(amount: number, scale: number): number {
  return Math.round(amount * 10 ** scale);
}

/** What insights are made of: JSON values whose amounts are still minor units. */
export type InsightValue = Minor | string | number | boolean | null | readonly InsightValue[] | { readonly [key: string]: InsightValue };
export type InsightObject = { readonly [key: string]: InsightValue };

/** `{currency, amount}` as Lean nests it. */
export function money(currency: string, units: number, scale: number): InsightObject {
  return { currency, amount: new Minor(units, scale) };
}

/** Two decimals, for ratios and per-month counts. */
export function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

/** The mean in whole minor units (0 for no values). */
export function meanUnits(values: readonly number[]): number {
  return values.length === 0 ? 0 : Math.round(values.reduce((a, b) => a + b, 0) / values.length);
}

/** Population standard deviation (0 for fewer than two values). */
export function stddev(values: readonly number[]): number {
  if (values.length < 2) return 0;
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  return Math.sqrt(values.reduce((sum, v) => sum + (v - mean) ** 2, 0) / values.length);
}

export function ratio(a: number, b: number): number {
  return b === 0 ? 0 : round2(a / b);
}
