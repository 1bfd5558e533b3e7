import type { VariantName } from '../../pki/catalogue.js';
import { TLS_ALERT_NAMES as ALERT_NAMES } from '../../tls-alerts.js';

/** `certificate expired alert (45)` */
export function alertLabel(alert: number): string {
  return `${(ALERT_NAMES[alert] ?? 'unknown').replace(/_/g, ' ')} alert (${alert})`;
}

export interface AlertMeaning {
  /** What the alert says about our client certificate, in plain words. */
  readonly meaning: string;
  /** The catalogue variant it usually means, if any. */
  readonly variant?: VariantName;
  /** The server's own refusal of our certificate (as opposed to a protocol or configuration problem). */
  readonly refusesCertificate: boolean;
}

/** What an alert from the server means for a client presenting a certificate (or none). */
export function alertMeaning(alert: number, sentCertificate: boolean): AlertMeaning {
  const refused = (meaning: string, variant?: VariantName): AlertMeaning => ({ meaning, variant, refusesCertificate: true });
  switch (alert) {
    case 116:
      return refused('the server requires a client certificate and we sent none', 'no_certificate');
    case 40:
      return sentCertificate
        ? { meaning: 'the server refused the handshake: no common cipher suite or signature algorithm, or it refused our certificate', refusesCertificate: false }
        : refused('the server requires a client certificate and we sent none', 'no_certificate');
    case 42:
      return refused('the server refused our certificate (bad certificate): often a self-signed certificate or one it cannot verify');
    case 43:
      return refused('the server refused our certificate as unusable for client authentication: check its key usage and extended key usage', 'wrong_purpose');
    case 44:
      return refused('the server says our certificate is revoked', 'revoked');
    case 45:
      return refused('the server says our certificate is expired or not yet valid', 'expired');
    case 46:
      return refused('the server refused our certificate without a specific reason (certificate unknown)');
    case 48:
      return refused('the server does not trust the CA that issued our certificate, or misses an intermediate we did not send', 'unknown_ca');
    case 49:
      return refused('the server verified our certificate but denies this client access');
    case 51:
      return refused('the server could not verify our handshake signature: is the key the certificate\'s own?');
    case 70:
      return { meaning: 'the server does not offer this TLS version', refusesCertificate: false };
    case 112:
      return { meaning: 'the server does not serve the host name we asked for (SNI)', refusesCertificate: false };
    default:
      return { meaning: `the server aborted the handshake with a ${(ALERT_NAMES[alert] ?? 'unknown').replace(/_/g, ' ')} alert`, refusesCertificate: false };
  }
}
