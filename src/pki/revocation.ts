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

/**
 * The revocation state of one CA at run time: starts from the CRL it published, and re-signs a
 * fresh CRL each time a certificate is revoked (the CA key is in the PKI, as in any test PKI).
 */
export class RevocationList {
  private readonly revoked = new Map<string, Date>();

  private constructor(
    private readonly authority: CertificateAuthority,
    private readonly initial: ReadonlyMap<string, Date>,
    private readonly nextUpdate: Date,
    private readonly initialPem: string,
  ) {
    this.current = initialPem;
    this.reset();
  }

  private current: string;
  /** Signings started, and the newest whose CRL is `current`: see {@link revoke}. */
  private started = 0;
  private applied = 0;
  /** The newest signing: a serial already revoked resolves only once a CRL lists it. */
  private latest: Promise<string> | null = null;

  /** Reads the entries and dates of `crlPem`, which `authority` signed. */
  static fromCrl(authority: CertificateAuthority, crlPem: string): RevocationList {
    const crl = new x509.X509Crl(crlPem.replace(/X509 CRL/g, 'CRL'));
    const entries = new Map(crl.entries.map((entry) => [entry.serialNumber.toUpperCase(), entry.revocationDate]));
    const nextUpdate = crl.nextUpdate ?? new Date(Date.now() + 365 * 86_400_000);
    return new RevocationList(authority, entries, nextUpdate, crlPem);
  }

  /** The current CRL, as PEM. */
  get pem(): string {
    return this.current;
  }

  isRevoked(serialNumber: string): boolean {
    return this.revoked.has(serialNumber.toUpperCase());
  }

  serials(): string[] {
    return [...this.revoked.keys()];
  }

  /**
   * Adds `serialNumber` and signs a new CRL; resolves with a CRL that lists it. Revoking twice
   * changes nothing. Signings run concurrently and may finish out of order: each lists every
   * serial revoked when it started, so only a newer one may replace the current CRL, and a slow
   * older one never drops a serial a newer one added.
   */
  async revoke(serialNumber: string, at: Date): Promise<string> {
    const serial = serialNumber.toUpperCase();
    if (this.revoked.has(serial)) return this.latest ?? this.current;
    this.revoked.set(serial, at);
    const generation = ++this.started;
    const signing = issueCrl(this.authority, {
      thisUpdate: at,
      nextUpdate: this.nextUpdate,
      revoked: [...this.revoked].map(([entry, revokedAt]) => ({ serialNumber: entry, revokedAt })),
    }).then((pem) => {
      if (generation > this.applied) {
        this.applied = generation;
        this.current = pem;
      }
      return this.current;
    });
    this.latest = signing;
    return signing;
  }

  /** Back to the CRL the PKI was built with. */
  reset(): void {
    // Signings still running belong to the state before the reset: none may land after it.
    this.applied = this.started;
    this.latest = null;
    this.current = this.initialPem;
    this.revoked.clear();
    for (const [serial, at] of this.initial) this.revoked.set(serial, at);
  }
}
