/**
 * The bad server certificates (DESIGN.md §2.5): what a client must do when the server it dialled
 * presents one. Texts only, so that `serve`, the admin API and the inspector can name them without
 * loading the X.509 library; `build.ts` makes the certificates.
 */

export const SERVER_VARIANT_NAMES = [
  'expired',
  'not_yet_valid',
  'wrong_host',
  'self_signed',
  'unknown_ca',
  'wrong_purpose',
  'incomplete_chain',
  'weak_key',
  'sha1_signature',
  'revoked',
] as const;

export type ServerVariantName = (typeof SERVER_VARIANT_NAMES)[number];

/** What a client that verifies the server reports, in OpenSSL's words (the words most stacks print). */
export interface ExpectedClientError {
  /** OpenSSL's verify message, e.g. `certificate has expired`. */
  readonly message: string;
  /** OpenSSL's verify code name (X509_V_ERR_… without the prefix), e.g. `CERT_HAS_EXPIRED`. */
  readonly code: string;
  /** Node's `error.code` with default settings (measured on Node 20); null: Node accepts it. */
  readonly nodeCode: string | null;
  /** The TLS alert an OpenSSL-based client sends, e.g. `certificate_expired`; null when it just closes. */
  readonly alert: string | null;
}

export interface ServerVariantDescription {
  readonly name: ServerVariantName;
  readonly description: string;
  /** Every correct client refuses it; false: informational, clients differ. */
  readonly mustRefuse: boolean;
  readonly expectedClientError: ExpectedClientError;
}

const SPECS: readonly ServerVariantDescription[] = [
  {
    name: 'expired',
    mustRefuse: true,
    description: 'Issued by the trusted intermediate for the right hosts, but its validity ended 30 days ago.',
    expectedClientError: { message: 'certificate has expired', code: 'CERT_HAS_EXPIRED', nodeCode: 'CERT_HAS_EXPIRED', alert: 'certificate_expired' },
  },
  {
    name: 'not_yet_valid',
    mustRefuse: true,
    description: 'Issued by the trusted intermediate for the right hosts, but valid only from a year from now.',
    expectedClientError: { message: 'certificate is not yet valid', code: 'CERT_NOT_YET_VALID', nodeCode: 'CERT_NOT_YET_VALID', alert: 'bad_certificate' },
  },
  {
    name: 'wrong_host',
    mustRefuse: true,
    description:
      'A valid chain to the trusted root, but for another host: its names cover neither localhost, 127.0.0.1, ::1 nor Lean\'s hosts.',
    expectedClientError: {
      // Node, curl and Go check the name after the handshake and close without an alert.
      message: 'hostname mismatch',
      code: 'HOSTNAME_MISMATCH',
      nodeCode: 'ERR_TLS_CERT_ALTNAME_INVALID',
      alert: null,
    },
  },
  {
    name: 'self_signed',
    mustRefuse: true,
    description: 'A server certificate for the right hosts that signs itself instead of chaining to the trusted root.',
    expectedClientError: { message: 'self-signed certificate', code: 'DEPTH_ZERO_SELF_SIGNED_CERT', nodeCode: 'DEPTH_ZERO_SELF_SIGNED_CERT', alert: 'unknown_ca' },
  },
  {
    name: 'unknown_ca',
    mustRefuse: true,
    description: 'A server certificate for the right hosts from a rogue root (sent along) that the client does not trust: a MITM.',
    expectedClientError: {
      message: 'self-signed certificate in certificate chain',
      code: 'SELF_SIGNED_CERT_IN_CHAIN',
      nodeCode: 'SELF_SIGNED_CERT_IN_CHAIN',
      alert: 'unknown_ca',
    },
  },
  {
    name: 'wrong_purpose',
    mustRefuse: true,
    description: 'Issued by the trusted intermediate for the right hosts, but for client authentication only (EKU clientAuth).',
    expectedClientError: { message: 'unsuitable certificate purpose', code: 'INVALID_PURPOSE', nodeCode: 'INVALID_PURPOSE', alert: 'unsupported_certificate' },
  },
  {
    name: 'incomplete_chain',
    mustRefuse: true,
    description:
      'The leaf alone, issued by an intermediate that lean_public_cert_chain.pem lacks: no chain reaches the trusted root.',
    expectedClientError: {
      message: 'unable to get local issuer certificate',
      code: 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
      // Node names the same failure after the leaf it could not verify.
      nodeCode: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
      alert: 'unknown_ca',
    },
  },
  {
    name: 'weak_key',
    mustRefuse: false,
    description:
      'Issued by the trusted intermediate for the right hosts, with an RSA-1024 key: refused at OpenSSL security level 2 and above.',
    expectedClientError: {
      message: 'EE certificate key too weak',
      code: 'EE_KEY_TOO_SMALL',
      // Node 20 runs OpenSSL at security level 1, where RSA-1024 (80 bits) still passes.
      nodeCode: null,
      alert: 'bad_certificate',
    },
  },
  {
    name: 'sha1_signature',
    mustRefuse: false,
    description: 'Issued by the trusted intermediate for the right hosts, signed with SHA-1 (deprecated since 2017).',
    expectedClientError: {
      message: 'CA signature digest algorithm too weak',
      code: 'CA_MD_TOO_WEAK',
      nodeCode: 'UNSPECIFIED',
      alert: 'bad_certificate',
    },
  },
  {
    name: 'revoked',
    mustRefuse: false,
    description:
      'Issued by the trusted intermediate for the right hosts, then revoked: refused only by a client that checks the CRL shipped beside it (crl.pem).',
    expectedClientError: {
      message: 'certificate revoked',
      code: 'CERT_REVOKED',
      // Node checks revocation only when given the CRL (`crl` option); by default it accepts.
      nodeCode: null,
      alert: 'certificate_revoked',
    },
  },
];

/** Every server variant's name, texts and expectation, without building any certificate. */
export const SERVER_CATALOGUE: readonly ServerVariantDescription[] = SPECS;

export function serverVariantNamed(name: string): ServerVariantDescription | undefined {
  return SERVER_CATALOGUE.find((entry) => entry.name === name);
}

/** The host the `wrong_host` certificate names instead of the mock's. */
export const WRONG_HOST = 'wrong-host.lean-mock.invalid';
