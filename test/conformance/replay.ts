import type { TestMock } from '../../src/testing/index.js';
import type { Recording } from './recordings.js';

/**
 * Replays one of Lean's recorded requests against a lean-mock with our own ids: Postman's
 * variables (`{{customer_id}}`, `:account_id`, the bare `customer_id` segment, a literal
 * entity id in a query) become ids of our sandbox, `<redacted>` secrets our app's.
 */

export type Vars = Record<string, string | number>;

export interface Replayed {
  status: number;
  json: unknown;
}

const substitute = (text: string, vars: Vars): string =>
  text.replace(/\{\{(\w+)\}\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));

function pathAndQuery(recording: Recording, vars: Vars): string {
  const [rawPath, rawQuery] = recording.url.replace(/^\{\{\w+\}\}/, '').replace(/^https?:\/\/[^/]+/, '').split('?') as [string, string | undefined];
  const path = rawPath
    .split('/')
    .map((segment) => {
      const name = /^:(\w+)$/.exec(segment)?.[1] ?? (segment === 'customer_id' ? 'customer_id' : undefined);
      return name !== undefined && name in vars ? String(vars[name]) : substitute(segment, vars);
    })
    .join('/');
  const query = new URLSearchParams(rawQuery ? substitute(rawQuery, vars) : '');
  // Lean's collection hard-codes an entity id in a few queries: ours stands in for it.
  if (query.has('entity_id') && vars.entity_id !== undefined) query.set('entity_id', String(vars.entity_id));
  const search = query.toString();
  return `${path.startsWith('/') ? path : `/${path}`}${search ? `?${search}` : ''}`;
}

function deepSubstitute(value: unknown, vars: Vars): unknown {
  if (typeof value === 'string') {
    const whole = /^\{\{(\w+)\}\}$/.exec(value);
    if (whole && whole[1]! in vars) return vars[whole[1]!];
    return substitute(value, vars);
  }
  if (Array.isArray(value)) return value.map((item) => deepSubstitute(item, vars));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, child]) => [key, deepSubstitute(child, vars)]));
  }
  return value;
}

/** The recorded body with our values: Postman's raw JSON may hold `//` comments and unquoted variables. */
export function bodyOf(requestBody: unknown, vars: Vars): unknown {
  if (requestBody === null || requestBody === undefined) return undefined;
  if (typeof requestBody === 'string') {
    const withoutComments = requestBody.replace(/\/\/[^\n"]*$/gm, '');
    return JSON.parse(substitute(withoutComments, vars)) as unknown;
  }
  return deepSubstitute(requestBody, vars);
}

export async function replay(mock: TestMock, recording: Recording, vars: Vars, requestBody: unknown): Promise<Replayed> {
  const contentType = Object.entries(recording.request_headers).find(([name]) => name.toLowerCase() === 'content-type')?.[1];
  const body = bodyOf(requestBody, vars);
  const headers: Record<string, string> = { accept: 'application/json' };
  let payload: string | undefined;
  if (body !== undefined && contentType === 'application/x-www-form-urlencoded') {
    headers['content-type'] = contentType;
    const form = Object.entries(body as Record<string, unknown>).map(([key, value]): [string, string] => [key, key === 'client_secret' ? String(vars.client_secret) : String(value)]);
    payload = new URLSearchParams(form).toString();
  } else if (body !== undefined) {
    headers['content-type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  // The token endpoint takes client credentials only; every other route our app's token.
  if (!recording.url.includes('/oauth2/token')) Object.assign(headers, mock.headers());
  const response = await mock.fetch(pathAndQuery(recording, vars), { method: recording.method, headers, body: payload });
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = text;
  }
  return { status: response.status, json };
}
