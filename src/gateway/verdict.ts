import { X509Certificate } from 'node:crypto';
import type { PeerCertificate } from 'node:tls';
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
      return rejected(input.certificate.ca ? 'ca_certificate' : 'wrong_purpose', code);
    default:
      return rejected(classifyUntrusted(input.certificate, chains), code);
  }
}

/** Every "could not build a trusted chain" code: who really issued the leaf? */
function classifyUntrusted(certificate: CapturedCertificate, chains: ChainKnowledge): TlsRejectionReason {
  let leaf: X509Certificate;
  try {
    leaf = new X509Certificate(certificate.raw);
  } catch {
    return 'unknown_ca';
  }
  // Not checkIssued(leaf): OpenSSL refuses a CA:false certificate as anyone's issuer, itself included.
  if (leaf.subject === leaf.issuer && leaf.verify(leaf.publicKey)) return 'self_signed';
  const issuer = chains.knownIntermediates.find((candidate) => leaf.checkIssued(candidate) && leaf.verify(candidate.publicKey));
  return issuer ? 'incomplete_chain' : 'unknown_ca';
}

function rejected(reason: TlsRejectionReason | HandshakeFailure, rawCode: string | null): Verdict {
  return { verdict: 'rejected', reason, rawCode };
}

/** The journal's view of a captured certificate. */
export function describeClient(certificate: CapturedCertificate | null): ClientCertificateInfo | null {
  if (!certificate) return null;
  return {
    subject: formatName(certificate.subject),
    issuer: formatName(certificate.issuer),
    serial: certificate.serialNumber.toUpperCase(),
    fingerprint256: certificate.fingerprint256,
    not_before: new Date(certificate.valid_from).toISOString(),
    not_after: new Date(certificate.valid_to).toISOString(),
  };
}

const NAME_ORDER = ['CN', 'OU', 'O', 'L', 'ST', 'C'];

/** `CN=…, OU=…, O=…, C=…`: most specific first, as people read certificate names. */
function formatName(name: PeerCertificate['subject'] | undefined): string {
  if (!name) return '';
  const entries = Object.entries(name as unknown as Record<string, string | string[]>);
  entries.sort(([a], [b]) => rank(a) - rank(b));
  return entries.map(([key, value]) => `${key}=${Array.isArray(value) ? value.join('+') : value}`).join(', ');
}

function rank(key: string): number {
  const index = NAME_ORDER.indexOf(key);
  return index === -1 ? NAME_ORDER.length : index;
}
