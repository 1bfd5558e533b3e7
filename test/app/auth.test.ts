import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLeanPki, type LeanPki } from '../../src/pki/lean-pki.js';
import { startLeanMock, type LeanMock } from '../../src/server/lean-mock.js';
import type { Journal, RequestRecord } from '../../src/gateway/journal.js';
import { appTokenOf, call, presented, type CallOptions, type Reply } from '../support/mock-client.js';

/**
 * Token binding and OAuth over real mutual-TLS connections: a client certificate is issued for one
 * app, and the credentials sent with it (a `lean-app-token` or an OAuth bearer token) must belong
 * to that same app. Every request is a fresh TLS connection to a real server on an ephemeral port.
 */

const BOTH_HEADERS_MESSAGE = "Do not supply a 'lean-app-token' header when providing an 'Authorization' header";
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$/;

let pki: LeanPki;
let mock: LeanMock;
/** Every access token this file obtained: none may ever reach the journal. */
const issuedTokens: string[] = [];

beforeAll(async () => {
  pki = await createLeanPki();
  mock = await startLeanMock({ pki, adminPort: 'off' });
});

afterAll(async () => {
  await mock?.close();
});

type Ok = Extract<Reply, { ok: true }>;

/** The reply, failing the test (with the client-side error) when no HTTP reply came back. */
function answered(reply: Reply): Ok {
  if (!reply.ok) throw new Error(`no HTTP reply: ${reply.code} ${reply.message}`);
  return reply;
}

async function get(who: string, options: CallOptions = {}, target: LeanMock = mock): Promise<Ok> {
  return answered(await call(target.url, pki, presented(pki, who), options));
}

function bearer(token: string): { authorization: string } {
  return { authorization: `Bearer ${token}` };
}

function appNamed(name: string) {
  const app = pki.apps.find((candidate) => candidate.name === name);
  if (!app) throw new Error(`no app ${name}`);
  return app;
}

/** POST /oauth2/token (client credentials) over mTLS with the app's own certificate. */
async function requestToken(
  app: string,
  scope = 'api',
  target: LeanMock = mock,
): Promise<{ reply: Ok; token: string }> {
  const { appToken, clientSecret } = appNamed(app);
  const reply = await get(
    app,
    {
      method: 'POST',
      path: '/oauth2/token',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ client_id: appToken, client_secret: clientSecret, grant_type: 'client_credentials', scope }).toString(),
    },
    target,
  );
  expect(reply.status, reply.body).toBe(200);
  const token = (reply.json as { access_token?: unknown }).access_token;
  if (typeof token !== 'string') throw new Error(`no access_token in ${reply.body}`);
  issuedTokens.push(token);
  return { reply, token };
}

/** Lean's error envelope, exactly these four keys. */
function expectEnvelope(reply: Ok, httpStatus: number, status: string, message?: string): void {
  expect(reply.status, reply.body).toBe(httpStatus);
  expect(reply.headers['content-type']).toMatch(/^application\/json/);
  expect(reply.json).toEqual({
    timestamp: expect.stringMatching(ISO_UTC),
    status,
    message: message ?? expect.any(String),
    metadata: null,
  });
  expect(Object.keys(reply.json as object)).toEqual(['timestamp', 'status', 'message', 'metadata']);
}

/** Lean's answer to a bad bearer token: 401, nothing in the body, a challenge in the header. */
function expectBearerRefused(reply: Ok, detail?: string): void {
  expect(reply.status, reply.body).toBe(401);
  expect(reply.body).toBe('');
  const challenge = reply.headers['www-authenticate'];
  expect(challenge).toEqual(expect.stringMatching(/^Bearer /));
  expect(challenge).toContain('error="invalid_token"');
  if (detail) expect(challenge).toContain(detail);
}

/**
 * The journal's record of the request a reply answered, found by its correlation id. The server
 * journals on the reply's `finish`, which may come just after the client has read the reply.
 */
