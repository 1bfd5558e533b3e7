import { bitsOf, children, DerError, oidOf, single, TAG, type Tlv } from './der.js';

/**
 * What a certificate's DER really says, read without trusting Node's printed forms: Node prints
 * a month-13 date as `Bad time value` and the year 0001 as `1` (which `Date` reads as 2001), and
 * shows neither key usage bits nor criticality. Reading never throws: whatever cannot be read is
 * a {@link CertificateFault}, the same faults OpenSSL refuses a certificate for.
 */
export interface CertificateFacts {
  /** Null when the field is not a valid RFC 5280 time (OpenSSL refuses those). */
  readonly notBefore: Date | null;
  readonly notAfter: Date | null;
  /** Basic constraints CA:TRUE. */
  readonly ca: boolean;
  /** Key usage names (`digitalSignature`, `keyCertSign`, …); null when the extension is absent. */
  readonly keyUsage: readonly KeyUsageName[] | null;
  /** Extended key usage OIDs; null when the extension is absent. */
  readonly extendedKeyUsage: readonly string[] | null;
  /** Why OpenSSL refuses this certificate for its own content; empty when nothing is wrong with it. */
  readonly faults: readonly CertificateFault[];
}

export type CertificateFault =
  | { readonly kind: 'unreadable'; readonly detail: string }
  | { readonly kind: 'bad_time'; readonly field: 'notBefore' | 'notAfter'; readonly text: string }
  | { readonly kind: 'unknown_critical_extension'; readonly oid: string }
  | { readonly kind: 'malformed_extension'; readonly oid: string; readonly detail: string }
  | { readonly kind: 'duplicate_extension'; readonly oid: string };

export const KEY_USAGE_NAMES = [
  'digitalSignature',
  'nonRepudiation',
  'keyEncipherment',
  'dataEncipherment',
  'keyAgreement',
  'keyCertSign',
  'cRLSign',
  'encipherOnly',
  'decipherOnly',
] as const;
export type KeyUsageName = (typeof KEY_USAGE_NAMES)[number];

export const OID = {
  basicConstraints: '2.5.29.19',
  keyUsage: '2.5.29.15',
  extendedKeyUsage: '2.5.29.37',
  subjectAltName: '2.5.29.17',
  subjectKeyIdentifier: '2.5.29.14',
  authorityKeyIdentifier: '2.5.29.35',
  clientAuth: '1.3.6.1.5.5.7.3.2',
  serverAuth: '1.3.6.1.5.5.7.3.1',
  anyExtendedKeyUsage: '2.5.29.37.0',
} as const;

/**
 * The extensions OpenSSL 3.0 understands when critical (`X509_supported_extension`); any other
 * critical one makes it refuse the certificate (UNHANDLED_CRITICAL_EXTENSION). Key identifiers
 * are not on the list: a critical SKI or AKI is refused too.
 */
const OPENSSL_CRITICAL_SUPPORTED = new Set([
  '2.16.840.1.113730.1.1', // Netscape certificate type
  OID.keyUsage,
  OID.subjectAltName,
  OID.basicConstraints,
  '2.5.29.32', // certificate policies
  '2.5.29.31', // CRL distribution points
  OID.extendedKeyUsage,
  '1.3.6.1.5.5.7.1.7', // IP address blocks (RFC 3779)
  '1.3.6.1.5.5.7.1.8', // AS identifiers (RFC 3779)
  '1.3.6.1.5.5.7.48.1.5', // OCSP no check
  '2.5.29.36', // policy constraints
  '1.3.6.1.5.5.7.1.14', // proxy certificate information
  '2.5.29.30', // name constraints
  '2.5.29.33', // policy mappings
  '2.5.29.54', // inhibit any policy
]);

