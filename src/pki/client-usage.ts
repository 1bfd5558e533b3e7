import type { KeyUsageName } from './certificate-facts.js';

/**
 * The one rule for "may this certificate authenticate a TLS client?", shared by the gate (to say
 * why OpenSSL refused it) and the doctor (to predict whether a server will): OpenSSL's `sslclient`
 * purpose check, which is what the gate enforces.
 *
 * - An extended key usage, when present, must name clientAuth; anyExtendedKeyUsage alone is not
 *   enough for OpenSSL.
 * - A key usage, when present, must allow digitalSignature or keyAgreement.
 * - CA:TRUE alone does not refuse a leaf: OpenSSL accepts a CA certificate whose usages allow
 *   client authentication. When a usage refuses it, a CA certificate is `ca_certificate` (someone
 *   presented a certificate from the chain), any other `wrong_purpose`.
 */
export interface UsageFacts {
  readonly ca: boolean;
  readonly keyUsage: readonly KeyUsageName[] | null;
  readonly extendedKeyUsage: readonly string[] | null;
}

export type UsageFault = 'extended_key_usage' | 'key_usage';

export interface UsageJudgement {
  /** Null when the certificate may authenticate a client. */
  readonly reason: 'wrong_purpose' | 'ca_certificate' | null;
  /** Which usages refuse it (empty when accepted). */
  readonly faults: readonly UsageFault[];
  /** Accepted, but only because keyAgreement stands in for digitalSignature: stricter servers (Java) refuse it. */
  readonly keyAgreementOnly: boolean;
}

export const CLIENT_AUTH = '1.3.6.1.5.5.7.3.2';
export const ANY_EXTENDED_KEY_USAGE = '2.5.29.37.0';

export function judgeClientUsage(facts: UsageFacts): UsageJudgement {
  const faults: UsageFault[] = [];
  if (facts.extendedKeyUsage && !facts.extendedKeyUsage.includes(CLIENT_AUTH)) faults.push('extended_key_usage');
  const signs = facts.keyUsage === null || facts.keyUsage.includes('digitalSignature');
  const agrees = facts.keyUsage?.includes('keyAgreement') ?? false;
  if (!signs && !agrees) faults.push('key_usage');
  return {
    reason: faults.length === 0 ? null : facts.ca ? 'ca_certificate' : 'wrong_purpose',
    faults,
    keyAgreementOnly: !signs && agrees,
  };
}

const EXTENDED_KEY_USAGE_NAMES: Record<string, string> = {
  '1.3.6.1.5.5.7.3.1': 'serverAuth',
  [CLIENT_AUTH]: 'clientAuth',
  '1.3.6.1.5.5.7.3.3': 'codeSigning',
  '1.3.6.1.5.5.7.3.4': 'emailProtection',
  '1.3.6.1.5.5.7.3.8': 'timeStamping',
  '1.3.6.1.5.5.7.3.9': 'OCSPSigning',
  [ANY_EXTENDED_KEY_USAGE]: 'anyExtendedKeyUsage',
};

/** `clientAuth`, `serverAuth`, …; an unnamed purpose by its OID. */
export function extendedKeyUsageName(oid: string): string {
  return EXTENDED_KEY_USAGE_NAMES[oid] ?? oid;
}

/** One sentence per usage that refuses client authentication: the gate's, the inspector's and the doctor's words. */
export function describeUsageFaults(facts: UsageFacts): string[] {
  const judgement = judgeClientUsage(facts);
  return judgement.faults.map((fault) => {
    if (fault === 'extended_key_usage') {
      const names = (facts.extendedKeyUsage ?? []).map(extendedKeyUsageName).join(', ');
      const any = facts.extendedKeyUsage?.includes(ANY_EXTENDED_KEY_USAGE) ? ' (anyExtendedKeyUsage does not stand in for it)' : '';
      return `its extended key usage (${names}) lacks clientAuth${any}`;
    }
    return `its key usage (${(facts.keyUsage ?? []).join(', ') || 'nothing'}) allows neither digitalSignature nor keyAgreement, so the key may not sign the handshake`;
  });
}
