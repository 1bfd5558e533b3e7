import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRecorder, type UpstreamTrouble } from '../../src/record/index.js';
import type { ExchangeFile } from '../../src/record/exchange-file.js';
import { startLeanMock, type LeanMock } from '../../src/server/lean-mock.js';
import { call, presented } from '../support/mock-client.js';

/**
 * `record` in front of a second lean-mock standing in for Lean: its own PKI, its own seed, its own
 * tokens. Clients talk to the recorder with the recorder's PKI and token; the upstream must only
 * ever see the user's upstream identity.
 */
describe('lean-mock record, forwarding to an upstream over mTLS', () => {
  let upstream: LeanMock;
  let recorder: LeanMock;
  let out: string;

  beforeAll(async () => {
    upstream = await startLeanMock({ seed: 99, adminPort: 'off' });
    out = await mkdtemp(join(tmpdir(), 'lean-mock-record-'));
    const user = upstream.pki.apps[0]!;
    recorder = await startRecorder({
      upstream: upstream.url,
      identity: { cert: user.credential.certificatePem, key: user.credential.privateKeyPem, ca: upstream.pki.chainPem },
      credentials: { kind: 'app_token', appToken: user.appToken },
      out,
      adminPort: 'off',
    });
  });
  afterAll(async () => {
    await recorder?.close();
    await upstream?.close();
    await rm(out, { recursive: true, force: true });
  });

  const viaRecorder = (path: string, options: { method?: string; body?: string } = {}) =>
    call(recorder.url, recorder.pki, presented(recorder.pki, 'my_app'), {
      path,
      method: options.method,
      body: options.body,
      headers: {
        'lean-app-token': recorder.pki.apps[0]!.appToken,
        ...(options.body ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(options.body) } : {}),
      },
    });

  it("forwards with the upstream app's certificate and token, not the client's", async () => {
    const reply = await viaRecorder('/banks/v1');
    expect(reply.ok && reply.status).toBe(200);

    const [request] = upstream.journal.requests();
    const handshake = upstream.journal.handshakes().find((entry) => entry.id === request!.handshake_id);
    expect(request).toMatchObject({ method: 'GET', path: '/banks/v1', status: 200, app: 'my_app' });
    expect(handshake?.client?.fingerprint256).toBe(upstream.pki.apps[0]!.credential.fingerprint256);
    expect(handshake?.client?.fingerprint256).not.toBe(recorder.pki.apps[0]!.credential.fingerprint256);
    // The recorder's own journal saw the client's certificate, as any lean-mock does.
    expect(recorder.journal.requests()[0]).toMatchObject({ path: '/banks/v1', client_fingerprint: recorder.pki.apps[0]!.credential.fingerprint256 });
  });

  it('writes one readable file per exchange, with every secret redacted and the ids kept', async () => {
    const created = await viaRecorder('/customers/v1', { method: 'POST', body: JSON.stringify({ app_user_id: 'recorded-alice' }) });
    expect(created.ok && created.status).toBe(200);
    const customerId = (created as { json: { customer_id: string } }).json.customer_id;

    const files = (await readdir(out)).sort();
    const name = files.find((file) => file.endsWith('-POST-customers-v1.json'))!;
    expect(name).toMatch(/^\d{4}-POST-customers-v1\.json$/);
    const text = await readFile(join(out, name), 'utf8');
    const file = JSON.parse(text) as ExchangeFile;
    expect(file.request).toMatchObject({ method: 'POST', path: '/customers/v1', body: { app_user_id: 'recorded-alice' } });
    expect(file.request.headers['lean-app-token']).toBe('[redacted]');
    expect(file.response).toMatchObject({ status: 200, body: { customer_id: customerId, app_user_id: 'recorded-alice' } });
    expect(file.response.headers['content-type']).toMatch(/application\/json/);
    for (const secret of [upstream.pki.apps[0]!.appToken, recorder.pki.apps[0]!.appToken]) expect(text).not.toContain(secret);
  });

  it('refuses a client with a bad certificate itself: nothing reaches the upstream', async () => {
    const before = upstream.journal.requests().length;
    const refused = recorder.journal.nextHandshake((entry) => entry.reason === 'expired');
    const reply = await call(recorder.url, recorder.pki, presented(recorder.pki, 'expired'), {
      headers: { 'lean-app-token': recorder.pki.apps[0]!.appToken },
    });
    expect(reply.ok).toBe(false);
    expect((await refused).verdict).toBe('rejected');
    expect(upstream.journal.requests().length).toBe(before);
  });

  it("refuses a client with a wrong token itself (the mock's own token check)", async () => {
    const before = upstream.journal.requests().length;
    const reply = await call(recorder.url, recorder.pki, presented(recorder.pki, 'my_app'), { headers: { 'lean-app-token': 'not-a-token' } });
    expect(reply.ok && reply.status).toBe(401);
    expect(upstream.journal.requests().length).toBe(before);
  });
});

