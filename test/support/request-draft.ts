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
  if (field.type.kind === 'payout_details') return payoutDetails(fuzz.mine.payout_account, fuzz.mine.payout_destination);
  return structuredClone(field.valid);
}

/** A payout's `payment_details` paying `amount` from the account to the destination. */
export function payoutDetails(accountId: unknown, destinationId: unknown, amount: unknown = 20): unknown {
  return [{ account_id: accountId, currency: 'AED', destination_details: [{ payment_destination_id: destinationId, amount, authorize_payment: true }] }];
}

export function validDraft(route: Route, fuzz: Fuzz): Draft {
  const params = new Map(Object.entries(route.params ?? {}).map(([name, kind]) => [name, enc(fuzz.mine[kind])]));
  const take = (field: Field) => field.required === true || fuzz.r.next() < 0.5;
  const query = Object.entries(route.query ?? {})
    .filter(([, field]) => take(field))
    .map(([name, field]): [string, string] => [name, enc(String(validValue(field, name, route, fuzz)))]);
  const fields = route.body && Object.fromEntries(Object.entries(route.body).filter(([, f]) => take(f)).map(([n, f]) => [n, validValue(f, n, route, fuzz)]));
  const body: Body = fields ? { type: 'json', value: route.batch ? [fields] : fields } : { type: 'none' };
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

/** The body's object of fields: the body itself, or the first item of a batch route's array. */
export const bodyObject = (draft: Draft): Record<string, unknown> | null => {
  if (draft.body.type !== 'json') return null;
  const value = draft.route.batch && Array.isArray(draft.body.value) ? (draft.body.value as unknown[])[0] : draft.body.value;
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
};
