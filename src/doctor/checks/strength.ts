import type { KeyObject } from 'node:crypto';
import forge from 'node-forge';
import type { ClientMaterial } from '../load/client.js';
import { finding } from '../report.js';
import type { Finding } from '../types.js';
import { describeKey, standardCurve } from '../words.js';
import { noCertificate } from './skipped.js';

const MIN_RSA_BITS = 2048;

type Strength = 'strong' | 'weak' | 'broken';

const SIGNATURES: Record<string, [name: string, strength: Strength]> = {
  '1.2.840.113549.1.1.2': ['md2WithRSAEncryption', 'broken'],
  '1.2.840.113549.1.1.4': ['md5WithRSAEncryption', 'broken'],
  '1.2.840.113549.1.1.5': ['sha1WithRSAEncryption', 'broken'],
  '1.2.840.113549.1.1.10': ['RSASSA-PSS', 'strong'],
  '1.2.840.113549.1.1.11': ['sha256WithRSAEncryption', 'strong'],
  '1.2.840.113549.1.1.12': ['sha384WithRSAEncryption', 'strong'],
  '1.2.840.113549.1.1.13': ['sha512WithRSAEncryption', 'strong'],
  '1.2.840.10045.4.1': ['ecdsa-with-SHA1', 'broken'],
  '1.2.840.10045.4.3.2': ['ecdsa-with-SHA256', 'strong'],
  '1.2.840.10045.4.3.3': ['ecdsa-with-SHA384', 'strong'],
  '1.2.840.10045.4.3.4': ['ecdsa-with-SHA512', 'strong'],
  '1.2.840.10040.4.3': ['dsa-with-SHA1', 'broken'],
  '1.3.101.112': ['Ed25519', 'weak'],
  '1.3.101.113': ['Ed448', 'weak'],
};

/** `key_strength` and `signature_algorithm`: what servers and TLS libraries accept today. */
export function checkStrength(material: ClientMaterial): Finding[] {
  const leaf = material.leaf;
  if (!leaf) return [noCertificate('key_strength', material), noCertificate('signature_algorithm', material)];
  return [keyStrength(leaf.publicKey), signatureAlgorithm(leaf.raw)];
}

function keyStrength(publicKey: KeyObject): Finding {
  const described = describeKey(publicKey);
  const type = publicKey.asymmetricKeyType;
  if (type === 'rsa' || type === 'rsa-pss') {
    const bits = publicKey.asymmetricKeyDetails?.modulusLength ?? 0;
    if (bits < MIN_RSA_BITS) {
      return finding('key_strength', 'fail', `${described}: below the ${MIN_RSA_BITS}-bit minimum; OpenSSL 3 and Lean refuse keys this short`, {
        fix: `Generate a new key of at least ${MIN_RSA_BITS} bits (or EC P-256) and a new certificate for it in the Lean portal.`,
      });
    }
    return finding('key_strength', 'pass', `${described}: at least ${MIN_RSA_BITS} bits`);
  }
  if (type === 'ec') {
    if (standardCurve(publicKey)) return finding('key_strength', 'pass', `${described}: a curve every TLS stack accepts`);
    return finding('key_strength', 'warn', `${described}: not one of P-256, P-384, P-521, which many TLS stacks require`, {
      fix: 'Generate the key on P-256 (prime256v1) and get a new certificate for it.',
    });
  }
  if (type === 'ed25519' || type === 'ed448') {
    return finding('key_strength', 'warn', `${described}: strong, but many TLS stacks and gateways do not accept it for client certificates`, {
      fix: 'Use an EC P-256 or RSA 2048 key for a client certificate.',
    });
  }
  return finding('key_strength', 'fail', `${described}: not a key type TLS clients use today`, { fix: 'Use an EC P-256 or RSA 2048 key.' });
}

function signatureAlgorithm(der: Buffer): Finding {
  const oid = signatureOid(der);
  const [name, strength] = (oid && SIGNATURES[oid]) ?? [oid ?? 'unreadable', 'weak'];
  if (strength === 'strong') return finding('signature_algorithm', 'pass', `signed with ${name}`);
  if (strength === 'broken') {
    return finding('signature_algorithm', 'fail', `signed with ${name}: a broken hash that OpenSSL 3 and every modern server refuse`, {
      fix: 'Get the certificate reissued with SHA-256 (any certificate from the Lean portal is).',
    });
  }
  return finding('signature_algorithm', 'warn', `signed with ${name}: not accepted everywhere`, { fix: 'Prefer a certificate signed with SHA-256 (RSA or ECDSA).' });
}

/** Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm AlgorithmIdentifier, signature } */
function signatureOid(der: Buffer): string | null {
  try {
    const certificate = forge.asn1.fromDer(der.toString('binary'), false);
    const algorithm = (certificate.value as forge.asn1.Asn1[])[1];
    const oid = (algorithm?.value as forge.asn1.Asn1[] | undefined)?.[0];
    return oid && typeof oid.value === 'string' ? forge.asn1.derToOid(oid.value) : null;
  } catch {
    return null;
  }
}
