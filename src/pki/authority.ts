import { randomBytes, webcrypto } from 'node:crypto';
import { isIP } from 'node:net';
import * as x509 from '@peculiar/x509';
import {
  exportPrivateKeyPem,
  generateKeyPair,
  importKeyPair,
  signingAlgorithm,
  type CryptoKey,
  type CryptoKeyPair,
  type KeyType,
} from './keys.js';
import { describeCertificate, type IssuedCertificate } from './describe.js';
import { joinPem } from './pem.js';
import { normalizeSerial, serialIntegerHex } from './serial.js';

// Re-exported so the public API keeps naming them here.
export { describeCertificate, type IssuedCertificate };

const DAY_MS = 24 * 60 * 60 * 1000;
/** Certificates start a day early so that a client whose clock lags a little still accepts them. */
const BACKDATE_MS = DAY_MS;

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
  keyPair?: CryptoKeyPair;
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
  keyPair?: CryptoKeyPair;
}

/** A certificate authority that signs: a root, or an intermediate under a root. */
export class CertificateAuthority {
  private constructor(
    readonly keyType: KeyType,
    readonly certificate: x509.X509Certificate,
    readonly keys: CryptoKeyPair,
    readonly certificatePem: string,
    readonly privateKeyPem: string,
    /** The authority that signed this one; undefined for a root. */
    readonly parent: CertificateAuthority | undefined,
  ) {}

  /** A self-signed root CA. */
  static async createRoot(options: AuthorityOptions = {}): Promise<CertificateAuthority> {
    const keyType = options.keyType ?? 'ec';
    const keys = options.keyPair ?? (await generateKeyPair(keyType));
    const now = options.now ?? new Date();
    const name = distinguishedName(options.commonName ?? 'lean-mock Root CA', options.organization);
    const certificate = await selfSign(keyType, name, keys, {
      notBefore: new Date(now.getTime() - BACKDATE_MS),
      notAfter: new Date(now.getTime() + (options.validityDays ?? 3650) * DAY_MS),
      extensions: await caExtensions(keys.publicKey, keys.publicKey, undefined),
    });
    return CertificateAuthority.from(keyType, certificate, keys, undefined);
  }

  /** Rebuilds an authority from the PEM files a PKI folder holds, so it can sign again (e.g. new CRLs). */
  static async load(
    certificatePem: string,
    privateKeyPem: string,
    keyType: KeyType,
    parent?: CertificateAuthority,
  ): Promise<CertificateAuthority> {
    const keys = await importKeyPair(privateKeyPem, keyType);
    const certificate = new x509.X509Certificate(certificatePem);
    return new CertificateAuthority(keyType, certificate, keys, certificatePem, privateKeyPem, parent);
  }

  private static async from(
    keyType: KeyType,
    certificate: x509.X509Certificate,
    keys: CryptoKeyPair,
    parent: CertificateAuthority | undefined,
  ): Promise<CertificateAuthority> {
    const privateKeyPem = await exportPrivateKeyPem(keys.privateKey);
    return new CertificateAuthority(keyType, certificate, keys, toPem(certificate), privateKeyPem, parent);
  }

  get subject(): string {
    return this.certificate.subject;
  }

  /** This authority's certificate and its parents', nearest first, root last. */
  get chainPems(): string[] {
    return this.parent ? [this.certificatePem, ...this.parent.chainPems] : [this.certificatePem];
  }

  /** An intermediate CA signed by this one (path length 0: it issues leaves only). */
  async createIntermediate(options: AuthorityOptions = {}): Promise<CertificateAuthority> {
    const keys = options.keyPair ?? (await generateKeyPair(this.keyType));
    const now = options.now ?? new Date();
    const certificate = await signCertificate({
      keyType: this.keyType,
      subjectName: distinguishedName(options.commonName ?? 'lean-mock Issuing CA', options.organization),
      subjectKeys: keys,
      issuerName: this.subject,
      issuerKeys: this.keys,
      notBefore: new Date(now.getTime() - BACKDATE_MS),
      notAfter: new Date(now.getTime() + (options.validityDays ?? 3650) * DAY_MS),
      extensions: await caExtensions(keys.publicKey, this.keys.publicKey, 0),
    });
    return CertificateAuthority.from(this.keyType, certificate, keys, this);
  }

