import { createLocalJWKSet, decodeJwt, decodeProtectedHeader, generateKeyPair, jwtVerify, SignJWT } from 'jose';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { readFileSync } from 'node:fs';
import {
  API_TOKEN_SCOPES,
  createTokenAuthority,
  CUSTOMER_TOKEN_SCOPES,
  DEFAULT_TOKEN_AUDIENCES,
  DEFAULT_TOKEN_ISSUER,
  parseScope,
  type TokenAuthority,
} from '../../src/app/auth/tokens.js';

// Spy on key generation to pin down that it is lazy and happens once.
vi.mock(import('jose'), async (importOriginal) => {
  const actual = await importOriginal();
  return { ...actual, generateKeyPair: vi.fn(actual.generateKeyPair) };
});

const APP = { appToken: '0f4b1a52-8a6e-4c2b-9d1e-3c5a7b9d1f20', clientSecret: 'my-app-secret' };
const OTHER = { appToken: 'a1b2c3d4-0000-4000-8000-000000000002', clientSecret: 'other-secret' };
const CUSTOMER = '6b2d8f0e-1c3a-4e5b-9f7d-2a4c6e8b0d1f';
const START = new Date('2025-01-15T10:00:00.000Z');
const START_S = START.getTime() / 1000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

let now = START;
const clock = () => now;
const advance = (seconds: number) => {
  now = new Date(now.getTime() + seconds * 1000);
};
// One authority for most tests: RSA key generation is the slow part.
const authority = createTokenAuthority({ apps: [APP, OTHER], clock });

beforeEach(() => {
  now = START;
});

async function tokenFor(tokens: TokenAuthority = authority, scope = 'api'): Promise<string> {
  const issued = await tokens.issue(APP.appToken, APP.clientSecret, scope);
  if (!issued.ok) throw new Error(issued.description);
  return issued.accessToken;
}

/** Flips one character of a base64url segment (1 payload, 2 signature). */
function tamper(token: string, segment: number): string {
  const parts = token.split('.');
  const part = parts[segment]!;
  const index = Math.floor(part.length / 2);
  parts[segment] = part.slice(0, index) + (part[index] === 'A' ? 'B' : 'A') + part.slice(index + 1);
  return parts.join('.');
}

describe('key generation', () => {
  it('waits for first use and then happens once, however many calls race', async () => {
    vi.mocked(generateKeyPair).mockClear();
    const tokens = createTokenAuthority({ apps: [APP], clock });
    expect(generateKeyPair).not.toHaveBeenCalled();
    await Promise.all([tokenFor(tokens), tokenFor(tokens), tokens.jwks(), tokens.verify('a.b.c')]);
    expect(generateKeyPair).toHaveBeenCalledTimes(1);
  });
});

