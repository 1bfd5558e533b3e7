import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { writePkiFolder } from '../src/pki/folder.js';
import { createLeanPki, defaultApp, type AppIdentity, type LeanPki } from '../src/pki/lean-pki.js';
import { startLeanMock, type LeanMockOptions } from '../src/server/lean-mock.js';
import { startTestMock } from '../src/testing/test-mock.js';
import { interleave, skipped, summarize, type BenchResult, type BenchSuite, type Task } from './suite.js';
import { bareServerOptions, fetchOnce, startBare, type Endpoint } from './tls-load.js';

/**
 * How long lean-mock takes from nothing to its first answered mTLS request: in process (a fresh
 * PKI, a reused one) against a bare https server with the gate's TLS settings, and as a cold CLI
 * process against the bare Node process floor.
 */

const CLI_PATH = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
const PROBE_PATH = '/banks/v1';

/** The target for in-process start → first successful mTLS request with EC. */
const TARGET_MS = 30;
/** Issue 18's cold-start target: `serve --certs` to its first 200 within twice a bare node https process's. */
const COLD_TARGET_RATIO = 2;
const BARE_HTTPS_PROCESS = fileURLToPath(new URL('./servers/bare-https.mjs', import.meta.url));

const ROUNDS = {
  inProcess: { full: { runs: 30, warmup: 3 }, quick: { runs: 8, warmup: 2 } },
  cli: { full: { runs: 10, warmup: 2 }, quick: { runs: 3, warmup: 1 } },
} as const;

/** A CLI that has not printed its ready line (or exited after SIGTERM) by then is stuck: killed, counted as an error. */
const CLI_STUCK_MS = 15_000;

/** The floor's reply: fixed and tiny, so it measures server creation, TLS and one request, not a body. */
const TINY_BODY = '{"status":"OK"}';

/** A server just started, as one cycle drives it: where to dial, with which identity, and how to stop it. */
interface Started {
  port: number;
  pki: LeanPki;
  close(): Promise<void>;
}

/** Where one cycle's time went, ms: until the server listens, its first request, and closing it. */
interface Phases {
  start: number;
  request: number;
  close: number;
}

/**
 * Keeps each task's phases and failures; interleave() keeps only the whole cycle's time. Failures
 * count in every round, warm-up included.
 */
class CycleLog<K extends string> {
  private readonly phases = new Map<K, Phases[]>();
  private readonly failures = new Map<K, number>();

  constructor(private readonly warmup: number) {}

  record(name: K, phases: Phases | null): void {
    if (phases) this.phases.set(name, [...(this.phases.get(name) ?? []), phases]);
    else this.failures.set(name, this.errors(name) + 1);
  }

  errors(name: K): number {
    return this.failures.get(name) ?? 0;
  }

  /** One phase of each measured (post-warm-up) round, round by round like interleave()'s samples. */
  phase(name: K, phase: keyof Phases): number[] {
    return (this.phases.get(name) ?? []).slice(this.warmup).map((p) => p[phase]);
  }
}

/**
 * One timed cycle: start the server, one `GET /banks/v1` on a fresh mTLS connection with the
 * default app's certificate and token (Node's client, `agent: false`, so nothing is pooled or
 * resumed), then close. Resolves to the whole cycle's ms; a reply other than 200 is a failure.
 */
function cycleTask<K extends string>(log: CycleLog<K>, name: K, start: () => Promise<Started>): Task {
  return async () => {
    const t0 = performance.now();
    const server = await start();
    const t1 = performance.now();
    let ok = false;
    try {
      ok = (await fetchOnce(server.port, server.pki, defaultApp(server.pki), PROBE_PATH)).status === 200;
    } catch {
      ok = false;
    }
    const t2 = performance.now();
    await server.close();
    const t3 = performance.now();
    log.record(name, ok ? { start: t1 - t0, request: t2 - t1, close: t3 - t2 } : null);
    return t3 - t0;
  };
}

const leanMock =
  (options: LeanMockOptions) =>
  async (): Promise<Started> => {
    const mock = await startLeanMock(options);
    return { port: mock.port, pki: mock.pki, close: () => mock.close() };
  };

