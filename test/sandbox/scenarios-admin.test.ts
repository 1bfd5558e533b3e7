import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { seededRandom, type SeededRandom } from '../../src/sandbox/random.js';
import { ScenarioError, jsonPath } from '../../src/sandbox/scenarios/errors.js';
import { startTestMock, type TestMock } from '../../src/testing/index.js';
import { fuzzRuns } from '../support/fuzz-runs.js';

/*
 * Scenario files over the admin API, and bad scenarios from every entry: a valid scenario is
 * mutated at a random path (a wrong type, an unknown key, a key removed, a value the sandbox
 * cannot take) and must fail with ONE error naming exactly that path, in process (ScenarioError)
 * and over HTTP (400 INVALID_PARAMETERS, metadata.field), leaving the sandbox as it was.
 */

const AS_OF = '2026-11-30';
const clock = () => new Date(`${AS_OF}T12:00:00.000Z`);
const ALICE = JSON.parse(readFileSync(new URL('../../fixtures/scenarios/alice.json', import.meta.url), 'utf8')) as Record<string, unknown>;

/** The example, plus every other kind of object a scenario holds, so mutations reach them all. */
const BASE = {
  ...ALICE,
  customers: [
    ...(ALICE.customers as Record<string, unknown>[]).map((customer) => ({
      ...customer,
      payment_sources: [{ bank_identifier: 'ENBD_UAE', holder_name: 'Alice Example Smith', accounts: [{ account_name: 'Main', balance: 900.5, currency: 'AED' }] }],
      payment_destinations: [{ name: 'Alice Savings Elsewhere', iban: 'AE370260001015333123456' }],
    })),
    { app: 'other_app', app_user_id: 'carol', entities: [{ bank_identifier: 'LEA1_SAMAOB_SAU', accounts: [{ name: 'Carol card', type: 'CREDIT', balance: -250, transactions: [] }] }] },
  ],
  payment_destinations: [{ name: 'Shop LLC', display_name: 'Shop', iban: 'AE770331234567890123457', default: true, swift_code: 'EBILAEAD' }],
  overrides: [
    { method: 'GET', path: '/banks/v1', status: 503, times: 1 },
    { path: '/data/v1/*', status: 429, body: { status: 'RATE_LIMIT_EXCEEDED', nested: { free: true } }, headers: { 'retry-after': '3' } },
  ],
};

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Path = (string | number)[];

/** Every path in the value, except inside override bodies (free JSON) and header maps (free names). */
function paths(value: Json, at: Path = []): Path[] {
  const out: Path[] = at.length ? [at] : [];
  const free = at.at(-1) === 'body' || at.at(-1) === 'headers';
  if (free) return out;
  if (Array.isArray(value)) value.forEach((item, i) => out.push(...paths(item, [...at, i])));
  else if (value !== null && typeof value === 'object') for (const [key, item] of Object.entries(value)) out.push(...paths(item, [...at, key]));
  return out;
}

function at(value: Json, path: Path): Json {
  return path.reduce<Json>((current, key) => (current as Record<string | number, Json>)[key]!, value);
}

function set(value: Json, path: Path, change: (parent: Record<string | number, Json>, key: string | number) => void): Json {
  const copy = structuredClone(value);
  change(at(copy, path.slice(0, -1)) as Record<string | number, Json>, path.at(-1)!);
  return copy;
}

const wrongTypeFor = (value: Json): Json => (typeof value === 'string' ? 12345 : typeof value === 'number' ? '12' : typeof value === 'boolean' ? 'yes' : 'not this');

