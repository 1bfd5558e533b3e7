import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MAX_BODY_BYTES } from '../../src/gateway/journal.js';
import { REDACTED } from '../../src/inspector/redact.js';
import { RequestFilterError } from '../../src/sandbox/request-filter.js';
import { seededRandom } from '../../src/sandbox/random.js';
import { startTestMock, type TestMock } from '../../src/testing/index.js';

// Request verification: "did my client send this, with this body, how many times?", in process
// (`mock.requests(filter)`) and over the admin API (`GET /admin/v1/requests?…`), over real mTLS.

let mock: TestMock;
beforeAll(async () => {
  mock = await startTestMock();
});
afterAll(() => mock.close());
beforeEach(() => mock.reset());

const json = { 'content-type': 'application/json' };
const post = (path: string, body: string, headers: Record<string, string> = json) =>
  mock.fetch(path, { method: 'POST', headers: { ...mock.headers(), ...headers }, body });
const admin = async (query: string) => {
  const res = await fetch(`${mock.adminUrl}/admin/v1/requests?${query}`);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> & Record<string, unknown>[] };
};

describe('what the client sent, in process', () => {
  it('lists the requests matching method (any case), path, status and app, newest first, with the JSON body parsed', async () => {
    await post('/customers/v1', JSON.stringify({ app_user_id: 'alice' }));
    await post('/customers/v1', JSON.stringify({ app_user_id: 'bob' }));
    await mock.fetch('/banks/v1', { headers: mock.headers() });

    const sent = mock.requests({ method: 'post', path: '/customers/v1', app: 'my_app' });
    expect(sent.map((record) => record.body?.json)).toEqual([{ app_user_id: 'bob' }, { app_user_id: 'alice' }]);
    expect(sent[0]).toMatchObject({ method: 'POST', status: 200, body: { content_type: 'application/json', bytes: 21, omitted: null } });
    expect(mock.requests({ method: 'POST', status: '4xx' })).toEqual([]);
    expect(mock.requests({ app: 'other_app' })).toEqual([]);
    expect(mock.requests({ method: 'GET' })).toMatchObject([{ path: '/banks/v1', body: null }]);
    expect(mock.requests()).toHaveLength(3);
  });

  it('matches ids with a glob: one * covers any run of characters', async () => {
    for (const id of ['a1', 'b2']) await mock.fetch(`/customers/v1/${id}/entities`, { headers: mock.headers() });
    await mock.fetch('/customers/v1/a1', { headers: mock.headers() });
    expect(mock.requests({ path: '/customers/v1/*/entities' }).map((record) => record.path)).toEqual(['/customers/v1/b2/entities', '/customers/v1/a1/entities']);
    expect(mock.requests({ path: '/customers/v1/*' })).toHaveLength(3);
    expect(mock.requests({ path: '/CUSTOMERS/v1/a1/' })).toHaveLength(1);
    expect(mock.requests({ status: '4XX' })).toHaveLength(3);
    expect(mock.requests({ status: 400, path: '/customers/v1/a1' })).toHaveLength(1);
  });

  it("never shows a secret: secret-named fields and the apps' tokens and secrets are redacted, in JSON and in forms", async () => {
    await post('/customers/v1', JSON.stringify({ app_user_id: `note ${mock.appToken}`, password: 'hunter22' }));
    const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: mock.clientId, client_secret: mock.clientSecret });
    await post('/oauth2/token', form.toString(), { 'content-type': 'application/x-www-form-urlencoded' });

    const [created] = mock.requests({ path: '/customers/v1' });
    expect(created!.body!.json).toEqual({ app_user_id: `note ${REDACTED}`, password: REDACTED });
    const [token] = mock.requests({ path: '/oauth2/token' });
    expect(token!.body).toMatchObject({ content_type: 'application/x-www-form-urlencoded', omitted: null });
    expect(new URLSearchParams(token!.body!.text!).get('client_secret')).toBe(REDACTED);
    expect(token!.body!.json).toBeUndefined();
    const everything = JSON.stringify([mock.requests(), (await admin('')).body]);
    for (const secret of [mock.appToken, mock.clientSecret, 'hunter22']) expect(everything).not.toContain(secret);
  });

  it(`keeps a body's size but not its text beyond ${MAX_BODY_BYTES} bytes`, async () => {
    const big = JSON.stringify({ app_user_id: 'x'.repeat(MAX_BODY_BYTES) });
    await post('/customers/v1', big);
    expect(mock.requests({ path: '/customers/v1' })[0]!.body).toEqual({
      content_type: 'application/json',
      bytes: Buffer.byteLength(big),
      text: null,
      omitted: 'too_large',
    });
  });

  it('says a body was not read where no route reads one', async () => {
    await post('/banks/v1', '{"a":1}');
    expect(mock.requests({ path: '/banks/v1' })[0]!.body).toEqual({ content_type: 'application/json', bytes: 7, text: null, omitted: 'not_read' });
  });

  it('throws a RequestFilterError naming the field for a malformed filter', () => {
    expect(() => mock.requests({ status: '45x' })).toThrow(RequestFilterError);
    expect(() => mock.requests({ method: 'G E T' })).toThrow(/^method /);
    expect(() => mock.requests({ path: 'customers' })).toThrow(/^path /);
    expect(() => mock.requests({ app: '' })).toThrow(/^app /);
  });
});

describe('what the client sent, over the admin API', () => {
  it('filters by method, path, status and app and carries the redacted body', async () => {
    await post('/customers/v1', JSON.stringify({ app_user_id: 'carol', client_secret: 'shh-shh-shh' }));
    await post('/customers/v1', '{"app_user_id": 5}');
    const { status, body } = await admin('method=post&path=/customers/v1&status=200&app=my_app');
    expect(status).toBe(200);
    expect(body).toHaveLength(1);
    expect(body[0]).toMatchObject({ method: 'POST', path: '/customers/v1', status: 200, body: { json: { app_user_id: 'carol', client_secret: REDACTED } } });
    expect((await admin('status=4xx')).body).toMatchObject([{ status: 400, body: { json: { app_user_id: 5 } } }]);
  });

  it('answers any malformed filter value with 400 INVALID_PARAMETERS naming the parameter, and never 500', async () => {
    const random = seededRandom(15);
    const alphabet = ['a', 'X', '*', '/', '?', '#', ' ', '\u0000', '%', '1', '0', '5', 'x', '🙂', '\n', '.', '-', '[', ']', '\\', '&', '='];
    const hostile = (): string => Array.from({ length: random.int(0, 12) }, () => random.pick(alphabet)).join('');
    const shapes: Record<string, RegExp> = { method: /^[A-Za-z]{1,16}$/, status: /^([1-5]\d\d|[1-5]xx)$/i, path: /^\/[^?#\s\u0000-\u001f\u007f]*$/, app: /^.{1,128}$/su };
    for (let round = 0; round < 120; round++) {
      const name = random.pick(Object.keys(shapes));
      const raw = random.int(0, 5) === 0 ? `${name}=a&${name}=b` : `${name}=${encodeURIComponent(hostile())}`;
      const value = new URLSearchParams(raw).getAll(name);
      const { status, body } = await admin(raw);
      const valid = value.length === 1 && shapes[name]!.test(value[0]!);
      if (valid) expect(status, raw).toBe(200);
      else {
        expect(status, raw).toBe(400);
        expect(body, raw).toMatchObject({ status: 'INVALID_PARAMETERS', message: expect.stringContaining(`field: ${name}`) });
      }
    }
    for (const raw of ['path=%zz', 'status=%', 'method=%E0%A4%A']) expect((await admin(raw)).status, raw).toBe(400);
  });
});
