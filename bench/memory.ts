import { existsSync } from 'node:fs';
import { createLeanPki, defaultApp } from '../src/pki/lean-pki.js';
import {
  BODY_BYTES,
  CLI_PATH,
  PROBE_PATH,
  dispose,
  prepare,
  startBareExpressProcess,
  startBareHttpsProcess,
  startLeanMockCli,
  startMountebank,
  startWireMock,
  wiremockJar,
  type Running,
} from './peer-servers.js';
import { ensurePeersInstalled, peerVersion } from './peer-install.js';
import { errorText, stopAllChildren } from './processes.js';
import { canReadPeakRss, treePeakRss, type TreeMemory } from './rss.js';
import { interleave, skipped, summarize, type BenchResult, type BenchSuite, type Task } from './suite.js';
import { HANDSHAKE_LOOPS, KEEP_ALIVE_CONNECTIONS, clientContext, handshakeRun, keepAliveRun, rawGet, type Outcome } from './tls-load.js';

/**
 * Peak resident memory of the serving process, read from outside it (bench/rss.ts), each server a
 * process of its own: lean-mock's CLI, two floors (bare https and bare express 5: plain node, same
 * certificates and body), mountebank and WireMock. Every run is a fresh process: started, its
 * first 200, then one load from this process; the peak after start and the peak under the load are
 * read before it is stopped. Lower is better; ratios are to a floor in the same round, lean-mock's
 * to each floor (two rows), so the table shows how much of its memory express alone accounts for.
 */


/** No warm-up: each run is a fresh process, so no run inherits another's state. */
const ROUNDS = { full: { runs: 4, seconds: 2 }, quick: { runs: 2, seconds: 0.5 } } as const;

const SERVERS = ['lean', 'bare', 'express', 'mountebank', 'wiremock'] as const;
type Server = (typeof SERVERS)[number];
const LOADS = ['ka', 'hs'] as const;
type Load = (typeof LOADS)[number];

/** What one run saw; absent when the server did not start. */
interface Run {
  atStart: TreeMemory;
  underLoad: TreeMemory;
  errors: number;
}

async function measure(quick: boolean): Promise<BenchResult[]> {
  const settings = ROUNDS[quick ? 'quick' : 'full'];
  await ensurePeersInstalled();
  const pki = await createLeanPki();
  const m = await prepare(pki);
  const jar = wiremockJar();
  const starters: Record<Server, () => Promise<Running>> = {
    lean: () => startLeanMockCli(m),
    bare: () => startBareHttpsProcess(m),
    express: () => startBareExpressProcess(m),
    mountebank: () => startMountebank(m),
    wiremock: jar ? () => startWireMock(m, jar) : () => Promise.reject(new Error('bench/peers/node_modules/wiremock has no jar')),
  };
  const labels: Record<Server, string> = {
    lean: 'lean-mock (serve --certs process)',
    bare: 'bare https (node process)',
    express: 'bare express 5 (node process)',
    mountebank: `mountebank ${await peerVersion('mountebank')} (mb process)`,
    wiremock: `WireMock ${await peerVersion('wiremock')} (JVM, default heap)`,
  };

  const app = defaultApp(pki);
  const context = clientContext(pki, app);
  const closing = rawGet(PROBE_PATH, app.appToken, true);
  const persistent = { request: rawGet(PROBE_PATH, app.appToken), bytes: BODY_BYTES };
  const loads: Record<Load, (port: number) => Promise<Outcome>> = {
    ka: (port) => keepAliveRun(port, context, persistent, settings.seconds, KEEP_ALIVE_CONNECTIONS),
    hs: (port) => handshakeRun(port, context, closing, settings.seconds, HANDSHAKE_LOOPS),
  };

  const failed = new Map<Server, string>();
  if (!existsSync(CLI_PATH)) failed.set('lean', 'dist/cli/main.js missing (run npm run build)');
  const runs = new Map<string, (Run | undefined)[]>();
  const once =
    (server: Server, load: Load): Task =>
    async () => {
      const key = `${load}:${server}`;
      let run: Run | undefined;
      try {
        const running = await starters[server]();
        try {
          const atStart = treePeakRss(running.pid);
          const outcome = await loads[load](running.port);
          // A load that served nothing measured an idle process: an error, whatever else happened.
          run = { atStart, underLoad: treePeakRss(running.pid), errors: outcome.errors + (outcome.ok === 0 ? 1 : 0) };
        } finally {
          await running.stop();
        }
      } catch (error) {
        process.stderr.write(`memory: ${key} failed: ${errorText(error)}\n`);
        failed.set(server, failed.get(server) ?? `a run failed: ${errorText(error)}`);
      }
      runs.set(key, [...(runs.get(key) ?? []), run]);
      return run?.underLoad.mib ?? Number.NaN;
    };

  try {
    // One untimed start each, so a server that cannot start is a row with its reason rather than a run per round that fails.
    for (const server of SERVERS) {
      if (failed.has(server)) continue;
      try {
        await (await starters[server]()).stop();
      } catch (error) {
        failed.set(server, `failed to start: ${errorText(error)}`);
        process.stderr.write(`memory: ${server} failed to start: ${errorText(error)}\n`);
      }
    }
    const tasks: Record<string, Task> = {};
    for (const load of LOADS) for (const server of SERVERS) if (!failed.has(server)) tasks[`${load}:${server}`] = once(server, load);
    await interleave(tasks, { runs: settings.runs, warmup: 0 });
  } finally {
    await stopAllChildren();
    await dispose(m);
  }

  const results: BenchResult[] = [];
  const groups: [string, Load, keyof Omit<Run, 'errors'>][] = [
    ['peak RSS after start + first 200, MiB', 'ka', 'atStart'],
    [`peak RSS under keep-alive GET /banks/v1 ×${KEEP_ALIVE_CONNECTIONS}, MiB`, 'ka', 'underLoad'],
    [`peak RSS under full mTLS handshake + GET ×${HANDSHAKE_LOOPS} loops, MiB`, 'hs', 'underLoad'],
  ];
  /** Each server's row against `floor`, or alone; lean-mock's figure appears once per floor. */
  const order: [Server, Server | undefined][] = [
    ['lean', 'bare'],
    ['lean', 'express'],
    ['express', 'bare'],
    ['bare', undefined],
    ['mountebank', 'bare'],
    ['wiremock', 'bare'],
  ];
  for (const [group, load, phase] of groups) {
    const of = (server: Server) => runs.get(`${load}:${server}`) ?? [];
    const complete = (server: Server) => of(server).length > 0 && of(server).every((run) => run !== undefined);
    const nameOf = (server: Server) => {
      const trees = Math.max(0, ...of(server).map((run) => run?.[phase].processes ?? 0));
      return `${group}: ${labels[server]}${trees > 1 ? `, ${trees} processes summed` : ''}`;
    };
    for (const [server, floor] of order) {
      const all = of(server);
      const measured = all.filter((run): run is Run => run !== undefined);
      if (measured.length === 0) {
        // A server that did not run is one row with the reason, however many floors it would have had.
        if (!results.some((row) => row.name === nameOf(server))) results.push(skipped(nameOf(server), failed.get(server) ?? 'not run', 'MiB'));
        continue;
      }
      // Rounds pair with the floor's only when neither lost one.
      const paired = floor !== undefined && complete(floor) && measured.length === all.length;
      results.push(
        summarize(
          nameOf(server),
          measured.map((run) => run[phase].mib),
          {
            unit: 'MiB',
            errors: measured.reduce((sum, run) => sum + run.errors, 0) + (all.length - measured.length),
            ...(paired ? { baseline: { name: nameOf(floor), samples: of(floor).map((run) => run![phase].mib) } } : {}),
          },
        ),
      );
    }
  }
  return results;
}

