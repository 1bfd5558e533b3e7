import { connect } from 'node:tls';
import type { KeyObject } from 'node:crypto';
import type { HandshakeRecord, Journal } from '../../src/gateway/journal.js';

/**
 * Presents `certificatePem` (with `key`) to the gate over real TLS and resolves with the
 * handshake the gate journaled for it. The client trusts nothing about the server beyond the
 * chain given: what is under test is the server's judgement of the client.
 */
export async function present(
  url: string,
  journal: Journal,
  credential: { certificatePem: string; key: KeyObject; chainPem?: string },
  options: { tls: '1.2' | '1.3'; ca: string },
): Promise<HandshakeRecord> {
  const { port, hostname } = new URL(url);
  const socket = connect({
    host: hostname.replace(/^\[|\]$/g, ''),
    port: Number(port),
    ca: options.ca,
    servername: 'localhost',
    cert: credential.chainPem ? `${credential.certificatePem}${credential.chainPem}` : credential.certificatePem,
    key: credential.key.export({ type: 'pkcs8', format: 'pem' }),
    minVersion: `TLSv${options.tls}`,
    maxVersion: `TLSv${options.tls}`,
  });
  // Listening from here misses nothing: the handshake cannot start before this tick ends.
  const judged = journal.nextHandshake(() => true, 30_000);
  // The refusal surfaces as a reset or EOF on the client (DESIGN.md §3): expected, not a failure.
  socket.on('error', () => {});
  // On TLS 1.3 the server judges the certificate after the client's handshake "succeeded": send a request so both sides proceed.
  socket.on('secureConnect', () => socket.write('GET /banks/v1 HTTP/1.1\r\nHost: localhost\r\n\r\n'));
  try {
    return await judged;
  } finally {
    socket.destroy();
  }
}
