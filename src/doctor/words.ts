import type { KeyObject, X509Certificate } from 'node:crypto';

/** How the doctor writes facts: names, dates, durations and keys, the same way in every message. */

// Durations are worded by src/wording.ts, shared with the inspector so both say the same.
export { plural, relativeTo } from '../wording.js';


/** `CN=…, OU=…, O=…, C=…` from Node's one-attribute-per-line form. */
export function distinguishedName(name: string): string {
  return name.split('\n').filter(Boolean).join(', ');
}

/** The shortest name a person recognises: `CN=…` if there is one, else the whole name. */
export function shortName(name: string): string {
  const cn = name.split('\n').find((part) => part.startsWith('CN='));
  return cn ?? distinguishedName(name);
}

export function subjectOf(certificate: X509Certificate): string {
  return distinguishedName(certificate.subject);
}

/** `2026-10-23 14:02 UTC` */
export function formatDate(date: Date): string {
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

const CURVES: Record<string, string> = { prime256v1: 'P-256', secp384r1: 'P-384', secp521r1: 'P-521' };

/** `EC P-256`, `RSA 2048 bits`, `Ed25519`. */
export function describeKey(key: KeyObject): string {
  const details = key.asymmetricKeyDetails ?? {};
  switch (key.asymmetricKeyType) {
    case 'ec':
      return `EC ${CURVES[details.namedCurve ?? ''] ?? details.namedCurve ?? '(unknown curve)'}`;
    case 'rsa':
    case 'rsa-pss':
      return `${key.asymmetricKeyType.toUpperCase()} ${details.modulusLength ?? '?'} bits`;
    case 'dsa':
      return `DSA ${details.modulusLength ?? '?'} bits`;
    default:
      return key.asymmetricKeyType === 'ed25519' ? 'Ed25519' : (key.asymmetricKeyType ?? 'unknown key type');
  }
}

/** The named curves every TLS stack accepts for client certificates. */
export function standardCurve(key: KeyObject): string | undefined {
  return CURVES[key.asymmetricKeyDetails?.namedCurve ?? ''];
}
