import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RequestRecord } from '../../src/gateway/journal.js';
import { BODY_LIMIT, ExchangeStore } from '../../src/inspector/exchanges.js';
import { REDACTED, Redactor } from '../../src/inspector/redact.js';

const APP_TOKEN = '6f1c2a9e-0b7d-4d3e-9a51-2f8e7c6b5a40';
const SECRET = 'client-secret-3f9a8b7c6d5e4f30';

describe('redaction', () => {
  const redactor = new Redactor([APP_TOKEN, SECRET]);

  it('hides credential headers, whatever their case', () => {
    const out = redactor.headers({ 'lean-app-token': APP_TOKEN, Authorization: 'Bearer abc', cookie: 'a=b', 'set-cookie': ['x=y'], accept: 'application/json' });
    expect(out).toEqual({ 'lean-app-token': REDACTED, Authorization: REDACTED, cookie: REDACTED, 'set-cookie': REDACTED, accept: 'application/json' });
  });

  it('hides JSON fields named like secrets at any depth, but not token_type', () => {
    const out = redactor.json({ access_token: 'eyJ.x.y', token_type: 'Bearer', nested: [{ client_secret: 'zzz', Password: 'p', private_key: 'k', name: 'ok' }] });
    expect(out).toEqual({ access_token: REDACTED, token_type: 'Bearer', nested: [{ client_secret: REDACTED, Password: REDACTED, private_key: REDACTED, name: 'ok' }] });
  });

  it('hides known secret values wherever they appear (an app token is also a client_id and an app_id)', () => {
    expect(redactor.json({ note: `token ${APP_TOKEN} inside`, app_id: APP_TOKEN })).toEqual({ note: `token ${REDACTED} inside`, app_id: REDACTED });
    expect(redactor.text(`a ${SECRET} b ${APP_TOKEN}`)).toBe(`a ${REDACTED} b ${REDACTED}`);
  });

  it('hides secret query parameters and secret values in a URL, keeping the rest', () => {
    const url = redactor.url(`/banks/v1?country_codes=ARE&client_secret=abc&x=${APP_TOKEN}`);
    expect(url).toBe('/banks/v1?country_codes=ARE&client_secret=%5Bredacted%5D&x=[redacted]');
  });

  it('hides secret fields in cut-off JSON and in forms', () => {
    expect(redactor.rawText('{"access_token": "eyJhbGciOi", "scope": "api", "list": [1, 2')).toBe(`{"access_token": "${REDACTED}", "scope": "api", "list": [1, 2`);
    expect(redactor.rawText('client_id=abc&grant_type=client_credentials')).toBe('client_id=%5Bredacted%5D&grant_type=client_credentials');
  });

  it('survives JSON nested far deeper than it shows', () => {
    let deep: unknown = 'bottom';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(JSON.stringify(redactor.json(deep))).toContain('[too deeply nested]');
  });
});

describe('the exchange store', () => {
  let server: Server;
  let url: string;
  let store: ExchangeStore;
  let nextId = 1;
  /** What each request should answer; the server hands every exchange to the store as request-log does. */
  const replies = new Map<string, (res: ServerResponse) => unknown>();

  beforeAll(async () => {
    store = new ExchangeStore({ capacity: 3, redactor: new Redactor([APP_TOKEN]) });
    server = createServer((req: IncomingMessage, res: ServerResponse) => {
      const chunk = replies.get(req.url ?? '')!(res);
      res.end(chunk);
      const record = { id: nextId++, status: res.statusCode } as RequestRecord;
      store.keep(record, req, res, chunk);
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const exchange = async (path: string, reply: (res: ServerResponse) => unknown, headers: Record<string, string> = {}) => {
    replies.set(path, reply);
    const response = await fetch(`${url}${path}`, { headers });
    await response.arrayBuffer();
    return store.details(nextId - 1)!;
  };

  it('keeps the reply as sent and shows JSON parsed, redacted', async () => {
    const sent = JSON.stringify({ access_token: 'eyJ.secret', token_type: 'Bearer' });
    const details = await exchange('/token?scope=api', (res) => {
      res.setHeader('content-type', 'application/json');
      return Buffer.from(sent);
    }, { 'lean-app-token': APP_TOKEN });
    expect(details.url).toBe('/token?scope=api');
    expect(details.request.headers['lean-app-token']).toBe(REDACTED);
    expect(details.response).toMatchObject({ status: 200, headers: { 'content-type': 'application/json' } });
    expect(details.response.body).toEqual({ kind: 'json', value: { access_token: REDACTED, token_type: 'Bearer' }, bytes: sent.length, truncated: false });
  });

  it.each([
    ['a string', (big: string) => big],
    ['a buffer', (big: string) => Buffer.from(big)],
  ])(`cuts a body of %s at ${BODY_LIMIT} bytes, with a marker`, async (_kind, as) => {
    const big = JSON.stringify({ rows: Array.from({ length: 2_000 }, (_, i) => ({ i, access_token: `t${i}` })) });
    const details = await exchange('/big', (res) => {
      res.statusCode = 201;
      return as(big);
    });
    const body = details.response.body;
    expect(body.kind).toBe('text');
    if (body.kind !== 'text') return;
    expect(body).toMatchObject({ truncated: true, bytes: Buffer.byteLength(big) });
    expect(body.text).toContain(`[truncated: first ${BODY_LIMIT} of ${Buffer.byteLength(big)} bytes]`);
    expect(body.text).not.toMatch(/"access_token":"t\d/);
    expect(details.response.status).toBe(201);
  });

  it('shows an empty reply as empty, and text as text', async () => {
    expect((await exchange('/empty', () => undefined)).response.body).toEqual({ kind: 'empty' });
    expect((await exchange('/text', () => 'plain words')).response.body).toMatchObject({ kind: 'text', text: 'plain words', truncated: false });
  });

  it('forgets the oldest exchange beyond its capacity, and everything on clear', async () => {
    const first = nextId;
    for (let i = 0; i < 4; i++) await exchange(`/n${i}`, () => `reply ${i}`);
    expect(store.details(first)).toBeUndefined();
    expect(store.details(first + 3)?.response.body).toMatchObject({ text: 'reply 3' });
    store.clear();
    expect(store.details(first + 3)).toBeUndefined();
  });
});
