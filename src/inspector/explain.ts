import { relativeTo } from '../wording.js';
import type { ClientCertificateInfo, HandshakeRecord, RequestRecord } from '../gateway/journal.js';
import { fixOf } from '../pki/catalogue.js';
import { INVALID_CERTIFICATE_FIX } from '../pki/certificate-facts.js';
import { explainServerVariant } from './explain-server-variants.js';

/** Why something was refused, in plain words, with what to do about it. */
export interface Explanation {
  /** The journal's stable reason, e.g. `expired`. */
  reason: string;
  /** What happened, with the facts of this record (names, dates). */
  summary: string;
  /** What the user should change. */
  fix: string;
}

export interface ExplainContext {
  /** "30 days ago" is counted from here. */
  now: Date;
  /** The app whose files are the top-level `my_app_*` ones (the PKI's first app). */
  defaultApp?: string | null;
}

/** `CN=…` of a distinguished name as the journal formats it, or the whole name without one. */
export function commonNameOf(name: string): string {
  const cn = /(?:^|, )CN=([^,]*)/.exec(name)?.[1];
  return cn === undefined ? name : `CN=${cn}`;
}

/**
 * `2026-10-23 (30 days ago)`, `2027-11-22 (in 365 days)`: the doctor's words (whole days elapsed,
 * rounded down), so a certificate reads the same in both.
 */
export function dayWithDistance(iso: string, now: Date): string {
  return `${iso.slice(0, 10)} (${relativeTo(new Date(iso), now)})`;
}

/** The files of an app's certificate folder that carry its chain (see `writePkiFolder`). */
function chainFilesOf(app: string, defaultApp: string | null | undefined): string {
  return app === defaultApp ? 'my_app_cert_and_chain.crt (or my_app.p12)' : `apps/${app}/cert_and_chain.crt (or apps/${app}/app.p12)`;
}

function certificateFacts(client: ClientCertificateInfo | null, record: Pick<HandshakeRecord, 'reason' | 'raw_code' | 'app'>, context: ExplainContext): Explanation | null {
  const who = client ? `The client certificate (${commonNameOf(client.subject)})` : 'The client certificate';
  const issuer = client ? commonNameOf(client.issuer) : 'its issuer';
  switch (record.reason) {
    case 'no_certificate':
      return {
        reason: 'no_certificate',
        summary: 'The client sent no certificate, though the server asked for one (as Lean’s mTLS host does).',
        fix: fixOf('no_certificate'),
      };
    case 'expired':
      return {
        reason: 'expired',
        summary: client?.not_after ? `${who} expired on ${dayWithDistance(client.not_after, context.now)}.` : `${who} has expired.`,
        fix: fixOf('expired'),
      };
    case 'not_yet_valid':
      return {
        reason: 'not_yet_valid',
        summary: client?.not_before ? `${who} is valid only from ${dayWithDistance(client.not_before, context.now)}.` : `${who} is not valid yet.`,
        fix: fixOf('not_yet_valid'),
      };
    case 'unknown_ca':
      return { reason: 'unknown_ca', summary: `${who} was issued by ${issuer}, which the server does not trust.`, fix: fixOf('unknown_ca') };
    case 'self_signed':
      return { reason: 'self_signed', summary: `${who} is self-signed: no CA the server trusts issued it.`, fix: fixOf('self_signed') };
    case 'wrong_purpose': {
      // The journal's fault sentences say which usage refuses it: extended key usage, key usage, or both.
      const faults = client?.faults ?? [];
      const keyUsageOnly = faults.length > 0 && faults.every((fault) => fault.startsWith('its key usage'));
      return {
        reason: 'wrong_purpose',
        summary: `${who} may not be used by a client: ${faults.length > 0 ? faults.join('; ') : 'its extended key usage lacks clientAuth'}.`,
        fix: keyUsageOnly
          ? 'Use a certificate whose key usage includes digitalSignature: the application certificate (my_app_cert.crt) has it.'
          : fixOf('wrong_purpose'),
      };
    }
    case 'invalid_certificate':
      return {
        reason: 'invalid_certificate',
        summary: `${who} was refused for its own content: ${client && client.faults.length > 0 ? client.faults.join('; ') : `OpenSSL reported ${record.raw_code ?? 'a malformed field'}`}.`,
        fix: INVALID_CERTIFICATE_FIX,
      };
    case 'ca_certificate':
      return {
        reason: 'ca_certificate',
        summary: `The certificate presented (${client ? commonNameOf(client.subject) : 'a CA'}) is a CA certificate, not a client certificate.`,
        fix: fixOf('ca_certificate'),
      };
    case 'revoked':
      return {
        reason: 'revoked',
        summary: `${who}${client ? `, serial ${client.serial},` : ''} has been revoked: ${issuer}'s revocation list names it.`,
        fix: fixOf('revoked'),
      };
    case 'incomplete_chain':
      return {
        reason: 'incomplete_chain',
        summary: `The intermediate that issued ${client ? commonNameOf(client.subject) : 'the client certificate'} (${issuer}) was not sent, and the server does not hold it.`,
        fix: record.app
          ? `Send the chain too: use ${chainFilesOf(record.app, context.defaultApp)}.`
          : `${fixOf('incomplete_chain')}${context.defaultApp ? ` For ${context.defaultApp}'s certificate, use ${chainFilesOf(context.defaultApp, context.defaultApp)}.` : ''}`,
      };
    case 'handshake_failed':
      return explainFailedHandshake(record.raw_code);
    default:
      return null;
  }
}