/** startTestMock() with its defaults: a fresh EC PKI, the admin API on, its agents and temp folder unused. */
const testMock = async (): Promise<Started> => {
  const mock = await startTestMock();
  return { port: mock.lean.port, pki: mock.pki, close: () => mock.close() };
};

const bareHttps = (pki: LeanPki) => async (): Promise<Started> => {
  const headers = { 'content-type': 'application/json', 'content-length': Buffer.byteLength(TINY_BODY) };
  const endpoint: Endpoint = await startBare(pki, (_req, res) => {
    res.writeHead(200, headers);
    res.end(TINY_BODY);
  });
  return { port: endpoint.port, pki, close: endpoint.close };
};

type InProcess = 'fresh' | 'reused' | 'reusedNoAdmin' | 'testMock' | 'bare';

async function measureInProcess(pki: LeanPki, quick: boolean): Promise<BenchResult[]> {
  const settings = ROUNDS.inProcess[quick ? 'quick' : 'full'];
  const log = new CycleLog<InProcess>(settings.warmup);
  const samples = await interleave<InProcess>(
    {
      fresh: cycleTask(log, 'fresh', leanMock({})),
      reused: cycleTask(log, 'reused', leanMock({ pki })),
      reusedNoAdmin: cycleTask(log, 'reusedNoAdmin', leanMock({ pki, adminPort: 'off' })),
      testMock: cycleTask(log, 'testMock', testMock),
      bare: cycleTask(log, 'bare', bareHttps(pki)),
    },
    settings,
  );

  const group = 'in-process start → first mTLS 200 → close, ms';
  const bareName = `${group}: bare https.createServer`;
  const baseline = { name: bareName, samples: samples.bare };
  const results = [
    summarize(`${group}: startLeanMock() (fresh EC PKI)`, samples.fresh, {
      baseline,
      target: { op: '<', value: TARGET_MS, unit: 'ms' },
      errors: log.errors('fresh'),
    }),
    summarize(`${group}: startLeanMock({ pki }) (reused PKI)`, samples.reused, { baseline, errors: log.errors('reused') }),
    summarize(`${group}: startLeanMock({ pki, adminPort: 'off' })`, samples.reusedNoAdmin, { baseline, errors: log.errors('reusedNoAdmin') }),
    summarize(`${group}: startTestMock() (fresh EC PKI)`, samples.testMock, { baseline, errors: log.errors('testMock') }),
    summarize(bareName, samples.bare, { errors: log.errors('bare') }),
  ];
  // Where the fresh cycle's time goes, against the same phase of the floor.
  for (const [phase, label] of [
    ['start', 'until listening'],
    ['request', 'first request'],
    ['close', 'close'],
  ] as const) {
    const phaseGroup = `startLeanMock() phase: ${label}`;
    const floor = log.phase('bare', phase);
    // Failed rounds have no phases, so the pairing by round holds only when none failed.
    const paired = log.errors('fresh') === 0 && log.errors('bare') === 0;
    results.push(
      summarize(`${phaseGroup}: fresh EC PKI`, log.phase('fresh', phase), {
        ...(paired ? { baseline: { name: `${phaseGroup}: bare https`, samples: floor } } : {}),
        errors: log.errors('fresh'),
      }),
    );
  }
  return results;
}

/** Resolves with the child's exit code, or null for a signal; kills it with SIGKILL past the time limit. */
function exited(child: ReturnType<typeof spawn>): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve(child.exitCode);
    const timer = setTimeout(() => child.kill('SIGKILL'), CLI_STUCK_MS);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
}

/** The first stdout line of the child, or null if it exits or stalls first. */
function firstLine(child: ReturnType<typeof spawn>): Promise<string | null> {
  return new Promise((resolve) => {
    let buffered = '';
    const timer = setTimeout(() => finish(null), CLI_STUCK_MS);
    const finish = (line: string | null): void => {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.off('exit', onExit);
      resolve(line);
    };
    const onData = (chunk: Buffer): void => {
      buffered += chunk.toString('utf8');
      const end = buffered.indexOf('\n');
      if (end >= 0) finish(buffered.slice(0, end));
    };
    const onExit = (): void => finish(null);
    child.stdout?.on('data', onData);
    child.once('exit', onExit);
  });
}

