import { isValidIban } from '../bank-data/iban.js';

/**
 * The IBAN check verifications run before looking anything up: the shape, the country's length
 * (ISO 13616 registry) and the mod-97 check digits. It answers why an IBAN is refused instead of
 * throwing, so each route words the refusal as its own field.
 */

const LENGTHS: Readonly<Record<string, number>> = {
  AE: 23, SA: 24, BH: 22, KW: 30, QA: 29, OM: 23, JO: 30, EG: 29, LB: 28, PK: 24, GB: 22, DE: 22,
  FR: 27, NL: 18, ES: 24, IT: 27, CH: 21, IE: 22, BE: 16, TR: 26, BR: 29, PL: 28,
};

export type IbanCheck = { ok: true; iban: string } | { ok: false; reason: string };

/** Spaces are allowed and letters may be lower case; the IBAN comes back compact and upper-case. */
export function checkIban(raw: string, country?: string): IbanCheck {
  const iban = raw.replace(/\s+/g, '').toUpperCase();
  if (!/^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$/.test(iban)) return { ok: false, reason: 'not an IBAN' };
  const prefix = iban.slice(0, 2);
  if (country !== undefined && prefix !== country) return { ok: false, reason: `an IBAN of ${prefix}, not of ${country}` };
  const length = LENGTHS[prefix];
  if (length !== undefined && iban.length !== length) return { ok: false, reason: `${prefix} IBANs have ${length} characters` };
  if (!isValidIban(iban)) return { ok: false, reason: 'check digits do not match' };
  return { ok: true, iban };
}