export const memorySuite: BenchSuite = {
  name: 'memory',
  method:
    `Peak resident memory (RSS) of each server as a process of its own, read from outside it: VmHWM in /proc/<pid>/status, the ` +
    `kernel's high-water mark of the resident set since the process started, read once after start and once after the load, ` +
    `while it still runs. A server's descendants (from the parent pid in each /proc/<pid>/stat) are summed with it, which would be ` +
    `an upper bound; every server here is a single process, and a row says so when more were summed. The servers, each answering ` +
    `GET ${PROBE_PATH} with the same ${BODY_BYTES} bytes under mutual TLS on one lean-mock PKI (bench/peer-servers.ts): lean-mock's ` +
    `CLI (node dist/cli/main.js serve --certs, admin API off); two floors under plain node (no TypeScript loader, as the CLI runs ` +
    `compiled JavaScript) with the in-process floors' options (https.createServer, same key and chain, CAs, CRLs, ` +
    `requestCert/rejectUnauthorized, HTTP limits): bench/servers/bare-https.mjs, the body precomputed, and ` +
    `bench/servers/bare-express.mjs, express 5 with lean-mock's app settings (etag and x-powered-by off) and one route answering ` +
    `the bank list with res.json, as the gateway suite's floor; mountebank (node mb with an https ` +
    `imposter, mutualAuth, recordRequests off); WireMock (java -jar, the JVM's default heap sizing, request journal off). Each run is ` +
    `a fresh process: started until its first mTLS 200 (the "after start" peak, from the keep-alive runs), then one load from this ` +
    `process for ${ROUNDS.full.seconds} s (--quick: ${ROUNDS.quick.seconds} s): ${KEEP_ALIVE_CONNECTIONS} keep-alive connections ` +
    `sending GET ${PROBE_PATH} back to back, or ${HANDSHAKE_LOOPS} loops of fresh full mTLS handshakes each sending one GET with ` +
    `Connection: close; then stopped. Loads are closed loops of fixed concurrency: every server holds the same connections ` +
    `whatever its speed, and a faster one serves more requests in the time. ${ROUNDS.full.runs} rounds (--quick: ${ROUNDS.quick.runs}), every server and load once per round in rotating ` +
    `order, no warm-up; lower is better, ratios are medians of per-round ratios to a floor: lean-mock's figure appears twice, ` +
    `against bare https and against bare express 5 (what express itself accounts for), bare express against bare https, the ` +
    `peers against bare https. A run that fails or ` +
    `serves nothing counts as an error on its row; a server that cannot start is a row with the reason. Linux only.`,
  async run({ quick }) {
    if (!canReadPeakRss()) {
      return [skipped('peak RSS, MiB: every server', 'needs Linux /proc/<pid>/status (VmHWM)', 'MiB')];
    }
    return measure(quick);
  },
};
