import type { HandshakeRecord } from '../gateway/journal.js';
import { serverVariantNamed } from '../pki/server-variants/catalogue.js';

/** The inspector's Explanation shape (explain.ts imports this module, so it is not imported back). */
interface Explanation {
  reason: string;
  summary: string;
  fix: string;
}

/** Where each client stack turns server verification off, and what to do instead. */
export const INSECURE_SETTINGS: readonly { stack: string; setting: string }[] = [
  { stack: 'Node', setting: 'rejectUnauthorized: false (or NODE_TLS_REJECT_UNAUTHORIZED=0)' },
  { stack: 'Python requests', setting: 'verify=False' },
  { stack: 'Go', setting: 'InsecureSkipVerify: true' },
  { stack: 'curl', setting: '-k / --insecure' },
  { stack: 'Ruby', setting: 'verify_mode = OpenSSL::SSL::VERIFY_NONE' },
  { stack: 'Java', setting: 'a trust-all X509TrustManager (or a HostnameVerifier that returns true)' },
];

const INSECURE_FIX =
  `Remove the setting that turns server verification off — ${INSECURE_SETTINGS.map((entry) => `${entry.stack}: ${entry.setting}`).join('; ')} — ` +
  'and trust lean_public_cert_chain.pem instead (Node ca, Python verify=path, Go RootCAs, curl --cacert, Ruby ca_file, Java a truststore holding it).';

/** What a connection to a bad-server-certificate listener says about the client, in plain words. */
export function explainServerVariant(record: HandshakeRecord): Explanation | null {
  const variant = record.server_variant === undefined ? undefined : serverVariantNamed(record.server_variant);
  if (!variant) return null;
  if (record.client_verdict === 'accepted') {
    return {
      reason: 'insecure_client',
      summary: variant.mustRefuse
        ? `The client accepted the ${variant.name} server certificate (${variant.description}) It does not verify the server it talks to: anyone on the path could pose as Lean and read or change its traffic.`
        : `The client accepted the ${variant.name} server certificate (${variant.description}) Clients differ on this one; a strict client reports "${variant.expectedClientError.message}".`,
      fix: variant.mustRefuse ? INSECURE_FIX : 'Nothing is required; raise the client’s security level or load the CRL to refuse it too.',
    };
  }
  const how = record.client_alert ? `with the TLS alert ${record.client_alert}` : 'by closing the connection without an alert';
  return {
    reason: 'client_refused',
    summary: `The client refused the ${variant.name} server certificate ${how}, as a client that verifies the server does.`,
    fix: 'Nothing to fix: this is the behaviour the test looks for.',
  };
}
