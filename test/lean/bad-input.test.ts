import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Router } from 'express';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { createBanksRouter, loadBanks } from '../../src/lean/banks.js';
import { createCustomersRouter } from '../../src/lean/customers/router.js';
import { createDataRouters } from '../../src/lean/data/index.js';
import { createEntitiesRouter } from '../../src/lean/entities/router.js';
import { createPaymentsRouter } from '../../src/lean/payments/router.js';
import { seedDemo } from '../../src/sandbox/connections.js';
import { createCustomer } from '../../src/sandbox/customers.js';
import { faultInjector } from '../../src/sandbox/faults/injector.js';
import { FaultRegistry } from '../../src/sandbox/faults/registry.js';
import { createIntent } from '../../src/sandbox/payments/intents.js';
import { simulatePayment } from '../../src/sandbox/payments/payments.js';
import { PAYMENT_COLLECTIONS, type PaymentDestinationRecord } from '../../src/sandbox/payments/records.js';
import { seedPayments } from '../../src/sandbox/payments/seed.js';
import { seededRandom, type SeededRandom } from '../../src/sandbox/random.js';
import { Collection } from '../../src/sandbox/store/collection.js';
import { COLLECTIONS, type Account, type Customer, type Entity } from '../../src/sandbox/store/records.js';
import { SandboxStore } from '../../src/sandbox/store/store.js';
import { ROUTES, pathsWithMethods, routeName, type Field, type IdKind, type Route } from '../support/route-table.js';
import { SANDBOX_NOW, sandboxApp } from '../support/sandbox-app.js';

/**
 * "Bad input never produces 5xx": a seeded fuzzer throws malformed and wrong-typed path ids,
 * query strings and JSON bodies at every route of the sandbox, as the real app mounts them,
 * and holds each reply to three rules — never 5xx; every 4xx is Lean's error envelope; a 4xx
 * leaves the store byte for byte as it was (`store.snapshot()`). Another app's real ids must
 * answer exactly like unknown ones. Replay a failure with `LEAN_FUZZ_SEED=<seed>`.
 */

const SEED = Number(process.env.LEAN_FUZZ_SEED ?? 20_260_315);
/** Full snapshots cost ~12 ms: compare one after at most this many quiet 4xx replies. */
const CHECK_EVERY = 8;
/** The sandbox's async results and refreshes must not finish mid-fuzz (setTimeout's maximum). */
const NEVER_MS = 2 ** 31 - 1;
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

const ErrorEnvelope = z.strictObject({
  results_id: z.uuid().optional(),
  timestamp: z.iso.datetime(),
  status: z.string().regex(/^[A-Z][A-Z0-9_]*$/),
  message: z.string().min(1),
  metadata: z.record(z.string(), z.unknown()).nullable(),
});

// ---------------------------------------------------------------------------------------------
// The sandbox under test: the routers of src/server/sandbox.ts over a seeded store, on a socket.

type Ids = Record<IdKind, string>;

interface Reply {
  status: number;
  contentType: string;
  text: string;
}

interface RawRequest {
  method: string;
  /** Path and query exactly as sent (already percent-encoded where it should be). */
  url: string;
  headers: Record<string, string>;
  body: Buffer | null;
  /** What was done to the valid request, for failure messages. */
  notes: string[];
}

interface Sandbox {
  store: SandboxStore;
  send(request: RawRequest, app?: string): Promise<Reply>;
  close(): Promise<void>;
}