describe('lean-mock record with OAuth client credentials', () => {
  it('fetches a token from the upstream as a Lean client does, reuses it, and fetches a new one shortly before it expires', async () => {
    const upstream = await startLeanMock({ seed: 5, adminPort: 'off' });
    const out = await mkdtemp(join(tmpdir(), 'lean-mock-record-oauth-'));
    let now = Date.now();
    const user = upstream.pki.apps[0]!;
    const recorder = await startRecorder({
      upstream: upstream.url,
      identity: { cert: user.credential.certificatePem, key: user.credential.privateKeyPem, ca: upstream.pki.chainPem },
      credentials: { kind: 'oauth', clientId: user.clientId, clientSecret: user.clientSecret },
      out,
      adminPort: 'off',
      clock: () => new Date(now),
    });
    try {
      const get = () =>
        call(recorder.url, recorder.pki, presented(recorder.pki, 'my_app'), { headers: { 'lean-app-token': recorder.pki.apps[0]!.appToken } });
      const tokenRequests = () => upstream.journal.requests().filter((entry) => entry.path === '/oauth2/token');

      expect((await get()).ok).toBe(true);
      expect((await get()).ok).toBe(true);
      expect(tokenRequests()).toHaveLength(1);
      const banks = upstream.journal.requests().filter((entry) => entry.path === '/banks/v1');
      expect(banks.map((entry) => [entry.status, entry.app])).toEqual([[200, 'my_app'], [200, 'my_app']]);

      now += 3599 * 1000 - 30_000; // inside the last minute of the token's hour
      expect((await get()).ok).toBe(true);
      expect(tokenRequests()).toHaveLength(2);

      const text = (await Promise.all((await readdir(out)).map((name) => readFile(join(out, name), 'utf8')))).join('\n');
      expect(text).toContain('"authorization": "[redacted]"');
      expect(text).not.toContain(user.clientSecret);
      expect(text).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}/); // no JWT anywhere
    } finally {
      await recorder.close();
      await upstream.close();
      await rm(out, { recursive: true, force: true });
    }
  });
});

describe('lean-mock record against an upstream that refuses the forwarded certificate', () => {
  it('answers the client with a Lean-shaped 502 and explains the refusal the way doctor does', async () => {
    const upstream = await startLeanMock({ seed: 3, adminPort: 'off' });
    const out = await mkdtemp(join(tmpdir(), 'lean-mock-record-refused-'));
    const expired = upstream.pki.variants.find((variant) => variant.name === 'expired')!.credential!;
    const troubles: UpstreamTrouble[] = [];
    const recorder = await startRecorder({
      upstream: upstream.url,
      identity: { cert: expired.certificatePem, key: expired.privateKeyPem, ca: upstream.pki.chainPem },
      identityNames: { cert: 'expired.crt', key: 'expired.key' },
      credentials: { kind: 'app_token', appToken: upstream.pki.apps[0]!.appToken },
      out,
      adminPort: 'off',
      onFailure: (trouble) => troubles.push(trouble),
    });
    try {
      const reply = await call(recorder.url, recorder.pki, presented(recorder.pki, 'my_app'), {
        headers: { 'lean-app-token': recorder.pki.apps[0]!.appToken },
      });
      expect(reply.ok && reply.status).toBe(502);
      const body = (reply as { json: Record<string, unknown> }).json;
      expect(Object.keys(body)).toEqual(['timestamp', 'status', 'message', 'metadata']);
      expect(body.status).toBe('UPSTREAM_UNAVAILABLE');
      expect(String(body.message)).toMatch(/refuse|closed the connection/);
      expect(body.metadata).toMatchObject({ upstream: upstream.url });
      expect(String((body.metadata as { fix: string }).fix)).toMatch(/certificate/i);

      expect(troubles).toHaveLength(1);
      const text = troubles[0]!.explanation.text;
      expect(text).toMatch(/^lean-mock doctor: expired\.crt \+ expired\.key/);
      expect(text).toMatch(/✗ validity +.*expired/);
      expect(text).toMatch(/✗ handshake_tls1_3 /);
      // The upstream journaled the forwarded certificate's refusal; nothing was written as an exchange.
      expect(upstream.journal.handshakes().some((entry) => entry.reason === 'expired')).toBe(true);
      expect(await readdir(out)).toEqual([]);
    } finally {
      await recorder.close();
      await upstream.close();
      await rm(out, { recursive: true, force: true });
    }
  });
});
