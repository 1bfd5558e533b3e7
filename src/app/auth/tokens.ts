import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import type { CryptoKey, JSONWebKeySet, JWK, JWTPayload } from 'jose';
import type { AppIdentity } from '../../pki/lean-pki.js';
import { systemClock, type Clock } from '../routing.js';

/** What a token lets its bearer do: Lean's backend API, or the LinkSDK for one customer. */
export type TokenScope = 'api' | { readonly customerId: string };

/** The claims of a Lean-shaped access token (what Lean's tokens carry, as seen decoded). */
export interface LeanTokenClaims extends JWTPayload {
  iss: string;
  sub: string;
  aud: string;
  nbf: number;
  iat: number;
  exp: number;
  jti: string;
  /** Lean's fine-grained permissions (`customer.read`, `payment.write`…), as an array. */
  scope: string[];
  applications: { id: string }[];
  /** Present on customer tokens only: the one customer the token acts for. */
  customers?: { id: string }[];
}

/**
 * The permissions Lean grants each kind of token, in the order its recorded tokens list them
 * (decoded from test/fixtures/lean-recorded/{UAE,KSA}/authentication). Informational: what a token
 * may do here is decided by its kind (the `customers` claim), not by these strings.
 */
export const API_TOKEN_SCOPES: readonly string[] = [
  'customer.read', 'customer.write', 'destination.write', 'report.read', 'bank.read', 'webhook.read', 'payment.read',
  'intent.write', 'destination.read', 'payout.write', 'deposit.read', 'report.write', 'data.read', 'payout.read',
  'reconciliation.read', 'file.read',
];
export const CUSTOMER_TOKEN_SCOPES: readonly string[] = [
  'customer.read', 'beneficiary.write', 'payment.write', 'payment.read', 'destination.read', 'connect.write',
  'connect.read', 'application.read', 'bank.read', 'key.read',
];

/** Lean's audiences: the API host for api tokens, the LinkSDK's host for customer tokens. */
export const DEFAULT_TOKEN_AUDIENCES = { api: 'https://sandbox.leantech.me', customer: 'https://link.sandbox.leantech.me' } as const;

export type IssueResult =
  | {
      ok: true;
      accessToken: string;
      tokenType: 'Bearer';
      /** Seconds, one less than the JWT lifetime: what Lean answers (3599 for a 3600 s token). */
      expiresIn: number;
      /** The granted scope as a string: `api` or `customer.<id>`. */
      scope: string;
      claims: LeanTokenClaims;
    }
  | { ok: false; error: 'invalid_client' | 'invalid_scope'; description: string };

export type VerifyFailureDetail = 'expired' | 'not_yet_valid' | 'bad_signature' | 'malformed' | 'unknown_app';

export type VerifyResult =
  | { ok: true; appToken: string; scope: TokenScope; claims: LeanTokenClaims }
  | { ok: false; reason: 'invalid_token'; detail: VerifyFailureDetail };

export interface TokenAuthorityOptions {
  /** Only the credentials are read, so tests need not build a PKI. Read on each use. */
  apps: readonly Pick<AppIdentity, 'appToken' | 'clientSecret'>[];
  clock?: Clock;
  issuer?: string;
  /** `aud` per kind of token; default {@link DEFAULT_TOKEN_AUDIENCES}, as Lean's recorded tokens. */
  audiences?: { api: string; customer: string };
  lifetimeSeconds?: number;
}

export interface TokenAuthority {
  issue(appToken: string, clientSecret: string, scope: string | TokenScope): Promise<IssueResult>;
  /** Never rejects: every failure is a {@link VerifyResult}. */
  verify(token: string): Promise<VerifyResult>;
  /** The public signing key, for `/.well-known/jwks.json`. */
  jwks(): Promise<JSONWebKeySet>;
}

export const DEFAULT_TOKEN_ISSUER = 'https://auth.sandbox.leantech.me';
export const DEFAULT_TOKEN_LIFETIME_SECONDS = 3600;
const ALG = 'RS256';
/** Real tokens are well under 2 kB; refusing huge input early keeps verify cheap. */
const MAX_TOKEN_LENGTH = 8 * 1024;
const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const CUSTOMER_SCOPE = new RegExp(`^customer\\.(${UUID})$`);
const CUSTOMER_ID = new RegExp(`^${UUID}$`);

/** `api` or `customer.<lower-case uuid>`; anything else (including several scopes) is null. */
export function parseScope(raw: string): TokenScope | null {
  if (raw === 'api') return 'api';
  const customer = CUSTOMER_SCOPE.exec(raw);
  return customer ? { customerId: customer[1]! } : null;
}

export function formatScope(scope: TokenScope): string {
  return scope === 'api' ? 'api' : `customer.${scope.customerId}`;
}

interface SigningKey {
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  publicJwk: JWK;
}

