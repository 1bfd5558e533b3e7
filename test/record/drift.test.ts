import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NEEDS_AN_ENTITY, PROBES, runDrift, type DriftOptions } from '../../src/drift/index.js';
import { compareShapes, shapeOf } from '../../src/drift/shape.js';
import { seededRandom, type SeededRandom } from '../../src/sandbox/random.js';
import { startLeanMock, type LeanMock } from '../../src/server/lean-mock.js';
import { call, presented } from '../support/mock-client.js';

/** The user's identity at `upstream`: its default app's certificate, key and token. */
function asUser(upstream: LeanMock, extra: Partial<DriftOptions> = {}): DriftOptions {
  const app = upstream.pki.apps[0]!;
  return {
    upstream: upstream.url,
    identity: { cert: app.credential.certificatePem, key: app.credential.privateKeyPem, ca: upstream.pki.chainPem },
    credentials: { kind: 'app_token', appToken: app.appToken },
    ...extra,
  };
}

describe('lean-mock drift against a second lean-mock', () => {
  let upstream: LeanMock;
  beforeAll(async () => {
    upstream = await startLeanMock({ seed: 1, adminPort: 0 });
  });
  afterAll(async () => upstream?.close());

  it('finds no drift against an identical upstream, every probe answered on both sides', async () => {
    const report = await runDrift(asUser(upstream, { upstreamAdmin: upstream.adminUrl! }));
    expect(report.rows.map((row) => [row.probe, row.verdict])).toEqual(PROBES.map((probe) => [probe.name, 'same']));
    expect(report.rows.every((row) => row.upstream !== null && row.upstream < 300)).toBe(true);
    expect(report.summary).toEqual({ probes: PROBES.length, same: PROBES.length, drifted: 0, skipped: 0, failed: 0 });
    // The probes went to the upstream as the user: its app, its certificate.
    expect(upstream.journal.requests().every((record) => record.app === 'my_app')).toBe(true);
  });

  it('reports a changed shape, key by key, and a changed status class', async () => {
    upstream.faults.add({ match: { method: 'GET', path: '/banks/v1' }, count: null, fault: { status: 200, body: [{ identifier: 'X', name: 7, new_field: true }] } });
    upstream.faults.add({ match: { method: 'GET', path: '/payouts/refunds/reasons' }, count: null, fault: { status: 503 } });
    try {
      const report = await runDrift(asUser(upstream, { upstreamAdmin: upstream.adminUrl! }));
      const banks = report.rows.find((row) => row.probe === 'banks.list')!;
      expect(banks.verdict).toBe('drift');
      expect(banks.differences).toContainEqual({ path: '$[].name', upstream: 'number', mock: 'string' });
      expect(banks.differences).toContainEqual({ path: '$[].new_field', upstream: 'boolean', mock: null });
      expect(banks.differences).toContainEqual({ path: '$[].arabic_name', upstream: null, mock: 'string' });
      const reasons = report.rows.find((row) => row.probe === 'payouts.refund_reasons')!;
      expect(reasons).toMatchObject({ verdict: 'drift', upstream: 503, mock: 200, note: 'status 5xx upstream, 2xx on the mock' });
      expect(report.summary.drifted).toBe(2);
    } finally {
      upstream.faults.clear();
    }
  });

  it('skips, and says why, the probes that need an entity when none can be connected (real Lean without --entity-id)', async () => {
    const report = await runDrift(asUser(upstream));
    const skipped = report.rows.filter((row) => row.verdict === 'skipped');
    expect(skipped.map((row) => row.probe)).toEqual(NEEDS_AN_ENTITY);
    expect(skipped[0]!.note).toMatch(/--customer-id and --entity-id/);
    expect(report.summary.drifted + report.summary.failed).toBe(0);
  });

  it('uses an existing customer and entity when given them, as for Lean after a LinkSDK connection', async () => {
    const created = await call(upstream.url, upstream.pki, presented(upstream.pki, 'my_app'), {
      method: 'POST',
      path: '/customers/v1',
      body: JSON.stringify({ app_user_id: 'linked-in-a-browser' }),
      headers: { 'lean-app-token': upstream.pki.apps[0]!.appToken, 'content-type': 'application/json' },
    });
    const customerId = (created as { json: { customer_id: string } }).json.customer_id;
    const connected = await fetch(`${upstream.adminUrl}/admin/v1/customers/${customerId}/entities`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    const entityId = ((await connected.json()) as { id: string }).id;

    const report = await runDrift(asUser(upstream, { existing: { customerId, entityId } }));
    expect(report.summary).toMatchObject({ same: PROBES.length, skipped: 0 });
    expect(upstream.journal.requests().some((record) => record.path === `/customers/v1/${customerId}/entities/${entityId}`)).toBe(true);
  });

  it('reports an upstream that refuses the certificate as failed probes, with the failure kept for an explanation', async () => {
    const expired = upstream.pki.variants.find((variant) => variant.name === 'expired')!.credential!;
    const report = await runDrift({ ...asUser(upstream), identity: { cert: expired.certificatePem, key: expired.privateKeyPem, ca: upstream.pki.chainPem } });
    expect(report.rows[0]).toMatchObject({ probe: 'banks.list', verdict: 'failed', upstream: null, mock: 200 });
    expect(report.upstreamFailure?.code).toMatch(/^E/);
  });
});

/** Random JSON like Lean's replies: objects of scalars, nested objects and arrays of similar objects. */
function randomJson(random: SeededRandom, depth = 0): unknown {
  const kind = random.int(0, depth > 3 ? 3 : 5);
  switch (kind) {
    case 0:
      return random.int(0, 1) === 1;
    case 1:
      return random.int(-1000, 1000) / 7;
    case 2:
      return random.uuid();
    case 3:
      return null;
    case 4: {
      const template = randomJson(random, depth + 1);
      return Array.from({ length: random.int(1, 4) }, () => rename(template, random));
    }
    default:
      return Object.fromEntries(Array.from({ length: random.int(1, 5) }, (_, at) => [`k${at}_${random.int(0, 9)}`, randomJson(random, depth + 1)]));
  }
}

/** The same shape with other values of the same types. */
function rename(value: unknown, random: SeededRandom): unknown {
  if (typeof value === 'number') return random.int(0, 99);
  if (typeof value === 'string') return random.uuid();
  if (typeof value === 'boolean') return !value;
  if (Array.isArray(value)) return value.map((item) => rename(item, random));
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, rename(item, random)]));
  return value;
}

