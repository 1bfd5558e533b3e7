import type { HandshakeRecord } from '../../src/gateway/journal.js';
import type { LeanPki } from '../../src/pki/lean-pki.js';
import { SERVER_CATALOGUE } from '../../src/pki/server-variants/catalogue.js';
import { startLeanMock } from '../../src/server/lean-mock.js';
import type { VariantsUnderTest } from '../clients/server-variants-matrix.js';
import type { ClientVerdict } from './server-variant-clients.js';

/**
 * lean-mock's own bad-server-certificate listeners (DESIGN.md §2.5), as the client matrix sees
 * them: one in-process mock, its `serverVariants` URLs, its journal's `client_verdict` per
 * connection; the mock's own port, with the good certificate, is the control.
 */
export async function startLeanMockVariants(pki: LeanPki): Promise<VariantsUnderTest> {
  const mock = await startLeanMock({ pki, adminPort: 'off' });
  const verdicts: ClientVerdict[] = [];
  const waiters = new Set<() => void>();
  const onHandshake = (record: HandshakeRecord): void => {
    verdicts.push(verdictOf(record));
    for (const waiter of waiters) waiter();
  };
  mock.journal.on('handshake', onHandshake);
  const variants = SERVER_CATALOGUE.map((entry) => {
    const url = mock.serverVariants[entry.name];
    if (!url) throw new Error(`startLeanMock opened no listener for ${entry.name}`);
    return { name: entry.name, mustRefuse: entry.mustRefuse, url: `${url}/banks/v1` };
  });
  return {
    variants,
    goodUrl: `https://127.0.0.1:${mock.port}/banks/v1`,
    waitForVerdicts(count) {
      return new Promise((resolve) => {
        const check = (): void => {
          if (verdicts.length < count) return;
          waiters.delete(check);
          resolve([...verdicts]);
        };
        waiters.add(check);
        check();
      });
    },
    async close() {
      mock.journal.off('handshake', onHandshake);
      await mock.close();
    },
  };
}

/** A variant listener's record says what the client did; one on the mock's own port is the control's. */
function verdictOf(record: HandshakeRecord): ClientVerdict {
  if (record.server_variant && record.client_verdict) {
    return { variant: record.server_variant, verdict: record.client_verdict, alert: record.client_alert ?? null, tlsVersion: record.tls_version };
  }
  // On the mock's own port the client trusted the server if the handshake completed (its certificate is good).
  return { variant: 'good', verdict: record.verdict === 'accepted' ? 'accepted' : 'refused', alert: null, tlsVersion: record.tls_version };
}
