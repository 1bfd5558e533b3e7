import { KeyObject } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import type { CertificateAuthority } from './authority.js';
import { signed, tbsCertList } from './der-issue.js';
import { pemBlock } from './pem.js';
import { normalizeSerial, serialIntegerHex } from './serial.js';

export interface RevokedEntry {
  /** Hex serial of the revoked certificate, in any spelling {@link normalizeSerial} reads. */
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
  return issueCrlSync(authority, options);
}

/**
 * {@link issueCrl}, written by der-issue.ts and signed with Node's synchronous `sign`: the same
 * TBSCertList @peculiar/x509's generator wrote (test/pki/der-issue.test.ts), the issuer named by
 * the bytes of the authority's own subject.
 */
export function issueCrlSync(authority: CertificateAuthority, options: CrlOptions): string {
  const tbs = tbsCertList({
    keyType: authority.keyType,
    issuer: authority.subjectName,
    thisUpdate: options.thisUpdate,
    nextUpdate: options.nextUpdate,
    // Written as a positive INTEGER even when its first byte has the high bit set.
    revoked: [...canonical(options.revoked ?? [])].map(([serial, revokedAt]) => ({ serialHex: serialIntegerHex(serial), revokedAt })),
    authorityKeyId: authority.keyIdentifier,
  });
  return pemBlock('X509 CRL', signed(authority.keyType, tbs, KeyObject.from(authority.keys.privateKey)));
}

/** One entry per serial, however it is spelled: a CRL listing a serial twice cannot be signed. */
function canonical(entries: readonly RevokedEntry[]): Map<string, Date> {
  const bySerial = new Map<string, Date>();
  for (const entry of entries) {
    const serial = normalizeSerial(entry.serialNumber);
    if (!bySerial.has(serial)) bySerial.set(serial, entry.revokedAt);
  }
  return bySerial;
}

/**
 * The revocation state of one CA at run time: starts from the CRL it published, and re-signs a
 * fresh CRL each time a certificate is revoked (the CA key is in the PKI, as in any test PKI).
 * A serial counts as revoked only once a signed CRL lists it, so a signing that fails leaves the
 * list exactly as it was.
 */
export class RevocationList {
  private revoked: ReadonlyMap<string, Date>;
  private current: string;
  /** Signings run one after another, each from the last committed list: none can drop another's serial. */
  private queue: Promise<unknown> = Promise.resolve();
  /** Revocations asked for and not yet signed: asking again waits for the same CRL. */
  private readonly pending = new Map<string, Promise<string>>();
  /** Bumped by {@link reset}: a signing queued before it never lands after it. */
  private epoch = 0;

  private constructor(
    private readonly authority: CertificateAuthority,
    private readonly initial: ReadonlyMap<string, Date>,
    private readonly nextUpdate: Date,
    private readonly initialPem: string,
  ) {
    this.revoked = initial;
    this.current = initialPem;
  }

  /** Reads the entries and dates of `crlPem`, which `authority` signed. */
  static fromCrl(authority: CertificateAuthority, crlPem: string): RevocationList {
    const crl = new x509.X509Crl(crlPem.replace(/X509 CRL/g, 'CRL'));
    const entries = new Map(crl.entries.map((entry) => [normalizeSerial(entry.serialNumber), entry.revocationDate]));
    const nextUpdate = crl.nextUpdate ?? new Date(Date.now() + 365 * 86_400_000);
    return new RevocationList(authority, entries, nextUpdate, crlPem);
  }

  /** The current CRL, as PEM. */
  get pem(): string {
    return this.current;
  }

  /** Throws {@link InvalidSerialError} for a serial that is not hex. */
  isRevoked(serialNumber: string): boolean {
    return this.revoked.has(normalizeSerial(serialNumber));
  }

  /** Canonical serials (see {@link normalizeSerial}) that the current CRL lists. */
  serials(): string[] {
    return [...this.revoked.keys()];
  }

  /**
   * Signs a CRL that adds `serialNumber` and resolves with it. Any spelling of a serial already
   * listed or being signed resolves with the CRL that lists it. Throws {@link InvalidSerialError}
   * before changing anything; a failed signing rejects and leaves the list as it was.
   */
  revoke(serialNumber: string, at: Date): Promise<string> {
    const serial = normalizeSerial(serialNumber);
    if (this.revoked.has(serial)) return Promise.resolve(this.current);
    const waiting = this.pending.get(serial);
    if (waiting) return waiting;
    const epoch = this.epoch;
    const signing = this.queue.then(async () => {
      if (epoch !== this.epoch) return this.current;
      const next = new Map(this.revoked).set(serial, at);
      const pem = await issueCrl(this.authority, {
        thisUpdate: at,
        nextUpdate: this.nextUpdate,
        revoked: [...next].map(([entry, revokedAt]) => ({ serialNumber: entry, revokedAt })),
      });
      if (epoch === this.epoch) {
        this.revoked = next;
        this.current = pem;
      }
      return this.current;
    });
    const settled = signing.finally(() => {
      if (this.pending.get(serial) === settled) this.pending.delete(serial);
    });
    this.pending.set(serial, settled);
    this.queue = settled.catch(() => undefined);
    return settled;
  }

  /** Back to the CRL the PKI was built with. */
  reset(): void {
    this.epoch += 1;
    this.pending.clear();
    this.revoked = this.initial;
    this.current = this.initialPem;
  }
}
