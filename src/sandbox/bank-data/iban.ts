/**
 * IBANs with real check digits (ISO 13616, checked with the ISO 7064 MOD 97-10 rule), so a
 * client that validates IBANs accepts the sandbox's accounts and beneficiaries.
 */

/** Letters become two digits (A=10 … Z=35), as the IBAN check requires. */
function numeric(text: string): string {
  let out = '';
  for (const ch of text.toUpperCase()) out += ch >= 'A' && ch <= 'Z' ? String(ch.charCodeAt(0) - 55) : ch;
  return out;
}

/** The remainder of a long decimal string by 97, digit by digit (it does not fit a number). */
function mod97(digits: string): number {
  let remainder = 0;
  for (const ch of digits) remainder = (remainder * 10 + (ch.charCodeAt(0) - 48)) % 97;
  return remainder;
}

/** The IBAN of a BBAN in a country, e.g. `iban('AE', '0331234567890123456')` → `AE070331234567890123456`. */
export function iban(country: string, bban: string): string {
  const check = 98 - mod97(numeric(`${bban}${country}00`));
  return `${country}${String(check).padStart(2, '0')}${bban}`;
}

/** Whether the check digits of an IBAN are right (spaces allowed, case-insensitive). */
export function isValidIban(value: string): boolean {
  const compact = value.replace(/ /g, '').toUpperCase();
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{1,30}$/.test(compact)) return false;
  return mod97(numeric(compact.slice(4) + compact.slice(0, 4))) === 1;
}