describe('issue', () => {
  it('signs an api token with RS256 and the claims Lean puts in it', async () => {
    const issued = await authority.issue(APP.appToken, APP.clientSecret, 'api');
    expect(issued).toMatchObject({ ok: true, tokenType: 'Bearer', expiresIn: 3599, scope: 'api' });
    if (!issued.ok) return;

    const header = decodeProtectedHeader(issued.accessToken);
    const { keys } = await authority.jwks();
    expect(header).toEqual({ alg: 'RS256', typ: 'JWT', kid: keys[0]!.kid });

    const claims = decodeJwt(issued.accessToken);
    expect(claims).toEqual({
      iss: DEFAULT_TOKEN_ISSUER,
      sub: APP.appToken,
      aud: DEFAULT_TOKEN_AUDIENCES.api,
      iat: START_S,
      nbf: START_S,
      exp: START_S + 3600,
      jti: expect.stringMatching(UUID),
      scope: API_TOKEN_SCOPES,
      applications: [{ id: APP.appToken }],
    });
    expect(issued.claims).toEqual(claims);
  });

  it.each([
    ['api', 'api', 'generate-api-access-token'],
    ['customer', `customer.${CUSTOMER}`, 'generate-customer-access-token'],
  ])('gives an %s token the claims and fine-grained scopes of Lean’s recorded one', async (_kind, scope, recording) => {
    for (const region of ['UAE', 'KSA']) {
      const lean = recordedClaims(region, recording);
      const ours = decodeJwt(await tokenFor(authority, scope));
      expect(Object.keys(ours).sort()).toEqual(Object.keys(lean).sort());
      expect(ours.scope).toEqual(lean.scope);
      // Lean's recordings were made on its Saudi hosts; ours are the UAE ones, same path.
      expect(ours.aud).toBe(String(lean.aud).replace('.sa.leantech.me', '.leantech.me'));
    }
  });

  it('scopes a customer token to that customer, naming the application as Lean does', async () => {
    const issued = await authority.issue(APP.appToken, APP.clientSecret, `customer.${CUSTOMER}`);
    expect(issued).toMatchObject({ ok: true, scope: `customer.${CUSTOMER}` });
    if (!issued.ok) return;
    const claims = decodeJwt(issued.accessToken);
    expect(claims).toMatchObject({ aud: DEFAULT_TOKEN_AUDIENCES.customer, scope: CUSTOMER_TOKEN_SCOPES, customers: [{ id: CUSTOMER }] });
    expect(claims.applications).toEqual([{ id: APP.appToken }]);
  });

  it('accepts an already parsed scope', async () => {
    const issued = await authority.issue(APP.appToken, APP.clientSecret, { customerId: CUSTOMER });
    expect(issued).toMatchObject({ ok: true, scope: `customer.${CUSTOMER}` });
    const bad = await authority.issue(APP.appToken, APP.clientSecret, { customerId: 'not-a-uuid' });
    expect(bad).toMatchObject({ ok: false, error: 'invalid_scope' });
  });

  it('gives every token its own jti', async () => {
    const [a, b] = await Promise.all([tokenFor(), tokenFor()]);
    expect(decodeJwt(a).jti).not.toBe(decodeJwt(b).jti);
  });

  it('honours issuer, audience and lifetime options', async () => {
    const audiences = { api: 'https://api.mock', customer: 'https://link.mock' };
    const tokens = createTokenAuthority({ apps: [APP], clock, issuer: 'https://mock', audiences, lifetimeSeconds: 60 });
    const issued = await tokens.issue(APP.appToken, APP.clientSecret, 'api');
    expect(issued).toMatchObject({ ok: true, expiresIn: 59, claims: { iss: 'https://mock', aud: 'https://api.mock', exp: START_S + 60 } });
    const customer = await tokens.issue(APP.appToken, APP.clientSecret, `customer.${CUSTOMER}`);
    expect(customer).toMatchObject({ ok: true, claims: { aud: 'https://link.mock' } });
  });

  it.each([
    ['a wrong secret', APP.appToken, 'wrong'],
    ['a prefix of the secret', APP.appToken, APP.clientSecret.slice(0, -1)],
    ['the secret plus more', APP.appToken, `${APP.clientSecret}x`],
    ["another app's secret", APP.appToken, OTHER.clientSecret],
    ['an empty secret', APP.appToken, ''],
    ['an unknown client', 'not-an-app', APP.clientSecret],
  ])('refuses %s as invalid_client', async (_name, client, secret) => {
    expect(await authority.issue(client, secret, 'api')).toMatchObject({ ok: false, error: 'invalid_client' });
  });

  it.each(['', 'API', 'api ', 'api customer', 'customer', 'customer.', 'customer.123', `customer.${CUSTOMER.toUpperCase()}`, `customer.${CUSTOMER} api`])(
    'refuses scope %j as invalid_scope',
    async (scope) => {
      expect(await authority.issue(APP.appToken, APP.clientSecret, scope)).toMatchObject({ ok: false, error: 'invalid_scope' });
      expect(parseScope(scope)).toBeNull();
    },
  );

  it('checks the client before the scope, so a stranger learns nothing about scopes', async () => {
    expect(await authority.issue(APP.appToken, 'wrong', 'nonsense')).toMatchObject({ error: 'invalid_client' });
  });
});

