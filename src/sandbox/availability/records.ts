/**
 * A bank's availability as Lean states it on each bank (`banks.yml`, BankAvailability): `active`
 * is Lean's own switch (a bank Lean took offline for stability, maintenance or regulation), the
 * same for every app; `enabled` is the app's dashboard switch, one per app. Each has one flag for
 * the data API and one for payments.
 */

export const AVAILABILITY_COLLECTION = 'bank_availability';

export const PRODUCTS = ['payments', 'data'] as const;
export type Product = (typeof PRODUCTS)[number];

export const SCOPES = ['active', 'enabled'] as const;
export type Scope = (typeof SCOPES)[number];

/** Key order as in Lean's KSA webhook samples and bank objects: payments, then data. */
export interface ProductSwitches {
  payments: boolean;
  data: boolean;
}

export interface Availability {
  active: ProductSwitches;
  enabled: ProductSwitches;
}

/** What the store keeps per app and bank: the availability that app sees now. */
export interface BankAvailabilityRecord {
  identifier: string;
  availability: Availability;
}

/** A bank as the catalogue states it before any toggle (from `fixtures/banks.json`). */
export interface BankDefault {
  identifier: string;
  availability: Availability;
}

/** Which flags to set; an absent one keeps its value. */
export type AvailabilityChange = { [S in Scope]?: Partial<ProductSwitches> };

export function copyAvailability(availability: Availability): Availability {
  return {
    active: { payments: availability.active.payments, data: availability.active.data },
    enabled: { payments: availability.enabled.payments, data: availability.enabled.data },
  };
}

export function sameAvailability(a: Availability, b: Availability): boolean {
  return SCOPES.every((scope) => PRODUCTS.every((product) => a[scope][product] === b[scope][product]));
}
