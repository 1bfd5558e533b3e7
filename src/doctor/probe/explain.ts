import type { VariantName } from '../../pki/catalogue.js';
import { fixOf } from '../../pki/catalogue.js';
import { finding } from '../report.js';
import type { DoctorCheck, Finding } from '../types.js';
import { alertLabel, alertMeaning } from './alerts.js';
import type { ProbeOutcome, TlsFacts, TlsVersion } from './connect.js';

export interface HandshakeContext {
  readonly host: string;
  readonly port: number;
  readonly timeoutMs: number;
  readonly sentCertificate: boolean;
  readonly caGiven: boolean;
  /** `--insecure` with an app token: the token goes with the request to a server that was not verified. */
  readonly appTokenUnverified: boolean;
  /** Offline findings that failed: a server that refuses without a reason is most likely refusing for one of them. */
  readonly offlineFailures: readonly Finding[];
}

export interface HandshakeVerdict {
  readonly finding: Finding;
  /** The server does not offer this version (a warning while the other version works). */
  readonly versionUnsupported: boolean;
}

const VERSION_CODES = new Set(['ERR_SSL_UNSUPPORTED_PROTOCOL', 'ERR_SSL_NO_PROTOCOLS_AVAILABLE', 'ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION']);
const SERVER_TRUST: Record<string, string> = {
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'its issuer is not among the CAs trusted',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'its issuer is not among the CAs trusted',
  UNABLE_TO_GET_ISSUER_CERT: 'its issuer is not among the CAs trusted',
  SELF_SIGNED_CERT_IN_CHAIN: 'its chain ends at a root that is not trusted',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'it is self-signed',
  CERT_HAS_EXPIRED: 'it has expired',
  CERT_NOT_YET_VALID: 'it is not valid yet',
  CERT_REVOKED: 'it is revoked',
};

/** One `handshake_tls1_x` finding from how far the connection got, saying whether the app token went to an unverified server. */
export function explainHandshake(version: TlsVersion, outcome: ProbeOutcome, context: HandshakeContext): HandshakeVerdict {
  const verdict = howFar(version, outcome, context);
  // An answered request says so in its own message (see howFar); these stopped after the request went out.
  const cutShort = (outcome.stage === 'after_handshake' || outcome.stage === 'timeout') && outcome.requestSent;
  if (!context.appTokenUnverified || !cutShort) return verdict;
  const { finding: entry } = verdict;
  const message = `${entry.message}; the app token was sent to this unverified server (--insecure) before it ${outcome.stage === 'timeout' ? 'stopped answering' : 'closed the connection'}`;
  return { ...verdict, finding: finding(entry.check, entry.status, message, { fix: withTokenFix(entry.fix), variant: entry.variant }) };
}

function withTokenFix(fix: string | undefined): string {
  return `${fix ? `${fix} ` : ''}If this server may not be the one you meant, rotate the app token in the Lean portal.`;
}

function howFar(version: TlsVersion, outcome: ProbeOutcome, context: HandshakeContext): HandshakeVerdict {
  const check: DoctorCheck = version === '1.2' ? 'handshake_tls1_2' : 'handshake_tls1_3';
  const verdict = (entry: Finding, versionUnsupported = false): HandshakeVerdict => ({ finding: entry, versionUnsupported });
  const where = `${context.host}:${context.port}`;
  const seconds = `${context.timeoutMs / 1000} s`;
  switch (outcome.stage) {
    case 'client':
      return verdict(
        finding(check, 'skip', /key values mismatch/i.test(outcome.message)
          ? `not attempted: the TLS client cannot use this certificate and key (${outcome.message}); see key_matches_certificate`
          : `not attempted: the client could not start (${outcome.message})`),
      );
    case 'connect':
      return verdict(connectFailure(check, outcome.code, where));
    case 'timeout':
      if (outcome.during === 'response' && outcome.tls) {
        return verdict(finding(check, 'warn', `${completed(version, outcome.tls)}, but no HTTP answer came within ${seconds}: whether the server accepted our certificate is unknown`, {
          fix: 'Check that the URL points to an HTTP server, or raise --timeout.',
        }));
      }
      return verdict(finding(check, 'fail', outcome.during === 'connect' ? `no TCP connection to ${where} within ${seconds}` : `connected to ${where}, but the TLS handshake did not finish within ${seconds}`, {
        fix: outcome.during === 'connect' ? 'Check the host and port in --url, and any firewall between here and the server.' : 'Check that this port speaks TLS (https).',
      }));
    case 'server_untrusted': {
      const why = SERVER_TRUST[outcome.reason] ?? outcome.reason;
      const fix = context.caGiven
        ? `--ca does not hold the CA that issued the server's certificate (${outcome.tls.server.issuer}): pass the server's CA chain with --ca (for Lean: lean_public_cert_chain.pem), or --insecure to skip this check.`
        : "Pass the server's CA with --ca (for Lean and lean-mock: lean_public_cert_chain.pem), or --insecure to skip this check.";
      return verdict(finding(check, 'fail', `the server's certificate is not trusted (${why}, ${outcome.reason}): it is ${outcome.tls.server.subject}, issued by ${outcome.tls.server.issuer}`, { fix }));
    }
    case 'hostname':
      return verdict(finding(check, 'fail', `the server's certificate is for ${outcome.tls.server.altNames || outcome.tls.server.subject}, not for ${context.host}`, {
        fix: 'Use one of the names the certificate covers in --url (add it to /etc/hosts if needed).',
      }));
    case 'handshake':
    case 'after_handshake': {
      const versionIssue = outcome.alert === 70 || VERSION_CODES.has(outcome.code);
      if (versionIssue) {
        return verdict(finding(check, 'warn', `the server does not offer TLS ${version} (${outcome.alert ? alertLabel(outcome.alert) : outcome.code})`, {
          fix: `Clients limited to TLS ${version} cannot connect to it.`,
        }), true);
      }
      if (outcome.code === 'ERR_SSL_WRONG_VERSION_NUMBER' || /wrong version number/i.test(outcome.message)) {
        return verdict(finding(check, 'fail', `${where} does not speak TLS (plain HTTP on this port?)`, { fix: 'Use the https port of the server in --url.' }));
      }
      return verdict(refusal(check, version, outcome, context));
    }
    case 'answered': {
      const server = `server ${outcome.tls.server.subject.split(', ').find((part) => part.startsWith('CN=')) ?? outcome.tls.server.subject}`;
      const tokenSent = context.appTokenUnverified ? ', and the app token was sent to this unverified server' : '';
      const trust = outcome.verified ? `${server} verified` : `${server} NOT verified (--insecure)${tokenSent}`;
      const ok = outcome.status >= 200 && outcome.status < 400;
      const client = !context.sentCertificate
        ? `no client certificate sent, and the server answered HTTP ${outcome.status} without one`
        : ok ? `the server accepted our certificate and answered HTTP ${outcome.status}` : `the server answered HTTP ${outcome.status} (see banks_request)`;
      const message = `${completed(version, outcome.tls)}; ${trust}; ${client}`;
      const fix = 'Pass the server\'s CA with --ca instead of --insecure to check whom you talk to.';
      return verdict(outcome.verified ? finding(check, 'pass', message) : finding(check, 'warn', message, { fix: context.appTokenUnverified ? withTokenFix(fix) : fix }));
    }
  }
}

