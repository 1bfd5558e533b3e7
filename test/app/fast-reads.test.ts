import { Agent, request } from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastReads } from '../../src/app/fast-reads.js';
import type { RequestRecord } from '../../src/gateway/journal.js';
import { createLeanPki, type LeanPki } from '../../src/pki/lean-pki.js';
import { startLeanMock, type LeanMock } from '../../src/server/lean-mock.js';
import { setBankAvailability } from '../../src/sandbox/availability/availability.js';
import { connectEntity, DEFAULT_BANK_IDENTIFIER, DEMO_APP_USER_ID } from '../../src/sandbox/connections.js';
import { DATA_COLLECTIONS } from '../../src/sandbox/data-access.js';
import { seededRandom, type SeededRandom } from '../../src/sandbox/random.js';
import { COLLECTIONS, type Account, type Customer, type Entity, type EntitySession, type Transaction } from '../../src/sandbox/store/records.js';

/**
 * Hot reads (the bank list, data v2 pages) are answered before express when they can be. A client
 * must not be able to tell: for random mixes of requests (hot paths, variants of their queries and
 * paths, bad and foreign tokens, conditional headers, faults and scenario-style overrides armed
 * and cleared, writes between reads), each request is sent twice over the same keep-alive mTLS
 * connection, once with the fast reads switched off (express answers) and once on, and the two
 * replies (status, every header in order, body) and journal entries must be the same, but for
 * what differs per request by design (ids, dates).
 */

const APP = 'my_app';
let pki: LeanPki;
let mock: LeanMock;
let fast: FastReads;
let agent: Agent;

beforeAll(async () => {
  pki = await createLeanPki();
  // The admin port on: the inspector captures every exchange, and its view must not differ either.
  mock = await startLeanMock({ pki, serverVariants: false }, { fastReads: (reads) => (fast = reads) });
  agent = new Agent({ keepAlive: true, maxSockets: 1 });
});

afterAll(async () => {
  agent.destroy();
  await mock.close();
});

interface Seen {
  status: number;
  message: string;
  /** Header names in order, each with its value (or its shape, for per-request values). */
  headers: string[];
  body: string;
  /** The content-length, when there is one, is the body's. */
  lengthMatches: boolean;
  /** The journal entry is this reply's (its correlation id). */
  journaledAsSent: boolean;
  journal: Partial<RequestRecord>;
  /** The inspector's view of the exchange (GET /admin/v1/requests/:id), per-request values masked. */
  inspected: string;
}

/** One GET over the shared keep-alive connection, with its journal entry and the inspector's view. */
async function get(path: string, headers: Record<string, string>, as: Presented = pki.apps[0]!): Promise<Seen> {
  const seen = await send(path, headers, as);
  const id = mock.journal.requests()[0]!.id;
  const details = (await (await fetch(`${mock.adminUrl}/admin/v1/requests/${id}`)).json()) as {
    request: Record<string, unknown>;
    exchange: { response: { headers: Record<string, string>; body: { text?: string } } } | null;
  };
  for (const key of ['id', 'at', 'duration_ms', 'correlation_id']) delete details.request[key];
  const replied = details.exchange?.response.headers;
  if (replied) for (const name of ['lean-correlation-id', 'lean-trace-id']) replied[name] = perRequest(name, replied[name] ?? '');
  // A body too long to show as JSON is kept as text: its ids are masked there.
  const shown = details.exchange?.response.body;
  if (shown?.text !== undefined) shown.text = masked(shown.text);
  return { ...seen, inspected: masked(JSON.stringify(details)) };
}

function send(path: string, headers: Record<string, string>, as: Presented): Promise<Omit<Seen, 'inspected'>> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: mock.port, path, headers, agent, ca: pki.chainPem, cert: as.credential.certificatePem, key: as.credential.privateKeyPem, servername: 'localhost' },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const body = Buffer.concat(chunks);
          const raw = res.rawHeaders;
          const named: string[] = [];
          for (let i = 0; i < raw.length; i += 2) named.push(`${raw[i]}: ${perRequest(raw[i]!, raw[i + 1]!)}`);
          const declared = res.headers['content-length'];
          const entry = mock.journal.requests()[0]!;
          const { id: _id, at: _at, duration_ms: _duration, correlation_id: correlation, ...journal } = entry;
          resolve({
            status: res.statusCode!,
            message: res.statusMessage!,
            headers: named,
            body: masked(body.toString('utf8')),
            lengthMatches: declared === undefined || Number(declared) === body.length,
            journaledAsSent: correlation === res.headers['lean-correlation-id'],
            journal,
          });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end();
  });
}
type Presented = LeanPki['apps'][number];

/** Per-request header values by their shape: the same shape is all two replies can share. */
function perRequest(name: string, value: string): string {
  const lower = name.toLowerCase();
  if (lower === 'lean-trace-id') return /^[0-9a-f]{32}$/.test(value) ? '<trace>' : value;
  if (lower === 'lean-correlation-id') return /^[A-Za-z0-9]{16}$/.test(value) ? '<correlation>' : value;
  if (lower === 'date') return Number.isNaN(Date.parse(value)) ? value : '<date>';
  return value;
}

