/**
 * A minimal DER writer: the handful of universal types a certificate or a CRL is made of, each
 * written in its one canonical (DER) form. The reader is der.ts; the templates that use these are
 * der-issue.ts.
 */

export function tlv(tag: number, ...contents: readonly Uint8Array[]): Buffer {
  const content = contents.length === 1 ? contents[0]! : Buffer.concat(contents);
  const length = content.length;
  let header: Buffer;
  if (length < 0x80) header = Buffer.from([tag, length]);
  else if (length < 0x100) header = Buffer.from([tag, 0x81, length]);
  else if (length < 0x10000) header = Buffer.from([tag, 0x82, length >> 8, length & 0xff]);
  else header = Buffer.from([tag, 0x83, length >> 16, (length >> 8) & 0xff, length & 0xff]);
  return Buffer.concat([header, content]);
}

export const sequence = (...items: readonly Uint8Array[]): Buffer => tlv(0x30, ...items);
export const set = (...items: readonly Uint8Array[]): Buffer => tlv(0x31, ...items);
export const octetString = (bytes: Uint8Array): Buffer => tlv(0x04, bytes);
export const booleanTrue = (): Buffer => Buffer.from([0x01, 0x01, 0xff]);
export const derNull = (): Buffer => Buffer.from([0x05, 0x00]);
/** `[n] EXPLICIT`, constructed, context-specific. */
export const explicit = (n: number, inner: Uint8Array): Buffer => tlv(0xa0 | n, inner);
/** `[n] IMPLICIT` of a primitive value (GeneralName's dNSName, iPAddress, keyIdentifier). */
export const implicitPrimitive = (n: number, content: Uint8Array): Buffer => tlv(0x80 | n, content);
export const printableString = (text: string): Buffer => tlv(0x13, Buffer.from(text, 'latin1'));
export const utf8String = (text: string): Buffer => tlv(0x0c, Buffer.from(text, 'utf8'));
export const enumerated = (value: number): Buffer => tlv(0x0a, Buffer.from([value]));

/** A non-negative INTEGER from its big-endian magnitude: leading zeros dropped, a sign byte added when needed. */
export function unsignedInteger(magnitude: Uint8Array): Buffer {
  let first = 0;
  while (first < magnitude.length - 1 && magnitude[first] === 0) first++;
  const bytes = Buffer.from(magnitude.subarray(first));
  return tlv(0x02, bytes.length === 0 ? Buffer.from([0]) : bytes[0]! > 0x7f ? Buffer.concat([Buffer.from([0]), bytes]) : bytes);
}

export const smallInteger = (value: number): Buffer => unsignedInteger(Buffer.from([value]));

/** A BIT STRING of whole bytes (a key, a signature): no unused bits. */
export const bitString = (bytes: Uint8Array): Buffer => tlv(0x03, Buffer.from([0]), bytes);

/** A BIT STRING of named bits (bit 0 first, as KeyUsage numbers them), trailing zero bits dropped. */
export function namedBits(bits: readonly number[]): Buffer {
  const highest = Math.max(...bits);
  const bytes = Buffer.alloc(Math.floor(highest / 8) + 1);
  for (const bit of bits) bytes[bit >> 3]! |= 0x80 >> (bit & 7);
  return tlv(0x03, Buffer.from([7 - (highest & 7)]), bytes);
}

const oidCache = new Map<string, Buffer>();

export function oid(dotted: string): Buffer {
  let encoded = oidCache.get(dotted);
  if (!encoded) {
    const arcs = dotted.split('.').map(Number);
    const body: number[] = [];
    const values = [arcs[0]! * 40 + arcs[1]!, ...arcs.slice(2)];
    for (const value of values) {
      const septets = [value & 0x7f];
      for (let rest = Math.floor(value / 128); rest > 0; rest = Math.floor(rest / 128)) septets.unshift((rest & 0x7f) | 0x80);
      body.push(...septets);
    }
    encoded = tlv(0x06, Buffer.from(body));
    oidCache.set(dotted, encoded);
  }
  return encoded;
}

/**
 * RFC 5280's Time: UTCTime through 2049, GeneralizedTime from 2050, whole seconds (the
 * milliseconds dropped, as the X.509 library that issued these before does).
 */
export function time(date: Date): Buffer {
  const iso = date.toISOString(); // YYYY-MM-DDTHH:MM:SS.sssZ
  const digits = `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`;
  return date.getUTCFullYear() > 2049 ? tlv(0x18, Buffer.from(digits, 'latin1')) : tlv(0x17, Buffer.from(digits.slice(2), 'latin1'));
}
