import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import type { KeyType } from './key-types.js';
import { pemBlock, pemBody } from './pem.js';

// Re-exported so the public API keeps naming them here.
export { KEY_TYPES, isKeyType, type KeyType } from './key-types.js';

export type CryptoKey = webcrypto.CryptoKey;
export type CryptoKeyPair = webcrypto.CryptoKeyPair;

const subtle = webcrypto.subtle;
// @peculiar/x509 signs through WebCrypto; Node's own implementation is the fastest one here.
x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

const ALGORITHMS: Record<KeyType, webcrypto.RsaHashedKeyGenParams | (webcrypto.EcKeyGenParams & { hash: string })> = {
  ec: { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' },
  rsa: {
    name: 'RSASSA-PKCS1-v1_5',
    modulusLength: 2048,
    publicExponent: new Uint8Array([1, 0, 1]),
    hash: 'SHA-256',
  },
};

/** The signature algorithm a key of this type signs certificates and CRLs with (always SHA-256). */
export function signingAlgorithm(keyType: KeyType): webcrypto.Algorithm {
  return ALGORITHMS[keyType];
}

export async function generateKeyPair(keyType: KeyType): Promise<CryptoKeyPair> {
  return (await subtle.generateKey(ALGORITHMS[keyType], true, ['sign', 'verify'])) as CryptoKeyPair;
}

/** PKCS#8 PEM ("BEGIN PRIVATE KEY"): the one form every client stack here reads for both key types. */
export async function exportPrivateKeyPem(key: CryptoKey): Promise<string> {
  const der = await subtle.exportKey('pkcs8', key);
  return pemBlock('PRIVATE KEY', Buffer.from(der));
}

/** Re-imports a PKCS#8 key written by {@link exportPrivateKeyPem}, with its public half. */
export async function importKeyPair(privateKeyPem: string, keyType: KeyType): Promise<CryptoKeyPair> {
  const algorithm = ALGORITHMS[keyType];
  const privateKey = await subtle.importKey('pkcs8', pemBody(privateKeyPem), algorithm, true, ['sign']);
  // WebCrypto cannot derive a public key from a private one; a JWK round trip can.
  const jwk = await subtle.exportKey('jwk', privateKey);
  const publicJwk: webcrypto.JsonWebKey =
    keyType === 'ec'
      ? { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y }
      : { kty: jwk.kty, n: jwk.n, e: jwk.e };
  const publicKey = await subtle.importKey('jwk', publicJwk, algorithm, true, ['verify']);
  return { privateKey, publicKey };
}
