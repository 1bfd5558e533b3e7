import { VARIANT_NAMES, VARIANTS_WITH_CHAIN, type VariantName } from '../pki/catalogue.js';
import type { LeanPki } from '../pki/lean-pki.js';
import { joinPem } from '../pki/pem.js';

/**
 * What a client presents and trusts, as PEM text: ready for `https.Agent`, `tls.connect`, axios's
 * `httpsAgent` or got's `https` options.
 *
 * @example
 * const { cert, key, ca } = mock.identities.my_app;
 * new https.Agent({ cert, key, ca });
 */
export interface Identity {
  /** The client certificate (leaf, or leaf + intermediate for `incomplete_chain+chain`); absent for `no_certificate`. */
  readonly cert?: string;
  /** Its private key; absent for `no_certificate` (for `key_mismatch`, someone else's key). */
  readonly key?: string;
  /** `lean_public_cert_chain.pem`: the intermediate and root that sign the mock's server certificate. */
  readonly ca: string;
}

/** The leaf-only `incomplete_chain` certificate sent together with its intermediate: accepted. */
export const WITH_CHAIN = 'incomplete_chain+chain';

/**
 * The identities every default PKI has: its two apps, each bad-certificate variant, and
 * `incomplete_chain+chain`.
 */
export type BuiltInIdentity = 'my_app' | 'other_app' | VariantName | typeof WITH_CHAIN;

/**
 * An identity's name. The built-in ones complete in an editor; any other app name of a custom
 * PKI is accepted too (an unknown name throws, listing the known ones).
 */
export type IdentityName = BuiltInIdentity | (string & {});

/**
 * Every identity by name. A PKI built with other app names has those instead of `my_app` and
 * `other_app`, so look them up by their names.
 */
export type Identities = Readonly<Record<BuiltInIdentity, Identity>> & Readonly<Partial<Record<string, Identity>>>;

/** Every identity of `pki`: apps first, then the catalogue variants, then `incomplete_chain+chain`. */
export function identitiesOf(pki: LeanPki): Identities {
  const ca = pki.chainPem;
  const identities: Record<string, Identity> = {};
  for (const app of pki.apps) identities[app.name] = { cert: app.credential.certificatePem, key: app.credential.privateKeyPem, ca };
  if (!Object.getOwnPropertyDescriptor(pki, 'variants')?.get) {
    // Built already (a PKI read from a folder): the identities are plain values.
    for (const variant of pki.variants) {
      const credential = variant.credential;
      identities[variant.name] = credential ? { cert: credential.certificatePem, key: credential.privateKeyPem, ca } : { ca };
      if (credential && variant.chainPems?.length) {
        identities[`${variant.name}+chain`] = { cert: joinPem([credential.certificatePem, ...variant.chainPems]), key: credential.privateKeyPem, ca };
      }
    }
    return Object.freeze(identities) as Identities;
  }
  // Issued on first use (LeanPki.variants): the catalogue's identities are getters, so a suite
  // that never presents a bad certificate never pays for it.
  const variantNamed = (name: string) => pki.variants.find((variant) => variant.name === name);
  const lazily = (name: string, identity: () => Identity) => {
    let value: Identity | undefined;
    Object.defineProperty(identities, name, { enumerable: true, get: () => (value ??= identity()) });
  };
  for (const name of VARIANT_NAMES) {
    lazily(name, () => {
      const credential = variantNamed(name)?.credential;
      return credential ? { cert: credential.certificatePem, key: credential.privateKeyPem, ca } : { ca };
    });
    if (!VARIANTS_WITH_CHAIN.includes(name)) continue;
    lazily(`${name}+chain`, () => {
      const variant = variantNamed(name)!;
      const credential = variant.credential!;
      return { cert: joinPem([credential.certificatePem, ...(variant.chainPems ?? [])]), key: credential.privateKeyPem, ca };
    });
  }
  return Object.freeze(identities) as Identities;
}

/** The identity called `name`, or an error listing the names there are. */
export function identityNamed(identities: Identities, name: IdentityName): Identity {
  const found = Object.hasOwn(identities, name) ? identities[name] : undefined;
  if (!found) throw new Error(`lean-mock/testing: no identity "${name}" (known: ${Object.keys(identities).join(', ')})`);
  return found;
}
