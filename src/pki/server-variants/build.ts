import { webcrypto } from 'node:crypto';
import type { CertificateAuthority, LeafRequest } from '../authority.js';
import type { IssuedCertificate } from '../describe.js';
import type { KeyType } from '../key-types.js';
import { SERVER_CATALOGUE, WRONG_HOST, type ServerVariantDescription, type ServerVariantName } from './catalogue.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/** A bad server certificate, ready to serve. */
export interface ServerVariant extends ServerVariantDescription {
  /** The leaf the server presents, with its key. */
  readonly credential: IssuedCertificate;
  /** Certificates the server sends after the leaf, nearest first (none for `self_signed`, `incomplete_chain`). */
  readonly chainPems: readonly string[];
  /** `revoked` only: the intermediate's CRL listing the leaf, for clients that check revocation. */
  readonly crlPem?: string;
}

/** A CA that signs: its certificate and key, as PEM. */
interface SigningMaterial {
  readonly certificatePem: string;
  readonly privateKeyPem: string;
}

/** What the variants are made from: the PKI's own CAs, so every variant except the rogue ones chains to the trusted root. */
export interface ServerVariantMaterials {
  readonly keyType: KeyType;
  /** Validity periods are counted from the PKI's creation, like the client catalogue's. */
  readonly createdAt: Date;
  readonly intermediate: SigningMaterial;
  readonly partnerIntermediate: SigningMaterial;
  /** The names the good server certificate covers. */
  readonly hosts: readonly string[];
}

/**
 * Builds every server variant. Called on first use only (the certificate folder writer, or a
 * variant listener's first connection): a server start never pays for it.
 */
export async function buildServerVariants(materials: ServerVariantMaterials): Promise<ServerVariant[]> {
  const [{ CertificateAuthority, issueSelfSignedLeaf }, { generateKeyPair }, { issueCrl }] = await Promise.all([
    import('../authority.js'),
    import('../keys.js'),
    import('../revocation.js'),
  ]);
  const { keyType, createdAt: now, hosts } = materials;
  const at = (days: number): Date => new Date(now.getTime() + days * DAY_MS);
  const [intermediate, partner, rogueKeys, leafKeys, weakKeys] = await Promise.all([
    CertificateAuthority.load(materials.intermediate.certificatePem, materials.intermediate.privateKeyPem, keyType),
    CertificateAuthority.load(materials.partnerIntermediate.certificatePem, materials.partnerIntermediate.privateKeyPem, keyType),
    generateKeyPair(keyType),
    generateKeyPair(keyType),
    generateWeakRsaKeyPair(),
  ]);
  // Its key exists only here: the folder keeps the rogue root's certificate, never a key to sign with.
  const rogueRoot = await CertificateAuthority.createRoot({
    keyType,
    now,
    keyPair: rogueKeys,
    commonName: 'Rogue Server Root CA',
    organization: 'Not Lean (test only)',
  });

  const leaf = (issuer: CertificateAuthority, name: ServerVariantName, request: Partial<LeafRequest> = {}) =>
    issuer.issue({
      commonName: hosts[0] ?? 'localhost',
      organizationalUnit: `lean-mock bad server certificate: ${name}`,
      purpose: 'server',
      hosts,
      now,
      keyPair: leafKeys,
      ...request,
    });
  const withChain = async (credential: Promise<IssuedCertificate>, chain: readonly string[] = [intermediate.certificatePem]) => ({
    credential: await credential,
    chainPems: chain,
  });

  const makers: Record<ServerVariantName, () => Promise<Omit<ServerVariant, keyof ServerVariantDescription>>> = {
    expired: () => withChain(leaf(intermediate, 'expired', { notBefore: at(-395), notAfter: at(-30) })),
    not_yet_valid: () => withChain(leaf(intermediate, 'not_yet_valid', { notBefore: at(365), notAfter: at(730) })),
    wrong_host: () => withChain(leaf(intermediate, 'wrong_host', { commonName: WRONG_HOST, hosts: [WRONG_HOST] })),
    self_signed: () =>
      withChain(
        issueSelfSignedLeaf(keyType, {
          commonName: hosts[0] ?? 'localhost',
          organizationalUnit: 'lean-mock bad server certificate: self_signed',
          purpose: 'server',
          hosts,
          keyPair: leafKeys,
          notBefore: at(-1),
          notAfter: at(365),
        }),
        [],
      ),
    unknown_ca: () => withChain(leaf(rogueRoot, 'unknown_ca'), [rogueRoot.certificatePem]),
    wrong_purpose: () => withChain(leaf(intermediate, 'wrong_purpose', { purpose: 'client' })),
    incomplete_chain: () => withChain(leaf(partner, 'incomplete_chain'), []),
    weak_key: () => withChain(leaf(intermediate, 'weak_key', { keyPair: weakKeys })),
    sha1_signature: () => withChain(leaf(intermediate, 'sha1_signature', { signatureHash: 'SHA-1' })),
    revoked: async () => {
      const made = await withChain(leaf(intermediate, 'revoked'));
      const crlPem = await issueCrl(intermediate, {
        thisUpdate: at(-1),
        nextUpdate: at(365),
        revoked: [{ serialNumber: made.credential.serialNumber, revokedAt: now }],
      });
      return { ...made, crlPem };
    },
  };
  return Promise.all(SERVER_CATALOGUE.map(async (description) => ({ ...description, ...(await makers[description.name]()) })));
}

/** RSA-1024: below what OpenSSL's security level 2 accepts (112 bits), above level 1's floor (80 bits). */
async function generateWeakRsaKeyPair(): Promise<webcrypto.CryptoKeyPair> {
  return (await webcrypto.subtle.generateKey(
    { name: 'RSASSA-PKCS1-v1_5', modulusLength: 1024, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' },
    true,
    ['sign', 'verify'],
  )) as webcrypto.CryptoKeyPair;
}
