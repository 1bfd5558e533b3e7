import { paymentErrors } from './errors.js';

/**
 * IBANs (ISO 13616): the mod-97 check, plus the national length where we know it, so a typo
 * in a destination is refused with Lean's INVALID_IBAN before any payment could go astray.
 */

/** National IBAN lengths of the countries Lean's customers most often pay into. */
const LENGTHS: Readonly<Record<string, number>> = {
  AE: 23, SA: 24, BH: 22, KW: 30, QA: 29, OM: 23, JO: 30, EG: 29, LB: 28, PK: 24,
  GB: 22, DE: 22, FR: 27, NL: 18, ES: 24, IT: 27, CH: 21, IE: 22, BE: 16, TR: 26,
};

/** Spaces removed, upper-cased: the form Lean stores and returns. */
export function normaliseIban(raw: string): string {
  return raw.replace(/\s+/g, '').toUpperCase();
}

/** The remainder of the IBAN's rearranged digits by 97; 1 for a valid IBAN. */
function mod97(rearranged: string): number {
  let remainder = 0;
  for (const char of rearranged) {
    const digits = /[A-Z]/.test(char) ? String(char.charCodeAt(0) - 55) : char;
    for (const digit of digits) remainder = (remainder * 10 + Number(digit)) % 97;
  }
  return remainder;
}

/** Throws INVALID_IBAN saying what is wrong; returns the normalised IBAN. */
export function validateIban(raw: string): string {
  const iban = normaliseIban(raw);
  if (!/^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$/.test(iban)) throw paymentErrors.invalidIban(raw, 'not an IBAN');
  const country = iban.slice(0, 2);
  const length = LENGTHS[country];
  if (length !== undefined && iban.length !== length) {
    throw paymentErrors.invalidIban(raw, `${country} IBANs have ${length} characters`);
  }
  if (country === 'AE' && !/^[0-9]+$/.test(iban.slice(4))) throw paymentErrors.invalidIban(raw, 'UAE IBANs are numeric');
  if (mod97(iban.slice(4) + iban.slice(0, 4)) !== 1) throw paymentErrors.invalidIban(raw, 'check digits do not match');
  return iban;
}

/** An IBAN with correct check digits for a country and its national part (BBAN). */
export function buildIban(country: string, bban: string): string {
  const check = 98 - mod97(`${bban}${country}00`);
  return `${country}${String(check).padStart(2, '0')}${bban}`;
}

/** The three-digit bank code of a UAE IBAN, or undefined for any other IBAN. */
export function uaeBankCode(iban: string): string | undefined {
  return iban.startsWith('AE') ? iban.slice(4, 7) : undefined;
}
