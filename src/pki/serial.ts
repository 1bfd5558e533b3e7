/**
 * Certificate serial numbers as the revocation code compares them. Users copy serials from many
 * tools (`openssl x509 -serial`, `-text` with colons, Node's `serialNumber`, `0x…` literals), and
 * two spellings of one number must be one serial: otherwise a duplicate signs a second CRL entry
 * (`0` then `00` made every later CRL unsignable) or a revocation silently misses.
 */

/** More hex digits than any real serial (RFC 5280 allows 20 octets, 40 digits); also the input bound. */
export const MAX_SERIAL_DIGITS = 64;

/** The CAs of a Lean PKI that publish a CRL, as the admin API and `revoke()` name them. */
export const REVOCATION_ISSUERS = ['root', 'intermediate', 'partner_intermediate'] as const;
export type RevocationIssuer = (typeof REVOCATION_ISSUERS)[number];

/**
 * A revocation refused before anything changed: `field` is the input at fault, `kind` says
 * whether it is malformed or names no certificate of the PKI (the admin API answers 400 or 404).
 */
export class RevocationRefusal extends Error {
  constructor(
    readonly field: 'serial' | 'issuer',
    readonly kind: 'invalid' | 'unknown',
    readonly input: unknown,
    message: string,
  ) {
    super(message);
    this.name = 'RevocationRefusal';
  }
}

/** A serial that cannot be a non-negative hex INTEGER; the message names what is wrong with it. */
export class InvalidSerialError extends RevocationRefusal {
  constructor(input: unknown, reason: string) {
    super('serial', 'invalid', input, `invalid serial number: ${reason}`);
    this.name = 'InvalidSerialError';
  }
}

/**
 * The canonical spelling: upper-case hex of the number's bytes, even length, no leading zero
 * bytes (`0A`, `80AB`; zero is `00`) — Node's `serialNumber` for every positive serial. Accepts
 * any case, leading zeros, an optional `0x` prefix and `:` between digit pairs; throws
 * {@link InvalidSerialError} for anything else (empty, non-hex, over {@link MAX_SERIAL_DIGITS}).
 */
export function normalizeSerial(input: unknown): string {
  if (typeof input !== 'string') throw new InvalidSerialError(input, 'it must be a string of hex digits');
  let digits = input;
  if (digits.length > MAX_SERIAL_DIGITS * 2) throw new InvalidSerialError(input, `over ${MAX_SERIAL_DIGITS} hex digits`);
  if (/^0x/i.test(digits)) digits = digits.slice(2);
  if (/^[0-9a-f]{2}(:[0-9a-f]{2})+$/i.test(digits)) digits = digits.replace(/:/g, '');
  if (digits === '') throw new InvalidSerialError(input, 'it is empty');
  if (!/^[0-9a-f]+$/i.test(digits)) throw new InvalidSerialError(input, 'only hex digits (0-9, a-f) are allowed');
  if (digits.length > MAX_SERIAL_DIGITS) throw new InvalidSerialError(input, `over ${MAX_SERIAL_DIGITS} hex digits`);
  const significant = digits.replace(/^0+/, '').toUpperCase();
  return significant.length % 2 === 1 ? `0${significant}` : significant || '00';
}

/**
 * The DER INTEGER contents for a canonical serial: a zero byte in front when the first byte has
 * its high bit set, or the number would be read as negative (@peculiar/x509 writes hex verbatim).
 */
export function serialIntegerHex(serial: string): string {
  return /^[89A-F]/i.test(serial) ? `00${serial}` : serial;
}
