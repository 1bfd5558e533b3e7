/**
 * When a request is "the same" as a recorded one: same method, same path (a trailing slash aside,
 * as Lean accepts both), the same query parameters in any order, and the same JSON body with its
 * keys in any order. Everything is folded into one string key, so a lookup is a Map read.
 */
export function requestKey(method: string, path: string, query: Readonly<Record<string, string | readonly string[]>>, body: unknown): string {
  const pairs: string[] = [];
  for (const [name, value] of Object.entries(query)) {
    for (const item of typeof value === 'string' ? [value] : value) pairs.push(JSON.stringify([name, item]));
  }
  pairs.sort();
  return `${method.toUpperCase()} ${normalPath(path)}\n${pairs.join('&')}\n${body === undefined ? '' : canonicalJson(body)}`;
}

export function normalPath(path: string): string {
  return path.length > 1 ? path.replace(/\/+$/, '') || '/' : path;
}

/** JSON with every object's keys sorted: two bodies differing only in key order are equal here. */
export function canonicalJson(value: unknown, depth = 0): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  // Lean's bodies are a few levels deep; a hostile one may be 100,000 (no recorded body is that deep).
  if (depth > MAX_DEPTH) throw new TooDeep();
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item, depth + 1)).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, item]) => item !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item, depth + 1)}`).join(',')}}`;
}

const MAX_DEPTH = 64;

/** A body nested deeper than any recorded one can be: it matches nothing. */
export class TooDeep extends Error {
  override name = 'TooDeep';
}
