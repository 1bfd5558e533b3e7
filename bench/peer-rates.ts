/**
 * The peers suite's rates, fair: every server is a process of its own (lean-mock's CLI, the bare
 * https and bare express 5 floors, mountebank, WireMock, mockttp) and one load generator drives
 * them from another process (bench/load-client.ts via bench/load-runs.ts), so no server shares
 * the client's event loop and none pays for another's work. Rounds interleave the servers in
 * rotating order; ratios are medians of per-round ratios within the same run.
 */
import { existsSync } from 'node:fs';
import { BODY_BYTES, CLI_PATH, PROBE_PATH, refusesAnonymous, startBareExpressProcess, startBareHttpsProcess, startLeanMockCli, startMockttpProcess, type Material, type Running } from './peer-servers.js';
import type { MockttpReference } from './mockttp-peer.js';
import { LoadLog, type LoadMode, type LoadSpec } from './load-runs.js';
import { errorText } from './processes.js';
import { interleave, skipped, summarize, type BenchResult } from './suite.js';
import { HANDSHAKE_LOOPS, KEEP_ALIVE_CONNECTIONS } from './tls-load.js';

export const RATE_ROUNDS = { full: { seconds: 2, runs: 5, warmup: 1 }, quick: { seconds: 0.5, runs: 2, warmup: 1 } } as const;

type Server = 'lean' | 'bare' | 'express' | 'mountebank' | 'wiremock' | 'mockttp';
const ORDER: readonly Server[] = ['lean', 'bare', 'express', 'mountebank', 'wiremock', 'mockttp'];

/** What each row is compared with: the floors for lean-mock, lean-mock for the other mocks (does it lead?), bare https for bare express. */
const BASELINES: readonly [Server, Server | undefined][] = [
  ['lean', 'bare'],
  ['lean', 'express'],
  ['bare', undefined],
  ['express', 'bare'],
  ['mountebank', 'lean'],
  ['wiremock', 'lean'],
  ['mockttp', 'lean'],
];

export async function rates(
  m: Material,
  quick: boolean,
  peers: ReadonlyMap<'mountebank' | 'wiremock', Running>,
  peerFailures: ReadonlyMap<'mountebank' | 'wiremock', string>,
  peerLabels: Record<'mountebank' | 'wiremock', string>,
  mockttp: MockttpReference | string,
  mockttpLabel: string,
): Promise<BenchResult[]> {
  const settings = RATE_ROUNDS[quick ? 'quick' : 'full'];
  const labels: Record<Server, string> = {
    lean: 'lean-mock (serve --certs process)',
    bare: 'bare https (node process)',
    express: 'bare express 5 (node process)',
    mountebank: peerLabels.mountebank,
    wiremock: peerLabels.wiremock,
    mockttp: `${mockttpLabel} (process, server-only TLS)`,
  };
  const running = new Map<Server, Running>(peers);
  const failed = new Map<Server, string>([...peerFailures].map(([name, reason]) => [name, `failed to start: ${reason}`]));
  let mockttpCa = '';
  const own: Running[] = [];
  const startOwn = async (server: Server, start: () => Promise<Running & { caFile?: string }>, mutual: boolean): Promise<void> => {
    try {
      const r = await start();
      own.push(r);
      if (mutual && !(await refusesAnonymous(m.pki, r.port))) throw new Error('answered without a client certificate (mTLS not enforced)');
      if (r.caFile) mockttpCa = r.caFile;
      running.set(server, r);
    } catch (error) {
      failed.set(server, `failed to start: ${errorText(error)}`);
      process.stderr.write(`peers: ${server} failed to start: ${errorText(error)}\n`);
    }
  };
  if (existsSync(CLI_PATH)) await startOwn('lean', () => startLeanMockCli(m), true);
  else failed.set('lean', 'dist/cli/main.js missing (run npm run build)');
  await startOwn('bare', () => startBareHttpsProcess(m), true);
  await startOwn('express', () => startBareExpressProcess(m), true);
  if (typeof mockttp === 'string') failed.set('mockttp', mockttp);
  else await startOwn('mockttp', () => startMockttpProcess(m, mockttp.ca), false);

  const spec = (server: Server, mode: LoadMode) => (): LoadSpec => {
    const port = running.get(server)!.port;
    const common = {
      url: `https://127.0.0.1:${port}${PROBE_PATH}`,
      mode,
      connections: mode === 'handshake' ? HANDSHAKE_LOOPS : KEEP_ALIVE_CONNECTIONS,
      seconds: settings.seconds,
      bytes: BODY_BYTES,
      token: m.client.token,
    };
    // mockttp asks for no client certificate: the client trusts its CA and offers none.
    return server === 'mockttp' ? { ...common, ca: mockttpCa } : { ...common, ca: m.client.ca, cert: m.client.cert, key: m.client.key };
  };

  const results: BenchResult[] = [];
  try {
    const log = new LoadLog(settings.warmup);
    const groups: [LoadMode, string][] = [
      ['handshake', `full mTLS handshake + GET ${PROBE_PATH} (Connection: close) ×${HANDSHAKE_LOOPS} loops`],
      ['keepalive', `keep-alive GET ${PROBE_PATH} ×${KEEP_ALIVE_CONNECTIONS}`],
    ];
    for (const [mode, group] of groups) {
      const tasks: Record<string, () => Promise<number>> = {};
      for (const server of ORDER) if (running.has(server)) tasks[server] = log.task(`${mode}:${server}`, spec(server, mode));
      const samples = await interleave(tasks, settings);
      for (const [figure, unit, of] of [
        [`${group}, /s`, 'req/s', (server: Server) => samples[server] ?? []],
        [`${group}, p99 ms`, 'ms', (server: Server) => log.p99(`${mode}:${server}`)],
      ] as const) {
        const nameOf = (server: Server) => `${figure}: ${labels[server]}`;
        for (const [server, floor] of BASELINES) {
          const reason = failed.get(server);
          if (reason) {
            if (!results.some((row) => row.name === nameOf(server))) results.push(skipped(nameOf(server), reason, unit));
            continue;
          }
          const baseline = floor && running.has(floor) ? { name: nameOf(floor), samples: of(floor) } : undefined;
          results.push(summarize(nameOf(server), of(server), { unit, errors: log.errors(`${mode}:${server}`), ...(baseline ? { baseline } : {}) }));
        }
      }
    }
  } finally {
    await Promise.all(own.map((r) => r.stop()));
  }
  return results;
}