/** Extensions OpenSSL decodes while caching a certificate's flags: a malformed one makes the certificate invalid. */
const DECODED: Record<string, (value: Uint8Array) => void> = {
  [OID.basicConstraints]: (value) => void readBasicConstraints(value),
  [OID.keyUsage]: (value) => void readKeyUsage(value),
  [OID.extendedKeyUsage]: (value) => void readExtendedKeyUsage(value),
  [OID.subjectAltName]: (value) => void children(single(value, TAG.SEQUENCE).content),
  [OID.subjectKeyIdentifier]: (value) => void single(value, TAG.OCTET_STRING),
  [OID.authorityKeyIdentifier]: (value) => {
    for (const field of children(single(value, TAG.SEQUENCE).content)) {
      if (field.tag !== 0x80 && field.tag !== 0xa1 && field.tag !== 0x82) throw new DerError(`unexpected field tag ${field.tag}`);
    }
  },
  '2.16.840.1.113730.1.1': (value) => void bitsOf(single(value, TAG.BIT_STRING).content),
  '2.5.29.31': (value) => void children(single(value, TAG.SEQUENCE).content),
  '2.5.29.30': (value) => void children(single(value, TAG.SEQUENCE).content),
};

/** Reads the facts of a DER certificate; never throws. */
export function certificateFacts(der: Uint8Array): CertificateFacts {
  const empty = { notBefore: null, notAfter: null, ca: false, keyUsage: null, extendedKeyUsage: null };
  let tbs: Tlv[];
  try {
    const certificate = children(single(der, TAG.SEQUENCE).content);
    tbs = children(single(certificate[0]?.whole ?? new Uint8Array(), TAG.SEQUENCE).content);
  } catch (error) {
    return { ...empty, faults: [{ kind: 'unreadable', detail: messageOf(error) }] };
  }
  // The version is optional ([0]); validity is the fourth field after it.
  const fields = tbs[0]?.tag === 0xa0 ? tbs.slice(1) : tbs;
  const faults: CertificateFault[] = [];
  const validity = readValidity(fields[3], faults);
  const extensions = fields.find((field) => field.tag === 0xa3);
  const read = extensions ? readExtensions(extensions, faults) : { ca: false, keyUsage: null, extendedKeyUsage: null };
  return { ...validity, ...read, faults };
}

function readValidity(field: Tlv | undefined, faults: CertificateFault[]): { notBefore: Date | null; notAfter: Date | null } {
  let times: Tlv[] = [];
  try {
    if (field?.tag === TAG.SEQUENCE) times = children(field.content);
  } catch {
    times = [];
  }
  const read = (which: 'notBefore' | 'notAfter', time: Tlv | undefined): Date | null => {
    const date = time ? parseCertificateTime(time.tag, time.content) : null;
    if (!date) faults.push({ kind: 'bad_time', field: which, text: time ? printable(time.content) : '(missing)' });
    return date;
  };
  return { notBefore: read('notBefore', times[0]), notAfter: read('notAfter', times[1]) };
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * A validity time exactly as RFC 5280 and OpenSSL's `X509_cmp_time` require: UTCTime
 * `YYMMDDHHMMSSZ` (YY < 50 is 20YY) or GeneralizedTime `YYYYMMDDHHMMSSZ`, real calendar values.
 * Fractions, offsets, a lower-case `z` or missing seconds are refused, as OpenSSL refuses them.
 */
export function parseCertificateTime(tag: number, content: Uint8Array): Date | null {
  if (content.length > 15) return null;
  const text = String.fromCharCode(...content);
  const match = tag === TAG.UTC_TIME ? /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(text) : tag === TAG.GENERALIZED_TIME ? /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(text) : null;
  if (!match) return null;
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number) as [number, number, number, number, number, number];
  const fullYear = tag === TAG.UTC_TIME ? (year < 50 ? 2000 + year : 1900 + year) : year;
  const leap = fullYear % 4 === 0 && (fullYear % 100 !== 0 || fullYear % 400 === 0);
  if (month < 1 || month > 12 || day < 1 || day > DAYS_IN_MONTH[month - 1]! + (month === 2 && leap ? 1 : 0)) return null;
  if (hour > 23 || minute > 59 || second > 59) return null;
  // Not Date.UTC(year, …): it reads years 0–99 as 1900–1999.
  const date = new Date(0);
  date.setUTCFullYear(fullYear, month - 1, day);
  date.setUTCHours(hour, minute, second, 0);
  return date;
}