function recordOf(reply: Ok, journal: Journal = mock.journal): Promise<RequestRecord> {
  const id = reply.headers['lean-correlation-id'];
  const known = journal.requests().find((entry) => entry.correlation_id === id);
  if (known) return Promise.resolve(known);
  return new Promise((resolve, reject) => {
    const onRequest = (record: RequestRecord): void => {
      if (record.correlation_id !== id) return;
      clearTimeout(timer);
      journal.off('request', onRequest);
      resolve(record);
    };
    const timer = setTimeout(() => {
      journal.off('request', onRequest);
      reject(new Error(`no journaled request with correlation id ${String(id)}`));
    }, 2000);
    journal.on('request', onRequest);
  });
}

describe('token binding on the mTLS host (lean-app-token)', () => {
  it('serves an app whose token matches its certificate', async () => {
    const reply = await get('my_app', { headers: appTokenOf(pki, 'my_app') });
    expect(reply.status, reply.body).toBe(200);
    expect(Array.isArray(reply.json)).toBe(true);
    expect(await recordOf(reply)).toMatchObject({ status: 200, app: 'my_app', reason: null, path: '/banks/v1' });
  });

  it('serves the other app with its own certificate and token', async () => {
    const reply = await get('other_app', { headers: appTokenOf(pki, 'other_app') });
    expect(reply.status, reply.body).toBe(200);
    expect(await recordOf(reply)).toMatchObject({
      status: 200,
      app: 'other_app',
      reason: null,
      client_fingerprint: appNamed('other_app').credential.fingerprint256,
    });
  });

  it("refuses my_app's certificate with other_app's token: 401 CERTIFICATE_TOKEN_MISMATCH", async () => {
    const reply = await get('my_app', { headers: appTokenOf(pki, 'other_app') });
    expectEnvelope(reply, 401, 'CERTIFICATE_TOKEN_MISMATCH');
    const record = await recordOf(reply);
    expect(record).toMatchObject({
      status: 401,
      reason: 'token_mismatch',
      // The app the credentials claimed; the certificate's side is the fingerprint (and the handshake).
      app: 'other_app',
      client_fingerprint: appNamed('my_app').credential.fingerprint256,
    });
    const handshake = mock.journal.handshakes().find((entry) => entry.id === record.handshake_id);
    expect(handshake).toMatchObject({ verdict: 'accepted', app: 'my_app' });
  });

  it("refuses other_app's certificate with my_app's token too", async () => {
    const reply = await get('other_app', { headers: appTokenOf(pki, 'my_app') });
    expectEnvelope(reply, 401, 'CERTIFICATE_TOKEN_MISMATCH');
    expect(await recordOf(reply)).toMatchObject({ reason: 'token_mismatch', app: 'my_app' });
  });

  it('answers no credentials at all with 401 UNAUTHORIZED, journaled as missing_credentials', async () => {
    const reply = await get('my_app');
    expectEnvelope(reply, 401, 'UNAUTHORIZED');
    expect(await recordOf(reply)).toMatchObject({ status: 401, reason: 'missing_credentials', app: 'my_app' });
  });

  it.each([
    ['an unknown token', () => randomUUID()],
    ['an empty token', () => ''],
    ['a client secret in place of the token', () => appNamed('my_app').clientSecret],
    ['the token with a character more', () => `${appNamed('my_app').appToken}0`],
  ])('answers %s with 401, journaled as invalid_token', async (_name, token) => {
    const reply = await get('my_app', { headers: { 'lean-app-token': token() } });
    expectEnvelope(reply, 401, 'UNAUTHORIZED');
    expect(await recordOf(reply)).toMatchObject({ status: 401, reason: 'invalid_token' });
  });

  it('answers both a lean-app-token and an Authorization header with Lean’s exact 400', async () => {
    const { token } = await requestToken('my_app');
    for (const authorization of [`Bearer ${token}`, 'Bearer nonsense', 'Basic xyz']) {
      const reply = await get('my_app', { headers: { ...appTokenOf(pki, 'my_app'), authorization } });
      expectEnvelope(reply, 400, 'INVALID_PARAMETERS', BOTH_HEADERS_MESSAGE);
    }
  });
});

