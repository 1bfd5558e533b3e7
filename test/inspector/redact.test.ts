import { describe, expect, it } from 'vitest';
import { REDACTED, Redactor } from '../../src/inspector/redact.js';

const APP_TOKEN = '6f1c2a9e-0b7d-4d3e-9a51-2f8e7c6b5a40';
const SECRET = 'client-secret-3f9a8b7c6d5e4f30';

/** Every piece of `secret` of `min` characters or more: none of them may show. */
const piecesOf = (secret: string, min = 8): string[] => Array.from({ length: secret.length - min + 1 }, (_, at) => secret.slice(at, at + min));

describe('redaction', () => {
  const redactor = new Redactor([APP_TOKEN, SECRET]);

  it('hides credential headers, whatever their case', () => {
    const out = redactor.headers({ 'lean-app-token': APP_TOKEN, Authorization: 'Bearer abc', cookie: 'a=b', 'set-cookie': ['x=y'], accept: 'application/json' });
    expect(out).toEqual({ 'lean-app-token': REDACTED, Authorization: REDACTED, cookie: REDACTED, 'set-cookie': REDACTED, accept: 'application/json' });
  });

  it('hides any header named like a credential, hyphenated or not', () => {
    const named = ['x-access-token', 'X-API-Key', 'api-key', 'apikey', 'private-key', 'x-client-secret', 'x-password'];
    const out = redactor.headers({ ...Object.fromEntries(named.map((name) => [name, 'sk_live_51Hx'])), 'x-request-id': 'r-1', 'content-type': 'text/plain' });
    for (const name of named) expect(out[name], name).toBe(REDACTED);
    expect(out).toMatchObject({ 'x-request-id': 'r-1', 'content-type': 'text/plain' });
  });

  it('hides JSON fields named like secrets at any depth, but not token_type', () => {
    const out = redactor.json({ access_token: 'eyJ.x.y', token_type: 'Bearer', nested: [{ client_secret: 'zzz', Password: 'p', private_key: 'k', 'api-key': 'a', name: 'ok' }] });
    expect(out).toEqual({
      access_token: REDACTED,
      token_type: 'Bearer',
      nested: [{ client_secret: REDACTED, Password: REDACTED, private_key: REDACTED, 'api-key': REDACTED, name: 'ok' }],
    });
  });

  it('hides known secret values wherever they appear (an app token is also a client_id and an app_id)', () => {
    expect(redactor.json({ note: `token ${APP_TOKEN} inside`, app_id: APP_TOKEN })).toEqual({ note: `token ${REDACTED} inside`, app_id: REDACTED });
    expect(redactor.text(`a ${SECRET} b ${APP_TOKEN}`)).toBe(`a ${REDACTED} b ${REDACTED}`);
  });

  it('hides secret query parameters and secret values in a URL, keeping the rest', () => {
    const url = redactor.url(`/banks/v1?country_codes=ARE&client_secret=abc&x=${APP_TOKEN}`);
    expect(url).toBe('/banks/v1?country_codes=ARE&client_secret=%5Bredacted%5D&x=[redacted]');
    expect(redactor.url(`/customers/v1/${APP_TOKEN}`)).toBe('/customers/v1/[redacted]');
  });

  it('hides secret fields in cut-off JSON and in forms', () => {
    expect(redactor.rawText('{"access_token": "eyJhbGciOi", "scope": "api", "list": [1, 2')).toBe(`{"access_token": "${REDACTED}", "scope": "api", "list": [1, 2`);
    expect(redactor.rawText('client_id=abc&grant_type=client_credentials')).toBe('client_id=%5Bredacted%5D&grant_type=client_credentials');
  });

  it('hides the value of a secret-named field that the cut left unterminated, even mid-escape', () => {
    expect(redactor.rawText('{"scope": "api", "access_token": "eyJhbGciOiJIUzI1')).toBe(`{"scope": "api", "access_token": "${REDACTED}`);
    expect(redactor.rawText('{"password": "ab\\"c\\')).toBe(`{"password": "${REDACTED}`);
    // A field that is not secret-named keeps its cut value.
    expect(redactor.rawText('{"description": "a long tex')).toBe('{"description": "a long tex');
  });

  it('survives JSON nested far deeper than it shows', () => {
    let deep: unknown = 'bottom';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(JSON.stringify(redactor.json(deep))).toContain('[too deeply nested]');
  });
});

describe('the head of a long text', () => {
  const redactor = new Redactor([APP_TOKEN]);

  it.each([1, 10, APP_TOKEN.length - 1])('never shows part of a known secret that the limit cuts (%i characters of it before the limit)', (before) => {
    const text = `${'x'.repeat(100 - before)}"note": "${APP_TOKEN}" and more`;
    const limit = 100 + '"note": "'.length;
    const head = redactor.head(text, limit, true);
    for (const piece of piecesOf(APP_TOKEN)) expect(head).not.toContain(piece);
    expect(head).toContain(REDACTED);
  });

  it('holds back the tail of a text that was itself cut, where a secret may begin', () => {
    const text = `${'x'.repeat(90)}${APP_TOKEN.slice(0, 20)}`;
    const head = redactor.head(text, 200, false);
    for (const piece of piecesOf(APP_TOKEN.slice(0, 20))) expect(head).not.toContain(piece);
  });

  it('keeps a text within the limit whole', () => {
    expect(redactor.head(`plain ${APP_TOKEN} words`, 1_000, true)).toBe(`plain ${REDACTED} words`);
  });
});