function readExtensions(field: Tlv, faults: CertificateFault[]): Pick<CertificateFacts, 'ca' | 'keyUsage' | 'extendedKeyUsage'> {
  const out: { ca: boolean; keyUsage: KeyUsageName[] | null; extendedKeyUsage: string[] | null } = { ca: false, keyUsage: null, extendedKeyUsage: null };
  let list: Tlv[];
  try {
    list = children(single(field.content, TAG.SEQUENCE).content);
  } catch (error) {
    faults.push({ kind: 'malformed_extension', oid: '(extensions)', detail: messageOf(error) });
    return out;
  }
  const seen = new Set<string>();
  for (const extension of list) {
    let oid = '(unreadable)';
    try {
      const parts = extension.tag === TAG.SEQUENCE ? children(extension.content) : [];
      const [id, second, third] = parts;
      if (!id || id.tag !== TAG.OID) throw new DerError('no extension OID');
      oid = oidOf(id.content);
      const critical = second?.tag === TAG.BOOLEAN ? second.content.length === 1 && second.content[0] !== 0 : false;
      const value = second?.tag === TAG.BOOLEAN ? third : second;
      if (!value || value.tag !== TAG.OCTET_STRING || parts.length > (second?.tag === TAG.BOOLEAN ? 3 : 2)) throw new DerError('bad extension structure');
      if (seen.has(oid)) faults.push({ kind: 'duplicate_extension', oid });
      seen.add(oid);
      if (critical && !OPENSSL_CRITICAL_SUPPORTED.has(oid)) faults.push({ kind: 'unknown_critical_extension', oid });
      DECODED[oid]?.(value.content);
      if (oid === OID.basicConstraints) out.ca = readBasicConstraints(value.content);
      if (oid === OID.keyUsage) out.keyUsage = readKeyUsage(value.content);
      if (oid === OID.extendedKeyUsage) out.extendedKeyUsage = readExtendedKeyUsage(value.content);
    } catch (error) {
      faults.push({ kind: 'malformed_extension', oid, detail: messageOf(error) });
    }
  }
  return out;
}

function readBasicConstraints(value: Uint8Array): boolean {
  const fields = children(single(value, TAG.SEQUENCE).content);
  const flag = fields[0]?.tag === TAG.BOOLEAN ? fields.shift() : undefined;
  const [pathLength, extra] = fields;
  if (extra) throw new DerError('trailing basic constraints field');
  if (pathLength && (pathLength.tag !== TAG.INTEGER || pathLength.content.length === 0 || (pathLength.content[0]! & 0x80) !== 0)) {
    throw new DerError('bad pathLenConstraint');
  }
  if (flag && flag.content.length !== 1) throw new DerError('bad cA flag');
  return flag !== undefined && flag.content[0] !== 0;
}

function readKeyUsage(value: Uint8Array): KeyUsageName[] {
  const bits = bitsOf(single(value, TAG.BIT_STRING).content);
  return KEY_USAGE_NAMES.filter((_, index) => bits[index] === true);
}

function readExtendedKeyUsage(value: Uint8Array): string[] {
  const purposes = children(single(value, TAG.SEQUENCE).content);
  if (purposes.length === 0) throw new DerError('empty extended key usage');
  return purposes.map((purpose) => {
    if (purpose.tag !== TAG.OID) throw new DerError('extended key usage holds a non-OID');
    return oidOf(purpose.content);
  });
}

/** What to do about a certificate refused for its own content. */
export const INVALID_CERTIFICATE_FIX =
  'Use the certificate Lean issued, unmodified (my_app_cert.crt): a certificate with an impossible date, a malformed extension or a critical extension servers do not know is refused by every TLS server.';

/** One fault in words, as the journal, the inspector and the doctor say it. */
export function describeFault(fault: CertificateFault): string {
  switch (fault.kind) {
    case 'unreadable':
      return `the certificate cannot be read as DER (${fault.detail})`;
    case 'bad_time':
      return `its ${fault.field} is not a valid time (${fault.text}); RFC 5280 allows only YYMMDDHHMMSSZ or YYYYMMDDHHMMSSZ`;
    case 'unknown_critical_extension':
      return `it carries a critical extension the server does not understand (${fault.oid})`;
    case 'malformed_extension':
      return `its extension ${fault.oid} is malformed (${fault.detail})`;
    case 'duplicate_extension':
      return `it carries the extension ${fault.oid} twice`;
  }
}

/** A field's bytes as text a person can read, control characters escaped. */
function printable(content: Uint8Array): string {
  return Array.from(content.subarray(0, 64), (byte) => (byte >= 0x20 && byte < 0x7f ? String.fromCharCode(byte) : `\\x${byte.toString(16).padStart(2, '0')}`)).join('');
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
