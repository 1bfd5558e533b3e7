import { X509Certificate, createPrivateKey, type KeyObject } from 'node:crypto';
import { createSecureContext } from 'node:tls';
import forge from 'node-forge';
import { kdfProblem, KdfLimitError, macIterationProblem, withIterationGuard } from './kdf-limits.js';
import { pkcs12Algorithms, type Pkcs12Algorithms } from './pkcs12-algorithms.js';

/** What a PKCS#12 file holds, once opened. */
export interface Pkcs12Contents {
  /** In the file's order. */
  readonly certificates: readonly X509Certificate[];
  readonly key: KeyObject | null;
  /** The certificate the key belongs to by `localKeyId`, if the file pairs them. */
  readonly pairedCertificate: X509Certificate | null;
  readonly algorithms: Pkcs12Algorithms;
  /** Why OpenSSL 3 (Node, curl, Python) cannot open it, when forge can: e.g. a legacy algorithm. */
  readonly opensslError: string | null;
}

export type Pkcs12Result = { ok: true; contents: Pkcs12Contents } | { ok: false; message: string; fix: string };

type ForgeAsn1 = forge.asn1.Asn1;
const BAG = forge.pki.oids;

/** Whether the bytes are a PFX: `SEQUENCE { INTEGER 3, ContentInfo … }`. */
export function looksLikePkcs12(bytes: Buffer): boolean {
  try {
    const node = forge.asn1.fromDer(bytes.toString('binary'), false);
    const [version, authSafe] = node.value as ForgeAsn1[];
    return version?.type === forge.asn1.Type.INTEGER && version.value === '\x03' && authSafe?.type === forge.asn1.Type.SEQUENCE;
  } catch {
    return false;
  }
}

/**
 * Opens a PKCS#12 file with node-forge, which reads every flavour (AES/PBES2, 3DES, RC2) and any
 * key type: forge parses RSA itself and hands EC keys and certificates back as ASN.1.
 */
export function readPkcs12(bytes: Buffer, name: string, password: string | undefined): Pkcs12Result {
  let pfx: ForgeAsn1;
  try {
    pfx = forge.asn1.fromDer(bytes.toString('binary'), false);
  } catch {
    return { ok: false, message: `${name} is not a PKCS#12 file (not DER)`, fix: 'Pass the .p12/.pfx file exported with the key, or use --cert and --key for PEM files.' };
  }
  // Before forge or OpenSSL derive anything: 2^31 iterations would hang either for hours.
  const costly = macIterationProblem(pfx) ?? kdfProblem(bytes);
  if (costly) return tooCostly(name, costly);
  let p12: forge.pkcs12.Pkcs12Pfx;
  try {
    p12 = withIterationGuard(() => forge.pkcs12.pkcs12FromAsn1(pfx, false, password ?? ''));
  } catch (error) {
    if (error instanceof KdfLimitError) return tooCostly(name, error.message);
    const text = error instanceof Error ? error.message : String(error);
    if (/password|MAC could not be verified|decrypt/i.test(text)) {
      return password === undefined
        ? { ok: false, message: `${name} is password-protected and no password was given`, fix: 'Pass its password with --password (lean-mock writes "lean-mock").' }
        : { ok: false, message: `the password does not open ${name} (its integrity check fails with it)`, fix: 'Pass the password the file was exported with (lean-mock writes "lean-mock").' };
    }
    return { ok: false, message: `${name} is not a readable PKCS#12 file: ${text}`, fix: 'Export it again as PKCS#12 (openssl pkcs12 -export), or use --cert and --key.' };
  }

  const bags = p12.safeContents.flatMap((contents) => contents.safeBags);
  const certificateBags = bags.filter((bag) => bag.type === BAG.certBag);
  const keyBag = bags.find((bag) => bag.type === BAG.pkcs8ShroudedKeyBag || bag.type === BAG.keyBag);
  let certificates: X509Certificate[];
  let key: KeyObject | null;
  try {
    certificates = certificateBags.map((bag) => new X509Certificate(certificateDer(bag)));
    key = keyBag ? createPrivateKey({ key: keyDer(keyBag), format: 'der', type: 'pkcs8' }) : null;
  } catch (error) {
    const text = error instanceof Error ? error.message : String(error);
    return { ok: false, message: `${name} opens, but a certificate or the key inside cannot be read: ${text}`, fix: 'Export it again from the original certificate and key.' };
  }
  const keyId = keyBag ? localKeyId(keyBag) : null;
  const pairedIndex = keyId ? certificateBags.findIndex((bag) => localKeyId(bag) === keyId) : -1;
  return {
    ok: true,
    contents: {
      certificates,
      key,
      pairedCertificate: certificates[pairedIndex] ?? null,
      algorithms: pkcs12Algorithms(pfx),
      opensslError: opensslRefusal(bytes, password),
    },
  };
}

function tooCostly(name: string, why: string): Pkcs12Result {
  return { ok: false, message: `${name} was not opened: ${why}`, fix: 'Export it again with usual settings (openssl pkcs12 -export uses 2048 iterations).' };
}

function certificateDer(bag: forge.pkcs12.Bag): Buffer {
  // forge parses RSA certificates (keeping their signed part verbatim) and returns others as ASN.1.
  const asn1 = bag.cert ? forge.pki.certificateToAsn1(bag.cert) : bag.asn1;
  return Buffer.from(forge.asn1.toDer(asn1).getBytes(), 'binary');
}

function keyDer(bag: forge.pkcs12.Bag): Buffer {
  const asn1 = bag.key ? forge.pki.wrapRsaPrivateKey(forge.pki.privateKeyToAsn1(bag.key)) : bag.asn1;
  return Buffer.from(forge.asn1.toDer(asn1).getBytes(), 'binary');
}

function localKeyId(bag: forge.pkcs12.Bag): string | null {
  const value: unknown = bag.attributes?.localKeyId?.[0];
  return typeof value === 'string' ? value : null;
}

/** Whether Node's own OpenSSL opens the file; a key that does not match is the key check's business. */
function opensslRefusal(bytes: Buffer, password: string | undefined): string | null {
  try {
    createSecureContext({ pfx: bytes, passphrase: password ?? '' });
    return null;
  } catch (error) {
    const text = error instanceof Error ? error.message : String(error);
    return /key values mismatch/i.test(text) ? null : text.replace(/^error:[0-9A-F]+:[^:]*:+/i, '');
  }
}
