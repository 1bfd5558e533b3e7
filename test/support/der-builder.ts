import { sign, X509Certificate, type KeyObject } from 'node:crypto';
import { children, single, TAG } from '../../src/pki/der.js';

/**
 * A hand-rolled DER writer for certificates no honest library would issue: every field of the
 * TBSCertificate is raw bytes the caller chooses (a month-13 date, a critical extension nobody
 * knows, a negative serial), and the result is signed with a real key so that the server's
 * OpenSSL parses it and judges it like any other certificate.
 */

export function tlv(tag: number, ...contents: Uint8Array[]): Buffer {
  const content = Buffer.concat(contents);
  const length = content.length;
  let header: number[];
  if (length < 0x80) header = [tag, length];
  else {
    const octets: number[] = [];
    for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) octets.unshift(rest & 0xff);
    header = [tag, 0x80 | octets.length, ...octets];
  }
  return Buffer.concat([Buffer.from(header), content]);
}

export const seq = (...items: Uint8Array[]): Buffer => tlv(TAG.SEQUENCE, ...items);
export const set = (...items: Uint8Array[]): Buffer => tlv(0x31, ...items);
export const octets = (bytes: Uint8Array): Buffer => tlv(TAG.OCTET_STRING, bytes);
export const bool = (value: boolean): Buffer => tlv(TAG.BOOLEAN, Buffer.from([value ? 0xff : 0]));
export const nul = (): Buffer => Buffer.from([0x05, 0x00]);
export const explicit = (n: number, inner: Uint8Array): Buffer => tlv(0xa0 | n, inner);
export const utf8 = (text: string): Buffer => tlv(0x0c, Buffer.from(text, 'utf8'));
export const utcTime = (text: string): Buffer => tlv(TAG.UTC_TIME, Buffer.from(text, 'latin1'));
export const generalizedTime = (text: string): Buffer => tlv(TAG.GENERALIZED_TIME, Buffer.from(text, 'latin1'));

/** INTEGER from raw two's-complement content bytes (zero, negative, huge: whatever the caller wants). */
export const integerBytes = (content: Uint8Array): Buffer => tlv(TAG.INTEGER, content);

/** A positive INTEGER, minimally encoded. */
export function integer(value: bigint): Buffer {
  let hex = value.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  let bytes = Buffer.from(hex, 'hex');
  if (bytes[0]! & 0x80) bytes = Buffer.concat([Buffer.from([0]), bytes]);
  return integerBytes(bytes);
}

export function oid(dotted: string): Buffer {
  const arcs = dotted.split('.').map(Number);
  const body: number[] = [];
  const push = (value: number): void => {
    const groups = [value & 0x7f];
    for (let rest = Math.floor(value / 128); rest > 0; rest = Math.floor(rest / 128)) groups.unshift((rest & 0x7f) | 0x80);
    body.push(...groups);
  };
  push(arcs[0]! * 40 + arcs[1]!);
  for (const arc of arcs.slice(2)) push(arc);
  return tlv(TAG.OID, Buffer.from(body));
}

export function bitString(bits: readonly number[]): Buffer {
  const length = bits.length ? Math.max(...bits) + 1 : 0;
  const bytes = Buffer.alloc(Math.ceil(length / 8));
  for (const bit of bits) bytes[bit >> 3]! |= 0x80 >> (bit & 7);
  return tlv(TAG.BIT_STRING, Buffer.from([bytes.length * 8 - length]), bytes);
}

/** A Name of one RDN per attribute, each a UTF8String unless raw bytes are given. */
export function name(attributes: readonly (readonly [string, string | Uint8Array])[]): Buffer {
  return seq(...attributes.map(([type, value]) => set(seq(oid(ATTRIBUTE_OIDS[type] ?? type), typeof value === 'string' ? utf8(value) : value))));
}

const ATTRIBUTE_OIDS: Record<string, string> = { CN: '2.5.4.3', O: '2.5.4.10', OU: '2.5.4.11', C: '2.5.4.6', L: '2.5.4.7', ST: '2.5.4.8' };

export function extension(id: string, value: Uint8Array, critical = false): Buffer {
  return seq(oid(id), ...(critical ? [bool(true)] : []), octets(value));
}

export interface RawCertificate {
  serial: Buffer;
  issuer: Buffer;
  subject: Buffer;
  notBefore: Buffer;
  notAfter: Buffer;
  /** The subject's public key. */
  publicKey: KeyObject;
  extensions?: readonly Buffer[];
}

/** The certificate, DER and PEM, signed by `signer` (which need not belong to `issuer`: that is a test too). */
export function buildCertificate(fields: RawCertificate, signer: KeyObject): { der: Buffer; pem: string } {
  const algorithm = signatureAlgorithm(signer);
  const tbs = seq(
    explicit(0, integer(2n)),
    fields.serial,
    algorithm.identifier,
    fields.issuer,
    seq(fields.notBefore, fields.notAfter),
    fields.subject,
    fields.publicKey.export({ type: 'spki', format: 'der' }),
    ...(fields.extensions?.length ? [explicit(3, seq(...fields.extensions))] : []),
  );
  const signature = sign(algorithm.hash, tbs, signer);
  const der = seq(tbs, algorithm.identifier, tlv(TAG.BIT_STRING, Buffer.from([0]), signature));
  return { der, pem: `-----BEGIN CERTIFICATE-----\n${der.toString('base64').replace(/.{64}/g, '$&\n')}\n-----END CERTIFICATE-----\n`.replace('\n\n', '\n') };
}

function signatureAlgorithm(key: KeyObject): { identifier: Buffer; hash: string | null } {
  switch (key.asymmetricKeyType) {
    case 'rsa':
      return { identifier: seq(oid('1.2.840.113549.1.1.11'), nul()), hash: 'sha256' };
    case 'ec':
      return key.asymmetricKeyDetails?.namedCurve === 'secp384r1'
        ? { identifier: seq(oid('1.2.840.10045.4.3.3')), hash: 'sha384' }
        : { identifier: seq(oid('1.2.840.10045.4.3.2')), hash: 'sha256' };
    case 'ed25519':
      return { identifier: seq(oid('1.3.101.112')), hash: null };
    default:
      throw new Error(`no signature algorithm for ${key.asymmetricKeyType}`);
  }
}

/** The subject Name of a PEM certificate, byte for byte, to name it as an issuer. */
export function subjectNameOf(certificatePem: string): Buffer {
  const der = new X509Certificate(certificatePem).raw;
  const tbs = children(single(children(single(der, TAG.SEQUENCE).content)[0]!.whole, TAG.SEQUENCE).content);
  const fields = tbs[0]!.tag === 0xa0 ? tbs.slice(1) : tbs;
  return Buffer.from(fields[4]!.whole);
}


