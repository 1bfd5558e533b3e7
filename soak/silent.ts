/**
 * Scenario: a storm of sockets that never complete TLS — silent, a ClientHello cut short, a
 * ClientHello cut short and then a FIN — held open against the mock's default handshake timeout.
 * The server must close every one of them itself, keep serving meanwhile, journal no HTTP request
 * for them, and end with the descriptors, connections and (near enough) the RSS it began with.
 */
import { readdirSync } from 'node:fs';
import { connect as netConnect, type Socket } from 'node:net';
import { fetchOnce } from '../bench/tls-load.js';
import type { RequestRecord } from '../src/gateway/journal.js';
import { DEFAULT_HANDSHAKE_TIMEOUT_MS } from '../src/gateway/tls-server.js';
import type { LeanMock } from '../src/server/lean-mock.js';
import { captureClientHello } from '../test/support/socket-storm.js';
import { Checks, seconds } from './checks.js';

const KINDS = { silent: 400, 'partial hello': 300, 'half-open hello': 300 } as const;
type Kind = keyof typeof KINDS;
const BATCH = 100;
/** The default handshake timeout, plus room for a loaded machine: a socket open past this was never going to close. */
const CLOSED_WITHIN_MS = DEFAULT_HANDSHAKE_TIMEOUT_MS + 20_000;
/** RSS is not returned to the OS byte for byte; this much above the start still counts as back. */
const RSS_SLACK_BYTES = 32 * 2 ** 20;

const descriptors = (): number => readdirSync('/proc/self/fd').length;
const mib = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export async function silentSockets(mock: LeanMock, checks: Checks): Promise<void> {
  const started = performance.now();
  const app = mock.pki.apps[0]!;
  const hello = await captureClientHello();
  const before = { fds: descriptors(), rss: process.memoryUsage().rss, connections: await mock.connections() };
  const requests: RequestRecord[] = [];
  const onRequest = (record: RequestRecord): void => void requests.push(record);
  mock.journal.on('request', onRequest);

  const kinds = (Object.entries(KINDS) as [Kind, number][]).flatMap(([kind, count]) => Array.from({ length: count }, () => kind));
  const closedByServer: Promise<Ending>[] = [];
  let servedMeanwhile = 0;
  for (let start = 0; start < kinds.length; start += BATCH) {
    const batch = kinds.slice(start, start + BATCH);
    const opened = await Promise.all(batch.map((kind, i) => open(mock.port, kind, hello.subarray(0, 1 + ((start + i) % (hello.length - 1))))));
    closedByServer.push(...opened.map((socket) => socket.ended));
    if ((await fetchOnce(mock.port, mock.pki, app, '/banks/v1')).status === 200) servedMeanwhile++;
  }
  const peak = { fds: descriptors(), rss: process.memoryUsage().rss, connections: await mock.connections() };
  const endings = await Promise.all(closedByServer);
  const stillOpen = endings.filter((ending) => !ending.closed).length;
  const answered = endings.filter((ending) => ending.bytes > 0).length;

  const deadline = performance.now() + CLOSED_WITHIN_MS;
  while (performance.now() < deadline && ((await mock.connections()) > before.connections || descriptors() > before.fds)) await sleep(50);
  const after = { fds: descriptors(), rss: process.memoryUsage().rss, connections: await mock.connections() };
  mock.journal.off('request', onRequest);
  const batches = Math.ceil(kinds.length / BATCH);

  checks.check('silent: every socket closed by the server', stillOpen === 0, `${kinds.length - stillOpen}/${kinds.length} (${show()}) in ${seconds(started)}, handshake timeout ${DEFAULT_HANDSHAKE_TIMEOUT_MS / 1000} s`);
  checks.check('silent: not a byte sent to any of them', answered === 0, `${answered} answered`);
  checks.check('silent: an ordinary client was served meanwhile', servedMeanwhile === batches, `${servedMeanwhile}/${batches} GET /banks/v1 answered 200 during the storm`);
  checks.check('silent: no HTTP request journaled for them', requests.every((r) => r.status === 200), `${requests.length} journaled, all the ordinary client's`);
  checks.check(
    'silent: descriptors and connections back at baseline',
    after.fds <= before.fds && after.connections <= before.connections,
    `descriptors ${before.fds} → ${peak.fds} → ${after.fds}; connections ${before.connections} → ${peak.connections} → ${after.connections}`,
  );
  checks.check('silent: RSS back near baseline', after.rss <= before.rss + RSS_SLACK_BYTES, `RSS ${mib(before.rss)} → ${mib(peak.rss)} → ${mib(after.rss)}`);
}

function show(): string {
  return Object.entries(KINDS).map(([kind, count]) => `${count} ${kind}`).join(', ');
}

/** Opens a TCP connection, sends `partial` for the hello kinds (and a FIN for half-open); resolves once sent, with how it ends. */
interface Ending {
  kind: Kind;
  bytes: number;
  closed: boolean;
}

async function open(port: number, kind: Kind, partial: Buffer): Promise<{ ended: Promise<Ending> }> {
  const socket: Socket = netConnect({ host: '127.0.0.1', port });
  await new Promise((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  let bytes = 0;
  socket.on('data', (chunk: Buffer) => (bytes += chunk.length));
  socket.on('error', () => undefined);
  const ended = new Promise<Ending>((resolve) => {
    const timer = setTimeout(() => {
      socket.destroy();
      resolve({ kind, bytes, closed: false });
    }, CLOSED_WITHIN_MS);
    socket.once('close', () => {
      clearTimeout(timer);
      resolve({ kind, bytes, closed: true });
    });
  });
  if (kind !== 'silent') socket.write(partial);
  if (kind === 'half-open hello') socket.end();
  return { ended };
}

