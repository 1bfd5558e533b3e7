import type { RequestHandler, Response } from 'express';
import { LeanError } from '../errors.js';
import { contextOf } from '../context.js';
import type { TokenAuthority } from './tokens.js';

/** The endpoints a client calls before it has credentials for the API. */
const PUBLIC_PATHS = new Set(['/oauth2/token', '/.well-known/jwks.json']);

export interface AuthenticatorOptions {
  /** The apps the mock knows: credentials name an app by its token, the journal by its name. */
  apps: readonly { name: string; appToken: string }[];
  tokens: TokenAuthority;
}

/**
 * Lean's two ways in: a `lean-app-token` header, or an OAuth bearer token, never both. On the mTLS
 * host the credentials must belong to the app the client certificate was issued for.
 */
export function authenticate(options: AuthenticatorOptions): RequestHandler {
  const appNames = new Map(options.apps.map((app) => [app.appToken, app.name]));
  return async (req, res, next) => {
    if (PUBLIC_PATHS.has(req.path.replace(/\/+$/, ''))) return next();
    const context = contextOf(req);
    const appToken = req.headers['lean-app-token'];
    const authorization = req.headers.authorization;

    if (appToken !== undefined && authorization !== undefined) {
      return next(
        new LeanError('INVALID_PARAMETERS', 400, "Do not supply a 'lean-app-token' header when providing an 'Authorization' header"),
      );
    }
    if (appToken !== undefined) {
      const name = typeof appToken === 'string' ? appNames.get(appToken) : undefined;
      if (!name) {
        context.rejection = 'invalid_token';
        return next(LeanError.of('UNAUTHORIZED', "The 'lean-app-token' provided is not valid."));
      }
      context.app = name;
    } else if (authorization !== undefined) {
      const bearer = /^Bearer\s+(\S+)\s*$/i.exec(authorization)?.[1];
      const verified = bearer ? await options.tokens.verify(bearer) : undefined;
      if (!verified?.ok) {
        context.rejection = 'invalid_token';
        return refuseBearer(res, verified ? verified.detail : 'malformed');
      }
      if (verified.scope !== 'api') {
        context.rejection = 'invalid_token';
        return next(LeanError.of('INCORRECT_ACCESS_LEVEL', "A customer-scoped token cannot call the backend API: request a token with scope 'api'."));
      }
      const name = appNames.get(verified.appToken);
      if (!name) {
        context.rejection = 'invalid_token';
        return refuseBearer(res, 'unknown_app');
      }
      context.app = name;
    } else {
      context.rejection = 'missing_credentials';
      return next(LeanError.of('UNAUTHORIZED'));
    }

    if (context.mtls && context.certificateApp !== context.app) {
      context.rejection = 'token_mismatch';
      return next(LeanError.of('CERTIFICATE_TOKEN_MISMATCH'));
    }
    next();
  };
}

/** Lean answers a bad bearer token with an empty 401; the header says why, for humans and tools. */
function refuseBearer(res: Response, detail: string): void {
  res.setHeader('www-authenticate', `Bearer error="invalid_token", error_description="${detail}"`);
  res.status(401).end();
}