  /** A leaf certificate: a client certificate unless `purpose: 'server'`. */
  async issue(request: LeafRequest): Promise<IssuedCertificate> {
    const keys = request.keyPair ?? (await generateKeyPair(this.keyType));
    const now = request.now ?? new Date();
    const certificate = await signCertificate({
      keyType: this.keyType,
      subjectName: distinguishedName(request.commonName, request.organization, request.organizationalUnit),
      subjectKeys: keys,
      issuerName: this.subject,
      issuerKeys: this.keys,
      notBefore: request.notBefore ?? new Date(now.getTime() - BACKDATE_MS),
      notAfter: request.notAfter ?? new Date(now.getTime() + 365 * DAY_MS),
      extensions: await leafExtensions(this.keyType, keys.publicKey, this.keys.publicKey, request),
      serialNumber: request.serialNumber === undefined ? undefined : serialIntegerHex(normalizeSerial(request.serialNumber)),
      signatureHash: request.signatureHash,
    });
    return describeIssued(certificate, await exportPrivateKeyPem(keys.privateKey));
  }
}

/** A self-signed end-entity certificate: a leaf that vouches for itself (the `self_signed` variant). */
export async function issueSelfSignedLeaf(
  keyType: KeyType,
  request: LeafRequest & { notBefore: Date; notAfter: Date },
): Promise<IssuedCertificate> {
  const keys = request.keyPair ?? (await generateKeyPair(keyType));
  const name = distinguishedName(request.commonName, request.organization, request.organizationalUnit);
  const certificate = await selfSign(keyType, name, keys, {
    notBefore: request.notBefore,
    notAfter: request.notAfter,
    extensions: await leafExtensions(keyType, keys.publicKey, keys.publicKey, request),
  });
  return describeIssued(certificate, await exportPrivateKeyPem(keys.privateKey));
}

/** PEM with the trailing newline @peculiar/x509 leaves out. */
function toPem(certificate: x509.X509Certificate): string {
  return joinPem([certificate.toString('pem')]);
}

function describeIssued(certificate: x509.X509Certificate, privateKeyPem: string): IssuedCertificate {
  const certificatePem = toPem(certificate);
  return { certificatePem, privateKeyPem, ...describeCertificate(certificatePem) };
}

