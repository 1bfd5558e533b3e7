import { LeanError } from '../../app/errors.js';
import { REGIONS, type Region } from '../bank-data/regions.js';

/**
 * Which of Lean's regions have payments, read from the region records: a currency, a country or
 * an IBAN of a region without them (KSA) is refused with one Lean-shaped error naming the field,
 * before anything is stored. Lean documents no status for this; see the README's choices.
 */

const withPayments = REGIONS.filter((region) => region.payments !== null);
const withoutPayments = REGIONS.filter((region) => region.payments === null);

/** The currencies an intent may be in, with Lean's amount limits in each. */
export const PAYMENT_LIMITS: Readonly<Record<string, { min: number; max: number }>> = Object.fromEntries(
  withPayments.map((region) => [region.currency, region.payments!.limits]),
);

const regionsWithPayments = () => withPayments.map((region) => region.name).join(', ');

function refusal(field: string, value: string, region: Region): LeanError {
  return new LeanError(
    'INVALID_PARAMETERS',
    400,
    `Lean's payments are available in ${regionsWithPayments()} only, not in ${region.name}, field: ${field}, value: ${value}.`,
  );
}

/** Throws for a currency of a region without payments (SAR). */
export function refuseCurrencyWithoutPayments(field: string, currency: string | undefined): void {
  const region = withoutPayments.find((candidate) => candidate.currency === currency?.toUpperCase());
  if (region && currency !== undefined) throw refusal(field, currency, region);
}

/** Throws for a country (ISO alpha-3 or alpha-2) of a region without payments (SAU). */
export function refuseCountryWithoutPayments(field: string, country: string | undefined): void {
  const code = country?.toUpperCase();
  const region = withoutPayments.find((candidate) => candidate.countryCode === code || candidate.country === code);
  if (region && country !== undefined) throw refusal(field, country, region);
}

/** Throws for a (normalised) IBAN of a region without payments (SA…). */
export function refuseIbanWithoutPayments(iban: string | undefined): void {
  const region = withoutPayments.find((candidate) => iban?.startsWith(candidate.country));
  if (region && iban !== undefined) throw refusal('iban', iban, region);
}
