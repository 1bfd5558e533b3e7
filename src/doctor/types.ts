import type { VariantName } from '../pki/catalogue.js';

/**
 * The stable ids of the doctor's checks, in the order a report lists them. Scripts match on
 * these strings: add, never rename. The last three run only with a `url`.
 */
export const DOCTOR_CHECKS = [
  'certificate_format',
  'key_format',
  'key_matches_certificate',
  'validity',
  'extended_key_usage',
  'key_usage',
  'basic_constraints',
  'key_strength',
  'signature_algorithm',
  'chain',
  'revocation',
  'handshake_tls1_2',
  'handshake_tls1_3',
  'banks_request',
] as const;

export type DoctorCheck = (typeof DOCTOR_CHECKS)[number];

/** `fail` makes the report not ok; `warn` does not; `skip` means the check could not run. */
export type FindingStatus = 'pass' | 'warn' | 'fail' | 'skip';

/** One check's result, in plain words with the concrete facts (dates, names, sizes). */
export interface Finding {
  readonly check: DoctorCheck;
  readonly status: FindingStatus;
  readonly message: string;
  /** What to do about it (on `fail` and `warn`). */
  readonly fix?: string;
  /** The bad-certificate catalogue variant this diagnosis matches, when it matches one. */
  readonly variant?: VariantName;
}

export interface DoctorSummary {
  readonly total: number;
  readonly passed: number;
  readonly warned: number;
  readonly failed: number;
  readonly skipped: number;
}

/** What `diagnose` was asked to look at, by the names messages use for them. */
export interface DoctorInputs {
  readonly certificate?: string;
  readonly key?: string;
  readonly p12?: string;
  readonly ca?: string;
  readonly crl?: string;
  readonly url?: string;
}

/** The facts about the client certificate the findings are about (absent when none could be read). */
export interface DiagnosedCertificate {
  readonly subject: string;
  readonly issuer: string;
  /** Upper-case hex. */
  readonly serial: string;
  readonly fingerprint256: string;
  /** ISO 8601; null when the certificate's field is not a valid time. */
  readonly notBefore: string | null;
  readonly notAfter: string | null;
}

/** The doctor's verdict; `--json` prints exactly this object. */
export interface DoctorReport {
  /** True when no finding failed (warnings and skips allowed). */
  readonly ok: boolean;
  readonly summary: DoctorSummary;
  readonly inputs: DoctorInputs;
  readonly certificate: DiagnosedCertificate | null;
  /** In {@link DOCTOR_CHECKS} order; the network checks only with a `url`. */
  readonly findings: readonly Finding[];
}

/**
 * A file to read, or material already in memory (PEM text or DER/PKCS#12 bytes). `name` is what
 * messages call it (default: the path as given).
 */
export type DoctorSource =
  | { readonly path: string; readonly name?: string }
  | { readonly data: string | Uint8Array; readonly name?: string };

export interface DoctorOptions {
  /** The client certificate: PEM or DER; a PEM bundle is leaf first, then the chain the client sends. */
  cert?: DoctorSource;
  /** Its private key: PKCS#8, PKCS#1 or SEC1, PEM or DER, encrypted or not. */
  key?: DoctorSource;
  /** Instead of cert + key: a PKCS#12 (.p12/.pfx) file. */
  p12?: DoctorSource;
  /** Opens an encrypted key or the PKCS#12 file. */
  password?: string;
  /** One or more CA certificates (e.g. `lean_public_cert_chain.pem`): what the server trusts, and what the client trusts. */
  ca?: DoctorSource;
  /** One or more CRLs (PEM or DER, e.g. `ca/crls.pem`) to check revocation offline. */
  crl?: DoctorSource;
  /** An `https://` URL: also performs real handshakes (TLS 1.2 and 1.3) and a request. */
  url?: string;
  /** Sent as `lean-app-token` with the request. */
  appToken?: string;
  /** The request's path. Default `/banks/v1`. */
  path?: string;
  /** Do not verify the server's certificate (reported as a warning). */
  insecure?: boolean;
  /** Per handshake and request. Default 5000 ms. */
  timeoutMs?: number;
  /** The moment validity is judged at (offline checks). Default: the clock. */
  now?: Date;
}

/**
 * The largest file (or in-memory source) the doctor reads: 4 MiB. Certificates, keys and
 * PKCS#12 files are a few KB, a CA bundle of every public root about 250 KB, and Lean's CRLs
 * small; anything larger is the wrong file, and is refused with a {@link DoctorInputError}.
 */
export const MAX_INPUT_BYTES = 4 * 1024 * 1024;

/** An app token goes into a request header: printable ASCII, no spaces, nothing that could split the header. */
export function isSendableAppToken(token: string): boolean {
  return /^[\x21-\x7e]+$/.test(token);
}

/** A mistake in what `diagnose` was given (a file that cannot be read, contradictory options): not a finding. */
export class DoctorInputError extends Error {
  override name = 'DoctorInputError';
}
