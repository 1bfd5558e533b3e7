import express from 'express';
import request from 'supertest';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createDataRouters } from '../../src/lean/data/index.js';
import { v2Ok, v2OkBytes, v2OkTail, type Stamp } from '../../src/lean/data/envelopes.js';
import { seededRandom, type SeededRandom } from '../../src/sandbox/random.js';
import { DATA_COLLECTIONS } from '../../src/sandbox/data-access.js';
import { Collection } from '../../src/sandbox/store/collection.js';
import { COLLECTIONS, type Transaction } from '../../src/sandbox/store/records.js';
import { DATES, JSON_ANY, METAS, QUERY_ANY } from '../support/hostile-values.js';
import { sandboxApp } from '../support/sandbox-app.js';
import { IDS, dataStore } from './data-dataset.js';

/**
 * Data pages are served from serialised bytes kept while the sandbox is unchanged. What a client
 * sees must not change: the same bytes and headers as `res.json` of the same reply, and never a
 * page older than the last write.
 */

afterEach(() => {
  vi.restoreAllMocks();
});

const transactionsPath = `/data/v2/accounts/${IDS.a1}/transactions`;

function cachedAndFresh() {
  const { store } = dataStore();
  const cached = sandboxApp(createDataRouters({ store, resultDelayMs: 60_000 }));
  // A new router per request has nothing cached: the oracle of what the page is now.
  const fresh = () => sandboxApp(createDataRouters({ store, resultDelayMs: 60_000 }));
  return { store, cached, fresh };
}