/** `results_id` and timestamps differ per request (same width: the content-length still matches). */
function masked(body: string): string {
  return body
    .replace(/"results_id":"[0-9a-f-]{36}"/g, '"results_id":"<id>"')
    .replace(/"timestamp":"\d{4}-\d\d-\d\dT[\d:.]+Z"/g, '"timestamp":"<now>"');
}

interface World {
  entity: Entity;
  account: Account;
  other: Entity;
  otherAccount: Account;
}

function demo(): World {
  const { store } = mock;
  const customer = store.collection<Customer>(COLLECTIONS.customers).list(APP, (c) => c.app_user_id === DEMO_APP_USER_ID)[0]!;
  const entities = store.collection<Entity>(COLLECTIONS.entities).list(APP, (e) => e.customer_id === customer.customer_id);
  const entity = entities.find((e) => e.bank_identifier === DEFAULT_BANK_IDENTIFIER)!;
  const accountsOf = (e: Entity) => store.collection<Account>(COLLECTIONS.accounts).list(APP, (a) => a.entity_id === e.id);
  let other = entities.find((e) => e !== entity);
  if (!other) {
    connectEntity(store, APP, { customerId: customer.customer_id, bankIdentifier: 'LEA1_SAMAOB_SAU' });
    other = store.collection<Entity>(COLLECTIONS.entities).list(APP, (e) => e.customer_id === customer.customer_id && e.id !== entity.id)[0]!;
  }
  return { entity, account: accountsOf(entity)[0]!, other, otherAccount: accountsOf(other)[0]! };
}

const SUBPATHS = ['transactions', 'balances', 'identities', 'beneficiaries', 'direct-debits', 'scheduled-payments', 'standing-orders'];

/** A hot path, or a near miss of one, with a query that is plain, odd or wrong. */
function randomPath(random: SeededRandom, world: World): string {
  const pick = <T,>(items: readonly T[]): T => random.pick(items);
  const useOther = random.next() < 0.25;
  const entity = useOther ? world.other : world.entity;
  const account = random.next() < 0.15 ? (useOther ? world.account : world.otherAccount) : useOther ? world.otherAccount : world.account;
  const kind = random.int(0, 9);
  if (random.next() < 0.5) {
    // A well-formed read, as a client mostly sends: what the fast reads are for.
    const sub = pick(SUBPATHS);
    const size = random.next() < 0.5 ? `&size=${random.int(1, 100)}` : '';
    const page = random.next() < 0.5 ? `&page=${random.int(0, 3)}` : '';
    const which = useOther ? { e: world.other, a: world.otherAccount } : { e: world.entity, a: world.account };
    if (kind <= 2) return '/banks/v1';
    if (kind === 3) return `/data/v2/accounts?entity_id=${which.e.id}${page}`;
    return `/data/v2/accounts/${which.a.account_id}/${sub}?entity_id=${which.e.id}${size}${page}`;
  }
  if (kind <= 1) {
    return pick(['/banks/v1', '/banks/v1', '/banks/v1?', '/banks/v1/', '/BANKS/v1', '/banks/v1?country_codes=ARE', '/banks/v1?x=1', '/banks/v1?country_codes=are,sau', '//banks/v1']);
  }
  const base =
    kind === 2
      ? pick(['/data/v2/accounts', '/data/v2/identity', '/data/v2/accounts/'])
      : `/data/v2/accounts/${pick([account.account_id, account.account_id, account.account_id.toUpperCase(), 'nope', encodeURIComponent(account.account_id)])}/${pick(SUBPATHS)}`;
  const pairs: string[] = [];
  const entityId = pick([entity.id, entity.id, entity.id, entity.id, entity.id.toUpperCase(), '', 'x', '00000000-0000-0000-0000-000000000000']);
  if (random.next() < 0.95) pairs.push(`entity_id=${entityId}`);
  if (random.next() < 0.4) pairs.push(`page=${pick(['0', '1', '2', '3', '-1', 'x', '', '1.5', '999'])}`);
  if (random.next() < 0.5) pairs.push(`size=${pick(['1', '5', '50', '100', '0', '101', 'abc', '', '7'])}`);
  if (random.next() < 0.2) pairs.push(`async=${pick(['true', 'false', 'FALSE', 'True', 'maybe'])}`);
  if (random.next() < 0.3) pairs.push(`start_date=${pick(['2025-01-01', '2026-06-30', '2026-13-01', 'yesterday', ''])}`);
  if (random.next() < 0.3) pairs.push(`end_date=${pick(['2026-12-31', '2026-03-01', '2020-01-01', '2026-02-30'])}`);
  if (random.next() < 0.1) pairs.push(pick(['meta=%7B%22k%22%3A%22v%22%7D', 'page=1', 'entity_id=x', 'size[a]=1', 'unknown=1', 'page', '', 'size=%35']));
  for (let i = pairs.length - 1; i > 0; i--) {
    const j = random.int(0, i);
    [pairs[i], pairs[j]] = [pairs[j]!, pairs[i]!];
  }
  return pairs.length === 0 ? base : `${base}?${pairs.join('&')}`;
}

