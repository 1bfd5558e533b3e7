import type { TlsRejectionReason } from '../reasons.js';
import type { CertificateAuthority, LeafRequest } from './authority.js';
import { describeCertificate, type IssuedCertificate } from './describe.js';
import type { KeyType } from './key-types.js';
import type { CryptoKeyPair } from './keys.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/** The names of the deliberately bad client certificates, in the order the README lists them. */
export const VARIANT_NAMES = [
  'no_certificate',
  'expired',
  'not_yet_valid',
  'unknown_ca',
  'self_signed',
  'wrong_purpose',
  'ca_certificate',
  'revoked',
  'incomplete_chain',
  'key_mismatch',
] as const;

export type VariantName = (typeof VARIANT_NAMES)[number];

/**
 * What a variant must cause. Every server-side outcome is a TLS rejection reason; `key_mismatch`
 * is refused by the client itself (it cannot load a key that does not belong to its certificate),
 * so the server never sees it.
 */
export type VariantOutcome = TlsRejectionReason | 'key_mismatch';

export interface VariantDescription {
  readonly name: VariantName;
  readonly expected: VariantOutcome;
  /** Who refuses it: the server's TLS gate, or the client before it connects. */
  readonly rejectedBy: 'server' | 'client';
  readonly description: string;
  /** What a user whose real certificate looks like this should do. */
  readonly fix: string;
}

/** A catalogue entry with its material: none for `no_certificate`. */
export interface CatalogueVariant extends VariantDescription {
  /** The certificate and the key the client presents (for `key_mismatch`, someone else's key). */
  readonly credential?: IssuedCertificate;
  /** Issuer certificates the client must send along with the leaf, nearest first. */
  readonly chainPems?: readonly string[];
}

/**
 * Everything a variant is made from. The catalogue is issued synchronously, on a PKI's first
 * read of `variants`, with keys made and CAs signed before (see lean-pki.ts).
 */
export interface CatalogueMaterials {
  readonly keyType: KeyType;
  readonly now: Date;
  /** Issues the good certificates; the server trusts it. */
  readonly intermediate: CertificateAuthority;
  /** A second intermediate under the same root, whose certificate the server never holds. */
  readonly partnerIntermediate: CertificateAuthority;
  /** A root the server does not trust. */
  readonly rogueRoot: CertificateAuthority;
  /** One key pair shared by the bad leaves: their faults are in the certificates, not the keys. */
  readonly leafKeys: CryptoKeyPair;
  /** The key `key_mismatch` ships instead of its own (another certificate's key). */
  readonly foreignKeyPem: string;
  /** The serial of `revoked`, chosen before it is issued: the intermediate's CRL lists it from the start. */
  readonly revokedSerial: string;
  /** issueSelfSignedLeafSync, handed in: this module never loads the X.509 library itself. */
  readonly selfSign: (request: LeafRequest & { notBefore: Date; notAfter: Date; keyPair: CryptoKeyPair }) => IssuedCertificate;
}

type Maker = (materials: CatalogueMaterials) => Omit<CatalogueVariant, keyof VariantDescription>;

interface VariantSpec extends VariantDescription {
  readonly make: Maker;
  /** Whether its credential comes with `chainPems` (a `<name>+chain` identity), known before it is built. */
  readonly withChain?: true;
}

const at = (now: Date, days: number): Date => new Date(now.getTime() + days * DAY_MS);

function clientLeaf(
  issuer: CertificateAuthority,
  materials: CatalogueMaterials,
  variant: VariantName,
  overrides: { notBefore?: Date; notAfter?: Date; purpose?: 'server'; serialNumber?: string } = {},
): IssuedCertificate {
  return issuer.issueSync({
    commonName: `lean-mock bad certificate: ${variant}`,
    organizationalUnit: variant,
    now: materials.now,
    keyPair: materials.leafKeys,
    ...overrides,
  });
}

