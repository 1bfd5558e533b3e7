/**
 * PKCS#12 (.p12/.pfx) bundles of a client key and its chain, for clients that want one file.
 *
 * node-forge's pkcs12.toPkcs12Asn1 only takes forge RSA keys and certificates (forge cannot
 * parse EC keys or EC certificates), so the PFX is assembled here from forge's ASN.1 primitives,
 * mirroring toPkcs12Asn1's layout: one unencrypted SafeContents with the certificates, one with
 * the shrouded key, localKeyId (SHA-1 of the leaf DER) and friendlyName on the key bag and the
 * leaf's cert bag. The key and certificates stay opaque DER, so any key type works.
 *
 * Never RC2: OpenSSL 3, Node and curl cannot read RC2 ("legacy") PKCS#12 without the legacy provider.
 */
import { X509Certificate, createCipheriv, createHash, createHmac, createPrivateKey, pbkdf2Sync, randomBytes } from 'node:crypto';
import forge from 'node-forge';

/**
 * 'aes256': PBES2 (PBKDF2 with HMAC-SHA256, AES-256-CBC) key bag, HMAC-SHA256 MAC; what
 *   OpenSSL 3 writes by default, read by OpenSSL 3, Node, curl and Java 17.
 * '3des': pbeWithSHAAnd3-KeyTripleDES-CBC key bag, HMAC-SHA1 MAC; for older .NET / Windows,
 *   which cannot read PBES2 or SHA-256 MACs.
 */
export type Pkcs12Flavour = 'aes256' | '3des';

export interface Pkcs12Input {
  /** PKCS#8 "BEGIN PRIVATE KEY" PEM, EC P-256 or RSA. */
  keyPem: string;
  /** Leaf first, then the chain (intermediate, root); one PEM certificate per entry. */
  certificatePems: string[];
  password: string;
  /** Default 'aes256'. */
  flavour?: Pkcs12Flavour;
  /** Set on the key bag and the leaf's cert bag. Default 'lean-mock'. */
  friendlyName?: string;
}

// OpenSSL's default (PKCS12_DEFAULT_ITER). Higher costs every PKI generation and buys nothing
// for throwaway test keys.
const ITERATIONS = 2048;
const SALT_BYTES = 16;

const OID = {
  data: '1.2.840.113549.1.7.1',
  pkcs8ShroudedKeyBag: '1.2.840.113549.1.12.10.1.2',
  certBag: '1.2.840.113549.1.12.10.1.3',
  x509Certificate: '1.2.840.113549.1.9.22.1',
  friendlyName: '1.2.840.113549.1.9.20',
  localKeyId: '1.2.840.113549.1.9.21',
  pbeWithSHAAnd3KeyTripleDESCBC: '1.2.840.113549.1.12.1.3',
  pbes2: '1.2.840.113549.1.5.13',
  pbkdf2: '1.2.840.113549.1.5.12',
  hmacWithSHA256: '1.2.840.113549.2.9',
  aes256Cbc: '2.16.840.1.101.3.4.1.42',
  sha1: '1.3.14.3.2.26',
  sha256: '2.16.840.1.101.3.4.2.1',
} as const;

const { asn1 } = forge;
type Asn1 = forge.asn1.Asn1;
const U = asn1.Class.UNIVERSAL;
const T = asn1.Type;

// forge's ASN.1 works on "binary" strings (one char per byte).
const bin = (bytes: Buffer): string => bytes.toString('binary');
const seq = (...items: Asn1[]): Asn1 => asn1.create(U, T.SEQUENCE, true, items);
const set = (...items: Asn1[]): Asn1 => asn1.create(U, T.SET, true, items);
const oid = (dotted: string): Asn1 => asn1.create(U, T.OID, false, asn1.oidToDer(dotted).getBytes());
const octets = (bytes: Buffer): Asn1 => asn1.create(U, T.OCTETSTRING, false, bin(bytes));
const int = (n: number): Asn1 => asn1.create(U, T.INTEGER, false, asn1.integerToDer(n).getBytes());
const nul = (): Asn1 => asn1.create(U, T.NULL, false, '');
const explicit0 = (inner: Asn1): Asn1 => asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, true, [inner]);
const der = (node: Asn1): Buffer => Buffer.from(asn1.toDer(node).getBytes(), 'binary');
/** PKCS#7 ContentInfo of type data wrapping `content`'s DER. */
const dataContentInfo = (content: Asn1): Asn1 => seq(oid(OID.data), explicit0(octets(der(content))));

/** RFC 7292 appendix B key derivation (used by the 3DES PBE and every PKCS#12 MAC). */
function pkcs12Kdf(password: string, salt: Buffer, id: 1 | 2 | 3, bytes: number, md: 'sha1' | 'sha256'): Buffer {
  // node:crypto has no PKCS#12 KDF, and 2048 createHash calls per block are slower than forge's pure JS.
  const key = forge.pkcs12.generateKey(password, forge.util.createBuffer(bin(salt)), id, ITERATIONS, bytes, forge.md[md].create());
  return Buffer.from(key.getBytes(), 'binary');
}

