import { get } from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VARIANT_NAMES } from '../../src/pki/catalogue.js';
import { startTestMock, type TestMock } from '../../src/testing/index.js';

let mock: TestMock;
beforeAll(async () => {
  mock = await startTestMock();
});
afterAll(() => mock.close());

/** GET through an agent, the way a client built on `https` calls. */
function getWith(agent: ReturnType<TestMock['agent']>, path: string, headers: Record<string, string>) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    get(new URL(path, mock.url), { agent, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    }).on('error', reject);
  });
}

describe('what startTestMock gives', () => {
  it('listens on loopback, Lean API over https and the admin API over http, on ephemeral ports', async () => {
    expect(mock.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(mock.adminUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(mock.url).not.toBe('https://127.0.0.1:8443');
    const admin = await fetch(`${mock.adminUrl}/admin/v1/handshakes`);
    expect(admin.status).toBe(200);
  });

  it("spreads the default app's credentials onto the mock and lists every app", () => {
    const [main, other] = mock.pki.apps;
    expect(mock).toMatchObject({
      name: 'my_app',
      appToken: main!.appToken,
      clientId: main!.appToken,
      clientSecret: main!.clientSecret,
      webhookSecret: main!.webhookSecret,
    });
    expect(mock.apps.map((app) => app.name)).toEqual(['my_app', 'other_app']);
    expect(mock.apps[1]).toEqual({
      name: 'other_app',
      appToken: other!.appToken,
      clientId: other!.clientId,
      clientSecret: other!.clientSecret,
      webhookSecret: other!.webhookSecret,
    });
  });

  it('has an identity for each app, each catalogue variant and incomplete_chain+chain, all trusting the chain', () => {
    expect(Object.keys(mock.identities).sort()).toEqual(
      ['my_app', 'other_app', ...VARIANT_NAMES, 'incomplete_chain+chain'].sort(),
    );
    for (const identity of Object.values(mock.identities)) expect(identity!.ca).toBe(mock.pki.chainPem);
    expect(mock.identities.my_app.cert).toBe(mock.pki.apps[0]!.credential.certificatePem);
    expect(mock.identities.no_certificate).toEqual({ ca: mock.pki.chainPem });
    const withChain = mock.identities['incomplete_chain+chain'];
    expect(withChain.cert).toContain(mock.identities.incomplete_chain.cert!);
    expect(withChain.cert).toContain(mock.pki.partnerIntermediate.certificatePem.trim());
  });
});

describe('calling the mock', () => {
  it('answers 200 on /banks/v1 to the default identity through its agent', async () => {
    const reply = await getWith(mock.agent(), '/banks/v1', mock.headers());
    expect(reply.status).toBe(200);
    expect(JSON.parse(reply.body)).toEqual(expect.arrayContaining([expect.objectContaining({ identifier: 'LEAN_OF_RETAIL_UAE' })]));
    expect(mock.journal.requests()[0]).toMatchObject({ path: '/banks/v1', status: 200, app: 'my_app' });
  });

  it('answers 200 on /banks/v1 through fetch, with a WHATWG Response', async () => {
    const res = await mock.fetch('/banks/v1', { headers: mock.headers() });
    expect(res).toBeInstanceOf(Response);
    expect(res.status).toBe(200);
    expect(res.ok).toBe(true);
    expect(res.url).toBe(`${mock.url}/banks/v1`);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.headers.get('lean-correlation-id')).toBeTruthy();
    const banks = (await res.json()) as { identifier: string }[];
    expect(banks.map((bank) => bank.identifier)).toContain('LEAN_OF_RETAIL_UAE');
  });

  it('sends a body and answers the route’s status: POST /customers/v1 → 200, then 409 for the same user', async () => {
    const create = () =>
      mock.fetch('/customers/v1', {
        method: 'post',
        headers: { ...mock.headers(), 'content-type': 'application/json' },
        body: JSON.stringify({ app_user_id: 'calls-test-user' }),
      });
    const first = await create();
    expect(first.status).toBe(200);
    expect(await first.json()).toMatchObject({ app_user_id: 'calls-test-user' });
    const again = await create();
    expect(again.status).toBe(409);
    expect(await again.json()).toMatchObject({ status: 'CUSTOMER_ALREADY_EXISTS' });
  });

  it('adds no credentials by itself: without headers() the call is 401 UNAUTHORIZED', async () => {
    const res = await mock.fetch('/banks/v1');
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ status: 'UNAUTHORIZED' });
  });

  it("calls as other_app with its certificate and its token, and binds the certificate to the app", async () => {
    const res = await mock.fetch('/banks/v1', { identity: 'other_app', headers: mock.headers('other_app') });
    expect(res.status).toBe(200);
    expect(mock.headers('other_app')).toEqual({ 'lean-app-token': mock.apps[1]!.appToken });
    const mismatch = await mock.fetch('/banks/v1', { identity: 'other_app', headers: mock.headers() });
    expect(mismatch.status).toBe(401);
    expect(await mismatch.json()).toMatchObject({ status: 'CERTIFICATE_TOKEN_MISMATCH' });
  });

  it('accepts incomplete_chain+chain at the gate; its certificate belongs to no app, so the token does not match', async () => {
    const res = await mock.fetch('/banks/v1', { identity: 'incomplete_chain+chain', headers: mock.headers('incomplete_chain+chain') });
    expect(mock.headers('incomplete_chain+chain')).toEqual(mock.headers());
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ status: 'CERTIFICATE_TOKEN_MISMATCH' });
    expect(mock.journal.handshakes()[0]).toMatchObject({ verdict: 'accepted', app: null });
  });

  it('pins the TLS version the agent speaks', async () => {
    for (const tls of ['1.2', '1.3'] as const) {
      const res = await mock.fetch('/banks/v1', { tls, headers: mock.headers() });
      expect(res.status).toBe(200);
      expect(mock.journal.handshakes()[0]).toMatchObject({ verdict: 'accepted', tls_version: `TLSv${tls}` });
    }
  });
});

describe('agents', () => {
  it('are one per identity and TLS version, reused across calls (one TLS context each)', () => {
    expect(mock.agent()).toBe(mock.agent('my_app'));
    expect(mock.agent('other_app')).not.toBe(mock.agent('my_app'));
    expect(mock.agent('my_app', { tls: '1.2' })).not.toBe(mock.agent('my_app'));
    expect(mock.agent('my_app', { tls: '1.2' })).toBe(mock.agent('my_app', { tls: '1.2' }));
    expect(mock.agent().options.keepAlive).toBe(true);
  });

  it('keep the connection alive: two calls, one handshake', async () => {
    const agent = mock.agent('my_app', { tls: '1.3' });
    await getWith(agent, '/banks/v1', mock.headers());
    const handshakes = mock.journal.handshakes().length;
    await getWith(agent, '/banks/v1', mock.headers());
    expect(mock.journal.handshakes().length).toBe(handshakes);
  });

  it('cannot be built for key_mismatch: Node refuses the pair, as any client does', async () => {
    expect(() => mock.agent('key_mismatch')).toThrow(/key values mismatch/);
    await expect(mock.fetch('/banks/v1', { identity: 'key_mismatch' })).rejects.toThrow(/key values mismatch/);
  });

  it('refuse an unknown identity, naming the known ones', async () => {
    expect(() => mock.agent('my_ap')).toThrow(/no identity "my_ap" \(known: my_app, other_app, no_certificate/);
    expect(() => mock.headers('my_ap')).toThrow(/no identity "my_ap"/);
    await expect(mock.fetch('/banks/v1', { identity: 'nobody' })).rejects.toThrow(/no identity "nobody"/);
  });
});
