/**
 * Scenario: receivers that accept TCP and never answer, while the sandbox emits a storm of webhook
 * events. Attempts in flight must stay within the dispatcher's caps, and once the deliveries are
 * cancelled the process must be back to its descriptors and (near) its memory from before.
 */
import { readdir } from 'node:fs/promises';
import { MAX_IN_FLIGHT, MAX_IN_FLIGHT_PER_RECEIVER } from '../src/sandbox/webhooks/dispatcher.js';
import type { LeanMock } from '../src/server/lean-mock.js';
import { startHostileReceiver, Tally } from '../test/support/hostile-receivers.js';
import { Checks, seconds } from './checks.js';

const EVENTS = 20_000;
const RECEIVERS = 6;
const RSS_SLACK_BYTES = 64 * 1024 * 1024;
const SETTLE_MS = 15_000;

const descriptors = async (): Promise<number> => (await readdir('/proc/self/fd')).length;
const mib = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export async function slowWebhookReceivers(mock: LeanMock, checks: Checks): Promise<void> {
  const started = performance.now();
  const baseline = { fds: await descriptors(), rss: process.memoryUsage().rss };
  const tally = new Tally();
  const receivers = await Promise.all(Array.from({ length: RECEIVERS }, () => startHostileReceiver('silent', tally)));
  const apps = mock.webhooks.apps;
  // Each app gets its own receivers by turns: several origins, each hanging.
  apps.forEach((app, i) => mock.webhooks.setUrl(app, receivers[i % RECEIVERS]!.url));
  try {
    for (let i = 0; i < EVENTS; i++) {
      mock.store.publish({ app: apps[i % apps.length]!, type: 'entity.created', payload: { n: i }, message: 'An entity object has been created.' });
      if (i % 500 === 0) await turn();
    }
    const used = Math.min(apps.length, RECEIVERS);
    await Promise.all(receivers.slice(0, used).map((r) => r.until((open) => open >= MAX_IN_FLIGHT_PER_RECEIVER)));
    const statuses = new Map<string, number>();
    for (const d of mock.webhooks.deliveries()) statuses.set(d.status, (statuses.get(d.status) ?? 0) + 1);
    const perReceiver = Math.max(...receivers.map((r) => r.peak));
    checks.check(
      'webhooks: attempts in flight stay within the caps',
      tally.peak <= MAX_IN_FLIGHT && perReceiver <= MAX_IN_FLIGHT_PER_RECEIVER,
      `${EVENTS} events to ${used} hanging receivers: at most ${tally.peak} open at once (cap ${MAX_IN_FLIGHT}), ${perReceiver} to one receiver (cap ${MAX_IN_FLIGHT_PER_RECEIVER}); newest 1000 in the log: ${[...statuses].map(([s, n]) => `${n} ${s}`).join(', ')}; RSS ${mib(process.memoryUsage().rss)}`,
    );
  } finally {
    mock.webhooks.clear();
    for (const app of apps) mock.webhooks.setUrl(app, null);
    await Promise.all(receivers.map((r) => r.until((open) => open === 0)));
    await Promise.all(receivers.map((r) => r.close()));
  }
  const deadline = performance.now() + SETTLE_MS;
  let fds = await descriptors();
  while (fds > baseline.fds && performance.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    fds = await descriptors();
  }
  checks.check('webhooks: descriptors back to baseline', fds <= baseline.fds, `${baseline.fds} before, ${fds} after`);
  (globalThis as { gc?: () => void }).gc?.();
  const rss = process.memoryUsage().rss;
  checks.check(
    'webhooks: RSS back near baseline',
    rss - baseline.rss <= RSS_SLACK_BYTES,
    `${mib(baseline.rss)} before, ${mib(rss)} after (slack ${mib(RSS_SLACK_BYTES)}) in ${seconds(started)}`,
  );
}
