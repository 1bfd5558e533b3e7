import { alertName } from '../tls-alerts.js';

/**
 * The alert a peer sent, from the error OpenSSL raised on receiving it: Node's message ends
 * "SSL alert number 48" and its code reads e.g. `ERR_SSL_TLSV1_ALERT_UNKNOWN_CA`. Null when the
 * error is not an alert (the peer just closed or reset).
 */
export function receivedAlert(error: { code?: string; message?: string }): string | null {
  const number = /SSL alert number (\d+)/.exec(error.message ?? '')?.[1];
  if (number !== undefined) return alertName(Number(number));
  const named = /^ERR_SSL_(?:SSLV3|TLSV1|TLSV13)_ALERT_([A-Z_]+)$/.exec(error.code ?? '')?.[1];
  return named ? named.toLowerCase() : null;
}
