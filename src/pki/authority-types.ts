import type { webcrypto } from 'node:crypto';
import type { IssuedCertificate } from './describe.js';
import type { KeyType } from './key-types.js';

/**
 * The authority's options and results as the public API names them: kept apart from authority.ts
 * so a consumer's compiler never reads @peculiar/x509's declarations.
 */

/** What a leaf certificate is for: its extended key usages. */
export type LeafPurpose = 'client' | 'server';

export interface LeafRequest {
  commonName: string;
  organization?: string;
  organizationalUnit?: string;
  /** Extended key usage: `client` (clientAuth, the default) or `server` (serverAuth). */
  purpose?: LeafPurpose;
  /** Subject alternative names: DNS names and IPv4/IPv6 addresses. */
  hosts?: readonly string[];
  /** The moment validity is counted from (default: the clock). */
  now?: Date;
  /** Default: `now` minus a day. */
  notBefore?: Date;
  /** Default: a year after `now`. */
  notAfter?: Date;
  /** Reuse a key pair instead of generating one (RSA key generation dominates PKI build time). */
  keyPair?: webcrypto.CryptoKeyPair;
  /**
   * Hex serial (any spelling `normalizeSerial` reads), e.g. one whose first byte has the high bit
   * set. Default: a random positive 128-bit serial.
   */
  serialNumber?: string;
  /** Hash the issuer signs with (default SHA-256); SHA-1 only for the `sha1_signature` server variant. */
  signatureHash?: 'SHA-1' | 'SHA-256';
}

export interface AuthorityOptions {
  keyType?: KeyType;
  commonName?: string;
  organization?: string;
  /** The moment the PKI is built at; every validity period is relative to it. */
  now?: Date;
  /** Validity of the CA certificate from `now`, in days (default 3650). */
  validityDays?: number;
  /** Use this key pair instead of generating one (lets a caller generate all keys in parallel). */
  keyPair?: webcrypto.CryptoKeyPair;
}

/** A CA certificate and its key, as PEM. */
export interface AuthorityCertificate {
  readonly keyType: KeyType;
  readonly certificatePem: string;
  readonly privateKeyPem: string;
  readonly subject: string;
  /** This CA's certificate and its parents', nearest first, root last. */
  readonly chainPems: string[];
}

export interface TestAuthority {
  readonly root: AuthorityCertificate;
  readonly intermediate: AuthorityCertificate;
  /** Intermediate + root, as PEM: the bundle clients trust (Lean's `lean_public_cert_chain.pem`). */
  readonly chainPem: string;
  /** A server certificate for these DNS names and IP addresses, issued by the intermediate. */
  issueServerCertificate(hosts: readonly string[], request?: Partial<LeafRequest>): Promise<IssuedCertificate>;
  /** A client certificate (EKU clientAuth), issued by the intermediate. */
  issueClientCertificate(commonName: string, request?: Partial<LeafRequest>): Promise<IssuedCertificate>;
}
