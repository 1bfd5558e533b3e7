/**
 * The stable, snake_case reasons every handshake and request is journaled with (DESIGN.md §2.3).
 * Scripts and CI pipelines match on these strings: add, never rename.
 */

/** Why the TLS gate refused a client certificate. */
export const TLS_REJECTION_REASONS = [
  'no_certificate',
  'expired',
  'not_yet_valid',
  'unknown_ca',
  'self_signed',
  'incomplete_chain',
  'wrong_purpose',
  'ca_certificate',
  'revoked',
  /** Refused for its own content: a malformed date or extension, an unknown critical extension. */
  'invalid_certificate',
] as const;

/** Why the HTTP layer refused a request whose certificate was fine. */
export const HTTP_REJECTION_REASONS = ['token_mismatch', 'missing_credentials', 'invalid_token'] as const;

export type TlsRejectionReason = (typeof TLS_REJECTION_REASONS)[number];
export type HttpRejectionReason = (typeof HTTP_REJECTION_REASONS)[number];
export type RejectionReason = TlsRejectionReason | HttpRejectionReason;
