import { createHash, KeyObject, sign } from 'node:crypto';
import { isIP } from 'node:net';
import { children, single, TAG } from './der.js';
import {
  bitString,
  booleanTrue,
  derNull,
  enumerated,
  explicit,
  implicitPrimitive,
  namedBits,
  octetString,
  oid,
  printableString,
  sequence,
  set,
  smallInteger,
  time,
  unsignedInteger,
  utf8String,
} from './der-writer.js';
import type { LeafRequest } from './authority-types.js';
import type { KeyType } from './key-types.js';

/**
 * Certificates and CRLs written straight to DER and signed with Node's synchronous `sign`: the
 * same TBSCertificate and TBSCertList bytes @peculiar/x509 writes for the PKI's own certificates
 * (test/pki/der-issue.test.ts compares them byte for byte, and RSA certificates whole), at a
 * fraction of its cost — its ASN.1 schema machinery was most of building a PKI.
 */

/** One attribute of a distinguished name, in the order written: CN, OU, O, C. */
export interface NameParts {
  readonly commonName: string;
  readonly organizationalUnit?: string;
  readonly organization: string;
  readonly country: string;
}

const NAME_OIDS = { commonName: '2.5.4.3', organizationalUnit: '2.5.4.11', organization: '2.5.4.10', country: '2.5.4.6' } as const;
/** X.520 PrintableString's alphabet: what @peculiar/x509 writes as one, anything else as UTF8String. */
const PRINTABLE = /^[A-Za-z0-9 '()+,\-./:=?]*$/;

/**
 * Whether `value` comes out of a string DN the way it went in: @peculiar/x509 parses names from
 * strings (quotes, `#` hex, escapes), so only plain values are written here and the rest keep to
 * the library.
 */
export function isPlainNameValue(value: string): boolean {
  return /^[A-Za-z0-9 '()\-./:?_@!*&%$~^|{}[\]`]*$/.test(value) && !value.startsWith(' ') && !value.endsWith(' ') && value.length > 0;
}

export function encodeName(parts: NameParts): Buffer {
  const rdn = (type: keyof typeof NAME_OIDS, value: string): Buffer =>
    set(sequence(oid(NAME_OIDS[type]), PRINTABLE.test(value) ? printableString(value) : utf8String(value)));
  const rdns = [rdn('commonName', parts.commonName)];
  if (parts.organizationalUnit) rdns.push(rdn('organizationalUnit', parts.organizationalUnit));
  rdns.push(rdn('organization', parts.organization), rdn('country', parts.country));
  return sequence(...rdns);
}

/** ecdsa-with-SHA256 (no parameters) or sha256WithRSAEncryption (NULL parameters). */
function signatureAlgorithm(keyType: KeyType): Buffer {
  return keyType === 'ec' ? sequence(oid('1.2.840.10045.4.3.2')) : sequence(oid('1.2.840.113549.1.1.11'), derNull());
}

/** The SubjectPublicKeyInfo DER of a public key. */
export function spkiOf(key: KeyObject): Buffer {
  return key.export({ type: 'spki', format: 'der' });
}

/** RFC 5280's key identifier (method 1): SHA-1 of the subjectPublicKey bits. */
export function keyIdentifier(spki: Buffer): Buffer {
  const [, subjectPublicKey] = children(single(spki, TAG.SEQUENCE).content);
  return createHash('sha1').update(subjectPublicKey!.content.subarray(1)).digest();
}

/** The subject Name of a certificate, as the bytes it holds: a certificate it issues names it so. */
export function subjectOf(certificateDer: Uint8Array): Buffer {
  const [tbs] = children(single(certificateDer, TAG.SEQUENCE).content);
  const fields = children(tbs!.content);
  // version [0], serial, signature, issuer, validity, subject
  return Buffer.from(fields[fields[0]!.tag === 0xa0 ? 5 : 4]!.whole);
}

const extension = (id: string, critical: boolean, value: Uint8Array): Buffer =>
  critical ? sequence(oid(id), booleanTrue(), octetString(value)) : sequence(oid(id), octetString(value));

export const EXTENSIONS = {
  basicConstraints: (ca: boolean, pathLength?: number): Buffer =>
    extension('2.5.29.19', true, ca ? sequence(booleanTrue(), ...(pathLength === undefined ? [] : [smallInteger(pathLength)])) : sequence()),
  /** Bit numbers as RFC 5280 names them: 0 digitalSignature, 2 keyEncipherment, 5 keyCertSign, 6 cRLSign. */
  keyUsage: (bits: readonly number[]): Buffer => extension('2.5.29.15', true, namedBits(bits)),
  extendedKeyUsage: (purposes: readonly string[]): Buffer => extension('2.5.29.37', false, sequence(...purposes.map(oid))),
  subjectKeyIdentifier: (id: Uint8Array): Buffer => extension('2.5.29.14', false, octetString(id)),
  authorityKeyIdentifier: (id: Uint8Array): Buffer => extension('2.5.29.35', false, sequence(implicitPrimitive(0, id))),
  subjectAltName: (hosts: readonly string[]): Buffer =>
    extension(
      '2.5.29.17',
      false,
      sequence(...hosts.map((host) => (isIP(host) ? implicitPrimitive(7, ipBytes(host)) : implicitPrimitive(2, Buffer.from(host, 'latin1'))))),
    ),
} as const;

export const PURPOSES = { serverAuth: '1.3.6.1.5.5.7.3.1', clientAuth: '1.3.6.1.5.5.7.3.2' } as const;

/** A CA's extensions, as authority.ts's library path (`caExtensions`) writes them. */
export function caExtensionsDer(subjectKeyId: Buffer, issuerKeyId: Buffer, pathLength: number | undefined): Buffer[] {
  return [
    EXTENSIONS.basicConstraints(true, pathLength),
    EXTENSIONS.keyUsage([5, 6]),
    EXTENSIONS.subjectKeyIdentifier(subjectKeyId),
    EXTENSIONS.authorityKeyIdentifier(issuerKeyId),
  ];
}

/** A leaf's extensions, as authority.ts's library path (`leafExtensionsFor`) writes them. */
export function leafExtensionsDer(keyType: KeyType, subjectKeyId: Buffer, issuerKeyId: Buffer, request: Pick<LeafRequest, 'purpose' | 'hosts'>): Buffer[] {
  const extensions = [
    EXTENSIONS.basicConstraints(false),
    EXTENSIONS.keyUsage(keyType === 'rsa' ? [0, 2] : [0]),
    EXTENSIONS.extendedKeyUsage([request.purpose === 'server' ? PURPOSES.serverAuth : PURPOSES.clientAuth]),
    EXTENSIONS.subjectKeyIdentifier(subjectKeyId),
    EXTENSIONS.authorityKeyIdentifier(issuerKeyId),
  ];
  if (request.hosts?.length) extensions.push(EXTENSIONS.subjectAltName(request.hosts));
  return extensions;
}

/**
 * A host written here: an IPv4 address, an IPv6 address in hex groups only, or an ASCII name.
 * An IPv6 address with a dotted IPv4 tail (`::ffff:192.0.2.1`) keeps to the library, which
 * writes it its own way.
 */
export function isPlainHost(host: string): boolean {
  const version = isIP(host);
  return version === 4 || (version === 6 && !host.includes('.')) || (version === 0 && /^[\x21-\x7e]+$/.test(host));
}

function ipBytes(address: string): Buffer {
  if (isIP(address) === 4) return Buffer.from(address.split('.').map(Number));
  const [head, tail] = address.split('::') as [string, string | undefined];
  const headGroups = head ? head.split(':') : [];
  const tailGroups = tail ? tail.split(':') : [];
  const groups = tail === undefined ? headGroups : [...headGroups, ...Array<string>(8 - headGroups.length - tailGroups.length).fill('0'), ...tailGroups];
  const bytes = Buffer.alloc(16);
  groups.forEach((group, index) => bytes.writeUInt16BE(parseInt(group, 16), index * 2));
  return bytes;
}

export interface CertificateTemplate {
  readonly keyType: KeyType;
  /** The serial's magnitude as hex (any length; leading zeros dropped, a sign byte added). */
  readonly serialHex: string;
  readonly issuer: Buffer;
  readonly subject: Buffer;
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly subjectPublicKeyInfo: Buffer;
  readonly extensions: readonly Buffer[];
}

export function tbsCertificate(template: CertificateTemplate): Buffer {
  return sequence(
    explicit(0, smallInteger(2)),
    unsignedInteger(Buffer.from(template.serialHex, 'hex')),
    signatureAlgorithm(template.keyType),
    template.issuer,
    sequence(time(template.notBefore), time(template.notAfter)),
    template.subject,
    template.subjectPublicKeyInfo,
    explicit(3, sequence(...template.extensions)),
  );
}

export interface CrlTemplate {
  readonly keyType: KeyType;
  readonly issuer: Buffer;
  readonly thisUpdate: Date;
  readonly nextUpdate: Date;
  /** Serial magnitude (hex) and revocation date, each listed with reason keyCompromise. */
  readonly revoked: readonly { readonly serialHex: string; readonly revokedAt: Date }[];
  readonly authorityKeyId: Uint8Array;
}

const KEY_COMPROMISE = 1;

export function tbsCertList(template: CrlTemplate): Buffer {
  const entries = template.revoked.map((entry) =>
    sequence(
      unsignedInteger(Buffer.from(entry.serialHex, 'hex')),
      time(entry.revokedAt),
      sequence(extension('2.5.29.21', false, enumerated(KEY_COMPROMISE))),
    ),
  );
  return sequence(
    smallInteger(1),
    signatureAlgorithm(template.keyType),
    template.issuer,
    time(template.thisUpdate),
    time(template.nextUpdate),
    ...(entries.length ? [sequence(...entries)] : []),
    explicit(0, sequence(EXTENSIONS.authorityKeyIdentifier(template.authorityKeyId))),
  );
}

/** `SEQUENCE { tbs, signatureAlgorithm, signature }`: a Certificate or a CertificateList. */
export function signed(keyType: KeyType, tbs: Buffer, privateKey: KeyObject): Buffer {
  const signature = sign('sha256', tbs, { key: privateKey, dsaEncoding: 'der' });
  return sequence(tbs, signatureAlgorithm(keyType), bitString(signature));
}
