import { X509Certificate } from 'node:crypto';
import type { PeerCertificate } from 'node:tls';
import { certificateFacts, describeFault, type CertificateFacts } from '../pki/certificate-facts.js';
import { describeUsageFaults, extendedKeyUsageName, judgeClientUsage } from '../pki/client-usage.js';
import type { TlsRejectionReason } from '../reasons.js';
import type { ClientCertificateInfo, HandshakeFailure } from './journal.js';

/** What the gate concluded about one TLS connection. */
export type Verdict =
  | { verdict: 'accepted'; reason: null; rawCode: null }
  | { verdict: 'rejected'; reason: TlsRejectionReason | HandshakeFailure; rawCode: string | null };

/** The client certificate as captured during the handshake (Node's plain peer-certificate form). */
export type CapturedCertificate = Pick<
  PeerCertificate,
  'subject' | 'issuer' | 'serialNumber' | 'fingerprint256' | 'valid_from' | 'valid_to' | 'raw' | 'ca'
>;

export interface VerdictInput {
  /** `socket.authorizationError` after the handshake, if it completed. */
  authorizationError?: string | null | undefined;
  /** The `code` of a `tlsClientError`, if the handshake itself failed. */
  handshakeErrorCode?: string | undefined;
  certificate: CapturedCertificate | null;
}

/**
 * Intermediates the gate knows about, held or not: a leaf one of them issued, refused for a
 * missing issuer, means the client left its chain out rather than that the CA is foreign.
 */
export interface ChainKnowledge {
  readonly knownIntermediates: readonly X509Certificate[];
}

/**
 * One normalised reason per handshake. OpenSSL's codes are ambiguous (DESIGN.md §3): one code
 * covers "unknown CA" and "missing intermediate", another "wrong EKU" and "CA certificate as a
 * leaf", and with CRLs loaded a self-signed leaf reports a missing CRL. So the code picks a
 * family and the certificate itself decides within it.
 */
export function classifyHandshake(input: VerdictInput, chains: ChainKnowledge): Verdict {
  if (input.handshakeErrorCode === 'ERR_SSL_PEER_DID_NOT_RETURN_A_CERTIFICATE') return rejected('no_certificate', input.handshakeErrorCode);
  if (input.handshakeErrorCode && !input.certificate) return rejected('handshake_failed', input.handshakeErrorCode);
  if (!input.certificate) return rejected('no_certificate', input.authorizationError ?? null);
  const code = input.authorizationError;
  if (!code) return { verdict: 'accepted', reason: null, rawCode: null };
  // OpenSSL reports the last of several errors, and Node names only some of its codes (an
  // unknown critical extension arrives as UNSPECIFIED, a malformed one as a missing issuer): a
  // certificate whose own content is broken is refused for that, whatever the code.
  const facts = factsOf(input.certificate);
  if (facts.faults.length > 0 || CONTENT_CODES.has(code)) return rejected('invalid_certificate', code);
  switch (code) {
    case 'CERT_HAS_EXPIRED':
      return rejected('expired', code);
    case 'CERT_NOT_YET_VALID':
      return rejected('not_yet_valid', code);
    case 'CERT_REVOKED':
      return rejected('revoked', code);
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
      return rejected('self_signed', code);
    case 'INVALID_PURPOSE':
      return rejected(judgeClientUsage(facts).reason ?? (input.certificate.ca ? 'ca_certificate' : 'wrong_purpose'), code);
    default:
      return rejected(classifyUntrusted(input.certificate, chains), code);
  }
}

/** Codes OpenSSL gives only for a certificate's own content. */
const CONTENT_CODES = new Set(['ERROR_IN_CERT_NOT_BEFORE_FIELD', 'ERROR_IN_CERT_NOT_AFTER_FIELD', 'UNHANDLED_CRITICAL_EXTENSION', 'INVALID_EXTENSION']);

/** Every "could not build a trusted chain" code: who really issued the leaf? */
function classifyUntrusted(certificate: CapturedCertificate, chains: ChainKnowledge): TlsRejectionReason {
  try {
    const leaf = new X509Certificate(certificate.raw);
    // Not checkIssued(leaf): OpenSSL refuses a CA:false certificate as anyone's issuer, itself included.
    if (leaf.subject === leaf.issuer && leaf.verify(leaf.publicKey)) return 'self_signed';
    const issuer = chains.knownIntermediates.find((candidate) => leaf.checkIssued(candidate) && leaf.verify(candidate.publicKey));
    return issuer ? 'incomplete_chain' : 'unknown_ca';
  } catch {
    // A key or signature Node cannot even check: nobody the server trusts vouches for it.
    return 'unknown_ca';
  }
}

function rejected(reason: TlsRejectionReason | HandshakeFailure, rawCode: string | null): Verdict {
  return { verdict: 'rejected', reason, rawCode };
}

/** The certificate's own facts, read from its DER: an empty set when there is none to read. */
function factsOf(certificate: CapturedCertificate): CertificateFacts {
  return certificateFacts(certificate.raw instanceof Uint8Array ? certificate.raw : new Uint8Array());
}

/**
 * The journal's view of a captured certificate. Total: whatever a hostile certificate holds
 * (impossible dates, names of any size or byte, broken extensions), it is described, never thrown
 * on. Dates come from the DER, not Node's printed form, which cannot say year 0001 or month 13.
 */
export function describeClient(certificate: CapturedCertificate | null): ClientCertificateInfo | null {
  if (!certificate) return null;
  const facts = factsOf(certificate);
  return {
    subject: formatName(certificate.subject),
    issuer: formatName(certificate.issuer),
    serial: typeof certificate.serialNumber === 'string' ? certificate.serialNumber.toUpperCase() : '',
    fingerprint256: typeof certificate.fingerprint256 === 'string' ? certificate.fingerprint256 : '',
    not_before: facts.notBefore?.toISOString() ?? null,
    not_after: facts.notAfter?.toISOString() ?? null,
    ca: facts.ca,
    key_usage: facts.keyUsage ? [...facts.keyUsage] : null,
    extended_key_usage: facts.extendedKeyUsage?.map(extendedKeyUsageName) ?? null,
    faults: [...facts.faults.map(describeFault), ...describeUsageFaults(facts)],
  };
}

const NAME_ORDER = ['CN', 'OU', 'O', 'L', 'ST', 'C'];

/** `CN=…, OU=…, O=…, C=…`: most specific first, as people read certificate names. */
function formatName(name: PeerCertificate['subject'] | undefined): string {
  if (!name || typeof name !== 'object') return '';
  const entries = Object.entries(name as unknown as Record<string, unknown>);
  entries.sort(([a], [b]) => rank(a) - rank(b));
  return entries.map(([key, value]) => `${key}=${Array.isArray(value) ? value.map(String).join('+') : String(value)}`).join(', ');
}

function rank(key: string): number {
  const index = NAME_ORDER.indexOf(key);
  return index === -1 ? NAME_ORDER.length : index;
}
