import { X509Certificate } from 'node:crypto';

/**
 * Facts about certificates read with Node's own parser, so that reading a PKI folder and serving
 * it never loads the X.509 library that issues certificates.
 */

/** A certificate with its private key, and the facts about it that tests and the journal compare. */
export interface IssuedCertificate {
  readonly certificatePem: string;
  /** PKCS#8 PEM. */
  readonly privateKeyPem: string;
  /** Upper-case hex, exactly as Node's `getPeerCertificate().serialNumber` reports it. */
  readonly serialNumber: string;
  /** `AA:BB:…`, exactly as Node's `getPeerCertificate().fingerprint256` reports it. */
  readonly fingerprint256: string;
  readonly subject: string;
  readonly issuer: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
}

/** Facts about a PEM certificate in the same form Node reports for a peer certificate. */
export function describeCertificate(certificatePem: string): Omit<IssuedCertificate, 'privateKeyPem' | 'certificatePem'> {
  const parsed = new X509Certificate(certificatePem);
  return {
    serialNumber: parsed.serialNumber.toUpperCase(),
    fingerprint256: parsed.fingerprint256,
    subject: parsed.subject.split('\n').join(', '),
    issuer: parsed.issuer.split('\n').join(', '),
    notBefore: new Date(parsed.validFrom),
    notAfter: new Date(parsed.validTo),
  };
}