interface CliRun {
  ok: boolean;
  /** spawn → first 200 (on failure, until the failure showed), and spawn → exit after SIGTERM. */
  to200: number;
  toExit: number;
}

/**
 * One cold CLI start: spawn `lean-mock serve` on the certificate folder, wait for its JSON ready
 * line, one `GET /banks/v1` on a fresh mTLS connection, SIGTERM, wait for a clean exit (code 0).
 */
async function cliOnce(certs: string, pki: LeanPki, app: AppIdentity, compileCache: string): Promise<CliRun> {
  const argv = [CLI_PATH, 'serve', '--port', '0', '--admin-port', 'off', '--json', '--certs', certs];
  return processOnce(argv, pki, app, { ...process.env, LEAN_MOCK_COMPILE_CACHE: compileCache });
}

/** The same for any process that prints lean-mock's JSON ready line (`app` checked only where it names one). */
async function processOnce(argv: string[], pki: LeanPki, app: AppIdentity, env: NodeJS.ProcessEnv = process.env): Promise<CliRun> {
  const t0 = performance.now();
  const child = spawn(process.execPath, argv, { stdio: ['ignore', 'pipe', 'pipe'], env });
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const done = exited(child);
  let answered = false;
  try {
    const line = await firstLine(child);
    if (line !== null) {
      const ready = JSON.parse(line) as { url: string; appToken?: string };
      if (ready.appToken !== undefined && ready.appToken !== app.appToken) throw new Error('the CLI serves another app token than the folder holds');
      answered = (await fetchOnce(Number(new URL(ready.url).port), pki, app, PROBE_PATH)).status === 200;
    }
  } catch {
    answered = false;
  }
  const to200 = performance.now() - t0;
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  const code = await done;
  const toExit = performance.now() - t0;
  const ok = answered && code === 0;
  if (!ok) process.stderr.write(`startup: CLI run failed (answered ${answered}, exit ${code}): ${stderr.trim().split('\n')[0] ?? ''}\n`);
  return { ok, to200, toExit };
}

/** The Node process floor: spawn a process that loads https and exits, timed until it has exited (code 0 or a failure). */
async function nodeFloorOnce(): Promise<{ ok: boolean; elapsed: number }> {
  const t0 = performance.now();
  const child = spawn(process.execPath, ['-e', "require('https')"], { stdio: 'ignore' });
  const code = await exited(child);
  return { ok: code === 0, elapsed: performance.now() - t0 };
}

