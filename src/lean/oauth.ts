import express, { Router, type RequestHandler, type Response } from 'express';
import type { TokenAuthority } from '../app/auth/tokens.js';
import { methodNotAllowed } from '../app/routing.js';

/**
 * Lean's OAuth2 token endpoint (client credentials) and the JWKS its tokens verify against.
 *
 * Errors here use OAuth's shape (RFC 6749 §5.2), not Lean's envelope: OAuth client libraries parse
 * `error`, and Lean's own token-endpoint error bodies are unconfirmed. Only the 405 for a wrong
 * method keeps Lean's envelope, like every other known path.
 */
export interface OAuthRouterOptions {
  tokens: TokenAuthority;
}

type OAuthErrorCode = 'invalid_request' | 'invalid_client' | 'unsupported_grant_type' | 'invalid_scope';

const FORM_TYPE = 'application/x-www-form-urlencoded';
const FIELDS = ['grant_type', 'client_id', 'client_secret', 'scope'] as const;
type Form = Partial<Record<(typeof FIELDS)[number], string>>;

export function createOAuthRouter({ tokens }: OAuthRouterOptions): Router {
  const router = Router();

  router
    .route('/oauth2/token')
    .post(formBody, async (req, res) => {
      // A body of another type (JSON, most often) is a client mistake worth naming; no body at all
      // falls through to the missing-parameter message.
      if (req.get('content-type') !== undefined && !req.is(FORM_TYPE)) {
        return sendOAuthError(res, 400, 'invalid_request', `The body must be ${FORM_TYPE}.`);
      }
      const form = readForm(req.body);
      if (typeof form === 'string') return sendOAuthError(res, 400, 'invalid_request', form);

      const basic = basicCredentials(req.get('authorization'));
      // RFC 6749 §2.3.1: a client that tried Basic and failed gets 401 with a challenge.
      const challenge: Record<string, string> = basic ? { 'www-authenticate': 'Basic realm="lean-mock"' } : {};
      if (basic === 'malformed') {
        return sendOAuthError(res, 401, 'invalid_client', 'The Basic authorization header is malformed.', challenge);
      }
      if (basic && (form.client_secret || (form.client_id && form.client_id !== basic.clientId))) {
        // §2.3: one authentication method per request.
        return sendOAuthError(res, 400, 'invalid_request', 'Send client credentials in the Authorization header or the body, not both.');
      }

      const clientId = basic ? basic.clientId : form.client_id;
      const clientSecret = basic ? basic.clientSecret : form.client_secret;
      const present = { grant_type: form.grant_type, client_id: clientId, client_secret: clientSecret, scope: form.scope };
      const missing = FIELDS.filter((name) => !present[name]);
      if (missing.length > 0) {
        return sendOAuthError(res, 400, 'invalid_request', `Missing required parameter: ${missing.join(', ')}.`);
      }
      if (form.grant_type !== 'client_credentials') {
        return sendOAuthError(res, 400, 'unsupported_grant_type', "Only grant_type 'client_credentials' is supported.");
      }

      const issued = await tokens.issue(clientId!, clientSecret!, form.scope!);
      if (!issued.ok) {
        const status = issued.error === 'invalid_client' ? 401 : 400;
        return sendOAuthError(res, status, issued.error, issued.description, issued.error === 'invalid_client' ? challenge : {});
      }
      noStore(res).json({
        access_token: issued.accessToken,
        scope: issued.scope,
        token_type: issued.tokenType,
        expires_in: issued.expiresIn,
      });
    })
    .all(methodNotAllowed);

  router
    .route('/.well-known/jwks.json')
    .get(async (_req, res) => {
      res.json(await tokens.jwks());
    })
    .all(methodNotAllowed);

  return router;
}

const parseForm = express.urlencoded({ extended: false, limit: '16kb' });

/** Parses the form for this route only, turning body-parser's client errors into OAuth's shape. */
const formBody: RequestHandler = (req, res, next) => {
  parseForm(req, res, (error?: unknown) => {
    const status = (error as { status?: unknown } | undefined)?.status;
    if (!error || typeof status !== 'number' || status >= 500) return next(error);
    sendOAuthError(res, status, 'invalid_request', `The form body could not be read: ${(error as Error).message}.`);
  });
};

/** The four fields as strings; a repeated one is an error (RFC 6749 §3.2), an empty one is absent. */
function readForm(body: unknown): Form | string {
  const raw = (body ?? {}) as Record<string, unknown>;
  const form: Form = {};
  for (const name of FIELDS) {
    const value = raw[name];
    if (Array.isArray(value)) return `The parameter ${name} must not be repeated.`;
    if (typeof value === 'string' && value !== '') form[name] = value;
  }
  return form;
}

/**
 * `Authorization: Basic` client credentials (RFC 6749 §2.3.1): both parts are form-encoded before
 * base64. Undefined when the header is absent or another scheme.
 */
function basicCredentials(header: string | undefined): { clientId: string; clientSecret: string } | 'malformed' | undefined {
  const match = /^Basic(?:\s+(.*))?$/i.exec(header?.trim() ?? '');
  if (!match) return undefined;
  const decoded = Buffer.from(match[1] ?? '', 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return 'malformed';
  try {
    const formDecode = (part: string) => decodeURIComponent(part.replace(/\+/g, ' '));
    return { clientId: formDecode(decoded.slice(0, colon)), clientSecret: formDecode(decoded.slice(colon + 1)) };
  } catch {
    return 'malformed'; // bad percent-encoding
  }
}

/** RFC 6749 §5.1: token responses, errors included, must not be cached. */
function noStore(res: Response): Response {
  return res.set({ 'cache-control': 'no-store', pragma: 'no-cache' });
}

function sendOAuthError(
  res: Response,
  status: number,
  error: OAuthErrorCode,
  description: string,
  headers: Record<string, string> = {},
): void {
  noStore(res).set(headers).status(status).json({ error, error_description: description });
}