const SPECS: readonly VariantSpec[] = [
  {
    name: 'no_certificate',
    expected: 'no_certificate',
    rejectedBy: 'server',
    description: 'The client sends no certificate at all.',
    fix:
      'Configure your HTTP client with my_app_cert.crt and my_app_private_key.pem. If you did, and use Go or Java: they ' +
      'send no certificate whose chain does not reach a CA the server names; send leaf + intermediate ' +
      '(my_app_cert_and_chain.crt, my_app.p12).',
    make: () => ({}),
  },
  {
    name: 'expired',
    expected: 'expired',
    rejectedBy: 'server',
    description: 'Issued by the trusted intermediate, but its validity ended 30 days ago.',
    fix: 'Generate a new certificate in the Lean portal and replace the expired one.',
    make: (m) => ({
      credential: clientLeaf(m.intermediate, m, 'expired', { notBefore: at(m.now, -395), notAfter: at(m.now, -30) }),
    }),
  },
  {
    name: 'not_yet_valid',
    expected: 'not_yet_valid',
    rejectedBy: 'server',
    description: 'Issued by the trusted intermediate, but valid only from a year from now.',
    fix: "Check the client machine's clock, or use a certificate whose validity has begun.",
    make: (m) => ({
      credential: clientLeaf(m.intermediate, m, 'not_yet_valid', {
        notBefore: at(m.now, 365),
        notAfter: at(m.now, 730),
      }),
    }),
  },
  {
    name: 'unknown_ca',
    expected: 'unknown_ca',
    rejectedBy: 'server',
    description: 'A well-formed client certificate issued by a root the server does not trust.',
    fix: 'Use the certificate Lean issued for this environment (sandbox and production differ).',
    make: (m) => ({ credential: clientLeaf(m.rogueRoot, m, 'unknown_ca') }),
  },
  {
    name: 'self_signed',
    expected: 'self_signed',
    rejectedBy: 'server',
    description: 'A client certificate that signs itself instead of being issued by Lean.',
    fix: 'Use the certificate issued by Lean, not one you generated yourself.',
    make: (m) => {
      const credential = m.selfSign({
        commonName: 'lean-mock bad certificate: self_signed',
        organizationalUnit: 'self_signed',
        keyPair: m.leafKeys,
        notBefore: at(m.now, -1),
        notAfter: at(m.now, 365),
      });
      return { credential };
    },
  },
  {
    name: 'wrong_purpose',
    expected: 'wrong_purpose',
    rejectedBy: 'server',
    description: 'Issued by the trusted intermediate for server authentication only (EKU serverAuth).',
    fix: 'Use a certificate whose extended key usage includes clientAuth.',
    make: (m) => ({ credential: clientLeaf(m.intermediate, m, 'wrong_purpose', { purpose: 'server' }) }),
  },
  {
    name: 'ca_certificate',
    expected: 'ca_certificate',
    rejectedBy: 'server',
    description: 'The intermediate CA certificate (and its key) presented as if it were a client certificate.',
    fix: 'Present the application certificate (my_app_cert.crt), not a certificate from the chain.',
    make: (m) => ({
      credential: {
        certificatePem: m.intermediate.certificatePem,
        privateKeyPem: m.intermediate.privateKeyPem,
        ...describeCertificate(m.intermediate.certificatePem),
      },
    }),
  },
  {
    name: 'revoked',
    expected: 'revoked',
    rejectedBy: 'server',
    description: "Issued by the trusted intermediate and then revoked: its serial is on the intermediate's CRL.",
    fix: 'Generate a new certificate in the Lean portal; a revoked one never works again.',
    make: (m) => ({ credential: clientLeaf(m.intermediate, m, 'revoked', { serialNumber: m.revokedSerial }) }),
  },
  {
    name: 'incomplete_chain',
    expected: 'incomplete_chain',
    rejectedBy: 'server',
    description:
      'Issued by a second intermediate the server does not hold: accepted only when the client sends cert.crt together with chain.crt.',
    fix: 'Send the leaf together with its intermediate (cert_and_chain.crt), as Go clients must.',
    withChain: true,
    make: (m) => ({
      credential: clientLeaf(m.partnerIntermediate, m, 'incomplete_chain'),
      chainPems: [m.partnerIntermediate.certificatePem],
    }),
  },
  {
    name: 'key_mismatch',
    expected: 'key_mismatch',
    rejectedBy: 'client',
    description: "A valid client certificate shipped with another certificate's private key.",
    fix: 'Pair the certificate with the private key it was issued for (my_app_private_key.pem).',
    make: (m) => {
      const leaf = clientLeaf(m.intermediate, m, 'key_mismatch');
      return { credential: { ...leaf, privateKeyPem: m.foreignKeyPem } };
    },
  },
];

/** Every variant's name, expected outcome and explanation, without building any certificate. */
export const CATALOGUE: readonly VariantDescription[] = SPECS.map(
  ({ name, expected, rejectedBy, description, fix }) => ({ name, expected, rejectedBy, description, fix }),
);

/** A variant's advice: one wording for the manifest, the README, the inspector and the doctor. */
export function fixOf(variant: VariantName): string {
  return CATALOGUE.find((entry) => entry.name === variant)?.fix ?? '';
}

/** Every variant with its material, in {@link VARIANT_NAMES} order. */
export function buildCatalogue(materials: CatalogueMaterials): CatalogueVariant[] {
  return SPECS.map(({ make, withChain: _withChain, ...description }) => ({ ...description, ...make(materials) }));
}

/** The variants whose certificate is sent with its issuer (`<name>+chain` identities), known before any is built. */
export const VARIANTS_WITH_CHAIN: readonly VariantName[] = SPECS.filter((spec) => spec.withChain).map((spec) => spec.name);