function randomHeaders(random: SeededRandom): Record<string, string> {
  const headers: Record<string, string> = {};
  const roll = random.next();
  if (roll < 0.8) headers['lean-app-token'] = pki.apps[0]!.appToken;
  else if (roll < 0.85) headers['lean-app-token'] = pki.apps[1]!.appToken; // another app's: the certificate's app differs
  else if (roll < 0.9) headers['lean-app-token'] = 'not-a-token';
  else if (roll < 0.93) headers.authorization = 'Bearer abc';
  else if (roll < 0.96) Object.assign(headers, { 'lean-app-token': pki.apps[0]!.appToken, authorization: 'Bearer abc' });
  if (random.next() < 0.05) headers['if-none-match'] = random.pick(['*', '"x"']);
  if (random.next() < 0.03) headers['if-modified-since'] = 'Wed, 21 Oct 2015 07:28:00 GMT';
  if (random.next() < 0.1) headers['lean-correlation-id'] = random.pick(['mine-123', 'bad id!']);
  return headers;
}

/** Something that changes what a read answers, between reads: a write, a toggle, a fault, an override. */
function randomChange(random: SeededRandom, world: World): void {
  const { store } = mock;
  switch (random.int(0, 9)) {
    case 0: {
      const transactions = store.collection<Transaction>(COLLECTIONS.transactions);
      const one = transactions.list(APP, (t) => t.account_id === world.account.account_id)[random.int(0, 20)]!;
      transactions.set(APP, one.transaction_id, { ...one, amount: { ...one.amount, amount: random.int(1, 99_999) / 100 } });
      break;
    }
    case 1:
      setBankAvailability(store, APP, world.entity.bank_identifier, { enabled: { data: random.next() < 0.7 } });
      break;
    case 2: {
      const sessions = store.collection<EntitySession>(DATA_COLLECTIONS.entitySessions);
      const required = random.next() < 0.3;
      sessions.set(APP, world.entity.id, { entity_id: world.entity.id, state: required ? 'RECONNECT_REQUIRED' : 'ACTIVE', reconnect_id: required ? random.uuid() : null });
      break;
    }
    case 3: {
      const entities = store.collection<Entity>(COLLECTIONS.entities);
      const entity = entities.get(APP, world.entity.id)!;
      entities.set(APP, entity.id, { ...entity, permissions: { ...entity.permissions, transactions: random.next() < 0.7 } });
      world.entity = entities.get(APP, entity.id)!;
      break;
    }
    case 4:
      // Unlimited, so both sends of a request meet it.
      mock.faults.add({ match: { method: 'GET', path: random.pick(['/banks/v1', '/data/v2/*', '/customers/v1']) }, count: null, fault: { status: random.pick([503, 429]) } });
      break;
    case 5:
      // A scenario's canned reply (consulted after a test's own overrides).
      mock.faults.add({ match: { path: random.pick(['/banks/v1', '/data/v2/accounts/*/transactions']) }, count: null, fault: { status: 200, body: { canned: true } } }, { fallback: true });
      break;
    default:
      // Cleared more often than armed: most reads meet none, as in most tests.
      mock.faults.clear();
  }
}

describe('fast reads', () => {
  it('answer the bank list and data pages without express when nothing stands in the way', async () => {
    const world = demo();
    const before = fast.answered;
    const token = { 'lean-app-token': pki.apps[0]!.appToken };
    const banks = await get('/banks/v1', token);
    const page = await get(`/data/v2/accounts/${world.account.account_id}/transactions?entity_id=${world.entity.id}&page=0&size=50`, token);
    expect([banks.status, page.status]).toEqual([200, 200]);
    expect(JSON.parse(page.body)).toMatchObject({ status: 'OK', type: 'transactions' });
    expect(fast.answered - before).toBe(2);
  });

  it('answer every request exactly as express does, whatever the mix of reads, writes and overrides', { timeout: 120_000 }, async () => {
    const random = seededRandom(1818);
    const world = demo();
    const answeredBefore = fast.answered;
    let reads = 0;
    for (let step = 0; step < 400; step++) {
      if (random.next() < 0.12) {
        randomChange(random, world);
        continue;
      }
      const path = randomPath(random, world);
      const headers = randomHeaders(random);
      const as = random.next() < 0.05 ? pki.apps[1]! : pki.apps[0]!;
      const fastFirst = random.next() < 0.5;
      const seen: Seen[] = [];
      for (const on of fastFirst ? [true, false] : [false, true]) {
        fast.enabled = on;
        seen.push(await get(path, headers, as));
      }
      fast.enabled = true;
      const [fastReply, expressReply] = fastFirst ? seen : [seen[1]!, seen[0]!];
      expect(fastReply, `${path} ${JSON.stringify(headers)}`).toEqual(expressReply);
      expect([fastReply!.lengthMatches, fastReply!.journaledAsSent]).toEqual([true, true]);
      reads += 1;
    }
    mock.faults.clear();
    // The mix must exercise the fast reads, not just fall through to express.
    expect(fast.answered - answeredBefore).toBeGreaterThan(reads / 5);
  });
});
