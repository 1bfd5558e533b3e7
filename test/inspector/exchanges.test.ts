import { once } from 'node:events';
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonBody } from '../../src/app/error-handler.js';
import type { RequestRecord } from '../../src/gateway/journal.js';
import { BODY_LIMIT, ExchangeStore } from '../../src/inspector/exchanges.js';
import { REDACTED, Redactor } from '../../src/inspector/redact.js';

const APP_TOKEN = '6f1c2a9e-0b7d-4d3e-9a51-2f8e7c6b5a40';

describe('the exchange store', () => {
  let server: Server;
  let url: string;
  let store: ExchangeStore;
  let nextId = 1;
  /** What each request should answer; the server hands every exchange to the store as request-log does. */
  const replies = new Map<string, (res: ServerResponse) => unknown>();

  beforeAll(async () => {
    store = new ExchangeStore({ capacity: 3, redactor: new Redactor([APP_TOKEN]) });
    // The mock's own JSON parser, so request bodies arrive as they do in the mock.
    const app = express();
    app.use(jsonBody, (req, res) => {
      const chunk = (replies.get(req.url) ?? (() => 'ok'))(res);
      res.end(chunk);
      store.keep({ id: nextId++, status: res.statusCode } as RequestRecord, req, res, chunk);
    });
    server = createServer(app);
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const exchange = async (path: string, reply: (res: ServerResponse) => unknown, init: RequestInit = {}) => {
    replies.set(path, reply);
    const response = await fetch(`${url}${path}`, init);
    await response.arrayBuffer();
    return store.details(nextId - 1)!;
  };
  const post = (path: string, body: string) => exchange(path, () => 'ok', { method: 'POST', headers: { 'content-type': 'application/json' }, body });

  /** A POST without content-length: Node sends the body chunked. */
  const postChunked = async (path: string, body: string) => {
    const req = request(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' } });
    for (let at = 0; at < body.length; at += 8_192) req.write(body.slice(at, at + 8_192));
    req.end();
    const [res] = (await once(req, 'response')) as [IncomingMessage];
    res.resume();
    await once(res, 'end');
    const details = store.details(nextId - 1)!;
    expect(details.request.headers['transfer-encoding']).toBe('chunked');
    expect(details.request.headers['content-length']).toBeUndefined();
    return details;
  };

  /** A JSON body of `bytes` bytes whose strings are all distinct, as a client's real data is. */
  const bigJson = (bytes: number): string => {
    const rows: string[] = [];
    for (let size = 10, i = 0; size < bytes - 40; i++) {
      const row = JSON.stringify({ id: `row-${i}-${Math.random().toString(36).slice(2)}` });
      rows.push(row);
      size += row.length + 1;
    }
    const body = `{"rows":[${rows.join(',')}]}`;
    return body + ' '.repeat(bytes - Buffer.byteLength(body));
  };

  it('keeps the reply as sent and shows JSON parsed, redacted', async () => {
    const sent = JSON.stringify({ access_token: 'eyJ.secret', token_type: 'Bearer' });
    const details = await exchange('/token?scope=api', (res) => {
      res.setHeader('content-type', 'application/json');
      return Buffer.from(sent);
    }, { headers: { 'lean-app-token': APP_TOKEN } });
    expect(details.url).toBe('/token?scope=api');
    expect(details.request.headers['lean-app-token']).toBe(REDACTED);
    expect(details.response).toMatchObject({ status: 200, headers: { 'content-type': 'application/json' } });
    expect(details.response.body).toEqual({ kind: 'json', value: { access_token: REDACTED, token_type: 'Bearer' }, bytes: sent.length, truncated: false });
  });

  it('keeps a request body within the limit, parsed and redacted', async () => {
    const details = await post('/small', JSON.stringify({ client_secret: 'abc', name: 'ok' }));
    expect(details.request.body).toMatchObject({ kind: 'json', value: { client_secret: REDACTED, name: 'ok' } });
  });

  it.each([
    ['with a content-length', post],
    ['sent chunked, measured while parsed', postChunked],
  ])(`does not keep a request body over ${BODY_LIMIT} bytes (%s), only says how big it was`, async (_how, send) => {
    const body = bigJson(100_000);
    const details = await send('/big-request', body);
    expect(details.request.body).toEqual({ kind: 'text', text: `[not kept: 100000 bytes, over the ${BODY_LIMIT}-byte limit]`, bytes: 100_000, truncated: true });
  });

  it('holds at most the limit of each request body: a ring of 30 bodies of 100 kB stays under 1 MB', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const heap = () => {
      gc();
      return process.memoryUsage().heapUsed;
    };
    const small = store;
    const bodies = Array.from({ length: 30 }, () => bigJson(100_000));
    const fill = async () => {
      for (const body of bodies) await post('/retained', body);
    };
    try {
      store = new ExchangeStore({ capacity: 30 });
      await fill(); // once to warm up what any first requests allocate (compiled code, connections)
      store = new ExchangeStore({ capacity: 30 });
      const before = heap();
      await fill();
      const retained = heap() - before;
      expect(store.details(nextId - 30)?.request.body).toMatchObject({ kind: 'text', truncated: true });
      expect(retained).toBeLessThan(1024 * 1024);
    } finally {
      store = small;
    }
  });

  it.each([
    ['a string', (big: string) => big],
    ['a buffer', (big: string) => Buffer.from(big)],
  ])(`cuts a reply of %s at ${BODY_LIMIT} bytes, with a marker`, async (_kind, as) => {
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

  /** `entries` repeated until past the limit, padded so that the cut falls `into` characters into `marker`'s value. */
  const cutInside = (entry: (i: number) => object, marker: string, into: number): string => {
    const list = (pad: string) => JSON.stringify({ note: pad, data: Array.from({ length: 400 }, (_, i) => entry(i)) });
    const unpadded = list('');
    const at = unpadded.lastIndexOf(marker, BODY_LIMIT - into);
    const padded = list('p'.repeat(BODY_LIMIT - into - at));
    expect(padded.indexOf(marker, BODY_LIMIT - into)).toBe(BODY_LIMIT - into);
    return padded;
  };

  it.each([
    ['a string', (big: string) => big],
    ['a buffer', (big: string) => Buffer.from(big)],
  ])('never shows part of the app token that a cut of %s falls in (a long list of payment sources)', async (_kind, as) => {
    const sources = (i: number) => ({ id: `src-${i}`, customer_id: `cus-${i}`, app_id: APP_TOKEN, bank_identifier: 'ENBD_UAE', status: 'ACTIVE' });
    for (const into of [1, 12, 35]) {
      const big = cutInside(sources, APP_TOKEN, into);
      const body = (await exchange('/sources', () => as(big))).response.body;
      if (body.kind !== 'text') throw new Error(`expected text, got ${body.kind}`);
      expect(body.truncated).toBe(true);
      for (let at = 0; at + 6 <= APP_TOKEN.length; at++) expect(body.text, `cut ${into} in`).not.toContain(APP_TOKEN.slice(at, at + 6));
    }
  });

  it('hides a secret-named value that the cut falls in, though it is no known secret', async () => {
    const tokens = (i: number) => ({ i, access_token: `eyJhbGciOiJFUzI1NiJ9.${String(i).padStart(40, '7')}` });
    const big = cutInside(tokens, 'eyJhbGciOiJFUzI1NiJ9', 10);
    const body = (await exchange('/tokens', () => big)).response.body;
    if (body.kind !== 'text') throw new Error(`expected text, got ${body.kind}`);
    expect(body.text).not.toContain('eyJhbG');
    expect(body.text).toMatch(/"access_token":"\[redacted\]\n… \[truncated/);
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