describe('OAuth2 client credentials and bearer tokens', () => {
  it('issues a token over mTLS in Lean’s shape', async () => {
    const { reply, token } = await requestToken('my_app');
    expect(reply.headers['content-type']).toMatch(/^application\/json/);
    expect(reply.json).toEqual({ access_token: token, token_type: 'Bearer', expires_in: 3599, scope: 'api' });
    expect(token.split('.')).toHaveLength(3);
    expect(await recordOf(reply)).toMatchObject({ method: 'POST', path: '/oauth2/token', status: 200, reason: null });
  });

  it('refuses a wrong client secret with 401 and no token', async () => {
    const reply = await get('my_app', {
      method: 'POST',
      path: '/oauth2/token',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        client_id: appNamed('my_app').appToken,
        client_secret: 'wrong',
        grant_type: 'client_credentials',
        scope: 'api',
      }).toString(),
    });
    expect(reply.status).toBe(401);
    expect(reply.json).toMatchObject({ error: 'invalid_client' });
    expect(reply.body).not.toContain('access_token');
  });

  it('serves /banks/v1 to the bearer of its own app’s token', async () => {
    const { token } = await requestToken('my_app');
    const reply = await get('my_app', { headers: bearer(token) });
    expect(reply.status, reply.body).toBe(200);
    expect(Array.isArray(reply.json)).toBe(true);
    expect(await recordOf(reply)).toMatchObject({ status: 200, app: 'my_app', reason: null });
  });

  it('accepts the scheme name in any case, as RFC 7235 allows', async () => {
    const { token } = await requestToken('my_app');
    const reply = await get('my_app', { headers: { authorization: `bearer ${token}` } });
    expect(reply.status, reply.body).toBe(200);
  });

  it("refuses other_app's bearer token over my_app's certificate: 401 CERTIFICATE_TOKEN_MISMATCH", async () => {
    const { token } = await requestToken('other_app');
    const reply = await get('my_app', { headers: bearer(token) });
    expectEnvelope(reply, 401, 'CERTIFICATE_TOKEN_MISMATCH');
    expect(await recordOf(reply)).toMatchObject({ status: 401, reason: 'token_mismatch', app: 'other_app' });

    const own = await get('other_app', { headers: bearer(token) });
    expect(own.status, own.body).toBe(200);
  });

  it('refuses a token whose signature was tampered with: 401, empty body', async () => {
    const { token } = await requestToken('my_app');
    const [header, payload, signature] = token.split('.') as [string, string, string];
    // A character in the middle: the last one may only carry padding bits.
    const at = Math.floor(signature.length / 2);
    const flipped = signature[at] === 'A' ? 'B' : 'A';
    const tampered = `${header}.${payload}.${signature.slice(0, at)}${flipped}${signature.slice(at + 1)}`;
    expect(tampered).not.toBe(token);

    const reply = await get('my_app', { headers: bearer(tampered) });
    expectBearerRefused(reply, 'bad_signature');
    expect(await recordOf(reply)).toMatchObject({ status: 401, reason: 'invalid_token' });
  });

  it('refuses a token whose payload was altered to name the other app: 401', async () => {
    const { token } = await requestToken('my_app');
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
    const forged = Buffer.from(JSON.stringify({ ...claims, sub: appNamed('other_app').appToken })).toString('base64url');
    const reply = await get('other_app', { headers: bearer(`${header}.${forged}.${signature}`) });
    expectBearerRefused(reply);
  });

  it('refuses a customer-scoped token on the backend API: 403 INCORRECT_ACCESS_LEVEL', async () => {
    const { reply: issued, token } = await requestToken('my_app', `customer.${randomUUID()}`);
    expect((issued.json as { scope: string }).scope).toMatch(/^customer\.[0-9a-f-]{36}$/);
    const reply = await get('my_app', { headers: bearer(token) });
    expectEnvelope(reply, 403, 'INCORRECT_ACCESS_LEVEL');
  });

  it.each([
    ['Basic credentials', 'Basic xyz'],
    ['the Bearer scheme with no token', 'Bearer'],
    ['the Bearer scheme with blanks only', 'Bearer   '],
    ['two tokens', 'Bearer a.b.c d.e.f'],
    ['a token that is not a JWT', 'Bearer not-a-jwt'],
    ['an unsigned (alg: none) token', `Bearer ${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from('{"sub":"x"}').toString('base64url')}.`],
    ['an absurdly long token', `Bearer ${'a'.repeat(9000)}`],
    ['an empty header', ''],
  ])('refuses %s with 401 and an empty body', async (_name, authorization) => {
    const reply = await get('my_app', { headers: { authorization } });
    expectBearerRefused(reply);
    expect(await recordOf(reply)).toMatchObject({ status: 401, reason: 'invalid_token' });
  });
});