function completed(version: TlsVersion, tls: TlsFacts): string {
  return `TLS ${version} handshake completed (${tls.cipher})`;
}

function connectFailure(check: DoctorCheck, code: string, where: string): Finding {
  if (code === 'ECONNREFUSED') return finding(check, 'fail', `connection refused: nothing listens on ${where}`, { fix: 'Start the server, or check the host and port in --url.' });
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return finding(check, 'fail', `cannot resolve the host name of ${where} (${code})`, { fix: 'Check the host name in --url (or add it to /etc/hosts).' });
  }
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return finding(check, 'fail', `${where} is unreachable (${code})`, { fix: 'Check the host in --url and the network route to it.' });
  return finding(check, 'fail', `cannot connect to ${where} (${code})`, { fix: 'Check the host and port in --url.' });
}

/** The server stopped the handshake or the connection: say what it said, and what the offline checks suspect. */
function refusal(
  check: DoctorCheck,
  version: TlsVersion,
  outcome: Extract<ProbeOutcome, { stage: 'handshake' | 'after_handshake' }>,
  context: HandshakeContext,
): Finding {
  const suspect = context.offlineFailures[0];
  const hint = suspect
    ? `the offline checks say why (${[suspect, ...context.offlineFailures.slice(1)].map((f) => f.check).join(', ')}): ${suspect.message}`
    : 'the offline checks found nothing wrong with the certificate itself: the server may not trust its CA, may want the intermediate sent along (leaf + chain in --cert), or may have revoked it (check with --crl)';
  const when = outcome.stage === 'after_handshake' ? `after the TLS ${version} handshake` : `during the TLS ${version} handshake`;
  if (outcome.alert !== null) {
    const meaning = alertMeaning(outcome.alert, context.sentCertificate);
    const variant = meaning.variant === 'no_certificate' ? meaning.variant : (suspect?.variant ?? meaning.variant);
    const message = `the server sent a ${alertLabel(outcome.alert)} ${when}: ${meaning.meaning}${meaning.refusesCertificate && context.sentCertificate ? `; ${hint}` : ''}`;
    return refused(check, message, variant, suspect);
  }
  if (!context.sentCertificate) {
    return refused(check, `the server closed the connection ${when} without a word, and we sent no certificate: it most likely requires one`, 'no_certificate', undefined);
  }
  const silently =
    outcome.stage === 'after_handshake'
      ? `the TLS ${version} handshake completed, then the server closed the connection without answering (${outcome.code}): that is how a TLS 1.3 server refuses a client certificate without saying why`
      : `the server closed the connection during the TLS ${version} handshake, after receiving our certificate, without a TLS alert (${outcome.code}): it refused the certificate without saying why`;
  return refused(check, `${silently}; ${hint}`, suspect?.variant, suspect);
}

function refused(check: DoctorCheck, message: string, variant: VariantName | undefined, suspect: Finding | undefined): Finding {
  // The offline finding's own fix names the facts (e.g. the missing intermediate); prefer it when it is the same diagnosis.
  const fix =
    suspect?.fix && (variant === undefined || suspect.variant === variant)
      ? suspect.fix
      : variant
        ? fixOf(variant)
        : 'Ask the server operator which CAs it trusts for client certificates, and whether it checks revocation.';
  return finding(check, 'fail', message, { fix, variant });
}
