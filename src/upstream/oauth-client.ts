import type { OutgoingHttpHeaders } from 'node:http';
import { UpstreamFailure, type UpstreamReply } from './failure.js';

/**
 * Lean's token endpoint for an API host (lean-api.md §1): the sandbox hosts use
 * `auth.sandbox[.sa].leantech.me`, production `auth[.sa].leantech.me`; anything else (a lean-mock,
 * a proxy) is asked on its own origin, where lean-mock serves `/oauth2/token`.
 */
export function defaultTokenUrl(api: URL): string {
  const match = /^(?:mtls\.|api2?\.)?(sandbox\.)?((?:sa\.)?)leantech\.me$/.exec(api.hostname);
  if (match) return `https://auth.${match[1] ?? ''}${match[2] ?? ''}leantech.me/oauth2/token`;
  return `${api.origin}/oauth2/token`;
}

export interface TokenSource {
  /** A bearer token valid for a while yet: cached, fetched again shortly before it expires. */
  token(): Promise<string>;
}

export interface TokenSourceOptions {
  tokenUrl: URL;
  clientId: string;
  clientSecret: string;
  now: () => number;
  post(target: URL, headers: OutgoingHttpHeaders, body: Buffer): Promise<UpstreamReply>;
  onIssued(token: string): void;
}

/** Refetch this long before expiry (or at 90 % of a shorter lifetime), so no request goes out with a token about to lapse. */
const EARLY_MS = 60_000;

/**
 * Client credentials as a Lean client does them: a form POST with `scope=api`, the token reused
 * until shortly before `expires_in` runs out; concurrent callers share one fetch.
 */
export function createTokenSource(options: TokenSourceOptions): TokenSource {
  let cached: { token: string; refreshAt: number } | null = null;
  let pending: Promise<string> | null = null;

  const fetchToken = async (): Promise<string> => {
    const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: options.clientId, client_secret: options.clientSecret, scope: 'api' });
    const reply = await options.post(
      options.tokenUrl,
      { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      Buffer.from(form.toString()),
    );
    const parsed = parse(reply.body);
    if (reply.status !== 200 || typeof parsed?.access_token !== 'string') {
      const why = typeof parsed?.error === 'string' ? `: ${parsed.error}` : '';
      throw new UpstreamFailure('OAUTH_TOKEN_REFUSED', `the token endpoint ${options.tokenUrl.href} answered HTTP ${reply.status}${why}`);
    }
    const lifetimeMs = (typeof parsed.expires_in === 'number' && parsed.expires_in > 0 ? parsed.expires_in : 3600) * 1000;
    options.onIssued(parsed.access_token);
    cached = { token: parsed.access_token, refreshAt: options.now() + lifetimeMs - Math.min(EARLY_MS, lifetimeMs / 10) };
    return parsed.access_token;
  };

  return {
    token() {
      if (cached && options.now() < cached.refreshAt) return Promise.resolve(cached.token);
      pending ??= fetchToken().finally(() => (pending = null));
      return pending;
    },
  };
}

function parse(body: Buffer): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(body.toString('utf8'));
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
