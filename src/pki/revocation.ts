import * as x509 from '@peculiar/x509';
import type { CertificateAuthority } from './authority.js';
import { signingAlgorithm } from './keys.js';
import { pemBlock } from './pem.js';

export interface RevokedEntry {
  /** Hex serial of the revoked certificate (any case). */
  serialNumber: string;
  revokedAt: Date;
}

export interface CrlOptions {
  revoked?: readonly RevokedEntry[];
  thisUpdate: Date;
  /** OpenSSL fails every client once a loaded CRL is past nextUpdate: keep it well in the future. */
  nextUpdate: Date;
}

/**
 * A CRL signed by `authority`, as PEM labelled `X509 CRL` (the label OpenSSL and Node expect;
 * @peculiar/x509 writes `CRL`). Node's `crl` option checks the whole chain, so every CA in a chain
 * needs one, even if it revokes nothing.
 */
export async function issueCrl(authority: CertificateAuthority, options: CrlOptions): Promise<string> {
  const crl = await x509.X509CrlGenerator.create({
    issuer: authority.subject,
    thisUpdate: options.thisUpdate,
    nextUpdate: options.nextUpdate,
    signingAlgorithm: signingAlgorithm(authority.keyType),
    signingKey: authority.keys.privateKey,
    extensions: [await x509.AuthorityKeyIdentifierExtension.create(authority.keys.publicKey)],
    entries: (options.revoked ?? []).map((entry) => ({
      serialNumber: entry.serialNumber.toLowerCase(),
      revocationDate: entry.revokedAt,
      reason: x509.X509CrlReason.keyCompromise,
    })),
  });
  return pemBlock('X509 CRL', new Uint8Array(crl.rawData));
}
