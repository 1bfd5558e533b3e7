import { createPublicKey, type KeyObject, type X509Certificate } from 'node:crypto';
import type { ClientMaterial } from '../load/client.js';
import { finding, variantFailure } from '../report.js';
import type { Finding } from '../types.js';
import { describeKey, shortName, subjectOf } from '../words.js';
import { noCertificate } from './skipped.js';

/** `key_matches_certificate`: the key's public half must be the certificate's public key. */
export function checkKeyMatch(material: ClientMaterial): Finding {
  const { leaf, key } = material;
  if (!leaf) return noCertificate('key_matches_certificate', material);
  if (!key) return finding('key_matches_certificate', 'skip', 'not checked: the private key could not be read (see key_format)');
  if (owns(key, leaf)) {
    return finding('key_matches_certificate', 'pass', `the private key belongs to ${shortName(leaf.subject)} (${describeKey(key)})`);
  }
  const owner = material.sent.find((certificate) => owns(key, certificate));
  const whose = owner ? `; it belongs to ${shortName(owner.subject)}, further down the certificate file` : '';
  return variantFailure(
    'key_matches_certificate',
    'key_mismatch',
    `the private key (${describeKey(key)}) does not belong to the certificate ${subjectOf(leaf)} (${describeKey(leaf.publicKey)}): their public keys differ${whose}; clients refuse to load the pair`,
  );
}

function owns(key: KeyObject, certificate: X509Certificate): boolean {
  const spki = (k: KeyObject): Buffer => k.export({ type: 'spki', format: 'der' });
  return spki(createPublicKey(key)).equals(spki(certificate.publicKey));
}