describe('bearer token expiry (injected clock)', () => {
  let now = new Date();
  let timed: LeanMock;

  beforeAll(async () => {
    timed = await startLeanMock({ pki, adminPort: 'off', clock: () => now });
  });

  afterAll(async () => {
    await timed?.close();
  });

  const advance = (seconds: number): void => {
    now = new Date(now.getTime() + seconds * 1000);
  };

  it('keeps a token good for its lifetime, then answers 401 with an empty body and an invalid_token challenge', async () => {
    const { token } = await requestToken('my_app', 'api', timed);

    const fresh = await get('my_app', { headers: bearer(token) }, timed);
    expect(fresh.status, fresh.body).toBe(200);

    advance(3599 - 1);
    const late = await get('my_app', { headers: bearer(token) }, timed);
    expect(late.status, late.body).toBe(200);

    advance(3601 - 3598);
    const expired = await get('my_app', { headers: bearer(token) }, timed);
    expectBearerRefused(expired, 'expired');
    expect(await recordOf(expired, timed.journal)).toMatchObject({ status: 401, reason: 'invalid_token', app: 'my_app' });

    // A new token from the (advanced) clock works again.
    const { token: renewed } = await requestToken('my_app', 'api', timed);
    const again = await get('my_app', { headers: bearer(renewed) }, timed);
    expect(again.status, again.body).toBe(200);
  });

  it('does not let a token of one mock work on another (each has its own signing key)', async () => {
    const { token } = await requestToken('my_app');
    const reply = await get('my_app', { headers: bearer(token) }, timed);
    expectBearerRefused(reply, 'bad_signature');
  });
});

describe('the journal keeps no secrets', () => {
  beforeAll(async () => {
    // Secrets in places a careless journal might copy: the query string and every credential header.
    const my = appNamed('my_app');
    await get('my_app', { path: `/banks/v1?lean-app-token=${my.appToken}&client_secret=${my.clientSecret}`, headers: appTokenOf(pki) });
    await get('my_app', { path: `/nope/${'x'.repeat(3)}?token=${my.appToken}`, headers: appTokenOf(pki) });
    await requestToken('other_app');
  });

  /** Every secret this file knows of, with a name to report it by. */
  function secrets(): [name: string, value: string][] {
    expect(issuedTokens.length).toBeGreaterThan(0);
    const values: [string, string][] = pki.apps.flatMap((app): [string, string][] => [
      [`${app.name} app token`, app.appToken],
      [`${app.name} client secret`, app.clientSecret],
      [`${app.name} webhook secret`, app.webhookSecret],
    ]);
    // Each part of a JWT on its own is distinctive too (the signature above all).
    const parts = issuedTokens.flatMap((token, index): [string, string][] => [
      [`access token #${index}`, token],
      ...token
        .split('.')
        .filter((part) => part.length > 40)
        .map((part, at): [string, string] => [`access token #${index} part ${at}`, part]),
    ]);
    return [...values, ...parts];
  }

  /** Where each secret shows up in the text, with a little context: empty when none leaked. */
  function leaks(text: string): string[] {
    return secrets().flatMap(([name, value]) => {
      const at = text.indexOf(value);
      return at < 0 ? [] : [`${name} at …${text.slice(Math.max(0, at - 60), at + value.length + 10)}…`];
    });
  }

  it('has journaled the requests of this file', () => {
    expect(mock.journal.requests().length).toBeGreaterThan(20);
    expect(mock.journal.handshakes().length).toBeGreaterThan(20);
  });

  it('records no app token, client secret or access token in any request record', () => {
    expect(leaks(JSON.stringify(mock.journal.requests()))).toEqual([]);
  });

  it('records no app token, client secret or access token in any handshake record', () => {
    expect(leaks(JSON.stringify(mock.journal.handshakes()))).toEqual([]);
  });
});