/** A mutation and the path its error must name; `maybeValid` when removing an optional key is fine. */
function mutate(r: SeededRandom, base: Json): { scenario: Json; path: string; maybeValid: boolean; what: string } {
  const all = paths(base);
  const path = r.pick(all);
  const kind = r.int(0, 3);
  const value = at(base, path);
  if (kind === 0) return { scenario: set(base, path, (p, k) => (p[k] = wrongTypeFor(value))), path: jsonPath(path), maybeValid: false, what: `wrong type at ${jsonPath(path)}` };
  if (kind === 1) {
    const objects = all.filter((candidate) => { const v = at(base, candidate); return v !== null && typeof v === 'object' && !Array.isArray(v) && !['body', 'headers'].includes(String(candidate.at(-1))); });
    const target = r.pick(objects);
    return { scenario: set(base, [...target, 'zz_typo'], (p, k) => (p[k] = 1)), path: jsonPath([...target, 'zz_typo']), maybeValid: false, what: `unknown key under ${jsonPath(target)}` };
  }
  if (kind === 2 && typeof path.at(-1) === 'string') {
    return { scenario: set(base, path, (p, k) => delete p[k]), path: jsonPath(path), maybeValid: true, what: `removed ${jsonPath(path)}` };
  }
  // Values of the right type the sandbox cannot take.
  const semantic: [Path, Json][] = [
    [['customers', 0, 'app'], 'no_such_app'],
    [['customers', 1, 'entities', 0, 'accounts', 0, 'type'], 'MORTGAGE'],
    [['customers', 0, 'entities', 0, 'bank_identifier'], 'NOT_A_BANK'],
    [['customers', 0, 'entities', 0, 'accounts', 0, 'iban'], 'AE070331234567890123450'],
    [['customers', 1, 'app_user_id'], 'demo-customer'],
    [['customers', 0, 'entities', 0, 'accounts', 1, 'account_id'], 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d'],
    [['customers', 0, 'entities', 0, 'accounts', 0, 'balance'], 1.234],
    [['overrides', 0, 'status'], 99],
    [['overrides', 1, 'headers'], { 'content-length': '1' }],
    [['payment_destinations', 0, 'iban'], 'SA0380000000608010167519'],
  ];
  const [target, bad] = r.pick(semantic);
  return { scenario: set(base, target, (p, k) => (p[k] = bad)), path: jsonPath(target), maybeValid: false, what: `${JSON.stringify(bad)} at ${jsonPath(target)}` };
}

let mock: TestMock;
beforeAll(async () => {
  mock = await startTestMock({ asOf: AS_OF, clock });
});
afterAll(() => mock?.close());

const admin = (path: string, init: RequestInit = {}) => fetch(new URL(path, mock.adminUrl), init);
const postScenario = (body: string, type = 'application/json') => admin('/admin/v1/scenarios', { method: 'POST', headers: { 'content-type': type }, body });
const customerStatus = async (id: string) => (await mock.fetch(`/customers/v1/${id}`, { headers: mock.headers() })).status;

describe('POST /admin/v1/scenarios', () => {
  it('applies a JSON scenario, answers what it created, and GET shows the same', async () => {
    const res = await postScenario(JSON.stringify(BASE));
    const body = (await res.json()) as { created: { customers: { customer_id: string }[] } };
    expect(res.status, JSON.stringify(body)).toBe(201);
    expect(body.created.customers.map((c) => c.customer_id)[0]).toBe('6f1c2a4e-8b3d-4c5e-9f70-1a2b3c4d5e6f');
    expect(await (await admin('/admin/v1/scenarios')).json()).toEqual(body);
    expect(await customerStatus('6f1c2a4e-8b3d-4c5e-9f70-1a2b3c4d5e6f')).toBe(200);
  });

  it('takes YAML with a YAML content type, creating exactly what the JSON did', async () => {
    const json = (await (await postScenario(JSON.stringify(BASE))).json()) as { scenario: unknown; created: unknown };
    const yaml = await postScenario(stringify(BASE), 'application/yaml');
    expect(yaml.status).toBe(201);
    const fromYaml = (await yaml.json()) as typeof json;
    expect([fromYaml.scenario, fromYaml.created]).toEqual([json.scenario, json.created]);
  });

  it('is re-applied after POST /admin/v1/reset, and DELETE unloads it', async () => {
    await postScenario(JSON.stringify(BASE));
    expect((await admin('/admin/v1/reset', { method: 'POST' })).status).toBe(200);
    expect(await customerStatus('6f1c2a4e-8b3d-4c5e-9f70-1a2b3c4d5e6f')).toBe(200);
    const unloaded = (await (await admin('/admin/v1/scenarios', { method: 'DELETE' })).json()) as { created: unknown };
    expect(unloaded.created).toBeNull();
    expect(await customerStatus('6f1c2a4e-8b3d-4c5e-9f70-1a2b3c4d5e6f')).toBe(404);
  });

  it('takes a scenario far larger than other admin bodies (10,000 transactions)', async () => {
    const big = {
      customers: [{ app_user_id: 'big', entities: [{ bank_identifier: 'LEAN_OF_RETAIL_UAE', accounts: [{ name: 'Busy', type: 'CURRENT', balance: 10, transactions: Array.from({ length: 10_000 }, (_, i) => ({ amount: 1 + (i % 50), credit_debit_indicator: i % 3 ? 'DEBIT' : 'CREDIT', booking_date: `2026-0${1 + (i % 9)}-1${i % 10}`, description: `Row ${i}` })) }] }] }],
    };
    const res = await postScenario(JSON.stringify(big));
    expect(res.status).toBe(201);
    const body = (await res.json()) as { created: { customers: { entities: { accounts: { transactions: number }[] }[] }[] } };
    expect(body.created.customers[0]!.entities[0]!.accounts[0]!.transactions).toBe(10_000);
  });

  it.each([
    ['{"customers": [', 'application/json', 'scenario', /^not valid JSON/],
    ['customers: [unclosed', 'text/yaml', 'scenario', /^not valid YAML/],
    ['a: 1\na: 2', 'application/yaml', 'scenario', /^not valid YAML/],
    ['[]', 'application/json', 'scenario', /^expected an object, got an array$/],
  ])('refuses %j (%s) with one error naming %s', async (text, type, field, reason) => {
    const before = mock.lean.store.snapshot();
    const res = await postScenario(text, type);
    const body = (await res.json()) as { status: string; metadata: { field: string; reason: string } };
    expect([res.status, body.status, body.metadata.field]).toEqual([400, 'INVALID_PARAMETERS', field]);
    expect(body.metadata.reason).toMatch(reason);
    expect(mock.lean.store.snapshot()).toBe(before);
  });
});

describe('a scenario mutated at a random path', () => {
  const RUNS = fuzzRuns(60, 150);
  it(`fails with one error naming that path, in process and over the admin API, and changes nothing (${RUNS} mutations)`, async () => {
    await postScenario(JSON.stringify(BASE));
    const r = seededRandom(4242);
    let refused = 0;
    for (let run = 0; run < RUNS; run++) {
      const { scenario, path, maybeValid, what } = mutate(r, BASE as unknown as Json);
      const before = { store: mock.lean.store.snapshot(), state: JSON.stringify(mock.lean.scenarios.state()), faults: JSON.stringify(mock.lean.faults.list()) };
      let error: unknown;
      try {
        mock.lean.scenarios.check(scenario);
      } catch (caught) {
        error = caught;
      }
      if (error === undefined) {
        expect(maybeValid, `run ${run}: ${what} was accepted`).toBe(true);
        continue;
      }
      refused++;
      expect(error, `run ${run}: ${what}`).toBeInstanceOf(ScenarioError);
      expect((error as ScenarioError).path, `run ${run}: ${what}: ${(error as Error).message}`).toBe(path);
      expect(() => mock.lean.scenarios.load(scenario)).toThrow(ScenarioError);

      const res = await postScenario(JSON.stringify(scenario));
      const body = (await res.json()) as { status: string; metadata: { field: string } };
      expect([res.status, body.status, body.metadata.field], `run ${run}: ${what}`).toEqual([400, 'INVALID_PARAMETERS', path]);
      expect({ store: mock.lean.store.snapshot(), state: JSON.stringify(mock.lean.scenarios.state()), faults: JSON.stringify(mock.lean.faults.list()) }).toEqual(before);
    }
    // Most mutations break the scenario (150 runs refused more than 100): the rest removed an optional key.
    expect(refused).toBeGreaterThan(RUNS * (2 / 3));
  }, 120_000);
});

describe('fault headers (what scenario overrides arm)', () => {
  it('POST /admin/v1/faults sends the headers it names, and refuses framing headers and unprintable ones, arming nothing', async () => {
    const post = (fault: unknown) => admin('/admin/v1/faults', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(fault) });
    const hostile = [
      { 'content-length': '0' }, { 'Transfer-Encoding': 'chunked' }, { connection: 'close' }, { 'bad name': 'x' }, { 'x-a': 'one\r\nx-injected: two' },
      { 'x-a': 'é' }, { '': 'x' }, { 'x-a': 'y'.repeat(1025) }, { ['x'.repeat(65)]: 'y' },
    ];
    for (const headers of hostile) {
      const res = await post({ match: { path: '/banks/v1' }, fault: { status: 503, headers } });
      expect(res.status, JSON.stringify(headers)).toBe(400);
    }
    expect((await post({ match: { path: '/banks/v1' }, fault: { delay_ms: 1, headers: { 'x-a': 'b' } } })).status).toBe(400);
    expect(mock.lean.faults.list().filter((fault) => fault.match.path === '/banks/v1' && fault.fault.headers)).toEqual([]);
    expect((await post({ match: { path: '/banks/v1' }, fault: { status: 429, headers: { 'Retry-After': '9' } } })).status).toBe(201);
    const reply = await mock.fetch('/banks/v1', { headers: mock.headers() });
    expect([reply.status, reply.headers.get('retry-after')]).toEqual([429, '9']);
  });
});
