import { request } from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CATALOGUE } from '../../src/pki/catalogue.js';
import { createLeanPki, type LeanPki } from '../../src/pki/lean-pki.js';
import { startTestMock, type TestMock } from '../../src/testing/index.js';

const SERVER_SIDE = CATALOGUE.filter((variant) => variant.rejectedBy === 'server').map((v) => [v.name, v.expected] as const);

let pki: LeanPki;
beforeAll(async () => {
  pki = await createLeanPki();
});

/** A client built on `https` with the agent, resolving with the status as most wrappers do. */
function statusThrough(mock: TestMock, identity: string, tls: '1.2' | '1.3'): Promise<{ statusCode: number }> {
  return new Promise((resolve, reject) => {
    const req = request(new URL('/banks/v1', mock.url), { agent: mock.agent(identity, { tls }), headers: mock.headers() }, (res) => {
      res.resume();
      res.on('end', () => resolve({ statusCode: res.statusCode ?? 0 }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe.each(['handshake', 'http'] as const)('expectRejected, the server rejecting in the %s style', (rejection) => {
  let mock: TestMock;
  beforeAll(async () => {
    mock = await startTestMock({ pki, rejection });
  });
  afterAll(() => mock.close());

  describe.each(['1.2', '1.3'] as const)('over TLS %s', (tls) => {
    it.each(SERVER_SIDE)('resolves with the journaled reason for %s (fetch)', async (name, expected) => {
      const refused = await mock.expectRejected(() => mock.fetch('/banks/v1', { identity: name, tls, headers: mock.headers() }));
      expect(refused).toMatchObject({ verdict: 'rejected', reason: expected, tls_version: `TLSv${tls}` });
      const credential = pki.variants.find((variant) => variant.name === name)?.credential;
      expect(refused.client?.serial ?? null).toBe(credential ? credential.serialNumber : null);
    });

    it('resolves the same for a client built on https.request with the agent', async () => {
      const refused = await mock.expectRejected(() => statusThrough(mock, 'revoked', tls));
      expect(refused.reason).toBe('revoked');
    });
  });

  it('rejects with a clear message when the call succeeds', async () => {
    await expect(mock.expectRejected(() => mock.fetch('/banks/v1', { identity: 'my_app', headers: mock.headers() }))).rejects.toThrow(
      /^expectRejected: the call succeeded \(HTTP 200\) instead of being refused for its certificate/,
    );
  });

  it('rejects when the call is refused for something other than its certificate (a 401)', async () => {
    await expect(mock.expectRejected(() => mock.fetch('/banks/v1', { identity: 'other_app', headers: mock.headers() }))).rejects.toThrow(
      /the call succeeded \(HTTP 401\)/,
    );
  });
});

describe('expectRejected, beyond the gate', () => {
  let mock: TestMock;
  beforeAll(async () => {
    mock = await startTestMock({ pki });
  });
  afterAll(() => mock.close());

  it('names the accepted handshake when a fresh connection was let through', async () => {
    const error = await mock
      .expectRejected(() => mock.fetch('/banks/v1', { identity: 'other_app', tls: '1.2', headers: mock.headers('other_app') }))
      .catch((caught: unknown) => caught);
    expect(String(error)).toMatch(/the call succeeded \(HTTP 200\).*handshake #\d+ accepted as other_app/);
  });

  it('rejects, at once, when the client fails on its own (key_mismatch never reaches the server)', async () => {
    const started = performance.now();
    await expect(mock.expectRejected(() => mock.fetch('/banks/v1', { identity: 'key_mismatch' }))).rejects.toThrow(
      /the call failed \(.*key values mismatch.*\), but the server journaled no rejected handshake/,
    );
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('waits at most timeoutMs for a refusal that never comes', async () => {
    const started = performance.now();
    await expect(mock.expectRejected(() => Promise.reject(new Error('boom')), { timeoutMs: 150 })).rejects.toThrow(
      /the call failed \(boom\), but the server journaled no rejected handshake within 150 ms/,
    );
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('takes a resolved Lean envelope of INVALID_CERTIFICATE as a refusal too', async () => {
    const refused = await mock.expectRejected(async () => {
      await mock.fetch('/banks/v1', { identity: 'expired' }).catch(() => undefined);
      return { status: 'INVALID_CERTIFICATE' };
    });
    expect(refused.reason).toBe('expired');
  });

  it('leaves no listener on the journal, whatever the outcome', async () => {
    const listeners = mock.journal.listenerCount('handshake');
    await mock.expectRejected(() => mock.fetch('/banks/v1', { identity: 'unknown_ca' }));
    await mock.expectRejected(() => mock.fetch('/banks/v1', { headers: mock.headers() })).catch(() => undefined);
    await mock.expectRejected(() => Promise.reject(new Error('x')), { timeoutMs: 10 }).catch(() => undefined);
    expect(mock.journal.listenerCount('handshake')).toBe(listeners);
  });
});
