import type { SeededRandom } from '../../src/sandbox/random.js';

/**
 * Hostile values for the bad-input fuzz: ids that are not ids, near misses of valid query values
 * and JSON, broken bodies and headers. Query and path values are raw (percent-encoded as they go
 * on the wire); ./hostile-input.ts picks among them by the kind of field.
 */

export const deep = (depth: number): unknown => (depth === 0 ? 'bottom' : { nested: deep(depth - 1) });
export const HUGE = 'x'.repeat(200_000);

/** Ids that are not ids, near misses of a real one, and ids of records the caller cannot see. */
export function idNearMisses(valid: string, foreign: string, unknown: string): string[] {
  return [
    unknown,
    foreign,
    valid.toUpperCase(),
    valid.replaceAll('-', ''),
    `{${valid}}`,
    `${valid}a`,
    valid.slice(1),
    ` ${valid}`,
    `${valid}\n`,
    valid.replace(/.$/, 'g'),
    '00000000-0000-0000-0000-000000000000',
    'abc',
    '1',
    '-1',
    '0',
    'null',
    'undefined',
    '',
    '../../etc/passwd',
    'a'.repeat(5_000),
    'x'.repeat(256),
    '🙂'.repeat(200),
    '🙂',
    'é',
    '\u0000',
    "' OR 1=1 --",
    '<script>alert(1)</script>',
    '__proto__',
    'constructor',
    'hasOwnProperty',
    `${valid}/${valid}`,
  ];
}

/** Well-formed ids the caller cannot see are a third of the picks: they must reach the look-ups. */
export function pickId(r: SeededRandom, valid: string, foreign: string, unknown: string): string {
  const roll = r.next();
  if (roll < 0.2) return unknown;
  if (roll < 0.35) return foreign;
  return r.pick(idNearMisses(valid, foreign, unknown));
}

/** Path segments sent raw: malformed escapes, traversal, NUL. */
export const RAW_PATH_IDS = ['%zz', '%E0%A4%A', '%', '..%2F..%2Fetc%2Fpasswd', '%2e%2e', '..', '%00', '%C0%AE', '%FF%FE', ';x=1', '*', '%252F'];

export const QUERY_ANY = ['', '%00', '%zz', '%', '-1', 'abc', '1e9', 'NaN', 'null', 'undefined', '%5B%5D', '%7B%7D', 'a'.repeat(3_000), '%F0%9F%92%A9', '%E2%80%AE', '%20', '+', '__proto__', 'true', '0x10'];
export const NUMBERS = ['-1', '1.5', 'abc', '1e9', '1e3', '1000001', 'Infinity', '-Infinity', '+1', '%201', '0x1', '9007199254740993', '-0', '0', '101', '1001', ''];
export const DATES = ['2026-02-30', '2026-02-29', '2024-02-29', '2026-13-01', '2026-00-10', '2026-1-1', '20260101', '2026-03-16', '2099-01-01', '9999-12-31', '0000-01-01', '2026-03-15T00:00:00Z', '1900-01-01', '2026-03-15'];
export const DATETIMES = ['2026-02-30T00:00:00Z', '2026-03-01T25:00:00Z', '2026-03-01', '2026-03-01T00:00:00', 'now', '1710000000', '2026-03-01T00:00:00+25:00', '2026-03-01T00:00:00.000Z'];
export const BOOLEANS = ['yes', '1', '0', 'TRUE', 'True', 'on', '', 'null'];
export const METAS = ['{', '[]', '"x"', '{"a":1}', '{"a":{"b":"c"}}', 'null', '{"__proto__":{"polluted":"yes"}}', '{}', '1'];

export const JSON_ANY: readonly unknown[] = [
  null, true, false, 0, -1, -0.5, 1.5, 1e21, -1e308, 2 ** 53 + 2, '', ' ', 'abc', 'null', 'NaN', 'Infinity', '-Infinity', '1e9', '0x1F',
  '１２３', '\u0000', '\u202e', '🙂'.repeat(50), '<script>', "' OR '1'='1", '../../etc/passwd', [], [1], ['a', 'b'], {}, { a: 1 },
  { $gt: '' }, deep(50), 'x'.repeat(300),
];
export const AMOUNTS: readonly unknown[] = [0, -0, -10, 9.99, 0.01, 1, 10, 1_000_000, 1_000_000.01, 1e7, 1e300, 5e-324, 10.001, 0.1 + 0.2, '150.25', '1e2', 'NaN', [150], { amount: 150 }, 2 ** 53 + 2];
/** Number literals JSON.stringify cannot write: spliced into the JSON text. */
export const RAW_AMOUNTS = ['1e309', '-1e309', '1E2', '-0', '0.10', '150.250', '00150'];

/** JSON bodies that are not objects, or not JSON at all, sent as application/json. */
export const RAW_BODIES = [
  '', ' ', 'null', '[]', '[1,2]', '"str"', '42', 'true', '{', '{"a":', '{"a":1,}', "{'a':1}", 'NaN', '{"a":NaN}', 'undefined', '<xml/>',
  '{"a":1}{"b":2}', '\u0000', 'a=1&b=2', '\uFEFF{}', '{"a":"\\ud800"}', '{"a":"\\u00"}', JSON.stringify(deep(50)), '['.repeat(50) + ']'.repeat(50),
  JSON.stringify(Array.from({ length: 1_000 }, (_, i) => i)),
];
export const CONTENT_TYPES = [
  'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=fuzz', 'application/json; charset=latin1',
  'application/json; charset=utf-16', 'application/merge-patch+json', 'application/JSON', 'application/json; charset=UTF-8', 'application/xml', '*/*',
];
export const CONTENT_ENCODINGS = ['gzip', 'deflate', 'br', 'identity', 'x-zip', 'gzip, deflate'];
