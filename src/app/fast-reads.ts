import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestContext } from './context.js';
import { setLeanHeaders } from './conventions.js';

/**
 * Hot, side-effect-free GETs (the bank list, data pages from the page cache) answered before
 * express: express 5's router walks its whole stack per request and leaves every sub-router that
 * does not match through a `setImmediate`, so a data page took eight event-loop turns before its
 * handler ran. A fast read answers only a request it can prove express would answer with a plain
 * 200 and these very bytes; anything else (a bad token, a fault or override armed, an odd query,
 * a conditional header, an error or a data failure) goes to express unchanged, which answers it as
 * it always did. The reply is written with the same header calls, in the same order, as
 * `res.set('content-type', …).send(buffer)` after the app's Lean-headers middleware.
 */

export interface FastRequest {
  /** The authenticated app (the app token's, and the client certificate's on the mTLS host). */
  readonly app: string;
  /** The values of the route's `:params`, in order: plain ids, as express would decode them. */
  readonly params: readonly string[];
  /** The query, as express's extended parser gives it for a query of plain `key=value` pairs. */
  readonly query: Readonly<Record<string, string>>;
}

export interface FastRead {
  /** The query keys it understands: a request with any other goes to express. */
  readonly queryKeys: readonly string[];
  /**
   * The body express would answer with a 200 and `application/json; charset=utf-8`, or undefined
   * to leave the request to express. Must change nothing when it answers undefined.
   */
  answer(request: FastRequest): Buffer | undefined;
}

/** Where routers register the reads they can answer fast (patterns like express's: `/data/v2/accounts/:account_id/balances`). */
export interface FastReadRoutes {
  add(pattern: string, read: FastRead): void;
}

export interface FastReadsOptions {
  /** The apps by app token (authentication's own lookup). */
  appNames: ReadonlyMap<string, string>;
  /** True while something may take requests over before the routers (a fault or an override is armed). */
  blocked: () => boolean;
}

export interface FastReads extends FastReadRoutes {
  /**
   * Answers `req` and returns true, or returns false having changed nothing (express answers).
   * Expects `context` attached and the request journaled when done, as for express.
   */
  answer(req: IncomingMessage, res: ServerResponse, context: RequestContext): boolean;
  /** Off: every request goes to express (the property test's baseline). Default on. */
  enabled: boolean;
  /** Requests answered here so far. */
  readonly answered: number;
}

interface Route {
  /** Literal segments, with null where a param goes. */
  segments: (string | null)[];
  read: FastRead;
  keys: ReadonlySet<string>;
}

const CONTENT_TYPE = 'application/json; charset=utf-8';

export function createFastReads(options: FastReadsOptions): FastReads {
  const exact = new Map<string, Route>();
  const patterned: Route[] = [];
  let answered = 0;

  const match = (path: string): { route: Route; params: string[] } | undefined => {
    const route = exact.get(path);
    if (route) return { route, params: [] };
    if (patterned.length === 0) return undefined;
    const parts = path.split('/');
    for (const candidate of patterned) {
      const { segments } = candidate;
      if (segments.length !== parts.length) continue;
      const params: string[] = [];
      let ok = true;
      for (let i = 0; i < segments.length && ok; i++) {
        const literal = segments[i];
        const part = parts[i]!;
        if (literal === null) {
          ok = isPlain(part, false) && part.length > 0;
          params.push(part);
        } else ok = literal === part;
      }
      if (ok) return { route: candidate, params };
    }
    return undefined;
  };

  const fast: FastReads = {
    enabled: true,
    get answered() {
      return answered;
    },
    add(pattern, read) {
      const segments = pattern.split('/').map((segment) => (segment.startsWith(':') ? null : segment));
      const route = { segments, read, keys: new Set(read.queryKeys) };
      if (segments.includes(null)) patterned.push(route);
      else exact.set(pattern, route);
    },
    answer(req, res, context) {
      if (!fast.enabled || req.method !== 'GET') return false;
      const { headers } = req;
      // Express answers these 304 (`req.fresh`) or checks them: its business.
      if (headers['if-none-match'] !== undefined || headers['if-modified-since'] !== undefined) return false;
      const token = headers['lean-app-token'];
      if (typeof token !== 'string' || headers.authorization !== undefined) return false;
      const app = options.appNames.get(token);
      if (app === undefined || (context.mtls && context.certificateApp !== app)) return false;
      const url = req.url ?? '';
      if (url.charCodeAt(0) !== 47 /* / */) return false;
      const mark = url.indexOf('?');
      const found = match(mark === -1 ? url : url.slice(0, mark));
      if (!found) return false;
      const query = mark === -1 ? {} : plainQuery(url.slice(mark + 1), found.route.keys);
      if (!query || options.blocked()) return false;
      const body = found.route.read.answer({ app, params: found.params, query });
      if (!body) return false;
      context.app = app;
      answered += 1;
      setLeanHeaders(res, context.correlationId);
      res.setHeader('content-type', CONTENT_TYPE);
      res.setHeader('Content-Length', String(body.length));
      res.end(body);
      return true;
    },
  };
  return fast;
}

/**
 * `a=1&b=2` as express's extended parser (qs) reads it, when every pair is plain (each key once,
 * known, with `=`; no percent-escapes, `+`, brackets or empty pairs); otherwise undefined.
 */
function plainQuery(search: string, keys: ReadonlySet<string>): Record<string, string> | undefined {
  const query: Record<string, string> = {};
  if (search.length === 0) return query;
  for (const pair of search.split('&')) {
    const eq = pair.indexOf('=');
    if (eq <= 0) return undefined;
    const key = pair.slice(0, eq);
    const value = pair.slice(eq + 1);
    if (!keys.has(key) || Object.hasOwn(query, key) || !isPlain(value, true)) return undefined;
    query[key] = value;
  }
  return query;
}

/** Letters, digits, `-` and `_` (and, in a query value, `.` and `:`): text no decoder changes. */
function isPlain(text: string, inQuery: boolean): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const alnum = (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
    if (!alnum && c !== 45 && c !== 95 && !(inQuery && (c === 46 || c === 58))) return false;
  }
  return true;
}
