import { certificateFacts, describeFault, INVALID_CERTIFICATE_FIX } from '../../pki/certificate-facts.js';
import type { ClientMaterial } from '../load/client.js';
import { finding, variantFailure } from '../report.js';
import type { Finding } from '../types.js';
import { formatDate, relativeTo } from '../words.js';
import { noCertificate } from './skipped.js';

/** Certificates expiring sooner than this get a warning: time to renew in the Lean portal. */
export const EXPIRY_WARNING_DAYS = 30;
const DAY_MS = 86_400_000;

/** `validity`: the certificate's notBefore/notAfter against `now`. */
export function checkValidity(material: ClientMaterial, now: Date): Finding {
  const leaf = material.leaf;
  if (!leaf) return noCertificate('validity', material);
  // From the DER, not Node's printed dates: those read month 13 as an exception and year 0001 as 2001.
  const facts = certificateFacts(new Uint8Array(leaf.raw));
  const { notBefore, notAfter } = facts;
  if (!notBefore || !notAfter) {
    const bad = facts.faults.filter((fault) => fault.kind === 'bad_time' || fault.kind === 'unreadable').map(describeFault);
    return finding('validity', 'fail', `${bad.join('; ') || 'its validity cannot be read'}: every TLS server refuses it (lean-mock journals invalid_certificate)`, {
      fix: INVALID_CERTIFICATE_FIX,
    });
  }
  if (notAfter.getTime() < now.getTime()) {
    return variantFailure('validity', 'expired', `certificate expired on ${formatDate(notAfter)}, ${relativeTo(notAfter, now)} (valid from ${formatDate(notBefore)})`);
  }
  if (notBefore.getTime() > now.getTime()) {
    return variantFailure(
      'validity',
      'not_yet_valid',
      `certificate is not valid yet: valid from ${formatDate(notBefore)} (${relativeTo(notBefore, now)}) until ${formatDate(notAfter)}`,
    );
  }
  const range = `valid from ${formatDate(notBefore)} until ${formatDate(notAfter)}`;
  if (notAfter.getTime() - now.getTime() < EXPIRY_WARNING_DAYS * DAY_MS) {
    return finding('validity', 'warn', `certificate expires soon: ${range} (${relativeTo(notAfter, now)})`, {
      fix: 'Generate a new certificate in the Lean portal before it expires, and deploy it alongside the old one.',
    });
  }
  return finding('validity', 'pass', `${range} (expires ${relativeTo(notAfter, now)})`);
}