describe('response shapes', () => {
  it('are equal for any two values of the same shape, whatever the values and however many array items (300 seeded cases)', () => {
    const random = seededRandom(11);
    for (let round = 0; round < 300; round++) {
      const value = randomJson(random);
      expect(compareShapes(shapeOf(value), shapeOf(rename(value, random)))).toEqual([]);
    }
  });

  it('differ at exactly the key that was removed or retyped (300 seeded cases)', () => {
    const random = seededRandom(12);
    for (let round = 0; round < 300; round++) {
      const base = { envelope: randomJson(random), status: 'OK' };
      const changed = structuredClone(base) as Record<string, unknown>;
      if (random.int(0, 1) === 0) {
        delete changed.status;
        expect(compareShapes(shapeOf(changed), shapeOf(base))).toEqual([{ path: '$.status', upstream: null, mock: 'string' }]);
      } else {
        changed.status = 200;
        expect(compareShapes(shapeOf(changed), shapeOf(base))).toEqual([{ path: '$.status', upstream: 'number', mock: 'string' }]);
      }
    }
  });

  it('say nothing about the items of an array one side left empty, or about a value one side only had as null', () => {
    expect(compareShapes(shapeOf({ items: [] }), shapeOf({ items: [{ id: 'a' }] }))).toEqual([]);
    expect(compareShapes(shapeOf({ account: null }), shapeOf({ account: { iban: 'x' } }))).toEqual([]);
    expect(compareShapes(shapeOf({ items: [{ a: 1 }] }), shapeOf({ items: [{ b: 1 }] }))).toEqual([
      { path: '$.items[].a', upstream: 'number', mock: null },
      { path: '$.items[].b', upstream: null, mock: 'number' },
    ]);
  });

  it('report a missing object once, not once per field inside it', () => {
    expect(compareShapes(shapeOf({ a: 1 }), shapeOf({ a: 1, meta: { x: 1, y: { z: 2 } } }))).toEqual([{ path: '$.meta', upstream: null, mock: 'object' }]);
  });
});
