/** TLS alert descriptions (RFC 8446 §6, RFC 5246 §7.2) by number. */
const ALERT_NAMES: Readonly<Record<number, string>> = {
  0: 'close_notify',
  10: 'unexpected_message',
  20: 'bad_record_mac',
  22: 'record_overflow',
  40: 'handshake_failure',
  42: 'bad_certificate',
  43: 'unsupported_certificate',
  44: 'certificate_revoked',
  45: 'certificate_expired',
  46: 'certificate_unknown',
  47: 'illegal_parameter',
  48: 'unknown_ca',
  49: 'access_denied',
  50: 'decode_error',
  51: 'decrypt_error',
  70: 'protocol_version',
  71: 'insufficient_security',
  80: 'internal_error',
  86: 'inappropriate_fallback',
  90: 'user_canceled',
  109: 'missing_extension',
  110: 'unsupported_extension',
  112: 'unrecognized_name',
  113: 'bad_certificate_status_response',
  116: 'certificate_required',
  120: 'no_application_protocol',
};

/**
 * The alert a peer sent, from the error OpenSSL raised on receiving it: Node's message ends
 * "SSL alert number 48" and its code reads e.g. `ERR_SSL_TLSV1_ALERT_UNKNOWN_CA`. Null when the
 * error is not an alert (the peer just closed or reset).
 */
export function receivedAlert(error: { code?: string; message?: string }): string | null {
  const number = /SSL alert number (\d+)/.exec(error.message ?? '')?.[1];
  if (number !== undefined) return ALERT_NAMES[Number(number)] ?? `alert_${number}`;
  const named = /^ERR_SSL_(?:SSLV3|TLSV1|TLSV13)_ALERT_([A-Z_]+)$/.exec(error.code ?? '')?.[1];
  return named ? named.toLowerCase() : null;
}
