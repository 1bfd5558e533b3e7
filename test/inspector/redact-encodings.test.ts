import { describe, expect, it } from 'vitest';
import { appTokenOf, call, presented } from '../support/mock-client.js';
import { admin, mock, pki, useInspectedMock } from './inspected-mock.js';

useInspectedMock();

/** A small seeded generator (mulberry32): a failing case can be replayed from its seed. */
function random(seed: number): (n: number) => number {
  let state = seed >>> 0;
  return (n) => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4_294_967_296) * n);
  };
}

const hex = (char: string): string => char.charCodeAt(0).toString(16).padStart(2, '0');
const flipCase = (char: string): string => (char === char.toLowerCase() ? char.toUpperCase() : char.toLowerCase());

/** `secret` with each character spelled one of the ways a URL or form decoder reads back. */
function percentSpelling(secret: string, pick: (n: number) => number): string {
  return Array.from(secret, (char) => {
    switch (pick(4)) {
      case 0: return char;
      case 1: return flipCase(char);
      case 2: return `%${hex(char)}`;
      default: return `%${hex(char).toUpperCase()}`;
    }
  }).join('');
}

/** The same for a JSON string: literal, other case, or a `\u` escape. */
function jsonSpelling(secret: string, pick: (n: number) => number): string {
  return Array.from(secret, (char) => [char, flipCase(char), `\\u00${hex(char)}`][pick(3)]!).join('');
}

/** Every string anywhere in a parsed JSON value, so an escape is compared as the reader sees it. */
const strings = (value: unknown): string[] =>
  typeof value === 'string' ? [value] : value && typeof value === 'object' ? Object.values(value).flatMap(strings) : [];

describe('secrets never show in the admin API or the inspector, however they are encoded', () => {
  it('hides generated encodings of every app secret in paths, queries, forms, JSON and headers', async () => {
    const secrets = pki.apps.flatMap((app) => [app.appToken, app.clientSecret, app.webhookSecret]);
    const identity = presented(pki, 'my_app');
    const shown: string[] = [];
    const sent: string[] = [];
    for (let seed = 1; seed <= 24; seed++) {
      const pick = random(seed);
      const secret = secrets[pick(secrets.length)]!;
      // A credential the mock does not know, carried by a secret-named field whose name is encoded.
      const unknown = `unknown-credential-${seed}-${'x'.repeat(8)}`;
      const url = percentSpelling(secret, pick);
      const json = jsonSpelling(secret, pick);
      const name = percentSpelling('app_token', pick);
      sent.push(url, json, unknown);

      await call(mock.url, pki, identity, { path: `/customers/v1/${url}?q=${url}&${name}=${unknown}`, headers: appTokenOf(pki) });
      await call(mock.url, pki, identity, {
        method: 'POST',
        path: '/oauth2/token',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'X-Note': url },
        body: `grant_type=client_credentials&client_id=${url}&${percentSpelling('client_secret', pick)}=${unknown}&note=${url}`,
      });
      await call(mock.url, pki, identity, {
        method: 'POST',
        path: '/customers/v1',
        headers: { ...appTokenOf(pki), 'content-type': 'application/json' },
        body: `{"app_user_id": "${json}", "${jsonSpelling('password', pick)}": "${unknown}"}`,
      });
    }
    const list = await admin('/admin/v1/requests?limit=1000');
    shown.push(...strings(list.json));
    for (const record of list.json as { id: number }[]) shown.push(...strings((await admin(`/admin/v1/requests/${record.id}`)).json));
    const handshakes = await admin('/admin/v1/handshakes');
    shown.push(...strings(handshakes.json));

    expect(list.json.length).toBeGreaterThanOrEqual(72);
    const text = shown.join('\n');
    const lower = text.toLowerCase();
    for (const secret of secrets) expect(lower.includes(secret.toLowerCase()), `secret ${secret} shown`).toBe(false);
    for (const spelling of new Set(sent)) expect(text.includes(spelling), `spelling ${spelling} shown`).toBe(false);
  });
});