function distinguishedName(commonName: string, organization = 'lean-mock (test only)', unit?: string): string {
  const escape = (value: string): string => value.replace(/([,+"\\<>;=])/g, '\\$1');
  const parts = [`CN=${escape(commonName)}`];
  if (unit) parts.push(`OU=${escape(unit)}`);
  parts.push(`O=${escape(organization)}`, 'C=AE');
  return parts.join(', ');
}

/** A positive 128-bit serial whose first byte is never zero, so every tool prints it the same way. */
function randomSerial(): string {
  const bytes = randomBytes(16);
  bytes[0] = ((bytes[0] ?? 1) & 0x7f) | 0x01;
  return bytes.toString('hex').toUpperCase();
}

interface SignRequest {
  keyType: KeyType;
  subjectName: string;
  subjectKeys: CryptoKeyPair;
  issuerName: string;
  issuerKeys: CryptoKeyPair;
  notBefore: Date;
  notAfter: Date;
  extensions: x509.Extension[];
  /** INTEGER contents as hex (see `serialIntegerHex`); default random. */
  serialNumber?: string;
  signatureHash?: 'SHA-1' | 'SHA-256';
}

async function signCertificate(request: SignRequest): Promise<x509.X509Certificate> {
  return x509.X509CertificateGenerator.create({
    serialNumber: request.serialNumber ?? randomSerial(),
    subject: request.subjectName,
    issuer: request.issuerName,
    notBefore: request.notBefore,
    notAfter: request.notAfter,
    publicKey: request.subjectKeys.publicKey,
    signingKey: await signingKeyFor(request),
    signingAlgorithm: request.signatureHash
      ? { ...signingAlgorithm(request.keyType), hash: request.signatureHash }
      : signingAlgorithm(request.keyType),
    extensions: request.extensions,
  });
}

/** The issuer's key, re-imported for another hash where WebCrypto binds the hash to an RSA key. */
async function signingKeyFor(request: SignRequest): Promise<CryptoKey> {
  const key = request.issuerKeys.privateKey;
  if (!request.signatureHash || request.keyType !== 'rsa') return key;
  const der = await webcrypto.subtle.exportKey('pkcs8', key);
  return webcrypto.subtle.importKey('pkcs8', der, { name: 'RSASSA-PKCS1-v1_5', hash: request.signatureHash }, false, ['sign']);
}

function selfSign(
  keyType: KeyType,
  name: string,
  keys: CryptoKeyPair,
  rest: Pick<SignRequest, 'notBefore' | 'notAfter' | 'extensions'>,
): Promise<x509.X509Certificate> {
  return signCertificate({ keyType, subjectName: name, subjectKeys: keys, issuerName: name, issuerKeys: keys, ...rest });
}

async function caExtensions(
  subjectKey: CryptoKey,
  issuerKey: CryptoKey,
  pathLength: number | undefined,
): Promise<x509.Extension[]> {
  return [
    new x509.BasicConstraintsExtension(true, pathLength, true),
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
    await x509.SubjectKeyIdentifierExtension.create(subjectKey),
    await x509.AuthorityKeyIdentifierExtension.create(issuerKey),
  ];
}

async function leafExtensions(
  keyType: KeyType,
  subjectKey: CryptoKey,
  issuerKey: CryptoKey,
  request: LeafRequest,
): Promise<x509.Extension[]> {
  // RSA key exchange (TLS 1.2 non-ECDHE suites) needs keyEncipherment; ECDSA keys only sign.
  const usages =
    keyType === 'rsa'
      ? x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment
      : x509.KeyUsageFlags.digitalSignature;
  const purpose = request.purpose === 'server' ? x509.ExtendedKeyUsage.serverAuth : x509.ExtendedKeyUsage.clientAuth;
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(false, undefined, true),
    new x509.KeyUsagesExtension(usages, true),
    new x509.ExtendedKeyUsageExtension([purpose]),
    await x509.SubjectKeyIdentifierExtension.create(subjectKey),
    await x509.AuthorityKeyIdentifierExtension.create(issuerKey),
  ];
  if (request.hosts?.length) {
    extensions.push(
      new x509.SubjectAlternativeNameExtension(
        request.hosts.map((host) => (isIP(host) ? { type: 'ip', value: host } : { type: 'dns', value: host })),
      ),
    );
  }
  return extensions;
}

/** A root and one intermediate under it: the smallest Lean-like hierarchy. */
export interface TestAuthority {
  readonly root: CertificateAuthority;
  readonly intermediate: CertificateAuthority;
  /** Intermediate + root, as PEM: the bundle clients trust (Lean's `lean_public_cert_chain.pem`). */
  readonly chainPem: string;
  /** A server certificate for these DNS names and IP addresses, issued by the intermediate. */
  issueServerCertificate(hosts: readonly string[], request?: Partial<LeafRequest>): Promise<IssuedCertificate>;
  /** A client certificate (EKU clientAuth), issued by the intermediate. */
  issueClientCertificate(commonName: string, request?: Partial<LeafRequest>): Promise<IssuedCertificate>;
}

/**
 * A root + intermediate test CA, in the spirit of trustme: one call, then issue what you need.
 *
 * @example
 * const ca = await createTestAuthority();
 * const server = await ca.issueServerCertificate(['localhost', '127.0.0.1']);
 * const client = await ca.issueClientCertificate('my-app');
 * https.createServer({ key: server.privateKeyPem, cert: server.certificatePem, ca: ca.chainPem, requestCert: true });
 */
export async function createTestAuthority(options: AuthorityOptions = {}): Promise<TestAuthority> {
  const root = await CertificateAuthority.createRoot(options);
  const intermediate = await root.createIntermediate({ now: options.now, commonName: 'lean-mock Issuing CA' });
  return {
    root,
    intermediate,
    chainPem: joinPem(intermediate.chainPems),
    issueServerCertificate: (hosts, request = {}) =>
      intermediate.issue({ commonName: hosts[0] ?? 'localhost', ...request, hosts, purpose: 'server' }),
    issueClientCertificate: (commonName, request = {}) =>
      intermediate.issue({ ...request, commonName, purpose: 'client' }),
  };
}
