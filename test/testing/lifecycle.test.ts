import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createLeanPki, type LeanPki } from '../../src/pki/lean-pki.js';
import { startTestMock } from '../../src/testing/index.js';
import { fuzzRuns } from '../support/fuzz-runs.js';

/** The handles a leaked server, socket or timer shows up as, counted by type. */
const WATCHED = new Set(['TCPServerWrap', 'TCPSocketWrap', 'TLSWrap', 'Timeout', 'FSReqCallback']);
function openHandles(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const type of process.getActiveResourcesInfo()) if (WATCHED.has(type)) counts[type] = (counts[type] ?? 0) + 1;
  return counts;
}

/** Lets closed sockets finish tearing down before counting. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

let pki: LeanPki;
beforeAll(async () => {
  pki = await createLeanPki();
});

describe('starting and closing', () => {
  it('leaves no open handle behind after start, calls (good, refused, kept alive) and close, ten times over', async () => {
    await settle();
    const before = openHandles();
    for (let i = 0; i < 10; i++) {
      const mock = await startTestMock({ pki });
      expect((await mock.fetch('/banks/v1', { headers: mock.headers() })).status).toBe(200);
      expect((await mock.fetch('/banks/v1', { tls: '1.2', headers: mock.headers() })).status).toBe(200);
      await mock.expectRejected(() => mock.fetch('/banks/v1', { identity: 'expired' }));
      await mock.expectRejected(() => mock.fetch('/banks/v1', { headers: mock.headers() })).catch(() => undefined);
      mock.use({ path: '/banks/v1', delay_ms: 5 });
      await mock.files();
      await mock.close();
    }
    await settle();
    // Only growth counts: a timer of the test runner's that was pending before may be gone by now.
    const after = openHandles();
    const grown = Object.entries(after).filter(([type, count]) => count > (before[type] ?? 0));
    expect(Object.fromEntries(grown)).toEqual({});
  });

  it('closes the pooled connections, and is safe to close twice, also concurrently', async () => {
    const mock = await startTestMock({ pki });
    const agent = mock.agent();
    await mock.fetch('/banks/v1', { headers: mock.headers() });
    const pooled = Object.values(agent.freeSockets).flat();
    expect(pooled).toHaveLength(1);
    await Promise.all([mock.close(), mock.close()]);
    expect(pooled[0]!.destroyed).toBe(true);
    await mock.close();
    await expect(mock.fetch('/banks/v1', { headers: mock.headers() })).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });

  it('starts with a fresh PKI of its own when given none', async () => {
    const [a, b] = await Promise.all([startTestMock(), startTestMock()]);
    try {
      expect(a.pki.root.certificatePem).not.toBe(b.pki.root.certificatePem);
      expect(a.pki.keyType).toBe('ec');
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('reuses a certsCache folder across starts', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lean-mock-testing-cache-'));
    try {
      const first = await startTestMock({ certsCache: join(dir, 'certs') });
      await first.close();
      const second = await startTestMock({ certsCache: join(dir, 'certs') });
      expect(second.appToken).toBe(first.appToken);
      expect(second.pki.root.certificatePem).toBe(first.pki.root.certificatePem);
      expect((await second.fetch('/banks/v1', { headers: second.headers() })).status).toBe(200);
      await second.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses pki and certsCache together', async () => {
    await expect(startTestMock({ pki, certsCache: '/nonexistent' })).rejects.toThrow(/either pki or certsCache/);
  });
});

describe('two mocks side by side', () => {
  it('keep their own ports, journals, state and overrides', async () => {
    const [a, b] = await Promise.all([startTestMock({ pki }), startTestMock({ pki })]);
    try {
      expect(a.url).not.toBe(b.url);
      expect(a.adminUrl).not.toBe(b.adminUrl);
      a.use({ path: '/banks/v1', status: 503 });
      const [fromA, fromB] = await Promise.all([
        a.fetch('/banks/v1', { headers: a.headers() }),
        b.fetch('/banks/v1', { headers: b.headers() }),
      ]);
      expect([fromA.status, fromB.status]).toEqual([503, 200]);

      const created = await b.fetch('/customers/v1', {
        method: 'POST',
        headers: { ...b.headers(), 'content-type': 'application/json' },
        body: '{"app_user_id":"side-by-side"}',
      });
      expect(created.status).toBe(200);
      const lookup = (mock: typeof a) => mock.fetch('/customers/v1/app-user-id/side-by-side', { headers: mock.headers() });
      expect((await lookup(b)).status).toBe(200);
      expect((await lookup(a)).status).toBe(404);

      const [refusedA, refusedB] = await Promise.all([
        a.expectRejected(() => a.fetch('/banks/v1', { identity: 'revoked' })),
        b.expectRejected(() => b.fetch('/banks/v1', { identity: 'self_signed' })),
      ]);
      expect([refusedA.reason, refusedB.reason]).toEqual(['revoked', 'self_signed']);
      expect(a.journal.requests().map((r) => r.path)).not.toContain('/customers/v1');
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});

describe('start time (reported, not asserted: the machine is shared and noisy)', () => {
  const report = (label: string, samples: number[]): void => {
    const sorted = [...samples].sort((x, y) => x - y);
    const median = sorted[Math.floor(sorted.length / 2)]!;
    console.log(
      `startTestMock → first 200 on /banks/v1, ${label}: median ${median.toFixed(1)} ms ` +
        `(min ${sorted[0]!.toFixed(1)}, max ${sorted.at(-1)!.toFixed(1)}, n=${sorted.length})`,
    );
  };
  const startToFirst200 = async (options: Parameters<typeof startTestMock>[0]): Promise<number> => {
    const started = performance.now();
    const mock = await startTestMock(options);
    const res = await mock.fetch('/banks/v1', { headers: mock.headers() });
    const elapsed = performance.now() - started;
    expect(res.status).toBe(200);
    await mock.close();
    return elapsed;
  };

  const STARTS = fuzzRuns(5, 20);
  it(`measures start → first 200 over ${STARTS} starts, with a fresh PKI each and with a shared one`, async () => {
    const fresh: number[] = [];
    const shared: number[] = [];
    for (let i = 0; i < STARTS; i++) {
      fresh.push(await startToFirst200({}));
      shared.push(await startToFirst200({ pki }));
    }
    report('fresh EC PKI each time', fresh);
    report('PKI shared', shared);
  });
});
