/**
 * A strict, minimal DER reader: just enough to read the fields of a certificate Node does not
 * expose (validity as written, key usage bits, extensions and their criticality). Every read is
 * bounds-checked and throws {@link DerError}, never reads past its input.
 */

export class DerError extends Error {
  override name = 'DerError';
}

/** One tag-length-value: `content` is a view into the input, `whole` includes the header. */
export interface Tlv {
  readonly tag: number;
  readonly content: Uint8Array;
  readonly whole: Uint8Array;
}

/** Reads the TLV at the start of `input`; `rest` is what follows it. */
export function readTlv(input: Uint8Array): { tlv: Tlv; rest: Uint8Array } {
  if (input.length < 2) throw new DerError('truncated header');
  const tag = input[0]!;
  // Multi-byte tags never occur in the certificate fields read here.
  if ((tag & 0x1f) === 0x1f) throw new DerError('high tag number');
  let length = input[1]!;
  let offset = 2;
  if (length & 0x80) {
    const octets = length & 0x7f;
    if (octets === 0 || octets > 4) throw new DerError('unsupported length');
    if (input.length < 2 + octets) throw new DerError('truncated length');
    length = 0;
    for (let i = 0; i < octets; i++) length = length * 256 + input[2 + i]!;
    offset = 2 + octets;
  }
  if (input.length - offset < length) throw new DerError('truncated content');
  return {
    tlv: { tag, content: input.subarray(offset, offset + length), whole: input.subarray(0, offset + length) },
    rest: input.subarray(offset + length),
  };
}

/** Every TLV inside a constructed value's content. */
export function children(content: Uint8Array): Tlv[] {
  const out: Tlv[] = [];
  for (let rest = content; rest.length > 0; ) {
    const next = readTlv(rest);
    out.push(next.tlv);
    rest = next.rest;
  }
  return out;
}

/** The one TLV `input` holds, with nothing after it; of tag `tag` when given. */
export function single(input: Uint8Array, tag?: number): Tlv {
  const { tlv, rest } = readTlv(input);
  if (rest.length > 0) throw new DerError('trailing bytes');
  if (tag !== undefined && tlv.tag !== tag) throw new DerError(`expected tag ${tag}, found ${tlv.tag}`);
  return tlv;
}

export const TAG = {
  BOOLEAN: 0x01,
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  OID: 0x06,
  UTC_TIME: 0x17,
  GENERALIZED_TIME: 0x18,
  SEQUENCE: 0x30,
} as const;

/** Dotted form of an OBJECT IDENTIFIER's content. */
export function oidOf(content: Uint8Array): string {
  if (content.length === 0) throw new DerError('empty OID');
  const arcs: number[] = [];
  let value = 0;
  for (let i = 0; i < content.length; i++) {
    const byte = content[i]!;
    if (value === 0 && byte === 0x80) throw new DerError('non-minimal OID arc');
    value = value * 128 + (byte & 0x7f);
    if (value > Number.MAX_SAFE_INTEGER / 128) throw new DerError('OID arc too large');
    if ((byte & 0x80) === 0) {
      if (arcs.length === 0) arcs.push(value < 80 ? Math.floor(value / 40) : 2, value < 80 ? value % 40 : value - 80);
      else arcs.push(value);
      value = 0;
    } else if (i === content.length - 1) {
      throw new DerError('truncated OID');
    }
  }
  return arcs.join('.');
}

/** Bits of a BIT STRING, bit 0 first (the order KeyUsage names them). */
export function bitsOf(content: Uint8Array): boolean[] {
  if (content.length === 0) throw new DerError('empty BIT STRING');
  const unused = content[0]!;
  if (unused > 7 || (content.length === 1 && unused !== 0)) throw new DerError('bad BIT STRING padding');
  const bits: boolean[] = [];
  for (let i = 1; i < content.length; i++) {
    for (let bit = 7; bit >= 0; bit--) bits.push((content[i]! & (1 << bit)) !== 0);
  }
  return bits.slice(0, bits.length - unused);
}