describe('verify', () => {
  it('accepts its own api token', async () => {
    const result = await authority.verify(await tokenFor());
    expect(result).toMatchObject({ ok: true, appToken: APP.appToken, scope: 'api', claims: { sub: APP.appToken } });
  });

  it('reads the customer back from a customer token', async () => {
    const result = await authority.verify(await tokenFor(authority, `customer.${CUSTOMER}`));
    expect(result).toMatchObject({ ok: true, appToken: APP.appToken, scope: { customerId: CUSTOMER } });
  });

  it('tells the kinds apart by the customers claim, not by scope strings both kinds share', async () => {
    // Both kinds carry `customer.read` first: a reader of scope[0] would mistake one for the other.
    expect(API_TOKEN_SCOPES[0]).toBe(CUSTOMER_TOKEN_SCOPES[0]);
    const api = await authority.verify(await tokenFor());
    const customer = await authority.verify(await tokenFor(authority, `customer.${CUSTOMER}`));
    expect(api).toMatchObject({ ok: true, scope: 'api' });
    expect(customer).toMatchObject({ ok: true, scope: { customerId: CUSTOMER } });
  });

  it.each([
    ['payload', 1],
    ['signature', 2],
  ])('calls a token with a tampered %s bad_signature', async (_name, segment) => {
    const token = await tokenFor();
    expect(await authority.verify(tamper(token, segment))).toEqual({ ok: false, reason: 'invalid_token', detail: 'bad_signature' });
  });

  it('calls a re-encoded header bad_signature, but an unreadable one malformed', async () => {
    const [, payload, signature] = (await tokenFor()).split('.');
    const header = Buffer.from(JSON.stringify({ alg: 'RS256', kid: 'another' })).toString('base64url');
    expect(await authority.verify(`${header}.${payload}.${signature}`)).toMatchObject({ detail: 'bad_signature' });
    expect(await authority.verify(`e30x.${payload}.${signature}`)).toMatchObject({ detail: 'malformed' });
  });

  it('calls a payload swapped for a forged one bad_signature', async () => {
    const [header, , signature] = (await tokenFor()).split('.');
    const forged = Buffer.from(JSON.stringify({ ...decodeJwt(await tokenFor()), sub: OTHER.appToken })).toString('base64url');
    expect(await authority.verify(`${header}.${forged}.${signature}`)).toMatchObject({ detail: 'bad_signature' });
  });

  it("calls another authority's token bad_signature, even for the same app", async () => {
    const stranger = createTokenAuthority({ apps: [APP], clock });
    expect(await authority.verify(await tokenFor(stranger))).toMatchObject({ ok: false, detail: 'bad_signature' });
  });

  it('calls a token signed with another algorithm (HS256) bad_signature', async () => {
    const hs = await new SignJWT({ sub: APP.appToken, scope: ['api'] })
      .setProtectedHeader({ alg: 'HS256' })
      .sign(new TextEncoder().encode('a-shared-secret-of-at-least-32-bytes!'));
    expect(await authority.verify(hs)).toMatchObject({ ok: false, detail: 'bad_signature' });
  });

  it('follows the injected clock: valid until exp, expired after', async () => {
    const token = await tokenFor();
    advance(3599);
    expect(await authority.verify(token)).toMatchObject({ ok: true });
    advance(2); // 3601 s after issue
    expect(await authority.verify(token)).toEqual({ ok: false, reason: 'invalid_token', detail: 'expired' });
  });

  it('calls a token used before its nbf not_yet_valid', async () => {
    const token = await tokenFor();
    advance(-60);
    expect(await authority.verify(token)).toMatchObject({ ok: false, detail: 'not_yet_valid' });
  });

  it('calls a token of an app that has left the list unknown_app', async () => {
    const apps = [APP, OTHER];
    const tokens = createTokenAuthority({ apps, clock });
    const token = await tokenFor(tokens);
    apps.shift();
    expect(await tokens.verify(token)).toMatchObject({ ok: false, detail: 'unknown_app' });
  });

  it.each([
    ['an empty string', ''],
    ['garbage', 'not a token at all'],
    ['a.b.c', 'a.b.c'],
    ['dots only', '..'],
    ['two segments', 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0'],
    ['a 100 kB string', 'x'.repeat(100_000)],
    ['a 100 kB three-part string', `${'a'.repeat(50_000)}.${'b'.repeat(50_000)}.c`],
    ['unicode', 'ÿ.☃.💥'],
  ])('calls %s malformed without throwing', async (_name, token) => {
    await expect(authority.verify(token)).resolves.toEqual({ ok: false, reason: 'invalid_token', detail: 'malformed' });
  });

  it('calls non-strings from untyped callers malformed', async () => {
    for (const value of [undefined, null, 42, {}]) {
      await expect(authority.verify(value as unknown as string)).resolves.toMatchObject({ detail: 'malformed' });
    }
  });
});

/** The payload of the access token in one of Lean's recorded token replies. */
function recordedClaims(region: string, name: string): Record<string, unknown> {
  const file = new URL(`../fixtures/lean-recorded/${region}/authentication/${name}.json`, import.meta.url);
  const recording = JSON.parse(readFileSync(file, 'utf8')) as { recorded: { body: { access_token: string } }[] };
  return decodeJwt(recording.recorded[0]!.body.access_token);
}

describe('jwks', () => {
  it('publishes only the public key, enough for a client to verify tokens itself', async () => {
    const jwks = await authority.jwks();
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig', kid: expect.any(String) });
    for (const secret of ['d', 'p', 'q', 'dp', 'dq', 'qi']) expect(jwks.keys[0]).not.toHaveProperty(secret);

    const { payload } = await jwtVerify(await tokenFor(), createLocalJWKSet(jwks), { currentDate: now });
    expect(payload.sub).toBe(APP.appToken);
  });
});
