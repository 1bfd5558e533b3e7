import type { SeededRandom } from '../../src/sandbox/random.js';
import type { Ids, RawRequest } from './fuzz-sandbox.js';
import type { Field, Route } from './route-table.js';

/**
 * A request in the making: a valid one first, from the route table and the sandbox's real ids,
 * which the fuzz then breaks in one to three places (./hostile-input.ts) and renders to the wire.
 */

export const enc = encodeURIComponent;

export type Body = { type: 'none' } | { type: 'json'; value: unknown } | { type: 'raw'; text: string | Buffer };

export interface Draft {
  route: Route;
  method: string;
  params: Map<string, string>;
  query: [string, string | null][];
  body: Body;
  headers: Record<string, string>;
  notes: string[];
  /** Applied to the path once its ids are in (trailing slashes, case, extra segments). */
  reshape?: (path: string) => string;
}

export interface Fuzz {
  r: SeededRandom;
  mine: Ids;
  theirs: Ids;
  unknown: () => string;
  fresh: () => string;
}

function validValue(field: Field, name: string, route: Route, fuzz: Fuzz): unknown {
  if (field.type.kind === 'id') return fuzz.mine[field.type.of];
  // A fresh app_user_id creates a customer; a taken one must answer CUSTOMER_ALREADY_EXISTS.
  if (route.path === '/customers/v1' && name === 'app_user_id') return fuzz.r.next() < 0.7 ? fuzz.fresh() : fuzz.mine.app_user;
  return structuredClone(field.valid);
}

export function validDraft(route: Route, fuzz: Fuzz): Draft {
  const params = new Map(Object.entries(route.params ?? {}).map(([name, kind]) => [name, enc(fuzz.mine[kind])]));
  const take = (field: Field) => field.required === true || fuzz.r.next() < 0.5;
  const query = Object.entries(route.query ?? {})
    .filter(([, field]) => take(field))
    .map(([name, field]): [string, string] => [name, enc(String(validValue(field, name, route, fuzz)))]);
  const body: Body = route.body
    ? { type: 'json', value: Object.fromEntries(Object.entries(route.body).filter(([, f]) => take(f)).map(([n, f]) => [n, validValue(f, n, route, fuzz)])) }
    : { type: 'none' };
  const headers: Record<string, string> = route.body ? { 'content-type': 'application/json' } : {};
  for (const [name, field] of Object.entries(route.headers ?? {})) {
    // A fresh Idempotency-Key per request: two drafts that differ elsewhere must not meet on one key by chance.
    if (take(field)) headers[name] = name === 'Idempotency-Key' ? fuzz.fresh() : String(field.valid);
  }
  return { route, method: route.method, params, query, body, headers, notes: [] };
}

export function render(draft: Draft): RawRequest {
  const filled = draft.route.path.replace(/:(\w+)/g, (_, name: string) => draft.params.get(name) ?? '');
  const path = draft.reshape ? draft.reshape(filled) : filled;
  const query = draft.query.map(([key, value]) => (value === null ? key : `${key}=${value}`)).join('&');
  const { body } = draft;
  const text = body.type === 'none' ? null : body.type === 'json' ? JSON.stringify(body.value) ?? '' : body.text;
  return {
    method: draft.method,
    url: query === '' ? path : `${path}?${query}`,
    headers: draft.headers,
    body: text === null ? null : Buffer.from(text),
    notes: draft.notes,
  };
}

export const bodyObject = (draft: Draft): Record<string, unknown> | null =>
  draft.body.type === 'json' && typeof draft.body.value === 'object' && draft.body.value !== null && !Array.isArray(draft.body.value)
    ? (draft.body.value as Record<string, unknown>)
    : null;
