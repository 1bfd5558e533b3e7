import { createHash, KeyObject, randomBytes, sign, webcrypto } from 'node:crypto';
import { isIP } from 'node:net';
import { AsnConvert } from '@peculiar/asn1-schema';
import * as asn1X509 from '@peculiar/asn1-x509';
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
import type { AuthorityOptions, LeafRequest, TestAuthority as PublicTestAuthority } from './authority-types.js';
import { joinPem, pemBlock, pemBody } from './pem.js';
import {
  caExtensionsDer,
  encodeName,
  isPlainHost,
  isPlainNameValue,
  keyIdentifier,
  leafExtensionsDer,
  signed,
  spkiOf,
  subjectOf,
  tbsCertificate,
  type NameParts,
} from './der-issue.js';
import { normalizeSerial, serialIntegerHex } from './serial.js';

// Re-exported so the modules and tests that import them from here keep doing so.
export { describeCertificate, type IssuedCertificate };
export type { AuthorityOptions, LeafPurpose, LeafRequest } from './authority-types.js';

const DAY_MS = 24 * 60 * 60 * 1000;
/** Certificates start a day early so that a client whose clock lags a little still accepts them. */
const BACKDATE_MS = DAY_MS;

/** A certificate authority that signs: a root, or an intermediate under a root. */
export class CertificateAuthority {
  private parsed: x509.X509Certificate | undefined;
  private subjectDer: Buffer | undefined;
  private keyId: Buffer | undefined;

  private constructor(
    readonly keyType: KeyType,
    /** @internal the certificate's DER. */
    readonly der: Buffer,
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
    const parts = plainName(options.commonName ?? 'lean-mock Root CA', options.organization);
    if (parts) {
      const name = encodeName(parts);
      const id = keyIdentifier(publicKeyInfo(keys.publicKey));
      const der = issueDer(keyType, keys, {
        issuer: name,
        issuerKeys: keys,
        subject: name,
        notBefore: new Date(now.getTime() - BACKDATE_MS),
        notAfter: new Date(now.getTime() + (options.validityDays ?? 3650) * DAY_MS),
        extensions: caExtensionsDer(id, id, undefined),
      });
      return CertificateAuthority.fromDer(keyType, der, keys, undefined);
    }
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
    return new CertificateAuthority(keyType, pemBody(certificatePem), keys, certificatePem, privateKeyPem, parent);
  }

  private static async from(
    keyType: KeyType,
    certificate: x509.X509Certificate,
    keys: CryptoKeyPair,
    parent: CertificateAuthority | undefined,
  ): Promise<CertificateAuthority> {
    const privateKeyPem = await exportPrivateKeyPem(keys.privateKey);
    const authority = new CertificateAuthority(keyType, Buffer.from(certificate.rawData), keys, toPem(certificate), privateKeyPem, parent);
    authority.parsed = certificate;
    return authority;
  }

  private static fromDer(keyType: KeyType, der: Buffer, keys: CryptoKeyPair, parent: CertificateAuthority | undefined): CertificateAuthority {
    return new CertificateAuthority(keyType, der, keys, pemBlock('CERTIFICATE', der), privateKeyPemSync(keys.privateKey), parent);
  }

  /** @internal the X.509 library's object, parsed on first use: stripped from the published declarations. */
  get certificate(): x509.X509Certificate {
    return (this.parsed ??= new x509.X509Certificate(this.der));
  }

  get subject(): string {
    return this.certificate.subject;
  }

  /** @internal the subject Name as the certificate holds it: what it writes as the issuer of what it signs. */
  get subjectName(): Buffer {
    return (this.subjectDer ??= subjectOf(this.der));
  }

  /** @internal the SHA-1 key identifier of its public key (its certificates' authority key identifier). */
  get keyIdentifier(): Buffer {
    return (this.keyId ??= keyIdentifier(publicKeyInfo(this.keys.publicKey)));
  }

  /** This authority's certificate and its parents', nearest first, root last. */
  get chainPems(): string[] {
    return this.parent ? [this.certificatePem, ...this.parent.chainPems] : [this.certificatePem];
  }

