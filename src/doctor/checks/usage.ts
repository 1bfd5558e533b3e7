import { certificateFacts, type CertificateFacts } from '../../pki/certificate-facts.js';
import { ANY_EXTENDED_KEY_USAGE, CLIENT_AUTH, extendedKeyUsageName, judgeClientUsage, type UsageJudgement } from '../../pki/client-usage.js';
import type { ClientMaterial } from '../load/client.js';
import { finding, variantFailure } from '../report.js';
import type { Finding } from '../types.js';
import { subjectOf } from '../words.js';
import { noCertificate } from './skipped.js';

const APP_CERTIFICATE = 'the application certificate, my_app_cert.crt';

/**
 * `extended_key_usage`, `key_usage` and `basic_constraints`: is this a certificate a client may
 * authenticate with? Judged by the rule the gate enforces (src/pki/client-usage.ts), so the
 * doctor predicts exactly the gate's verdict: a failing finding carries the reason it journals.
 */
export function checkUsage(material: ClientMaterial): Finding[] {
  const leaf = material.leaf;
  if (!leaf) return (['extended_key_usage', 'key_usage', 'basic_constraints'] as const).map((check) => noCertificate(check, material));
  const facts = certificateFacts(new Uint8Array(leaf.raw));
  const judgement = judgeClientUsage(facts);
  return [extendedKeyUsage(facts, judgement), keyUsage(facts, judgement), basicConstraints(facts, judgement, subjectOf(leaf))];
}

function extendedKeyUsage(facts: CertificateFacts, judgement: UsageJudgement): Finding {
  const usages = facts.extendedKeyUsage;
  if (!usages) return finding('extended_key_usage', 'pass', 'no extended key usage extension: every purpose is allowed, clientAuth included');
  const names = usages.map(extendedKeyUsageName).join(', ');
  if (usages.includes(CLIENT_AUTH)) return finding('extended_key_usage', 'pass', `extended key usage ${names}: includes client authentication`);
  const any = usages.includes(ANY_EXTENDED_KEY_USAGE)
    ? '; anyExtendedKeyUsage does not stand in for clientAuth with OpenSSL-based servers such as lean-mock'
    : '';
  return variantFailure(
    'extended_key_usage',
    judgement.reason ?? 'wrong_purpose',
    `extended key usage is ${names} only: not valid for client authentication (clientAuth)${any}; servers refuse it as a client certificate`,
    'Use a certificate whose extended key usage includes clientAuth.',
  );
}

function keyUsage(facts: CertificateFacts, judgement: UsageJudgement): Finding {
  const usages = facts.keyUsage;
  if (!usages) return finding('key_usage', 'pass', 'no key usage extension: every use of the key is allowed');
  const names = usages.join(', ') || 'nothing';
  if (usages.includes('digitalSignature')) {
    return finding('key_usage', 'pass', `key usage ${names}: allows the digital signature a client makes in the handshake`);
  }
  const fix = `Use a client certificate whose key usage includes digitalSignature (${APP_CERTIFICATE}).`;
  if (judgement.keyAgreementOnly) {
    return finding('key_usage', 'warn', `key usage is ${names}, without digitalSignature: OpenSSL-based servers such as lean-mock accept keyAgreement for a client, stricter ones (Java) refuse it`, { fix });
  }
  return variantFailure(
    'key_usage',
    judgement.reason ?? 'wrong_purpose',
    `key usage is ${names}, without digitalSignature or keyAgreement: the key may not sign the handshake, so TLS servers refuse it`,
    fix,
  );
}

function basicConstraints(facts: CertificateFacts, judgement: UsageJudgement, subject: string): Finding {
  if (!facts.ca) return finding('basic_constraints', 'pass', 'not a CA certificate (basic constraints CA:FALSE or absent), as a client certificate must be');
  if (judgement.reason === 'ca_certificate') {
    return variantFailure(
      'basic_constraints',
      'ca_certificate',
      `${subject} is a CA certificate (basic constraints CA:TRUE), not a client certificate: present ${APP_CERTIFICATE}`,
    );
  }
  return finding(
    'basic_constraints',
    'warn',
    `${subject} is a CA certificate (basic constraints CA:TRUE): OpenSSL-based servers such as lean-mock accept it because its usages allow client authentication, but a client certificate should not be a CA`,
    { fix: `Present ${APP_CERTIFICATE}.` },
  );
}
