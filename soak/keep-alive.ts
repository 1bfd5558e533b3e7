/**
 * Scenarios 1 and 3 on persistent connections: many connections held at once, then many requests
 * through few connections with the journal and the process's memory watched.
 */
import { runInNewContext } from 'node:vm';
import { setFlagsFromString } from 'node:v8';
import { clientContext, rawGet } from '../bench/tls-load.js';
import type { LeanMock } from '../src/server/lean-mock.js';
import { Checks, seconds } from './checks.js';
import type { KeepAliveConnection } from '../bench/tls-load.js';
import { openInBatches, STALL_MS } from './connection.js';

const CONCURRENT = 1_000;
const OPEN_BATCH = 50;
const REQUESTS_EACH = 3;
const CONCURRENT_LIMIT_MS = 90_000;

const VOLUME = 100_000;
const WARMUP = 10_000;
const VOLUME_CONNECTIONS = 64;
const VOLUME_LIMIT_MS = 240_000;
const RSS_GROWTH = 0.1;

/** Sends `request` on every connection in parallel, back to back, until the shared quota or the deadline runs out. */
async function drive(connections: readonly KeepAliveConnection[], request: Buffer, quota: { left: number }, deadline: number): Promise<{ ok: number; errors: number }> {
  let ok = 0;
  let errors = 0;
  await Promise.all(
    connections.map(async (connection) => {
      while (quota.left > 0 && performance.now() < deadline) {
        quota.left--;
        const { status } = await connection.send(request, STALL_MS);
        if (status === 200) ok++;
        else {
          errors++;
          if (status === 0) break;
        }
      }
    }),
  );
  return { ok, errors };
}

export async function concurrentConnections(mock: LeanMock, checks: Checks): Promise<void> {
  const started = performance.now();
  const app = mock.pki.apps[0]!;
  const context = clientContext(mock.pki, app);
  const request = rawGet('/banks/v1', app.appToken);
  const { opened, failed } = await openInBatches(mock.port, context, CONCURRENT, OPEN_BATCH);
  const openTime = seconds(started);
  try {
    checks.check('concurrent: 1,000 keep-alive connections open at once', failed === 0 && opened.length === CONCURRENT, `${opened.length} open, ${failed} failed, in ${openTime}`);
    const deadline = started + CONCURRENT_LIMIT_MS;
    let ok = 0;
    let errors = 0;
    // Round by round, so every connection stays open and in use for the whole scenario.
    for (let round = 0; round < REQUESTS_EACH; round++) {
      const result = await drive(opened, request, { left: opened.length }, deadline);
      ok += result.ok;
      errors += result.errors;
    }
    const expected = CONCURRENT * REQUESTS_EACH;
    checks.check('concurrent: every request answered 200', ok === expected && errors === 0, `${ok}/${expected} ok, ${errors} errors, ${seconds(started)} in all`);
  } finally {
    for (const connection of opened) connection.close();
  }
}

/** A forced full collection, so RSS samples compare live memory rather than garbage timing. */
function collector(): () => void {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (exposed) return exposed;
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

async function rssAfterGc(gc: () => void): Promise<number> {
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((resolve) => setImmediate(resolve));
  }
  return process.memoryUsage().rss;
}

export async function requestVolume(mock: LeanMock, checks: Checks, capacity: number): Promise<void> {
  const started = performance.now();
  const gc = collector();
  const app = mock.pki.apps[0]!;
  const context = clientContext(mock.pki, app);
  const request = rawGet('/banks/v1', app.appToken);
  const deadline = started + VOLUME_LIMIT_MS;
  const { opened, failed } = await openInBatches(mock.port, context, VOLUME_CONNECTIONS, VOLUME_CONNECTIONS);
  try {
    const warm = await drive(opened, request, { left: WARMUP }, deadline);
    const journalAfterWarmup = mock.journal.requests().length;
    const before = await rssAfterGc(gc);
    const rest = await drive(opened, request, { left: VOLUME - WARMUP }, deadline);
    const journalAtEnd = mock.journal.requests().length;
    const after = await rssAfterGc(gc);
    const ok = warm.ok + rest.ok;
    const errors = warm.errors + rest.errors + failed;
    const growth = (after - before) / before;
    const mb = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(1)} MB`;
    checks.check('volume: 100k keep-alive requests, zero errors', ok === VOLUME && errors === 0, `${ok}/${VOLUME} ok, ${errors} errors over ${opened.length} connections in ${seconds(started)}`);
    checks.check(
      'volume: journal bounded by its capacity',
      journalAfterWarmup <= capacity && journalAtEnd <= capacity && mock.journal.handshakes().length <= capacity,
      `requests kept ${journalAfterWarmup} after warm-up, ${journalAtEnd} at the end (capacity ${capacity})`,
    );
    checks.check('volume: RSS flat within 10 %', growth <= RSS_GROWTH, `${mb(before)} after ${WARMUP} warm-up → ${mb(after)} at the end (${(growth * 100).toFixed(1)} %)`);
  } finally {
    for (const connection of opened) connection.close();
  }
}
