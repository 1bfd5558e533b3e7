import { describe, expect, it } from 'vitest';
import type { HandshakeRecord } from '../../src/gateway/journal.js';
import { explainHandshake } from '../../src/inspector/explain.js';
import { SERVER_CATALOGUE } from '../../src/pki/server-variants/catalogue.js';

const base: HandshakeRecord = {
  id: 1,
  at: '2026-12-02T12:00:00.000Z',
  remote: '127.0.0.1:50000',
  tls_version: 'TLSv1.3',
  verdict: 'accepted',
  reason: null,
  raw_code: null,
  client: null,
  app: 'my_app',
};
const context = { now: new Date('2026-12-02T12:00:00Z'), defaultApp: 'my_app' };

describe('the inspector on bad-server-certificate listeners', () => {
  it.each(SERVER_CATALOGUE.filter((variant) => variant.mustRefuse).map((variant) => variant.name))(
    'says a client that accepted %s does not verify the server, with the insecure setting of every stack to remove',
    (name) => {
      const explanation = explainHandshake({ ...base, server_variant: name, client_verdict: 'accepted', client_alert: null }, context)!;
      expect(explanation.reason).toBe('insecure_client');
      expect(explanation.summary).toContain(`accepted the ${name} server certificate`);
      expect(explanation.summary).toContain('does not verify the server');
      for (const setting of ['rejectUnauthorized: false', 'verify=False', 'InsecureSkipVerify', '--insecure', 'VERIFY_NONE', 'X509TrustManager']) {
        expect(explanation.fix).toContain(setting);
      }
    },
  );

  it('says a refusal is what the test looks for, naming the alert', () => {
    const explanation = explainHandshake(
      { ...base, verdict: 'rejected', reason: 'handshake_failed', server_variant: 'expired', client_verdict: 'refused', client_alert: 'certificate_expired' },
      context,
    )!;
    expect(explanation).toMatchObject({ reason: 'client_refused', summary: expect.stringContaining('with the TLS alert certificate_expired') });
  });
});