  /** An intermediate CA signed by this one (path length 0: it issues leaves only). */
  async createIntermediate(options: AuthorityOptions = {}): Promise<CertificateAuthority> {
    const keys = options.keyPair ?? (await generateKeyPair(this.keyType));
    const now = options.now ?? new Date();
    const parts = plainName(options.commonName ?? 'lean-mock Issuing CA', options.organization);
    if (parts) {
      const der = issueDer(this.keyType, keys, {
        issuer: this.subjectName,
        issuerKeys: this.keys,
        subject: encodeName(parts),
        notBefore: new Date(now.getTime() - BACKDATE_MS),
        notAfter: new Date(now.getTime() + (options.validityDays ?? 3650) * DAY_MS),
        extensions: caExtensionsDer(keyIdentifier(publicKeyInfo(keys.publicKey)), this.keyIdentifier, 0),
      });
      return CertificateAuthority.fromDer(this.keyType, der, keys, this);
    }
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

  /**
   * {@link issue} without awaiting anything, for a key pair made before: the same certificate
   * (same fields, extensions and signature algorithm), signed with Node's synchronous `sign`. A
   * PKI's catalogue is built this way on first use, from a plain property read.
   */
  issueSync(request: LeafRequest & { keyPair: CryptoKeyPair }): IssuedCertificate {
    const now = request.now ?? new Date();
    const parts = plainName(request.commonName, request.organization, request.organizationalUnit);
    if (parts && (request.hosts ?? []).every(isPlainHost)) {
      const der = issueDer(this.keyType, request.keyPair, {
        issuer: this.subjectName,
        issuerKeys: this.keys,
        subject: encodeName(parts),
        notBefore: request.notBefore ?? new Date(now.getTime() - BACKDATE_MS),
        notAfter: request.notAfter ?? new Date(now.getTime() + 365 * DAY_MS),
        extensions: leafExtensionsDer(this.keyType, keyIdentifier(publicKeyInfo(request.keyPair.publicKey)), this.keyIdentifier, request),
        serialHex: request.serialNumber === undefined ? undefined : serialIntegerHex(normalizeSerial(request.serialNumber)),
      });
      return describeDer(der, privateKeyPemSync(request.keyPair.privateKey));
    }
    const certificate = signCertificateSync(this, {
      subjectName: distinguishedName(request.commonName, request.organization, request.organizationalUnit),
      subjectKeys: request.keyPair,
      notBefore: request.notBefore ?? new Date(now.getTime() - BACKDATE_MS),
      notAfter: request.notAfter ?? new Date(now.getTime() + 365 * DAY_MS),
      extensions: leafExtensionsFor(this.keyType, keyIdOf(request.keyPair.publicKey), keyIdOf(this.keys.publicKey), request),
      serialNumber: request.serialNumber === undefined ? undefined : serialIntegerHex(normalizeSerial(request.serialNumber)),
    });
    return describeIssued(certificate, privateKeyPemSync(request.keyPair.privateKey));
  }
}

/** {@link issueSelfSignedLeaf} synchronously (see {@link CertificateAuthority.issueSync}). */
export function issueSelfSignedLeafSync(
  keyType: KeyType,
  request: LeafRequest & { notBefore: Date; notAfter: Date; keyPair: CryptoKeyPair },
): IssuedCertificate {
  const parts = plainName(request.commonName, request.organization, request.organizationalUnit);
  if (parts && (request.hosts ?? []).every(isPlainHost)) {
    const subject = encodeName(parts);
    const id = keyIdentifier(publicKeyInfo(request.keyPair.publicKey));
    const der = issueDer(keyType, request.keyPair, {
      issuer: subject,
      issuerKeys: request.keyPair,
      subject,
      notBefore: request.notBefore,
      notAfter: request.notAfter,
      extensions: leafExtensionsDer(keyType, id, id, request),
    });
    return describeDer(der, privateKeyPemSync(request.keyPair.privateKey));
  }
  const name = distinguishedName(request.commonName, request.organization, request.organizationalUnit);
  const keyId = keyIdOf(request.keyPair.publicKey);
  const certificate = signCertificateSync(
    { keyType, subject: name, keys: request.keyPair },
    {
      subjectName: name,
      subjectKeys: request.keyPair,
      notBefore: request.notBefore,
      notAfter: request.notAfter,
      extensions: leafExtensionsFor(keyType, keyId, keyId, request),
    },
  );
  return describeIssued(certificate, privateKeyPemSync(request.keyPair.privateKey));
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

function describeDer(der: Buffer, privateKeyPem: string): IssuedCertificate {
  const certificatePem = pemBlock('CERTIFICATE', der);
  return { certificatePem, privateKeyPem, ...describeCertificate(certificatePem) };
}

/** The name's parts when every value is plain enough for der-issue.ts to write as the library would. */
function plainName(commonName: string, organization = 'lean-mock (test only)', unit?: string): NameParts | undefined {
  const plain = [commonName, organization, ...(unit ? [unit] : [])].every(isPlainNameValue);
  return plain ? { commonName, organization, organizationalUnit: unit || undefined, country: 'AE' } : undefined;
}

const publicKeyInfos = new WeakMap<CryptoKey, Buffer>();

/** A public key's SubjectPublicKeyInfo DER, exported once per key: a PKI asks for each several times. */
function publicKeyInfo(key: CryptoKey): Buffer {
  let spki = publicKeyInfos.get(key);
  if (!spki) {
    spki = spkiOf(KeyObject.from(key));
    publicKeyInfos.set(key, spki);
  }
  return spki;
}

/** A certificate for `subjectKeys`, written and signed by der-issue.ts. */
function issueDer(
  keyType: KeyType,
  subjectKeys: CryptoKeyPair,
  request: {
    issuer: Buffer;
    issuerKeys: CryptoKeyPair;
    subject: Buffer;
    notBefore: Date;
    notAfter: Date;
    extensions: Buffer[];
    serialHex?: string;
  },
): Buffer {
  const tbs = tbsCertificate({
    keyType,
    serialHex: request.serialHex ?? randomSerial(),
    issuer: request.issuer,
    subject: request.subject,
    notBefore: request.notBefore,
    notAfter: request.notAfter,
    subjectPublicKeyInfo: publicKeyInfo(subjectKeys.publicKey),
    extensions: request.extensions,
  });
  return signed(keyType, tbs, KeyObject.from(request.issuerKeys.privateKey));
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
  const [subjectId, issuerId] = await Promise.all([subjectKey, issuerKey].map(async (key) => {
    const publicKey = await x509.PublicKey.create(key);
    return Buffer.from(await publicKey.getKeyIdentifier()).toString('hex');
  }));
  return leafExtensionsFor(keyType, subjectId!, issuerId!, request);
}

/** A leaf's extensions, given the SHA-1 key identifiers (hex) of its key and its issuer's. */
function leafExtensionsFor(keyType: KeyType, subjectKeyId: string, issuerKeyId: string, request: LeafRequest): x509.Extension[] {
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
    new x509.SubjectKeyIdentifierExtension(subjectKeyId),
    new x509.AuthorityKeyIdentifierExtension(issuerKeyId),
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

/** RFC 5280's key identifier, as @peculiar/x509 computes it: SHA-1 of the subjectPublicKey bits. */
function keyIdOf(key: CryptoKey): string {
  const spki = KeyObject.from(key).export({ type: 'spki', format: 'der' });
  const bits = AsnConvert.parse(spki, asn1X509.SubjectPublicKeyInfo).subjectPublicKey;
  return createHash('sha1').update(Buffer.from(bits)).digest('hex');
}

function privateKeyPemSync(key: CryptoKey): string {
  return pemBlock('PRIVATE KEY', KeyObject.from(key).export({ type: 'pkcs8', format: 'der' }));
}

/**
 * What X509CertificateGenerator.create builds, signed synchronously: the signature algorithm is
 * copied from the issuer's own certificate (the same key signs both), and Node's signatures are
 * DER already for ECDSA, as X.509 wants them.
 */
function signCertificateSync(
  issuer: { keyType: KeyType; subject: string; keys: CryptoKeyPair; certificate?: x509.X509Certificate },
  request: Omit<SignRequest, 'keyType' | 'issuerName' | 'issuerKeys'>,
): x509.X509Certificate {
  const spki = KeyObject.from(request.subjectKeys.publicKey).export({ type: 'spki', format: 'der' });
  const algorithm = signatureAlgorithmOf(issuer.keyType);
  const tbsCertificate = new asn1X509.TBSCertificate({
    version: asn1X509.Version.v3,
    serialNumber: serialBytes(request.serialNumber ?? randomSerial()),
    validity: new asn1X509.Validity({ notBefore: request.notBefore, notAfter: request.notAfter }),
    extensions: new asn1X509.Extensions(request.extensions.map((extension) => AsnConvert.parse(extension.rawData, asn1X509.Extension))),
    subjectPublicKeyInfo: AsnConvert.parse(spki, asn1X509.SubjectPublicKeyInfo),
    subject: AsnConvert.parse(new x509.Name(request.subjectName).toArrayBuffer(), asn1X509.Name),
    issuer: AsnConvert.parse(new x509.Name(issuer.subject).toArrayBuffer(), asn1X509.Name),
    signature: algorithm,
  });
  const tbs = AsnConvert.serialize(tbsCertificate);
  const signature = sign('sha256', Buffer.from(tbs), { key: KeyObject.from(issuer.keys.privateKey), dsaEncoding: 'der' });
  const certificate = new asn1X509.Certificate({ tbsCertificate, signatureAlgorithm: algorithm, signatureValue: new Uint8Array(signature).buffer });
  return new x509.X509Certificate(AsnConvert.serialize(certificate));
}

/** ecdsa-with-SHA256 (no parameters) or sha256WithRSAEncryption (NULL parameters), as WebCrypto's signer writes them. */
function signatureAlgorithmOf(keyType: KeyType): asn1X509.AlgorithmIdentifier {
  return keyType === 'ec'
    ? new asn1X509.AlgorithmIdentifier({ algorithm: '1.2.840.10045.4.3.2' })
    : new asn1X509.AlgorithmIdentifier({ algorithm: '1.2.840.113549.1.1.11', parameters: null });
}

/** The serial's INTEGER contents as X509CertificateGenerator derives them from hex (leading zeros dropped, sign byte added). */
function serialBytes(hex: string): ArrayBuffer {
  let bytes = Buffer.from(hex, 'hex');
  let first = 0;
  while (first < bytes.length - 1 && bytes[first] === 0) first++;
  bytes = bytes.subarray(first);
  if (bytes[0]! > 0x7f) bytes = Buffer.concat([Buffer.from([0]), bytes]);
  return new Uint8Array(bytes).buffer;
}

/** A root and one intermediate under it: the smallest Lean-like hierarchy. */
/** The test authority with its signing CAs, for code inside lean-mock (e.g. issuing CRLs). */
export interface TestAuthority extends PublicTestAuthority {
  readonly root: CertificateAuthority;
  readonly intermediate: CertificateAuthority;
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
