/** TLS alert descriptions (RFC 8446 §6, RFC 5246 §7.2) by number. */
export const TLS_ALERT_NAMES: Readonly<Record<number, string>> = {
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

/** `unknown_ca`, or `alert_N` for a number no RFC names. */
export function alertName(alert: number): string {
  return TLS_ALERT_NAMES[alert] ?? `alert_${alert}`;
}
