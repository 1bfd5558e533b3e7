import { createLocalJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { API_TOKEN_SCOPES, createTokenAuthority, CUSTOMER_TOKEN_SCOPES, DEFAULT_TOKEN_AUDIENCES } from '../../src/app/auth/tokens.js';
import { createOAuthRouter } from '../../src/lean/oauth.js';
import { appWith, FIXED_NOW } from '../support/lean-app.js';

const APP = { appToken: '0f4b1a52-8a6e-4c2b-9d1e-3c5a7b9d1f20', clientSecret: 'my-app-secret' };
/** A secret with the characters RFC 6749 §2.3.1 makes clients form-encode inside Basic. */
const ODD = { appToken: 'a1b2c3d4-0000-4000-8000-000000000002', clientSecret: 'p@ss:w%rd +/=' };
const CUSTOMER = '6b2d8f0e-1c3a-4e5b-9f7d-2a4c6e8b0d1f';

const tokens = createTokenAuthority({ apps: [APP, ODD], clock: () => FIXED_NOW });
const app = appWith(createOAuthRouter({ tokens }));

const valid = { grant_type: 'client_credentials', client_id: APP.appToken, client_secret: APP.clientSecret, scope: 'api' };
const postForm = (form: Record<string, string>) => request(app).post('/oauth2/token').type('form').send(form);
const basic = (id: string, secret: string) =>
  `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;

function expectOAuthError(res: request.Response, status: number, error: string): void {
  expect(res.status).toBe(status);
  expect(res.body).toMatchObject({ error, error_description: expect.any(String) });
  expect(res.headers['cache-control']).toBe('no-store');
}

describe('POST /oauth2/token', () => {
  it('issues a Bearer token for valid form credentials, in Lean’s shape', async () => {
    const res = await postForm(valid);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body).toEqual({ access_token: expect.any(String), scope: 'api', token_type: 'Bearer', expires_in: 3599 });

    const token: string = res.body.access_token;
    expect(decodeProtectedHeader(token).alg).toBe('RS256');
    const claims = decodeJwt(token);
    // The reply's `scope` is what the client asked for; the token's is Lean's fine-grained list.
    expect(claims).toMatchObject({ sub: APP.appToken, aud: DEFAULT_TOKEN_AUDIENCES.api, scope: API_TOKEN_SCOPES, applications: [{ id: APP.appToken }] });
    expect(claims).not.toHaveProperty('customers');
    expect(claims.exp! - claims.iat!).toBe(3600);
    expect(claims.nbf).toBe(claims.iat);
    expect(claims.jti).toMatch(/^[0-9a-f-]{36}$/);
    expect(await tokens.verify(token)).toMatchObject({ ok: true, appToken: APP.appToken, scope: 'api' });
  });

  it('accepts client credentials by HTTP Basic, form-encoded inside (RFC 6749 §2.3.1)', async () => {
    const res = await request(app)
      .post('/oauth2/token')
      .set('authorization', basic(ODD.appToken, ODD.clientSecret))
      .type('form')
      .send({ grant_type: 'client_credentials', scope: 'api' });
    expect(res.status).toBe(200);
    expect(decodeJwt(res.body.access_token).sub).toBe(ODD.appToken);
  });

  it('accepts the client_id in the body beside Basic when they agree', async () => {
    const res = await request(app)
      .post('/oauth2/token')
      .auth(APP.appToken, APP.clientSecret)
      .type('form')
      .send({ grant_type: 'client_credentials', client_id: APP.appToken, scope: 'api' });
    expect(res.status).toBe(200);
  });

  it('issues a customer-scoped token for the LinkSDK', async () => {
    const res = await postForm({ ...valid, scope: `customer.${CUSTOMER}` });
    expect(res.status).toBe(200);
    expect(res.body.scope).toBe(`customer.${CUSTOMER}`);
    expect(decodeJwt(res.body.access_token)).toMatchObject({
      aud: DEFAULT_TOKEN_AUDIENCES.customer,
      scope: CUSTOMER_TOKEN_SCOPES,
      customers: [{ id: CUSTOMER }],
      applications: [{ id: APP.appToken }],
    });
  });

  it.each([
    ['a wrong secret', { client_secret: 'wrong' }],
    ['an unknown client', { client_id: 'c0ffee00-0000-4000-8000-000000000000' }],
  ])('answers %s with 401 invalid_client', async (_name, change) => {
    const res = await postForm({ ...valid, ...change });
    expectOAuthError(res, 401, 'invalid_client');
    expect(res.headers['www-authenticate']).toBeUndefined();
  });

  it('challenges a client whose Basic credentials fail (RFC 6749 §5.2)', async () => {
    for (const header of [basic(APP.appToken, 'wrong'), 'Basic', `Basic ${Buffer.from('no-colon').toString('base64')}`]) {
      const res = await request(app).post('/oauth2/token').set('authorization', header).type('form').send({ grant_type: 'client_credentials', scope: 'api' });
      expectOAuthError(res, 401, 'invalid_client');
      expect(res.headers['www-authenticate']).toMatch(/^Basic /);
    }
  });

  it.each(['grant_type', 'client_id', 'client_secret', 'scope'] as const)(
    'answers a missing %s with 400 invalid_request naming it',
    async (field) => {
      const { [field]: _dropped, ...rest } = valid;
      for (const form of [rest, { ...valid, [field]: '' }]) {
        const res = await postForm(form);
        expectOAuthError(res, 400, 'invalid_request');
        expect(res.body.error_description).toContain(field);
      }
    },
  );

  it('names every missing field of an empty request', async () => {
    const res = await request(app).post('/oauth2/token');
    expectOAuthError(res, 400, 'invalid_request');
    expect(res.body.error_description).toBe('Missing required parameter: grant_type, client_id, client_secret, scope.');
  });

  it.each(['password', 'authorization_code', 'CLIENT_CREDENTIALS'])('answers grant_type %s with 400 unsupported_grant_type', async (grant) => {
    expectOAuthError(await postForm({ ...valid, grant_type: grant }), 400, 'unsupported_grant_type');
  });

  it.each(['API', 'api customer', 'customer.', 'customer.42', `customer.${CUSTOMER.toUpperCase()}`, 'openid'])(
    'answers scope %j with 400 invalid_scope',
    async (scope) => {
      expectOAuthError(await postForm({ ...valid, scope }), 400, 'invalid_scope');
    },
  );

  it('refuses two client authentication methods at once (RFC 6749 §2.3)', async () => {
    const res = await request(app).post('/oauth2/token').auth(APP.appToken, APP.clientSecret).type('form').send(valid);
    expectOAuthError(res, 400, 'invalid_request');
  });

  it('refuses a repeated parameter (RFC 6749 §3.2)', async () => {
    const res = await request(app).post('/oauth2/token').type('form').send('grant_type=client_credentials&scope=api&scope=api&client_id=x&client_secret=y');
    expectOAuthError(res, 400, 'invalid_request');
    expect(res.body.error_description).toContain('scope');
  });

  it('answers a JSON body with 400 invalid_request', async () => {
    const res = await request(app).post('/oauth2/token').send(valid);
    expectOAuthError(res, 400, 'invalid_request');
    expect(res.body.error_description).toContain('x-www-form-urlencoded');
  });

  it('answers a body over 16 kB with 413 invalid_request', async () => {
    const res = await postForm({ ...valid, padding: 'x'.repeat(17 * 1024) });
    expectOAuthError(res, 413, 'invalid_request');
  });

  it.each(['get', 'put', 'delete'] as const)('answers %s with Lean’s 405 envelope', async (method) => {
    const res = await request(app)[method]('/oauth2/token');
    expect(res.status).toBe(405);
    expect(res.body).toEqual({
      timestamp: FIXED_NOW.toISOString(),
      status: 'INVALID_HTTP_METHOD',
      message: 'The HTTP method is not supported for this URL.',
      metadata: null,
    });
  });
});

describe('GET /.well-known/jwks.json', () => {
  it('publishes the key that verifies issued tokens', async () => {
    const res = await request(app).get('/.well-known/jwks.json');
    expect(res.status).toBe(200);
    expect(res.body.keys).toEqual([expect.objectContaining({ kty: 'RSA', alg: 'RS256', use: 'sig' })]);

    const { body } = await postForm(valid);
    const { payload } = await jwtVerify(body.access_token, createLocalJWKSet(res.body), { currentDate: FIXED_NOW });
    expect(payload.sub).toBe(APP.appToken);
  });

  it('answers other methods with Lean’s 405', async () => {
    const res = await request(app).post('/.well-known/jwks.json');
    expect(res.status).toBe(405);
    expect(res.body.status).toBe('INVALID_HTTP_METHOD');
  });
});
