import * as x509 from '@peculiar/x509';
import type { ClientMaterial } from '../load/client.js';
import { finding, variantFailure } from '../report.js';
import type { Finding } from '../types.js';
import { subjectOf } from '../words.js';
import { noCertificate } from './skipped.js';

const ANY_EXTENDED_KEY_USAGE = '2.5.29.37.0';
const EKU_NAMES: Record<string, string> = {
  [x509.ExtendedKeyUsage.serverAuth]: 'serverAuth',
  [x509.ExtendedKeyUsage.clientAuth]: 'clientAuth',
  [x509.ExtendedKeyUsage.codeSigning]: 'codeSigning',
  [x509.ExtendedKeyUsage.emailProtection]: 'emailProtection',
  [x509.ExtendedKeyUsage.timeStamping]: 'timeStamping',
  [x509.ExtendedKeyUsage.ocspSigning]: 'OCSPSigning',
  [ANY_EXTENDED_KEY_USAGE]: 'anyExtendedKeyUsage',
};
const KEY_USAGE_NAMES: [x509.KeyUsageFlags, string][] = [
  [x509.KeyUsageFlags.digitalSignature, 'digitalSignature'],
  [x509.KeyUsageFlags.nonRepudiation, 'nonRepudiation'],
  [x509.KeyUsageFlags.keyEncipherment, 'keyEncipherment'],
  [x509.KeyUsageFlags.dataEncipherment, 'dataEncipherment'],
  [x509.KeyUsageFlags.keyAgreement, 'keyAgreement'],
  [x509.KeyUsageFlags.keyCertSign, 'keyCertSign'],
  [x509.KeyUsageFlags.cRLSign, 'cRLSign'],
  [x509.KeyUsageFlags.encipherOnly, 'encipherOnly'],
  [x509.KeyUsageFlags.decipherOnly, 'decipherOnly'],
];

/** `extended_key_usage`, `key_usage` and `basic_constraints`: is this a certificate a client may authenticate with? */
export function checkUsage(material: ClientMaterial): Finding[] {
  const leaf = material.leaf;
  if (!leaf) return (['extended_key_usage', 'key_usage', 'basic_constraints'] as const).map((check) => noCertificate(check, material));
  const parsed = new x509.X509Certificate(new Uint8Array(leaf.raw));
  return [extendedKeyUsage(parsed), keyUsage(parsed), basicConstraints(parsed, subjectOf(leaf))];
}

function extendedKeyUsage(certificate: x509.X509Certificate): Finding {
  const extension = certificate.getExtension(x509.ExtendedKeyUsageExtension);
  if (!extension) return finding('extended_key_usage', 'pass', 'no extended key usage extension: every purpose is allowed, clientAuth included');
  const usages = extension.usages.map((usage) => String(usage));
  const names = usages.map((oid) => EKU_NAMES[oid] ?? oid).join(', ');
  if (usages.includes(x509.ExtendedKeyUsage.clientAuth) || usages.includes(ANY_EXTENDED_KEY_USAGE)) {
    return finding('extended_key_usage', 'pass', `extended key usage ${names}: includes client authentication`);
  }
  return variantFailure(
    'extended_key_usage',
    'wrong_purpose',
    `extended key usage is ${names} only: not valid for client authentication (clientAuth); servers refuse it as a client certificate`,
  );
}

function keyUsage(certificate: x509.X509Certificate): Finding {
  const extension = certificate.getExtension(x509.KeyUsagesExtension);
  if (!extension) return finding('key_usage', 'pass', 'no key usage extension: every use of the key is allowed');
  const names = KEY_USAGE_NAMES.filter(([flag]) => (extension.usages & flag) !== 0).map(([, name]) => name).join(', ') || 'nothing';
  if ((extension.usages & x509.KeyUsageFlags.digitalSignature) !== 0) {
    return finding('key_usage', 'pass', `key usage ${names}: allows the digital signature a client makes in the handshake`);
  }
  return finding('key_usage', 'fail', `key usage is ${names}, without digitalSignature: the key may not sign the handshake, so TLS servers refuse it`, {
    fix: 'Use a client certificate whose key usage includes digitalSignature (the application certificate, my_app_cert.crt).',
  });
}

function basicConstraints(certificate: x509.X509Certificate, subject: string): Finding {
  const extension = certificate.getExtension(x509.BasicConstraintsExtension);
  if (!extension?.ca) return finding('basic_constraints', 'pass', 'not a CA certificate (basic constraints CA:FALSE or absent), as a client certificate must be');
  return variantFailure(
    'basic_constraints',
    'ca_certificate',
    `${subject} is a CA certificate (basic constraints CA:TRUE), not a client certificate: present the application certificate my_app_cert.crt`,
  );
}