/** The reply without its per-request `results_id` (the sequential ids have one length). */
const sansResultsId = (text: string) => text.replace(/^\{"status":"OK","results_id":"[^"]*"/, '');

describe('v2 pages from cached bytes', () => {
  it('answers a page asked for again without reading any collection', async () => {
    const { cached } = cachedAndFresh();
    const first = await request(cached).get(transactionsPath).query({ entity_id: IDS.e1, size: 20 }).expect(200);
    const list = vi.spyOn(Collection.prototype, 'list');
    const again = await request(cached).get(transactionsPath).query({ entity_id: IDS.e1, size: 20 }).expect(200);
    expect(list).not.toHaveBeenCalled();
    expect(sansResultsId(again.text)).toBe(sansResultsId(first.text));
  });

  it('sends the bytes and headers res.json sends for the same reply', async () => {
    const { cached } = cachedAndFresh();
    await request(cached).get(transactionsPath).query({ entity_id: IDS.e1 }).expect(200);
    const hit = await request(cached).get(transactionsPath).query({ entity_id: IDS.e1, meta: '{"k":"\u2028é🙂"}' }).expect(200);
    // The reference: express's own res.json of the parsed reply, in the same (default) settings.
    const reference = express();
    reference.get('/', (_req, res) => {
      res.json(JSON.parse(hit.text));
    });
    const expected = await request(reference).get('/').expect(200);
    expect(hit.text).toBe(expected.text);
    expect(hit.headers['content-type']).toBe(expected.headers['content-type']);
    expect(hit.headers['content-length']).toBe(expected.headers['content-length']);
    // sandboxApp keeps express's default ETag (lean-mock's app turns it off): it is the same too.
    expect(hit.headers.etag).toBe(expected.headers.etag);
    expect(Buffer.byteLength(hit.text)).toBe(Number(hit.headers['content-length']));
  });

  it('shows a change on the next page: a page, a write, the page again', async () => {
    const { store, cached } = cachedAndFresh();
    const before = await request(cached).get(transactionsPath).query({ entity_id: IDS.e1, size: 5 }).expect(200);
    const newest = before.body.data.transactions[0] as Transaction;
    const transactions = store.collection<Transaction>(COLLECTIONS.transactions);
    const stored = transactions.get('my_app', newest.transaction_id)!;
    transactions.set('my_app', stored.transaction_id, { ...stored, amount: { ...stored.amount, amount: 4242.42 } });
    const after = await request(cached).get(transactionsPath).query({ entity_id: IDS.e1, size: 5 }).expect(200);
    expect(after.body.data.transactions[0].amount.amount).toBe(4242.42);
    store.reset();
    const reset = await request(cached).get(transactionsPath).query({ entity_id: IDS.e1, size: 5 });
    expect(sansResultsId(reset.text)).toBe(sansResultsId(before.text));
  });

  it('never serves a page older than the last write, whatever the order of reads and writes', async () => {
    const random = seededRandom(18);
    for (let run = 0; run < 6; run++) {
      const { store, cached, fresh } = cachedAndFresh();
      for (let step = 0; step < 40; step++) {
        if (random.next() < 0.3) write(store, random);
        const path = random.pick(ACCOUNT_PATHS);
        const query = pageQuery(random, path);
        const got = await request(cached).get(path).query(query);
        const want = await request(fresh()).get(path).query(query);
        expect({ step, status: got.status }).toEqual({ step, status: want.status });
        if (got.status === 200 && got.body.status === 'OK') {
          expect(sansResultsId(got.text)).toBe(sansResultsId(want.text));
          expect(got.headers['content-length']).toBe(want.headers['content-length']);
        }
      }
    }
  });
});

const ACCOUNT_PATHS = [
  transactionsPath,
  `/data/v2/accounts/${IDS.a2}/transactions`,
  `/data/v2/accounts/${IDS.a1}/beneficiaries`,
  `/data/v2/accounts/${IDS.a1}/balances`,
  `/data/v2/accounts/${IDS.a1}/identities`,
  '/data/v2/accounts',
  '/data/v2/identity',
];

function pageQuery(random: SeededRandom, path: string): Record<string, string> {
  const query: Record<string, string> = { entity_id: IDS.e1 };
  if (random.next() < 0.5) query.page = String(random.int(0, 3));
  if (random.next() < 0.5) query.size = String(random.pick([1, 2, 7, 50, 100]));
  if (path.endsWith('transactions') && random.next() < 0.4) query.start_date = random.pick(DATES.filter((d) => /^\d{4}-\d\d-\d\d$/.test(d)));
  if (random.next() < 0.1) query.page = random.pick(QUERY_ANY);
  return query;
}

/** One write the data pages depend on: a changed, added or removed record, or a reset. */
function write(store: ReturnType<typeof dataStore>['store'], random: SeededRandom): void {
  const name = random.pick([
    COLLECTIONS.transactions,
    COLLECTIONS.accounts,
    COLLECTIONS.balances,
    COLLECTIONS.identities,
    COLLECTIONS.entities,
    DATA_COLLECTIONS.beneficiaries,
  ]);
  const collection = store.collection<Record<string, unknown>>(name);
  const records = collection.entries().filter((entry) => entry.app === 'my_app');
  if (records.length === 0) return;
  const { id, value } = random.pick(records);
  const choice = random.int(0, 9);
  if (choice === 0) collection.delete('my_app', id);
  else if (choice === 1) collection.set('my_app', `${id.slice(0, -4)}ffff`, { ...value, transaction_id: `${id.slice(0, -4)}ffff` });
  else collection.set('my_app', id, { ...value, note: random.pick(JSON_ANY) ?? null, account_holder_name: `Name ${random.int(0, 99)}` });
}

describe('v2OkBytes', () => {
  it('is JSON.stringify of v2Ok for hostile stamps and data', () => {
    const random = seededRandom(180);
    const strings = ['', '"', '\\', '\u2028', '\u0000', '🙂', '\ud800', '</script>', ...QUERY_ANY];
    for (let n = 0; n < 500; n++) {
      const meta = random.next() < 0.3 ? null : Object.fromEntries([[random.pick(strings), random.pick(strings)]]);
      const stamp: Stamp = { resultsId: random.pick(strings), meta, timestamp: random.pick(strings) };
      const data = { type: random.pick(strings), items: [random.pick(JSON_ANY), random.pick(METAS)], page: null };
      const type = random.pick(strings);
      const refreshedAt = random.pick(strings);
      const bytes = v2OkBytes(stamp, v2OkTail(type, data, refreshedAt));
      expect(bytes.toString()).toBe(JSON.stringify(v2Ok(stamp, type, data, refreshedAt)));
    }
  });
});
