import type { OutgoingHttpHeaders } from 'node:http';
import { Agent, request } from 'node:https';
import { isIP } from 'node:net';
import type { UpstreamCredentials } from './credentials.js';
import { createTokenSource, defaultTokenUrl, type TokenSource } from './oauth-client.js';
import { UpstreamFailure, type UpstreamReply } from './failure.js';

export { UpstreamFailure, type UpstreamReply } from './failure.js';

/** The user's identity towards the upstream: PEM text of the client certificate, its key, and the CA to trust (absent: Node's public roots). */
export interface UpstreamIdentity {
  readonly cert: string;
  readonly key: string;
  readonly ca?: string;
}

export interface UpstreamOptions {
  /** `https://host[:port]`; a path prefix is kept in front of every request path. */
  readonly url: string;
  readonly identity: UpstreamIdentity;
  readonly credentials: UpstreamCredentials;
  /** The OAuth token endpoint; default derived from the upstream's host (see defaultTokenUrl). */
  readonly tokenUrl?: string;
  /** Milliseconds since the epoch, for the OAuth token's expiry. */
  readonly now?: () => number;
}

export interface UpstreamRequest {
  readonly method: string;
  /** Path and query, as the client sent them. */
  readonly target: string;
  /** Without credentials: the client adds the user's own. */
  readonly headers: OutgoingHttpHeaders;
  readonly body: Buffer;
}

/** Largest upstream reply kept: Lean's largest replies (a page of transactions) are far below it. */
export const MAX_UPSTREAM_REPLY_BYTES = 16 * 1024 * 1024;
const TIMEOUT_MS = 30_000;

export interface UpstreamClient {
  readonly url: URL;
  /** The header the user's credential travels in. */
  readonly credentialHeader: 'lean-app-token' | 'authorization';
  send(request: UpstreamRequest): Promise<UpstreamReply>;
  /** The secrets in play (app token, client id and secret, OAuth tokens issued so far), for redaction. */
  secrets(): string[];
  close(): void;
}

/**
 * Talks to the upstream as the user's own Lean client would: one keep-alive agent holding the
 * client certificate (one TLS context per identity), the server's certificate verified against
 * the given CA, and the user's credentials on every request.
 */
export function createUpstreamClient(options: UpstreamOptions): UpstreamClient {
  const url = new URL(options.url);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const agent = new Agent({
    keepAlive: true,
    cert: options.identity.cert,
    key: options.identity.key,
    ...(options.identity.ca ? { ca: options.identity.ca } : {}),
    ...(isIP(host) ? {} : { servername: host }),
  });
  const issued: string[] = [];
  const raw = (method: string, target: URL, headers: OutgoingHttpHeaders, body: Buffer): Promise<UpstreamReply> =>
    exchange(agent, method, target, headers, body);
  const tokens: TokenSource | null =
    options.credentials.kind === 'oauth'
      ? createTokenSource({
          tokenUrl: new URL(options.tokenUrl ?? defaultTokenUrl(url)),
          clientId: options.credentials.clientId,
          clientSecret: options.credentials.clientSecret,
          now: options.now ?? Date.now,
          post: (target, headers, body) => raw('POST', target, headers, body),
          onIssued: (token) => issued.push(token),
        })
      : null;
  const prefix = url.pathname.replace(/\/+$/, '');

  return {
    url,
    credentialHeader: options.credentials.kind === 'app_token' ? 'lean-app-token' : 'authorization',
    async send(req) {
      const headers: OutgoingHttpHeaders = { ...req.headers };
      const credentials = options.credentials;
      if (credentials.kind === 'app_token') headers['lean-app-token'] = credentials.appToken;
      else headers.authorization = `Bearer ${await tokens!.token()}`;
      return raw(req.method, new URL(`${url.origin}${prefix}${req.target}`), headers, req.body);
    },
    secrets: () => {
      const credentials = options.credentials;
      const own = credentials.kind === 'app_token' ? [credentials.appToken] : [credentials.clientId, credentials.clientSecret];
      return [...own, ...issued];
    },
    close: () => agent.destroy(),
  };
}

function exchange(agent: Agent, method: string, target: URL, headers: OutgoingHttpHeaders, body: Buffer): Promise<UpstreamReply> {
  return new Promise((resolve, reject) => {
    const fail = (code: string, message: string): void => reject(new UpstreamFailure(code, message));
    const req = request(target, { method, agent, headers: { ...headers, 'content-length': body.length }, timeout: TIMEOUT_MS }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_UPSTREAM_REPLY_BYTES) {
          res.destroy();
          fail('REPLY_TOO_LARGE', `the upstream's reply is larger than ${MAX_UPSTREAM_REPLY_BYTES / 1024 / 1024} MiB`);
          return;
        }
        chunks.push(chunk);
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', (error: NodeJS.ErrnoException) => fail(error.code ?? 'ERROR', error.message));
    });
    req.on('timeout', () => req.destroy(Object.assign(new Error(`no answer within ${TIMEOUT_MS / 1000} s`), { code: 'ETIMEDOUT' })));
    req.on('error', (error: NodeJS.ErrnoException) => fail(error.code ?? 'ERROR', error.message));
    req.end(body);
  });
}