async function measureCli(pki: LeanPki, quick: boolean): Promise<BenchResult[]> {
  const group = 'cold CLI start, ms';
  const to200Name = `${group}: serve --certs → first 200`;
  const uncachedName = `${group}: serve --certs → first 200, compile cache off (a first run)`;
  const toExitName = `${group}: serve --certs → 200 → SIGTERM → exited`;
  const floorName = `${group}: node -e "require('https')" start → exit`;
  const bareName = `${group}: bare node https process (bench/servers/bare-https.mjs) → first 200`;
  if (!existsSync(CLI_PATH)) {
    const reason = 'dist/cli/main.js missing (run npm run build)';
    return [skipped(to200Name, reason), skipped(uncachedName, reason), skipped(toExitName, reason), skipped(bareName, reason), skipped(floorName, reason)];
  }
  const settings = ROUNDS.cli[quick ? 'quick' : 'full'];
  const dir = await mkdtemp(join(tmpdir(), 'lean-mock-bench-startup-'));
  try {
    const certs = join(dir, 'certs');
    await writePkiFolder(pki, certs);
    const app = defaultApp(pki);
    // The same TLS options (key, chain, CAs, CRLs, requestCert) and a body, as the peers suite's process floor.
    const bareSetup = join(dir, 'bare-setup.json');
    await writeFile(bareSetup, JSON.stringify({ options: bareServerOptions(pki), body: '{"ok":true}' }), { mode: 0o600 });
    const runs: CliRun[] = [];
    // The bin's V8 code cache, in a folder of this run's own: the first warm-up writes it, as a user's first run would.
    const compileCache = join(dir, 'compile-cache');
    let cliErrors = 0;
    let uncachedErrors = 0;
    let floorErrors = 0;
    let bareErrors = 0;
    // A failed run still resolves its time, so the rounds stay paired; its failure flags the rows.
    const samples = await interleave(
      {
        cli: async () => {
          const run = await cliOnce(certs, pki, app, compileCache);
          if (!run.ok) cliErrors++;
          runs.push(run);
          return run.to200;
        },
        uncached: async () => {
          const run = await cliOnce(certs, pki, app, 'off');
          if (!run.ok) uncachedErrors++;
          return run.to200;
        },
        bare: async () => {
          const run = await processOnce([BARE_HTTPS_PROCESS, bareSetup], pki, app);
          if (!run.ok) bareErrors++;
          return run.to200;
        },
        floor: async () => {
          const { ok, elapsed } = await nodeFloorOnce();
          if (!ok) floorErrors++;
          return elapsed;
        },
      },
      settings,
    );
    const baseline = { name: floorName, samples: samples.floor };
    const bare = { name: bareName, samples: samples.bare };
    return [
      summarize(to200Name, samples.cli, { baseline: bare, errors: cliErrors, target: { op: '<=', value: COLD_TARGET_RATIO, unit: 'ratio' } }),
      summarize(to200Name, samples.cli, { baseline, errors: cliErrors }),
      summarize(uncachedName, samples.uncached, { baseline: bare, errors: uncachedErrors }),
      summarize(toExitName, runs.slice(settings.warmup).map((run) => run.toExit), { baseline, errors: cliErrors }),
      summarize(bareName, samples.bare, { baseline, errors: bareErrors }),
      summarize(floorName, samples.floor, { errors: floorErrors }),
    ];
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export const startupSuite: BenchSuite = {
  name: 'startup',
  method:
    `In process, rounds interleave five tasks in rotating order, each one whole cycle timed: start a server, one GET ${PROBE_PATH} ` +
    `on a fresh mTLS connection (Node's https client, agent: false, the default app's certificate and lean-app-token; a 200 ` +
    `required), then close it. The servers: startLeanMock() with its defaults (a fresh EC P-256 PKI generated each time, admin ` +
    `API on an ephemeral loopback port); startLeanMock({ pki }) reusing one PKI; startLeanMock({ pki, adminPort: 'off' }); ` +
    `startTestMock() with its defaults (a fresh EC PKI, closed with its agents and temporary folder); and ` +
    `the floor, https.createServer with the gate's key and chain, CAs, CRLs, requestCert/rejectUnauthorized and HTTP limits on ` +
    `127.0.0.1:0 answering a fixed ${Buffer.byteLength(TINY_BODY)}-byte body. ${ROUNDS.inProcess.full.runs} rounds after ` +
    `${ROUNDS.inProcess.full.warmup} warm-ups (--quick: ${ROUNDS.inProcess.quick.runs} after ${ROUNDS.inProcess.quick.warmup}); ` +
    `ratios are medians of per-round ratios to the floor; phase rows split the fresh cycle into start (until listening), the ` +
    `first request and close. Cold CLI: rounds interleave spawning node dist/cli/main.js serve --port 0 --admin-port off --json ` +
    `--certs <folder written once by writePkiFolder>, timed from spawn to the first 200 (after the JSON ready line) and on to ` +
    `exit after SIGTERM (code 0 required), with the bin's V8 compile cache in a folder of the run's own (the first warm-up ` +
    `writes it, as a user's first run does) and, as its own task, with LEAN_MOCK_COMPILE_CACHE=off (every run a first run); ` +
    `against two floors in the same rounds: a bare node https process ` +
    `(bench/servers/bare-https.mjs: plain node, https.createServer with the gate's TLS options and the same certificates) ` +
    `timed the same way, spawn → JSON ready line → first mTLS 200 (issue 18's target: at most ${COLD_TARGET_RATIO}×), and ` +
    `the Node process floor, node -e "require('https')" from spawn to exit. ` +
    `${ROUNDS.cli.full.runs} rounds after ${ROUNDS.cli.full.warmup} warm-ups (--quick: ${ROUNDS.cli.quick.runs} after ` +
    `${ROUNDS.cli.quick.warmup}); skipped when dist/ is not built.`,
  async run({ quick }) {
    const pki = await createLeanPki();
    return [...(await measureInProcess(pki, quick)), ...(await measureCli(pki, quick))];
  },
};