export function createTokenAuthority(options: TokenAuthorityOptions): TokenAuthority {
  const clock = options.clock ?? systemClock;
  const issuer = options.issuer ?? DEFAULT_TOKEN_ISSUER;
  const lifetime = options.lifetimeSeconds ?? DEFAULT_TOKEN_LIFETIME_SECONDS;
  const audiences = options.audiences ?? DEFAULT_TOKEN_AUDIENCES;
  // Looked up on each use, not copied: a composition root that reloads its PKI may change the
  // list, and tokens of apps that left must then fail as `unknown_app`.
  const secretOf = (appToken: string) => options.apps.find((app) => app.appToken === appToken)?.clientSecret;

  // RSA generation takes tens of ms; servers must start faster, so the key is made on first use,
  // once, however many requests race for it.
  let signingKey: Promise<SigningKey> | undefined;
  const key = (): Promise<SigningKey> => {
    signingKey ??= makeSigningKey().catch((error: unknown) => {
      signingKey = undefined; // let the next call retry rather than fail forever
      throw error;
    });
    return signingKey;
  };

  return {
    async issue(appToken, clientSecret, requested) {
      if (!secretMatches(secretOf(appToken), clientSecret)) {
        return { ok: false, error: 'invalid_client', description: 'Unknown client or wrong client secret.' };
      }
      // A parsed scope goes through the parser again, so a bad customer id cannot slip in.
      const scope = parseScope(typeof requested === 'string' ? requested : formatScope(requested));
      if (!scope) {
        return { ok: false, error: 'invalid_scope', description: "The scope must be 'api' or 'customer.<customer_id>'." };
      }
      const iat = Math.floor(clock().getTime() / 1000);
      const claims: LeanTokenClaims = {
        iss: issuer,
        sub: appToken,
        aud: scope === 'api' ? audiences.api : audiences.customer,
        nbf: iat,
        iat,
        exp: iat + lifetime,
        jti: randomUUID(),
        scope: [...(scope === 'api' ? API_TOKEN_SCOPES : CUSTOMER_TOKEN_SCOPES)],
        // The kind of token is the presence of `customers`, as in Lean's tokens; the application is
        // named on both kinds (decoded from its recorded tokens).
        ...(scope === 'api' ? {} : { customers: [{ id: scope.customerId }] }),
        applications: [{ id: appToken }],
      };
      const [{ privateKey, publicJwk }, { SignJWT }] = await Promise.all([key(), jose()]);
      const accessToken = await new SignJWT(claims)
        .setProtectedHeader({ alg: ALG, typ: 'JWT', kid: publicJwk.kid! })
        .sign(privateKey);
      return { ok: true, accessToken, tokenType: 'Bearer', expiresIn: lifetime - 1, scope: formatScope(scope), claims };
    },

    async verify(token) {
      if (typeof token !== 'string' || token.length === 0 || token.length > MAX_TOKEN_LENGTH) {
        return invalid('malformed');
      }
      let payload: JWTPayload;
      try {
        const [{ publicKey }, { jwtVerify }] = await Promise.all([key(), jose()]);
        ({ payload } = await jwtVerify(token, publicKey, { algorithms: [ALG], issuer, currentDate: clock() }));
      } catch (error) {
        return invalid(failureDetail(error));
      }
      const claims = payload as LeanTokenClaims;
      const scope = tokenKind(claims);
      if (typeof claims.sub !== 'string' || !scope) return invalid('malformed');
      // Signed by us, but for an app no longer in the list.
      if (secretOf(claims.sub) === undefined) return invalid('unknown_app');
      return { ok: true, appToken: claims.sub, scope, claims };
    },

    async jwks() {
      return { keys: [(await key()).publicJwk] };
    },
  };
}

/**
 * What a verified token may do, from one claim only: `customers` absent is an api token, exactly
 * one customer is that customer's token; anything else is malformed. The fine-grained `scope`
 * strings do not decide it (api and customer tokens share some, e.g. `customer.read`).
 */
function tokenKind(claims: Partial<LeanTokenClaims>): TokenScope | null {
  if (!Array.isArray(claims.scope)) return null;
  if (claims.customers === undefined) return 'api';
  const [only, ...more] = Array.isArray(claims.customers) ? claims.customers : [];
  const id = (only as { id?: unknown } | undefined)?.id;
  return more.length === 0 && typeof id === 'string' && CUSTOMER_ID.test(id) ? { customerId: id } : null;
}

/**
 * jose, loaded on the first token rather than at start: its ~46 modules were an eighth of what
 * `serve` loads, and most clients of a mock never ask for a token.
 */
const jose = () => import('jose');

async function makeSigningKey(): Promise<SigningKey> {
  const { calculateJwkThumbprint, exportJWK, generateKeyPair } = await jose();
  const { privateKey, publicKey } = await generateKeyPair(ALG, { modulusLength: 2048 });
  const jwk = await exportJWK(publicKey);
  return { privateKey, publicKey, publicJwk: { ...jwk, kid: await calculateJwkThumbprint(jwk), alg: ALG, use: 'sig' } };
}

/**
 * Compares SHA-256 digests so the buffers are always the same length: timingSafeEqual needs that,
 * and it keeps the secret's length from leaking. Unknown clients still pay for one comparison.
 */
function secretMatches(expected: string | undefined, given: string): boolean {
  const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();
  const equal = timingSafeEqual(digest(expected ?? ''), digest(given));
  return expected !== undefined && equal;
}

function failureDetail(error: unknown): VerifyFailureDetail {
  const code = (error as { code?: unknown } | null)?.code;
  switch (code) {
    case 'ERR_JWT_EXPIRED':
      return 'expired';
    case 'ERR_JWT_CLAIM_VALIDATION_FAILED':
      return (error as { claim?: unknown }).claim === 'nbf' ? 'not_yet_valid' : 'malformed';
    // A well-formed token signed by someone else, or with another algorithm (e.g. HS256, none).
    case 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED':
    case 'ERR_JOSE_ALG_NOT_ALLOWED':
      return 'bad_signature';
    default:
      return 'malformed';
  }
}

function invalid(detail: VerifyFailureDetail): VerifyResult {
  return { ok: false, reason: 'invalid_token', detail };
}