async function startSandbox(options: { seed: number }): Promise<Sandbox> {
  const ids = seededRandom(options.seed).fork('store ids');
  const store = new SandboxStore({ seed: options.seed, apps: ['my_app', 'other_app'], clock: () => SANDBOX_NOW, newId: () => ids.uuid() });
  store.addSeeder('demo', seedDemo);
  store.addSeeder('payments', seedPayments);
  const app = sandboxApp([
    Router().use(faultInjector(new FaultRegistry({ apps: store.apps, clock: () => SANDBOX_NOW }))),
    createBanksRouter({ banks: loadBanks() }),
    createEntitiesRouter({ store }),
    createCustomersRouter({ store }),
    createPaymentsRouter({ store }),
    ...createDataRouters({ store, resultDelayMs: NEVER_MS, refreshDelayMs: NEVER_MS }),
  ]);
  // As the real app (src/app/create-app.ts): `a[b]=c` and `a[]=b` reach the routers as objects and arrays.
  app.set('query parser', 'extended');
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

  const send = (request: RawRequest, caller = 'my_app') =>
    new Promise<Reply>((resolve, reject) => {
      const headers: Record<string, string> = { ...request.headers, 'x-test-app': caller };
      if (request.body) headers['content-length'] = String(request.body.length);
      const outgoing = http.request({ host: '127.0.0.1', port, method: request.method, path: request.url, headers, agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, contentType: res.headers['content-type'] ?? '', text: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', reject);
      });
      outgoing.on('error', reject);
      outgoing.end(request.body ?? undefined);
    });

  return {
    store,
    send,
    close: async () => {
      agent.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const firstOf = <T>(store: SandboxStore, collection: string, app: string): T => {
  const record = store.collection<T>(collection).list(app)[0];
  if (record === undefined) throw new Error(`the seeded sandbox has no ${collection} for ${app}`);
  return record;
};

/** The seeded records of an app, and where the seed has none, records made as a client would. */
async function realIds(sandbox: Sandbox, app: string, prepare: boolean): Promise<Ids> {
  const { store } = sandbox;
  const customer = firstOf<Customer>(store, COLLECTIONS.customers, app);
  const entity = firstOf<Entity>(store, COLLECTIONS.entities, app);
  const account = firstOf<Account>(store, COLLECTIONS.accounts, app);
  const destination = firstOf<PaymentDestinationRecord>(store, PAYMENT_COLLECTIONS.destinations, app);
  const unknown = seededRandom(SEED).fork(`unseeded ${app}`);
  const ids: Ids = {
    customer: customer.customer_id,
    entity: entity.id,
    account: account.account_id,
    destination: destination.id,
    intent: unknown.uuid(),
    payment: unknown.uuid(),
    source: unknown.uuid(),
    results: unknown.uuid(),
    refresh: unknown.uuid(),
    app_user: customer.app_user_id,
  };
  if (!prepare) return ids;
  // Both apps seed the same app_user_id: other_app gets one of its own to leak.
  ids.app_user = createCustomer(store, app, { app_user_id: `only-${app}` }).app_user_id;
  const intent = createIntent(store, app, { customer_id: customer.customer_id, amount: 250, currency: 'AED' });
  const payment = simulatePayment(store, app, `${app}-id`, intent.payment_intent_id, {});
  ids.intent = intent.payment_intent_id;
  ids.payment = payment.id;
  ids.source = payment.payment_source_id;
  const asJson = (reply: Reply) => JSON.parse(reply.text) as Record<string, unknown>;
  const held = await sandbox.send(request('GET', `/data/v2/accounts?entity_id=${entity.id}&async=true`), app);
  ids.results = String(asJson(held).results_id);
  const refreshed = await sandbox.send(request('POST', '/data/v2/refreshes', { entity_id: entity.id }), app);
  ids.refresh = String(asJson(refreshed).refresh_id);
  return ids;
}

function request(method: string, url: string, body?: unknown): RawRequest {
  return {
    method,
    url,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? null : Buffer.from(JSON.stringify(body)),
    notes: ['setup'],
  };
}

// ---------------------------------------------------------------------------------------------
// Hostile values. Query and path values are raw (percent-encoded as they go on the wire).

const enc = encodeURIComponent;
const deep = (depth: number): unknown => (depth === 0 ? 'bottom' : { nested: deep(depth - 1) });
const HUGE = 'x'.repeat(200_000);

/** Ids that are not ids, near misses of a real one, and ids of records the caller cannot see. */
function idNearMisses(valid: string, foreign: string, unknown: string): string[] {
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
function pickId(r: SeededRandom, valid: string, foreign: string, unknown: string): string {
  const roll = r.next();
  if (roll < 0.2) return unknown;
  if (roll < 0.35) return foreign;
  return r.pick(idNearMisses(valid, foreign, unknown));
}

/** Path segments sent raw: malformed escapes, traversal, NUL. */
const RAW_PATH_IDS = ['%zz', '%E0%A4%A', '%', '..%2F..%2Fetc%2Fpasswd', '%2e%2e', '..', '%00', '%C0%AE', '%FF%FE', ';x=1', '*', '%252F'];

const QUERY_ANY = ['', '%00', '%zz', '%', '-1', 'abc', '1e9', 'NaN', 'null', 'undefined', '%5B%5D', '%7B%7D', 'a'.repeat(3_000), '%F0%9F%92%A9', '%E2%80%AE', '%20', '+', '__proto__', 'true', '0x10'];
const NUMBERS = ['-1', '1.5', 'abc', '1e9', '1e3', '1000001', 'Infinity', '-Infinity', '+1', '%201', '0x1', '9007199254740993', '-0', '0', '101', '1001', ''];
const DATES = ['2026-02-30', '2026-02-29', '2024-02-29', '2026-13-01', '2026-00-10', '2026-1-1', '20260101', '2026-03-16', '2099-01-01', '9999-12-31', '0000-01-01', '2026-03-15T00:00:00Z', '1900-01-01', '2026-03-15'];
const DATETIMES = ['2026-02-30T00:00:00Z', '2026-03-01T25:00:00Z', '2026-03-01', '2026-03-01T00:00:00', 'now', '1710000000', '2026-03-01T00:00:00+25:00', '2026-03-01T00:00:00.000Z'];
const BOOLEANS = ['yes', '1', '0', 'TRUE', 'True', 'on', '', 'null'];
const METAS = ['{', '[]', '"x"', '{"a":1}', '{"a":{"b":"c"}}', 'null', '{"__proto__":{"polluted":"yes"}}', '{}', '1'];

const JSON_ANY: readonly unknown[] = [
  null, true, false, 0, -1, -0.5, 1.5, 1e21, -1e308, 2 ** 53 + 2, '', ' ', 'abc', 'null', 'NaN', 'Infinity', '-Infinity', '1e9', '0x1F',
  '１２３', '\u0000', '\u202e', '🙂'.repeat(50), '<script>', "' OR '1'='1", '../../etc/passwd', [], [1], ['a', 'b'], {}, { a: 1 },
  { $gt: '' }, deep(50), 'x'.repeat(300),
];
const AMOUNTS: readonly unknown[] = [0, -0, -10, 9.99, 0.01, 1, 10, 1_000_000, 1_000_000.01, 1e7, 1e300, 5e-324, 10.001, 0.1 + 0.2, '150.25', '1e2', 'NaN', [150], { amount: 150 }, 2 ** 53 + 2];
/** Number literals JSON.stringify cannot write: spliced into the JSON text. */
const RAW_AMOUNTS = ['1e309', '-1e309', '1E2', '-0', '0.10', '150.250', '00150'];

/** JSON bodies that are not objects, or not JSON at all, sent as application/json. */
const RAW_BODIES = [
  '', ' ', 'null', '[]', '[1,2]', '"str"', '42', 'true', '{', '{"a":', '{"a":1,}', "{'a':1}", 'NaN', '{"a":NaN}', 'undefined', '<xml/>',
  '{"a":1}{"b":2}', '\u0000', 'a=1&b=2', '\uFEFF{}', '{"a":"\\ud800"}', '{"a":"\\u00"}', JSON.stringify(deep(50)), '['.repeat(50) + ']'.repeat(50),
  JSON.stringify(Array.from({ length: 1_000 }, (_, i) => i)),
];
const CONTENT_TYPES = [
  'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=fuzz', 'application/json; charset=latin1',
  'application/json; charset=utf-16', 'application/merge-patch+json', 'application/JSON', 'application/json; charset=UTF-8', 'application/xml', '*/*',
];
const CONTENT_ENCODINGS = ['gzip', 'deflate', 'br', 'identity', 'x-zip', 'gzip, deflate'];

// ---------------------------------------------------------------------------------------------
// A request in the making: a valid one first, then broken in one to three places.

type Body = { type: 'none' } | { type: 'json'; value: unknown } | { type: 'raw'; text: string | Buffer };

interface Draft {
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

interface Fuzz {
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

function validDraft(route: Route, fuzz: Fuzz): Draft {
  const params = new Map(Object.entries(route.params ?? {}).map(([name, kind]) => [name, enc(fuzz.mine[kind])]));
  const take = (field: Field) => field.required === true || fuzz.r.next() < 0.5;
  const query = Object.entries(route.query ?? {})
    .filter(([, field]) => take(field))
    .map(([name, field]): [string, string] => [name, enc(String(validValue(field, name, route, fuzz)))]);
  const body: Body = route.body
    ? { type: 'json', value: Object.fromEntries(Object.entries(route.body).filter(([, f]) => take(f)).map(([n, f]) => [n, validValue(f, n, route, fuzz)])) }
    : { type: 'none' };
  const headers: Record<string, string> = route.body ? { 'content-type': 'application/json' } : {};
  return { route, method: route.method, params, query, body, headers, notes: [] };
}

function render(draft: Draft): RawRequest {
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

const bodyObject = (draft: Draft): Record<string, unknown> | null =>
  draft.body.type === 'json' && typeof draft.body.value === 'object' && draft.body.value !== null && !Array.isArray(draft.body.value)
    ? (draft.body.value as Record<string, unknown>)
    : null;

/** Near-miss query values for a field of this kind, raw. */
function queryValues(field: Field, fuzz: Fuzz): string[] {
  const { type } = field;
  switch (type.kind) {
    case 'id':
      return fuzz.r.next() < 0.2 ? RAW_PATH_IDS : [enc(pickId(fuzz.r, fuzz.mine[type.of], fuzz.theirs[type.of], fuzz.unknown()))];
    case 'page':
    case 'size':
      return NUMBERS;
    case 'date':
      return DATES;
    case 'datetime':
      return DATETIMES.map(enc);
    case 'boolean':
      return BOOLEANS;
    case 'enum':
      return [String(field.valid).toLowerCase(), 'UNKNOWN', `${String(field.valid)}%20`, '%2C', '%2C%2C', `${String(field.valid)}%2CFOO`, type.values.join('%2C')];
    case 'meta':
      return METAS.map(enc);
    default:
      return QUERY_ANY;
  }
}

/** Near-miss JSON values for a body field of this kind. */
function bodyValues(field: Field, fuzz: Fuzz): readonly unknown[] {
  const { type } = field;
  switch (type.kind) {
    case 'id':
      return fuzz.r.next() < 0.15 ? [42, null, [fuzz.mine[type.of]], { id: fuzz.mine[type.of] }] : [pickId(fuzz.r, fuzz.mine[type.of], fuzz.theirs[type.of], fuzz.unknown())];
    case 'amount':
      return AMOUNTS;
    case 'date':
      return [...DATES, 20260101, null];
    case 'boolean':
      return ['true', 'false', 1, 0, null, 'yes'];
    case 'enum':
      return [String(field.valid).toLowerCase(), 'UNKNOWN', ` ${String(field.valid)}`, '', 0, null, [field.valid], { value: field.valid }];
    case 'identifiers':
      return [
        [], [{}], [null], [{ type: 'EMIRATES_ID' }], [{ type: 'PASSPORT', value: '1' }], [{ type: 'EMIRATES_ID', value: '   ' }],
        [{ type: 'EMIRATES_ID', value: 7 }], { type: 'EMIRATES_ID', value: '1' }, 'EMIRATES_ID', null, Array.from({ length: 500 }, () => ({ type: 'EMIRATES_ID', value: 'x' })),
      ];
    case 'text':
      return ['', ' ', '\t\n', 'x'.repeat(256), '\u0000', '<b>x</b>', 'Fuzz\u202eLLC', 'AE070331234567890123457', 'AE07 0331 2345 6789 0123 456', 'SA0380000000608010167519', 'GB82WEST12345698765432'];
    default:
      return JSON_ANY;
  }
}

/** `target` names the field to break, for the mutations that break one; otherwise they pick. */
type Mutation = (draft: Draft, fuzz: Fuzz, target?: string) => string | null;

/** Each mutation breaks one thing and says what, or answers null when it does not apply. */
const MUTATIONS: Record<string, Mutation> = {
  pathId: (draft, { r, mine, theirs, unknown }, target) => {
    const names = Object.keys(draft.route.params ?? {});
    if (names.length === 0) return null;
    const name = target ?? r.pick(names);
    const kind = draft.route.params![name]!;
    const value = r.next() < 0.2 ? r.pick(RAW_PATH_IDS) : enc(pickId(r, mine[kind], theirs[kind], unknown()));
    draft.params.set(name, value);
    return `path ${name}=${value.slice(0, 60)}`;
  },
  queryValue: (draft, fuzz, target) => {
    const fields = Object.entries(draft.route.query ?? {}).filter(([name]) => target === undefined || name === target);
    if (fields.length === 0) return null;
    const [name, field] = fuzz.r.pick(fields);
    const value = fuzz.r.pick(queryValues(field, fuzz));
    draft.query = [...draft.query.filter(([key]) => key !== name), [name, value]];
    return `query ${name}=${value.slice(0, 60)}`;
  },
  queryShape: (draft, { r }) => {
    const names = Object.keys(draft.route.query ?? {});
    const name = names.length > 0 && r.next() < 0.8 ? r.pick(names) : r.pick(['page', 'size', 'entity_id', 'unknown']);
    const current = draft.query.find(([key]) => key === name)?.[1] ?? '1';
    const shapes: [string, string | null][][] = [
      [[`${name}[]`, current]],
      [[`${name}[0]`, current], [`${name}[1]`, current]],
      [[name, current], [name, current]],
      [[name, current], [name, 'x']],
      [[`${name}[a]`, current]],
      [[`${name}[a][b][c][d][e][f][g]`, current]],
      [[`${name}[__proto__][polluted]`, 'yes']],
      [[name, '']],
      [[name, null]],
      [[`${name}[`, current]],
    ];
    const shape = r.pick(shapes);
    draft.query = [...draft.query.filter(([key]) => key !== name), ...shape];
    return `query shape ${shape.map(([k, v]) => `${k}=${v ?? ''}`).join('&').slice(0, 80)}`;
  },
  queryNoise: (draft, { r }) => {
    const noise = r.pick<[string, string | null][]>([
      [['unknown_param', 'x']],
      [['__proto__[polluted]', 'yes']],
      [['constructor[prototype][polluted]', 'yes']],
      [['', '']],
      [['', null], ['', null]],
      [['%zz', '1']],
      [['%00', '%00']],
      [['=', '=']],
      Array.from({ length: 1_100 }, (_, i): [string, string] => [`p${i}`, '1']),
    ]);
    draft.query.push(...noise);
    return `query noise ${noise.slice(0, 3).map(([k, v]) => `${k}=${v ?? ''}`).join('&')}`;
  },
  dropQuery: (draft, { r }) => {
    if (draft.query.length === 0) return null;
    const [name] = r.pick(draft.query);
    draft.query = draft.query.filter(([key]) => key !== name);
    return `no query ${name}`;
  },
  bodyField: (draft, fuzz, target) => {
    const body = bodyObject(draft);
    const fields = Object.entries(draft.route.body ?? {}).filter(([name]) => target === undefined || name === target);
    if (!body || fields.length === 0) return null;
    const [name, field] = fuzz.r.pick(fields);
    const value = fuzz.r.next() < 0.15 ? fuzz.r.pick(JSON_ANY) : fuzz.r.pick(bodyValues(field, fuzz));
    body[name] = value;
    return `body ${name}=${JSON.stringify(value)?.slice(0, 60)}`;
  },
  bodyHuge: (draft, { r }) => {
    const body = bodyObject(draft);
    if (!body || !draft.route.body) return null;
    const name = r.pick(Object.keys(draft.route.body));
    body[name] = HUGE;
    return `body ${name}=<200 kB string>`;
  },
  dropBodyField: (draft, { r }) => {
    const body = bodyObject(draft);
    if (!body || Object.keys(body).length === 0) return null;
    const name = r.pick(Object.keys(body));
    delete body[name];
    return `no body ${name}`;
  },
  bodyNoise: (draft, { r }) => {
    const body = bodyObject(draft);
    if (!body) return null;
    const [name, value] = r.pick<[string, unknown]>([['unknown_key', 'x'], ['ENTITY_ID', 'x'], ['toString', 'x'], ['constructor', 'x'], ['hasOwnProperty', 1], ['', '']]);
    body[name] = value;
    return `body +${name}`;
  },
  bodyProto: (draft, { r }) => {
    const body = bodyObject(draft);
    if (!body) return null;
    // JSON.stringify cannot write an own `__proto__` key: splice it into the text.
    const key = r.pick(['"__proto__":{"polluted":"yes"}', '"constructor":{"prototype":{"polluted":"yes"}}', '"__proto__":null', '"prototype":{}']);
    const rest = JSON.stringify(body).slice(1);
    draft.body = { type: 'raw', text: `{${key}${rest === '}' ? '' : ','}${rest}` };
    return `body ${key}`;
  },
  bodyDuplicateKey: (draft, fuzz) => {
    const body = bodyObject(draft);
    const fields = Object.entries(draft.route.body ?? {});
    if (!body || fields.length === 0) return null;
    const [name, field] = fuzz.r.pick(fields);
    const second = JSON.stringify(fuzz.r.pick(bodyValues(field, fuzz))) ?? 'null';
    const rest = JSON.stringify(body);
    draft.body = { type: 'raw', text: `${rest.slice(0, -1)}${rest === '{}' ? '' : ','}"${name}":${second}}` };
    return `body ${name} twice, then ${second.slice(0, 40)}`;
  },
  rawAmount: (draft, { r }) => {
    const body = bodyObject(draft);
    if (!body || draft.route.body?.amount === undefined) return null;
    const literal = r.pick(RAW_AMOUNTS);
    const rest = JSON.stringify({ ...body, amount: 0 });
    draft.body = { type: 'raw', text: rest.replace('"amount":0', `"amount":${literal}`) };
    return `body amount=${literal}`;
  },
  wholeBody: (draft, { r }) => {
    if (r.next() < 0.5) {
      const value = r.pick<unknown>([[], [bodyObject(draft) ?? {}], 'str', 42, null, true, deep(50), {}, Array(1_000).fill(0)]);
      draft.body = { type: 'json', value };
      draft.headers['content-type'] = 'application/json';
      return `body ${JSON.stringify(value).slice(0, 40)}`;
    }
    const text = r.pick(RAW_BODIES);
    draft.body = { type: 'raw', text };
    draft.headers['content-type'] = 'application/json';
    return `raw body ${JSON.stringify(text.slice(0, 40))}`;
  },
  oversizedBody: (draft) => {
    draft.body = { type: 'raw', text: JSON.stringify({ entity_id: 'x'.repeat(300_000) }) };
    draft.headers['content-type'] = 'application/json';
    return 'body over 256 kB';
  },
  contentType: (draft, { r }) => {
    const type = r.pick([...CONTENT_TYPES, null]);
    if (type === null) delete draft.headers['content-type'];
    else draft.headers['content-type'] = type;
    return `content-type ${type ?? '(none)'}`;
  },
  contentEncoding: (draft, { r }) => {
    const encoding = r.pick(CONTENT_ENCODINGS);
    draft.headers['content-encoding'] = encoding;
    if (draft.body.type === 'none') draft.body = { type: 'raw', text: '{}' };
    return `content-encoding ${encoding}`;
  },
  garbageBytes: (draft, { r }) => {
    draft.body = { type: 'raw', text: Buffer.from(Array.from({ length: r.int(1, 64) }, () => r.int(0, 255))) };
    draft.headers['content-type'] = r.pick(['application/json', 'application/json; charset=utf-8', 'application/octet-stream']);
    return 'body of random bytes';
  },
  pathShape: (draft, { r }) => {
    const [name, reshape] = r.pick<[string, (path: string) => string]>([
      ['trailing /', (p) => `${p}/`],
      ['trailing //', (p) => `${p}//`],
      ['leading //', (p) => `/${p}`],
      ['extra segment', (p) => `${p}/extra`],
      ['upper case', (p) => p.toUpperCase()],
      ['matrix parameter', (p) => `${p};x=1`],
      ['encoded trailing /', (p) => `${p}%2F`],
      ['encoded segments', (p) => `/${p.slice(1).replaceAll('/', '%2F')}`],
    ]);
    draft.reshape = reshape;
    return `path ${name}`;
  },
};

const BODY_MUTATIONS = ['dropBodyField', 'bodyNoise', 'bodyProto', 'bodyDuplicateKey', 'rawAmount', 'wholeBody', 'wholeBody', 'contentType', 'contentEncoding', 'garbageBytes', 'bodyHuge'];
const QUERY_MUTATIONS = ['queryShape', 'queryShape', 'queryNoise', 'dropQuery'];

/**
 * What can be broken on a route: each of its fields (path ids weigh most: they reach the
 * look-ups), then the shape of its query, body and path as a whole.
 */
function mutationMenu(route: Route): [string, string?][] {
  const each = (mutation: string, fields: object | undefined, weight: number) =>
    Object.keys(fields ?? {}).flatMap((name) => Array.from({ length: weight }, (): [string, string] => [mutation, name]));
  return [
    ...each('pathId', route.params, 4),
    ...each('queryValue', route.query, 2),
    ...each('bodyField', route.body, 2),
    ...(route.query ? QUERY_MUTATIONS : ['queryNoise', 'queryShape']).map((m): [string] => [m]),
    ...(route.body ? BODY_MUTATIONS : ['wholeBody']).map((m): [string] => [m]),
    ['pathShape'],
  ];
}

function hostileDraft(route: Route, fuzz: Fuzz): Draft {
  const draft = validDraft(route, fuzz);
  const { r } = fuzz;
  const menu = mutationMenu(route);
  if (route.body && r.next() < 0.02) draft.notes.push(MUTATIONS.oversizedBody!(draft, fuzz)!);
  const count = r.pick([1, 1, 1, 1, 1, 2, 2, 3]);
  while (draft.notes.length < count) {
    const [mutation, target] = r.pick(menu);
    const note = MUTATIONS[mutation]!(draft, fuzz, target);
    if (note !== null) draft.notes.push(note);
  }
  return draft;
}

/** `count` different items of the list, in random order. */
function sample<T>(r: SeededRandom, items: readonly T[], count: number): T[] {
  const pool = [...items];
  const out: T[] = [];
  while (out.length < count && pool.length > 0) out.push(pool.splice(r.int(0, pool.length - 1), 1)[0]!);
  return out;
}

/** For a sweep: the ids that must reach the look-ups, a well-formed one in upper case, and two near misses. */
function sweepIds(kind: IdKind, fuzz: Fuzz): string[] {
  const valid = fuzz.mine[kind];
  return [fuzz.unknown(), fuzz.theirs[kind], valid.toUpperCase(), 'x'.repeat(256), ...sample(fuzz.r, idNearMisses(valid, fuzz.theirs[kind], fuzz.unknown()), 2)];
}

const short = (value: unknown): string => (JSON.stringify(value) ?? String(value)).slice(0, 60);

/**
 * One thing wrong at a time, for every field of the route: wrong values of its kind (every
 * amount; ids unknown, another app's, malformed) and its absence. The random variants that
 * follow break several things at once; this sweep makes sure each field's own checks are reached.
 */
function sweepDrafts(route: Route, fuzz: Fuzz, only?: 'ids'): Draft[] {
  const { r } = fuzz;
  const drafts: Draft[] = [];
  const one = (note: string, change: (draft: Draft) => void) => {
    const draft = validDraft(route, fuzz);
    change(draft);
    draft.notes.push(note);
    drafts.push(draft);
  };
  const setQuery = (draft: Draft, name: string, value: string | null) => {
    draft.query = [...draft.query.filter(([key]) => key !== name), ...(value === null ? [] : [[name, value] as [string, string]])];
  };
  const wanted = (field: Field) => only === undefined || field.type.kind === 'id';
  for (const [name, kind] of Object.entries(route.params ?? {})) {
    const ids = only ? [fuzz.unknown()] : [...sweepIds(kind, fuzz).map(enc), r.pick(RAW_PATH_IDS)];
    for (const id of ids) one(`path ${name}=${short(id)}`, (draft) => draft.params.set(name, id));
  }
  for (const [name, field] of Object.entries(route.query ?? {}).filter(([, f]) => wanted(f))) {
    const values = field.type.kind === 'id' ? sweepIds(field.type.of, fuzz).map(enc) : sample(r, queryValues(field, fuzz), 4);
    for (const value of only ? values.slice(0, 1) : values) one(`query ${name}=${short(value)}`, (draft) => setQuery(draft, name, value));
    if (!only) one(`no query ${name}`, (draft) => setQuery(draft, name, null));
  }
  for (const [name, field] of Object.entries(route.body ?? {}).filter(([, f]) => wanted(f))) {
    const values: unknown[] =
      field.type.kind === 'id' ? [...sweepIds(field.type.of, fuzz), 42, null]
      : field.type.kind === 'amount' ? [...AMOUNTS]
      : [...sample(r, bodyValues(field, fuzz), 4), r.pick(JSON_ANY)];
    for (const value of only ? values.slice(0, 1) : values) one(`body ${name}=${short(value)}`, (draft) => (bodyObject(draft)![name] = value));
    if (!only) one(`no body ${name}`, (draft) => delete bodyObject(draft)![name]);
  }
  return drafts;
}

// ---------------------------------------------------------------------------------------------
// The rules every reply is held to, and the record of what the fuzz provoked.

interface RouteStats {
  requests: number;
  http: Map<number, number>;
  lean: Set<string>;
}

const describeRequest = (request: RawRequest): string =>
  `${request.method} ${request.url.slice(0, 200)}${request.url.length > 200 ? '…' : ''} [${request.notes.join('; ')}]` +
  (request.body ? ` body(${request.body.length} B)=${request.body.toString('utf8', 0, 120)}` : '');

/**
 * Broken rules, gathered rather than thrown at the first, so one run reports every route that
 * breaks them (at most two examples of each kind of break per route).
 */
class Problems {
  readonly found: string[] = [];
  private readonly seen = new Map<string, number>();

  add(key: string, message: string): void {
    const count = (this.seen.get(key) ?? 0) + 1;
    this.seen.set(key, count);
    if (count <= 2) this.found.push(`seed ${SEED}: ${message}`);
  }

  /** Fails the test with everything found. */
  assertNone(): void {
    const extra = [...this.seen].filter(([, n]) => n > 2).map(([key, n]) => `${key}: ${n - 2} more`);
    if (this.found.length > 0) expect.fail([...this.found, ...extra].join('\n\n'));
  }
}

const collectionWrites = [
  vi.spyOn(Collection.prototype, 'set'),
  vi.spyOn(Collection.prototype, 'delete'),
  vi.spyOn(Collection.prototype, 'deleteWhere'),
  vi.spyOn(Collection.prototype, 'clear'),
];
const writesSoFar = () => collectionWrites.reduce((sum, spy) => sum + spy.mock.calls.length, 0);

/**
 * Watches the store between requests. A full snapshot costs ~12 ms, so besides comparing one
 * every few replies it catches writes as they happen — a spy on every collection write, and on
 * the first use of a collection name (which creates it, and shows in the snapshot) — and then
 * compares at once, naming the very request.
 */
class StoreGuard {
  private baseline: string;
  private created = 0;
  private unverified: { label: string; request: RawRequest }[] = [];
  private readonly known: Set<string>;

  constructor(
    private readonly store: SandboxStore,
    private readonly problems: Problems,
  ) {
    this.baseline = store.snapshot();
    this.known = new Set((JSON.parse(this.baseline) as [string, unknown][]).map(([name]) => name));
    const collection = store.collection.bind(store);
    store.collection = <T>(name: string) => {
      if (!this.known.has(name)) {
        this.known.add(name);
        this.created++;
      }
      return collection<T>(name);
    };
  }

  private changes(): number {
    return writesSoFar() + this.created;
  }

  /** Call before each request; hand the result to `after`. */
  before(): number {
    return this.changes();
  }

  after(label: string, request: RawRequest, status: number, changesBefore: number): void {
    const wrote = this.changes() !== changesBefore;
    this.unverified.push({ label, request });
    if (status < 400) {
      // A success may change the sandbox: what it left is the new baseline.
      if (wrote) this.rebase();
      return;
    }
    if (wrote) this.verify({ label, request });
    else if (this.unverified.length >= CHECK_EVERY) this.verify();
  }

  /** Compares the whole store with the baseline; a difference is a problem, and the new baseline. */
  verify(culprit?: { label: string; request: RawRequest }): void {
    const now = this.store.snapshot();
    if (now !== this.baseline) {
      const suspects = culprit ? [culprit] : this.unverified;
      const at = firstDifference(this.baseline, now);
      const excerpt = (text: string) => JSON.stringify(text.slice(Math.max(0, at - 40), at + 100));
      this.problems.add(
        `${culprit?.label ?? 'window'} changed the store`,
        `${culprit ? `${culprit.label} answered 4xx yet changed the store` : 'a 4xx among these requests changed the store (a 2xx among them only if it wrote nothing through a collection)'}` +
          ` — snapshot ${this.baseline.length} → ${now.length} chars, at ${excerpt(this.baseline)} → ${excerpt(now)}:\n` +
          suspects.map(({ request }) => `  ${describeRequest(request)}`).join('\n'),
      );
      this.baseline = now;
    }
    this.unverified = [];
  }

  private rebase(): void {
    this.baseline = this.store.snapshot();
    this.unverified = [];
  }
}

function firstDifference(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}

/** Sends requests and holds every reply to the rules, tallying what each route answered. */
class Referee {
  readonly problems = new Problems();
  readonly guard: StoreGuard;
  readonly stats = new Map<string, RouteStats>();
  total = 0;

  constructor(private readonly sandbox: Sandbox) {
    this.guard = new StoreGuard(sandbox.store, this.problems);
  }

  async play(label: string, request: RawRequest): Promise<{ status: number; body: unknown }> {
    const changes = this.guard.before();
    const reply = await this.sandbox.send(request);
    this.total++;
    const body = this.judge(label, request, reply);
    this.guard.after(label, request, reply.status, changes);
    const stats = this.stats.get(label) ?? { requests: 0, http: new Map<number, number>(), lean: new Set<string>() };
    stats.requests++;
    stats.http.set(reply.status, (stats.http.get(reply.status) ?? 0) + 1);
    stats.lean.add(reply.status < 400 ? '2xx' : ((body as { status?: string } | undefined)?.status ?? '?'));
    this.stats.set(label, stats);
    return { status: reply.status, body };
  }

  /** Never 5xx (nor 1xx/3xx); a 4xx is Lean's envelope, `results_id` first when there is one. */
  private judge(label: string, request: RawRequest, reply: Reply): unknown {
    const problem = (what: string) =>
      this.problems.add(`${label} ${what} ${reply.status}`, `${label} ${what}: ${describeRequest(request)}\n  → ${reply.status} ${reply.text.slice(0, 300)}`);
    if (reply.status < 200 || reply.status >= 500 || (reply.status >= 300 && reply.status < 400)) {
      problem('answered');
      return undefined;
    }
    if (reply.status < 400) return undefined;
    if (!/^application\/json/.test(reply.contentType)) {
      problem('answered a 4xx that is not JSON');
      return undefined;
    }
    const body: unknown = JSON.parse(reply.text);
    const envelope = ErrorEnvelope.safeParse(body);
    if (!envelope.success) problem(`answered a 4xx that is not Lean's envelope (${envelope.error.issues[0]?.message ?? ''})`);
    else if (envelope.data.results_id !== undefined && Object.keys(body as object)[0] !== 'results_id') problem('answered results_id, not first');
    return body;
  }
}

// ---------------------------------------------------------------------------------------------

/** The routes the mounted routers declare (express's own route table), as `METHOD /path`. */
function declaredRoutes(routers: Router[]): Set<string> {
  const declared = new Set<string>();
  for (const router of routers) {
    for (const layer of router.stack) {
      const route = layer.route as { path: string; methods: Record<string, boolean> } | undefined;
      if (!route) continue;
      for (const method of Object.keys(route.methods)) if (method !== '_all') declared.add(`${method.toUpperCase()} ${route.path}`);
    }
  }
  return declared;
}

function fuzzFor(label: string, mine: Ids, theirs: Ids): Fuzz {
  const r = seededRandom(SEED).fork(label);
  let fresh = 0;
  return { r, mine, theirs, unknown: () => r.uuid(), fresh: () => `fuzz-${label.length}-${++fresh}-${r.int(0, 1e9)}` };
}

const masked = (body: unknown): unknown => {
  if (body === undefined) return undefined;
  const { status, message, metadata } = body as { status: string; message: string; metadata: unknown };
  return { status, message: message.replace(UUID, '<id>'), metadata: JSON.stringify(metadata).replace(UUID, '<id>') };
};

describe('bad input at every Lean route', () => {
  it('the route table lists every route the routers declare', () => {
    const store = new SandboxStore({ seed: 1, apps: ['my_app'], clock: () => SANDBOX_NOW });
    const routers = [
      createBanksRouter({ banks: loadBanks() }),
      createEntitiesRouter({ store }),
      createCustomersRouter({ store }),
      createPaymentsRouter({ store }),
      ...createDataRouters({ store }),
    ];
    expect(new Set(ROUTES.map(routeName))).toEqual(declaredRoutes(routers));
  });

  describe('on a freshly seeded sandbox', () => {
    let sandbox: Sandbox;
    beforeAll(async () => {
      sandbox = await startSandbox({ seed: SEED });
    });
    afterAll(() => sandbox.close());

    it('unknown ids and malformed input answer 4xx and change nothing, before any record of a kind exists', async () => {
      const mine = await realIds(sandbox, 'my_app', false);
      const theirs = await realIds(sandbox, 'other_app', false);
      const referee = new Referee(sandbox);
      // Look-ups by id first: nothing has yet made a collection of intents, payments, results… exist.
      const byId = [...ROUTES].sort((a, b) => Number(!a.params) - Number(!b.params));
      const drafts = byId.flatMap((route) => {
        const fuzz = fuzzFor(`pristine ${routeName(route)}`, mine, theirs);
        return sweepDrafts(route, fuzz, 'ids').map((draft) => ({ route, draft }));
      });
      for (const route of ROUTES) {
        const fuzz = fuzzFor(`pristine hostile ${routeName(route)}`, mine, theirs);
        drafts.push({ route, draft: hostileDraft(route, fuzz) }, { route, draft: hostileDraft(route, fuzz) });
      }
      for (const { route, draft } of drafts) {
        const { status } = await referee.play(routeName(route), render(draft));
        // A full comparison after every 4xx: here nothing may hide in a window of several.
        if (status >= 400) referee.guard.verify();
      }
      referee.guard.verify();
      referee.problems.assertNone();
    });
  });

  describe('on a sandbox with records of every kind in both apps', () => {
    let sandbox: Sandbox;
    let mine: Ids;
    let theirs: Ids;
    beforeAll(async () => {
      sandbox = await startSandbox({ seed: SEED });
      mine = await realIds(sandbox, 'my_app', true);
      theirs = await realIds(sandbox, 'other_app', true);
    });
    afterAll(() => sandbox.close());

    it('answers another app’s real ids exactly as unknown ones', async () => {
      const referee = new Referee(sandbox);
      for (const route of ROUTES.filter((r) => !r.destructive)) {
        const fuzz = fuzzFor(`foreign ${routeName(route)}`, mine, theirs);
        for (const slot of idSlots(route)) {
          const answers = [];
          for (const [whose, id] of [['unknown', fuzz.unknown()], ['other_app’s', theirs[slot.kind]]] as const) {
            const draft = validDraft(route, fuzz);
            if (slot.where === 'path') draft.params.set(slot.name, enc(id));
            if (slot.where === 'query') draft.query = [...draft.query.filter(([k]) => k !== slot.name), [slot.name, enc(id)]];
            if (slot.where === 'body') bodyObject(draft)![slot.name] = id;
            draft.notes.push(`${slot.where} ${slot.name}=${whose} ${id}`);
            const { status, body } = await referee.play(routeName(route), render(draft));
            answers.push({ status, body: masked(body) });
          }
          const [unknown, foreign] = answers;
          const what = `${routeName(route)} with ${slot.where} ${slot.name}`;
          if (JSON.stringify(foreign) !== JSON.stringify(unknown)) {
            referee.problems.add(what, `${what}: other_app's id answered ${JSON.stringify(foreign)}, an unknown one ${JSON.stringify(unknown)}`);
          }
          if (slot.where === 'path' && unknown!.status !== 404) referee.problems.add(what, `${what}: an unknown id answered ${unknown!.status}, not 404`);
        }
      }
      referee.guard.verify();
      referee.problems.assertNone();
    });

    it('answers every other method on a route’s path with INVALID_HTTP_METHOD, reading no body', async () => {
      const referee = new Referee(sandbox);
      const fuzz = fuzzFor('methods', mine, theirs);
      for (const [path, served] of pathsWithMethods()) {
        const route = ROUTES.find((r) => r.path === path)!;
        for (const method of ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'].filter((m) => !served.has(m as never))) {
          const draft = validDraft(route, fuzz);
          draft.method = method;
          draft.body = { type: 'raw', text: fuzz.r.pick(RAW_BODIES) };
          draft.headers['content-type'] = 'application/json';
          draft.notes.push(`${method} instead of ${[...served].join('/')}`);
          const { status, body } = await referee.play(`${method} ${path}`, render(draft));
          const lean = (body as { status?: string } | undefined)?.status;
          if (status !== 405 || lean !== 'INVALID_HTTP_METHOD') referee.problems.add(`${method} ${path}`, `${method} ${path} answered ${status} ${lean ?? ''}, not 405 INVALID_HTTP_METHOD`);
        }
      }
      referee.guard.verify();
      referee.problems.assertNone();
    });

    it('refuses a key the data API does not document in its bodies, even one named like an Object.prototype member', async () => {
      const referee = new Referee(sandbox);
      // The data API's bodies, which Lean checks key by key (the customers and payments APIs ignore unknown keys).
      const strict = ROUTES.filter((r) => r.method === 'POST' && (r.path.startsWith('/data/') || r.path.startsWith('/v1/')));
      for (const route of strict) {
        for (const key of ['unknown', 'toString', 'constructor', 'hasOwnProperty', '__proto__']) {
          const draft = validDraft(route, fuzzFor(`keys ${routeName(route)}`, mine, theirs));
          draft.body = { type: 'raw', text: `${JSON.stringify(bodyObject(draft)).slice(0, -1)},"${key}":"x"}` };
          draft.notes.push(`body +${key}`);
          const { status, body } = await referee.play(routeName(route), render(draft));
          const { status: lean, metadata } = (body ?? {}) as { status?: string; metadata?: { field?: string } };
          if (status !== 400 || lean !== 'INVALID_PARAMETERS' || metadata?.field !== key) {
            referee.problems.add(`${routeName(route)} ${key}`, `${routeName(route)} with the undocumented body key "${key}" answered ${status} ${lean ?? ''}, not 400 INVALID_PARAMETERS naming it`);
          }
        }
      }
      referee.guard.verify();
      referee.problems.assertNone();
    });

    it('answers hostile path ids, query strings and bodies with Lean 4xx envelopes and leaves the store unchanged', async () => {
      const referee = new Referee(sandbox);
      const started = performance.now();
      const ordered = [...ROUTES.filter((r) => !r.destructive), ...ROUTES.filter((r) => r.destructive)];
      for (const route of ordered) {
        const fuzz = fuzzFor(routeName(route), mine, theirs);
        for (const draft of sweepDrafts(route, fuzz)) await referee.play(routeName(route), render(draft));
        for (let i = 0; i < variantsFor(route); i++) await referee.play(routeName(route), render(hostileDraft(route, fuzz)));
        // Last, the valid request itself: each route must be able to succeed, or the fuzz proves little.
        const valid = validDraft(route, fuzz);
        valid.notes.push('valid');
        await referee.play(routeName(route), render(valid));
        referee.guard.verify();
      }
      if (({} as Record<string, unknown>).polluted !== undefined) referee.problems.add('prototype', 'Object.prototype was polluted');

      const report = [...referee.stats]
        .map(([label, s]) => `${String(s.requests).padStart(5)}  ${label}  ${[...s.lean].join(",")} ${[...s.http].sort(([a], [b]) => a - b).map(([h, n]) => `${h}×${n}`).join(' ')}`)
        .join('\n');
      console.info(`bad-input fuzz, seed ${SEED}: ${referee.total} requests in ${Math.round(performance.now() - started)} ms\n${report}`);
      referee.problems.assertNone();

      const missing = ROUTES.flatMap((route) => {
        const seen = referee.stats.get(routeName(route))?.lean ?? new Set<string>();
        const wanted = [...route.mustSee, ...(route.canSucceed === false ? [] : ['2xx'])];
        return wanted.filter((status) => !seen.has(status)).map((status) => `${routeName(route)} never answered ${status}`);
      });
      expect(missing, `seed ${SEED}: the fuzz did not reach every route's validation`).toEqual([]);
    });
  });
});

/** Where a route takes ids: its path, its query, its body. */
function idSlots(route: Route): { where: 'path' | 'query' | 'body'; name: string; kind: IdKind }[] {
  const ids = (where: 'query' | 'body', fields: Readonly<Record<string, Field>> = {}) =>
    Object.entries(fields).flatMap(([name, f]) => (f.type.kind === 'id' ? [{ where, name, kind: f.type.of }] : []));
  return [...Object.entries(route.params ?? {}).map(([name, kind]) => ({ where: 'path' as const, name, kind })), ...ids('query', route.query), ...ids('body', route.body)];
}

/** Random variants after the sweep: more fields, more ways to combine mistakes. */
function variantsFor(route: Route): number {
  const fields = Object.keys(route.params ?? {}).length + Object.keys(route.query ?? {}).length + Object.keys(route.body ?? {}).length;
  return Math.min(100, 30 + 5 * fields);
}