/** EncryptedPrivateKeyInfo for a PKCS#8 DER. forge's encryptPrivateKeyInfo would do, but its pure-JS PBKDF2 costs ~10 ms. */
function shroudKey(pkcs8: Buffer, password: string, flavour: Pkcs12Flavour): Asn1 {
  const salt = randomBytes(SALT_BYTES);
  if (flavour === '3des') {
    const key = pkcs12Kdf(password, salt, 1, 24, 'sha1');
    const iv = pkcs12Kdf(password, salt, 2, 8, 'sha1');
    const cipher = createCipheriv('des-ede3-cbc', key, iv);
    const encrypted = Buffer.concat([cipher.update(pkcs8), cipher.final()]);
    return seq(seq(oid(OID.pbeWithSHAAnd3KeyTripleDESCBC), seq(octets(salt), int(ITERATIONS))), octets(encrypted));
  }
  // PBKDF2 takes the password as UTF-8 bytes, as OpenSSL does.
  const key = pbkdf2Sync(password, salt, ITERATIONS, 32, 'sha256');
  const iv = randomBytes(16);
  const cipher = createCipheriv('aes-256-cbc', key, iv);
  const encrypted = Buffer.concat([cipher.update(pkcs8), cipher.final()]);
  // keyLength is left out, as OpenSSL does: AES-256 fixes it.
  const kdf = seq(oid(OID.pbkdf2), seq(octets(salt), int(ITERATIONS), seq(oid(OID.hmacWithSHA256), nul())));
  const algorithm = seq(oid(OID.pbes2), seq(kdf, seq(oid(OID.aes256Cbc), octets(iv))));
  return seq(algorithm, octets(encrypted));
}

/** MacData over the AuthenticatedSafe's DER. */
function macData(authSafeDer: Buffer, password: string, md: 'sha1' | 'sha256'): Asn1 {
  const salt = randomBytes(SALT_BYTES);
  const key = pkcs12Kdf(password, salt, 3, md === 'sha1' ? 20 : 32, md);
  const mac = createHmac(md, key).update(authSafeDer).digest();
  return seq(seq(seq(oid(md === 'sha1' ? OID.sha1 : OID.sha256), nul()), octets(mac)), octets(salt), int(ITERATIONS));
}

function certificateDer(pem: string, index: number): Buffer {
  // X509Certificate silently reads only the first of several blocks; a bundle here would lose certificates.
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----/g)?.length ?? 0;
  if (blocks !== 1) throw new Error(`certificatePems[${index}] must hold exactly one PEM certificate, found ${blocks}`);
  return new X509Certificate(pem).raw;
}

/** DER bytes of a password-protected PFX holding the key and its chain (leaf first). */
export function toPkcs12(input: Pkcs12Input): Buffer {
  const { password, flavour = 'aes256', friendlyName = 'lean-mock' } = input;
  if (input.certificatePems.length === 0) throw new Error('toPkcs12 needs at least the leaf certificate');
  const certs = input.certificatePems.map(certificateDer);
  const leafDer = certs[0] as Buffer;

  const privateKey = createPrivateKey(input.keyPem);
  // A PFX whose key does not match the leaf imports fine and then fails obscurely in the client's TLS stack.
  if (!new X509Certificate(leafDer).checkPrivateKey(privateKey)) {
    throw new Error('the private key does not belong to the leaf certificate (certificatePems[0])');
  }
  const pkcs8 = privateKey.export({ type: 'pkcs8', format: 'der' });

  // Java, Windows and OpenSSL pair the key with its certificate through localKeyId.
  const localKeyId = createHash('sha1').update(leafDer).digest();
  const attributes = set(
    seq(oid(OID.localKeyId), set(octets(localKeyId))),
    seq(oid(OID.friendlyName), set(asn1.create(U, T.BMPSTRING, false, friendlyName))),
  );

  const certBags = certs.map((cert, i) => {
    const bag = [oid(OID.certBag), explicit0(seq(oid(OID.x509Certificate), explicit0(octets(cert))))];
    return seq(...bag, ...(i === 0 ? [attributes] : []));
  });
  const keyBag = seq(oid(OID.pkcs8ShroudedKeyBag), explicit0(shroudKey(pkcs8, password, flavour)), attributes);

  const authSafe = seq(dataContentInfo(seq(...certBags)), dataContentInfo(seq(keyBag)));
  const authSafeDer = der(authSafe);
  // OpenSSL 3 (and Java 17) verify SHA-256 MACs; older .NET only SHA-1, hence SHA-1 for '3des'.
  const mac = macData(authSafeDer, password, flavour === '3des' ? 'sha1' : 'sha256');
  return der(seq(int(3), seq(oid(OID.data), explicit0(octets(authSafeDer))), mac));
}