describe('mtls: false (the plain sandbox host)', () => {
  let plain: LeanMock;

  beforeAll(async () => {
    plain = await startLeanMock({ pki, adminPort: 'off', mtls: false });
  });

  afterAll(async () => {
    await plain?.close();
  });

  it('needs no client certificate: a token alone is enough', async () => {
    const reply = answered(await call(plain.url, pki, {}, { headers: appTokenOf(pki, 'my_app') }));
    expect(reply.status, reply.body).toBe(200);
    expect(await recordOf(reply, plain.journal)).toMatchObject({ status: 200, app: 'my_app', client_fingerprint: null, reason: null });
  });

  it('still wants credentials', async () => {
    const reply = answered(await call(plain.url, pki, {}));
    expectEnvelope(reply, 401, 'UNAUTHORIZED');
    expect(await recordOf(reply, plain.journal)).toMatchObject({ reason: 'missing_credentials', app: null });
  });

  it('accepts the token of any app, with no binding', async () => {
    for (const app of ['my_app', 'other_app']) {
      const reply = answered(await call(plain.url, pki, {}, { headers: appTokenOf(pki, app) }));
      expect(reply.status, reply.body).toBe(200);
      expect(await recordOf(reply, plain.journal)).toMatchObject({ app });
    }
  });

  it('issues and accepts bearer tokens of any app without a certificate', async () => {
    for (const app of ['my_app', 'other_app']) {
      const { appToken, clientSecret } = appNamed(app);
      const issued = answered(
        await call(plain.url, pki, {}, {
          method: 'POST',
          path: '/oauth2/token',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ client_id: appToken, client_secret: clientSecret, grant_type: 'client_credentials', scope: 'api' }).toString(),
        }),
      );
      expect(issued.status, issued.body).toBe(200);
      const token = (issued.json as { access_token: string }).access_token;
      issuedTokens.push(token);
      const reply = answered(await call(plain.url, pki, {}, { headers: bearer(token) }));
      expect(reply.status, reply.body).toBe(200);
    }
  });

  it('does not ask a client that has a certificate for it, so a "mismatched" token still works', async () => {
    const reply = answered(await call(plain.url, pki, presented(pki, 'my_app'), { headers: appTokenOf(pki, 'other_app') }));
    expect(reply.status, reply.body).toBe(200);
    const record = await recordOf(reply, plain.journal);
    expect(record).toMatchObject({ app: 'other_app', client_fingerprint: null, reason: null });
    const handshake = plain.journal.handshakes().find((entry) => entry.id === record.handshake_id);
    expect(handshake).toMatchObject({ verdict: 'accepted', client: null, app: null, reason: null });
  });

  it('does not turn away a certificate the mTLS host would refuse (it never sees it)', async () => {
    const reply = answered(await call(plain.url, pki, presented(pki, 'expired'), { headers: appTokenOf(pki, 'my_app') }));
    expect(reply.status, reply.body).toBe(200);
  });

  it('still refuses bad bearer tokens', async () => {
    const reply = answered(await call(plain.url, pki, {}, { headers: { authorization: 'Bearer not-a-jwt' } }));
    expectBearerRefused(reply);
  });
});