/** A handshake that broke down before any certificate could be judged: the raw code says how. */
function explainFailedHandshake(rawCode: string | null): Explanation {
  const code = rawCode ?? '';
  const said = (summary: string, fix: string): Explanation => ({
    reason: 'handshake_failed',
    summary: code ? `${summary} (${code})` : summary,
    fix,
  });
  if (/HTTP_REQUEST|HTTPS_PROXY_REQUEST/.test(code)) {
    return said('The client spoke plain HTTP to the TLS port.', 'Call https://, not http://: this port speaks TLS only.');
  }
  if (/SHARED_CIPHER|NO_CIPHER|SIGALG|GROUP/.test(code)) {
    return said('The client and the server have no cipher suite in common.', 'Allow ECDHE suites with TLS 1.2, or TLS 1.3, in the client; the server key is EC P-256 unless built with --key-type rsa.');
  }
  if (/PROTOCOL|VERSION/.test(code)) {
    return said('The client and the server have no TLS version in common.', 'Let the client use TLS 1.2 or 1.3, within the server’s --tls-min/--tls-max.');
  }
  if (/ECONNRESET|EPIPE|HANG|TIMEOUT|ETIMEDOUT/i.test(code)) {
    return said(
      'The client hung up in the middle of the handshake.',
      'Look at the client’s own error: it usually refused the server certificate (trust lean_public_cert_chain.pem) or could not use its own key.',
    );
  }
  return said('The TLS handshake failed before the client certificate could be checked.', 'Check the client’s TLS settings and its own error message.');
}

/** Why a handshake was rejected; null for an accepted one. */
export function explainHandshake(record: HandshakeRecord, context: ExplainContext): Explanation | null {
  // On a bad-server-certificate listener it is the client that is judged, whatever the handshake did.
  if (record.server_variant !== undefined) return explainServerVariant(record);
  if (record.verdict === 'accepted') return null;
  return certificateFacts(record.client, record, context);
}

/**
 * Why a request was refused; null when it was not refused for its certificate or credentials.
 * `handshake` is the handshake the request rode on, when the journal still holds it.
 */
export function explainRequest(record: RequestRecord, handshake: HandshakeRecord | undefined, context: ExplainContext): Explanation | null {
  const certificate = handshake?.client ?? null;
  const presented = certificate ? `the client certificate (${commonNameOf(certificate.subject)})` : 'the client certificate';
  switch (record.reason) {
    case null:
      return null;
    case 'token_mismatch': {
      const owner = handshake?.app ? `belongs to ${handshake.app}` : 'belongs to no app';
      return {
        reason: 'token_mismatch',
        summary: `The credentials are ${record.app ?? 'another app'}’s, but ${presented} ${owner}.`,
        fix: `Call with the certificate issued for ${record.app ?? 'the app'} (its cert.crt and key.pem), or with the credentials of the app the certificate was issued for.`,
      };
    }
    case 'missing_credentials':
      return {
        reason: 'missing_credentials',
        summary: 'The request carried neither a lean-app-token header nor an Authorization: Bearer token.',
        fix: 'Send lean-app-token: <app_token> (manifest.json apps[].app_token), or get a token from POST /oauth2/token and send Authorization: Bearer <access_token>.',
      };
    case 'invalid_token':
      return record.status === 403
        ? {
            reason: 'invalid_token',
            summary: 'A customer-scoped bearer token (scope customer.<id>) was used on the backend API.',
            fix: 'Request a token with scope=api from POST /oauth2/token for server-to-server calls.',
          }
        : {
            reason: 'invalid_token',
            summary: 'The credentials were refused: an unknown lean-app-token, or a bearer token that is malformed, expired or not signed by this mock.',
            fix: 'Use the app_token from manifest.json, or a fresh access token from POST /oauth2/token (they last an hour).',
          };
    default: {
      // Refused for its certificate (`--reject http`): the handshake has the facts.
      return certificateFacts(certificate, { reason: record.reason, raw_code: handshake?.raw_code ?? null, app: handshake?.app ?? record.app }, context);
    }
  }
}
