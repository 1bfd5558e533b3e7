import forge from 'node-forge';

/**
 * Names the algorithms a PKCS#12 file is protected with, by walking its ASN.1 (forge decrypts it
 * but does not say how it was encrypted). RFC 7292: PFX → AuthenticatedSafe → ContentInfos →
 * SafeBags; the key's algorithm sits in its EncryptedPrivateKeyInfo, the certificates' in an
 * EncryptedData, the MAC's in MacData.
 */

type Asn1 = forge.asn1.Asn1;

const PBE_NAMES: Record<string, string> = {
  '1.2.840.113549.1.12.1.1': 'RC4-128',
  '1.2.840.113549.1.12.1.2': 'RC4-40',
  '1.2.840.113549.1.12.1.3': '3DES (pbeWithSHAAnd3-KeyTripleDES-CBC)',
  '1.2.840.113549.1.12.1.4': '2-key 3DES',
  '1.2.840.113549.1.12.1.5': 'RC2-128',
  '1.2.840.113549.1.12.1.6': 'RC2-40',
};
const CIPHER_NAMES: Record<string, string> = {
  '2.16.840.1.101.3.4.1.2': 'AES-128-CBC',
  '2.16.840.1.101.3.4.1.22': 'AES-192-CBC',
  '2.16.840.1.101.3.4.1.42': 'AES-256-CBC',
  '1.2.840.113549.3.7': '3DES-CBC',
  '1.3.14.3.2.7': 'DES-CBC',
};
const HASH_NAMES: Record<string, string> = {
  '1.2.840.113549.2.7': 'SHA-1',
  '1.2.840.113549.2.9': 'SHA-256',
  '1.2.840.113549.2.10': 'SHA-384',
  '1.2.840.113549.2.11': 'SHA-512',
  '1.3.14.3.2.26': 'SHA-1',
  '2.16.840.1.101.3.4.2.1': 'SHA-256',
  '2.16.840.1.101.3.4.2.2': 'SHA-384',
  '2.16.840.1.101.3.4.2.3': 'SHA-512',
};
const OID = {
  data: '1.2.840.113549.1.7.1',
  encryptedData: '1.2.840.113549.1.7.6',
  shroudedKeyBag: '1.2.840.113549.1.12.10.1.2',
  pbes2: '1.2.840.113549.1.5.13',
};
/** Algorithms OpenSSL 3 (and so Node, curl, Python) reads only with its legacy provider. */
const LEGACY = /RC2|RC4|^DES/;

export interface Pkcs12Algorithms {
  /** How the private key is encrypted, e.g. `AES-256-CBC (PBES2, PBKDF2-HMAC-SHA-256)`. */
  readonly key: string | null;
  /** How the certificates are encrypted, or `none`. */
  readonly certificates: string | null;
  /** e.g. `HMAC-SHA-256`, or `none`. */
  readonly mac: string | null;
  /** The legacy algorithms among them, which OpenSSL 3 cannot read by default. */
  readonly legacy: readonly string[];
}

export function pkcs12Algorithms(pfx: Asn1): Pkcs12Algorithms {
  const found = { key: null as string | null, certificates: 'none' as string | null, mac: 'none' as string | null };
  try {
    const macData = children(pfx)[2];
    const macOid = macData && oidAt(children(children(children(macData)[0])[0])[0]);
    if (macOid) found.mac = `HMAC-${HASH_NAMES[macOid] ?? macOid}`;
    const authSafe = forge.asn1.fromDer(explicitContent(children(pfx)[1]));
    for (const contentInfo of children(authSafe)) {
      const type = oidAt(children(contentInfo)[0]);
      if (type === OID.encryptedData) {
        const encryptedContentInfo = children(explicitContentNode(contentInfo))[1];
        found.certificates = algorithmName(children(encryptedContentInfo)[1]);
      } else if (type === OID.data) {
        const safeContents = forge.asn1.fromDer(explicitContent(contentInfo));
        for (const bag of children(safeContents)) {
          if (oidAt(children(bag)[0]) !== OID.shroudedKeyBag) continue;
          const encryptedKeyInfo = children(children(bag)[1])[0];
          found.key = algorithmName(children(encryptedKeyInfo)[0]);
        }
      }
    }
  } catch {
    // A structure forge could open but this walk cannot name: say nothing rather than guess.
  }
  const legacy = [found.key, found.certificates].filter((name): name is string => name !== null && LEGACY.test(name));
  return { ...found, legacy };
}

function algorithmName(algorithm: Asn1 | undefined): string {
  const oid = oidAt(children(algorithm)[0]);
  if (!oid) return 'unknown';
  if (oid !== OID.pbes2) return PBE_NAMES[oid] ?? oid;
  const [kdf, scheme] = children(children(algorithm)[1]);
  const cipherOid = oidAt(children(scheme)[0]);
  const prf = children(children(kdf)[1]).find((node) => node.type === forge.asn1.Type.SEQUENCE);
  const prfOid = prf ? oidAt(children(prf)[0]) : '1.2.840.113549.2.7';
  const cipher = (cipherOid && CIPHER_NAMES[cipherOid]) ?? cipherOid ?? 'unknown cipher';
  return `${cipher} (PBES2, PBKDF2-HMAC-${(prfOid && HASH_NAMES[prfOid]) ?? prfOid})`;
}

function children(node: Asn1 | undefined): Asn1[] {
  return node && Array.isArray(node.value) ? (node.value as Asn1[]) : [];
}

function oidAt(node: Asn1 | undefined): string | null {
  return node && node.type === forge.asn1.Type.OID && typeof node.value === 'string' ? forge.asn1.derToOid(node.value) : null;
}

/** The node inside a ContentInfo's `[0] EXPLICIT`. */
function explicitContentNode(contentInfo: Asn1 | undefined): Asn1 | undefined {
  return children(children(contentInfo)[1])[0];
}

function explicitContent(contentInfo: Asn1 | undefined): string {
  return octets(explicitContentNode(contentInfo));
}

/** An OCTET STRING's bytes, also when BER splits it into constructed pieces (Windows does). */
function octets(node: Asn1 | undefined): string {
  if (!node) throw new Error('missing OCTET STRING');
  if (typeof node.value === 'string') return node.value;
  return children(node).map((piece) => octets(piece)).join('');
}
