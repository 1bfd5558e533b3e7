import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { loadBanks } from '../src/lean/banks.js';
import { writePkiFolder } from '../src/pki/folder.js';
import { certificateAndChain, createLeanPki, defaultApp, type LeanPki } from '../src/pki/lean-pki.js';
import { toPkcs12 } from '../src/pki/pkcs12.js';
import { startLeanMock } from '../src/server/lean-mock.js';
import { interleave, skipped, summarize, type BenchResult, type BenchSuite, type Task } from './suite.js';
import { clientContext, fetchOnce, handshakeRun, keepAliveRun, rawGet, RunLog, type Probe } from './tls-load.js';

/**
 * lean-mock against other mock servers serving the same stub for GET /banks/v1 over HTTPS with
 * required client certificates from the lean-mock PKI: mountebank (an https imposter with
 * mutualAuth) and WireMock (the npm package's standalone jar under java). Each peer runs as its
 * own process on free 127.0.0.1 ports; every process started here is stopped at the end.
 */

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CLI_PATH = join(ROOT, 'dist/cli/main.js');
const MB_PATH = join(ROOT, 'node_modules/mountebank/bin/mb');
const WIREMOCK_DIR = join(ROOT, 'node_modules/wiremock/build');
const PROBE_PATH = '/banks/v1';
const BODY = JSON.stringify(loadBanks());
const BODY_BYTES = Buffer.byteLength(BODY);
/** WireMock wants this password on its trust store; the key store uses it too, for simplicity. */
const STORE_PASSWORD = 'password';

/** Not measured: mockttp 4 declares an optional per-platform dependency that npm 11 leaves out of the lock, so `npm ci` fails. */
const MOCKTTP_REASON = 'not installable with npm ci here (its optional dependency tls-impersonate is missing from the lock npm 11 writes, and npm ci refuses it)';

const HANDSHAKE_LOOPS = 8;
const KEEP_ALIVE_CONNECTIONS = 16;
/** Bounds on a peer: to answer its first 200, and to exit after SIGTERM before SIGKILL. */
const START_LIMIT_MS = 60_000;
const STOP_LIMIT_MS = 5_000;

const ROUNDS = {
  start: { full: { runs: 5, warmup: 1 }, quick: { runs: 2, warmup: 1 } },
  load: { full: { seconds: 1, runs: 5, warmup: 1 }, quick: { seconds: 0.4, runs: 3, warmup: 1 } },
} as const;

type PeerName = 'mountebank' | 'wiremock';

/** A peer process answering on `port` (mTLS), stopped by `stop()`. */
interface Running {
  port: number;
  stop(): Promise<void>;
}

/** Every child started by the suite, so a failure anywhere still stops them all. */
const children = new Set<ChildProcess>();

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function launch(command: string, args: string[], cwd: string): { child: ChildProcess; output: () => string } {
  const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  child.once('exit', () => children.delete(child));
  let output = '';
  const keep = (chunk: Buffer): void => {
    if (output.length < 8_000) output += chunk.toString('utf8');
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  child.once('error', (error) => (output += `\n${error.message}`));
  return { child, output: () => output };
}

/** SIGTERM, then SIGKILL past the limit; resolves once the child has exited. */
async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_LIMIT_MS);
  await exited;
  clearTimeout(timer);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `attempt` until it returns true, the child dies, or the start limit passes. */
async function until(child: ChildProcess, output: () => string, what: string, attempt: () => Promise<boolean>): Promise<void> {
  const deadline = performance.now() + START_LIMIT_MS;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`exited (${child.exitCode ?? child.signalCode}) before ${what}: ${lastLine(output())}`);
    }
    if (await attempt().catch(() => false)) return;
    if (performance.now() > deadline) throw new Error(`no ${what} within ${START_LIMIT_MS / 1000} s: ${lastLine(output())}`);
    await sleep(10);
  }
}

const lastLine = (text: string): string => text.trim().split('\n').filter(Boolean).slice(-1)[0]?.slice(0, 200) ?? '(no output)';

/** One mTLS GET /banks/v1 with the default app's certificate: true for a 200 with the bank list. */
async function answers(pki: LeanPki, port: number): Promise<boolean> {
  const reply = await fetchOnce(port, pki, defaultApp(pki), PROBE_PATH);
  return reply.status === 200 && JSON.stringify(JSON.parse(reply.body)) === BODY;
}

/** Refused without a client certificate: what "required client certificates" means, checked once per peer. */
async function refusesAnonymous(pki: LeanPki, port: number): Promise<boolean> {
  const { request } = await import('node:https');
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path: PROBE_PATH, servername: 'localhost', ca: pki.chainPem, agent: false }, (res) => {
      res.resume();
      resolve(false);
    });
    req.on('error', () => resolve(true));
    req.setTimeout(10_000, () => req.destroy(new Error('timeout')));
    req.end();
  });
}

async function postJson(url: string, body: unknown): Promise<void> {
  const reply = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!reply.ok) throw new Error(`POST ${url} answered ${reply.status}: ${(await reply.text()).slice(0, 200)}`);
  await reply.arrayBuffer();
}

/** Files a peer reads, built once per run (untimed): PEMs for mountebank, PKCS#12 stores for WireMock. */
interface Material {
  dir: string;
  pki: LeanPki;
  certsDir: string;
  keystore: string;
  truststore: string;
}

async function prepare(pki: LeanPki): Promise<Material> {
  const dir = await mkdtemp(join(tmpdir(), 'lean-mock-bench-peers-'));
  const certsDir = join(dir, 'certs');
  await writePkiFolder(pki, certsDir);
  const keystore = join(dir, 'server.p12');
  await writeFile(
    keystore,
    toPkcs12({
      keyPem: pki.server.privateKeyPem,
      certificatePems: [pki.server.certificatePem, pki.intermediate.certificatePem, pki.root.certificatePem],
      password: STORE_PASSWORD,
      friendlyName: 'server',
    }),
  );
  // A PKCS#12 trust store of certificate entries only: keytool writes what Java's TrustManager reads.
  const truststore = join(dir, 'trust.p12');
  const run = promisify(execFile);
  for (const [alias, pem] of [
    ['lean-mock-root', pki.root.certificatePem],
    ['lean-mock-intermediate', pki.intermediate.certificatePem],
  ] as const) {
    const file = join(dir, `${alias}.pem`);
    await writeFile(file, pem);
    await run('keytool', ['-importcert', '-noprompt', '-storetype', 'PKCS12', '-keystore', truststore, '-storepass', STORE_PASSWORD, '-alias', alias, '-file', file]);
  }
  return { dir, pki, certsDir, keystore, truststore };
}

/** mountebank: `mb` on a free port, then one https imposter with mutualAuth posted to its REST API. */
async function startMountebank(m: Material): Promise<Running> {
  const [apiPort, port] = [await freePort(), await freePort()];
  const { child, output } = launch(
    process.execPath,
    [MB_PATH, '--port', String(apiPort), '--localOnly', '--nologfile', '--loglevel', 'error', '--pidfile', join(m.dir, `mb-${apiPort}.pid`)],
    m.dir,
  );
  try {
    await until(child, output, 'REST API', async () => (await fetch(`http://127.0.0.1:${apiPort}/imposters`)).ok);
    await postJson(`http://127.0.0.1:${apiPort}/imposters`, {
      protocol: 'https',
      port,
      host: '127.0.0.1',
      key: m.pki.server.privateKeyPem,
      cert: certificateAndChain(m.pki, m.pki.server),
      mutualAuth: true,
      rejectUnauthorized: true,
      ca: [m.pki.intermediate.certificatePem, m.pki.root.certificatePem],
      recordRequests: false,
      stubs: [
        {
          predicates: [{ equals: { method: 'GET', path: PROBE_PATH } }],
          responses: [
            {
              is: {
                statusCode: 200,
                // mountebank answers Connection: close unless told otherwise.
                headers: { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': String(BODY_BYTES), Connection: 'keep-alive' },
                body: BODY,
              },
            },
          ],
        },
      ],
    });
    await until(child, output, 'mTLS 200', () => answers(m.pki, port));
  } catch (error) {
    await stopChild(child);
    throw error;
  }
  return { port, stop: () => stopChild(child) };
}

/** WireMock: the standalone jar with an HTTPS port requiring client certificates, the stub posted to its admin API. */
async function startWireMock(m: Material, jar: string): Promise<Running> {
  const [adminPort, port] = [await freePort(), await freePort()];
  const { child, output } = launch(
    'java',
    [
      '-jar', jar,
      '--bind-address', '127.0.0.1',
      '--port', String(adminPort),
      '--https-port', String(port),
      '--https-keystore', m.keystore,
      '--keystore-type', 'PKCS12',
      '--keystore-password', STORE_PASSWORD,
      '--key-manager-password', STORE_PASSWORD,
      '--https-require-client-cert',
      '--https-truststore', m.truststore,
      '--truststore-type', 'PKCS12',
      '--truststore-password', STORE_PASSWORD,
      '--root-dir', m.dir,
      '--disable-banner',
      '--disable-request-logging',
      '--no-request-journal',
      '--use-chunked-encoding', 'never',
    ],
    m.dir,
  );
  try {
    await until(child, output, 'admin API', async () => (await fetch(`http://127.0.0.1:${adminPort}/__admin/health`)).ok);
    await postJson(`http://127.0.0.1:${adminPort}/__admin/mappings`, {
      request: { method: 'GET', urlPath: PROBE_PATH },
      response: { status: 200, headers: { 'Content-Type': 'application/json; charset=utf-8' }, body: BODY },
    });
    await until(child, output, 'mTLS 200', () => answers(m.pki, port));
  } catch (error) {
    await stopChild(child);
    throw error;
  }
  return { port, stop: () => stopChild(child) };
}

/** The lean-mock process baseline: `lean-mock serve` on the certificate folder, ready line, first 200. */
async function startLeanMockCli(m: Material): Promise<Running> {
  const { child, output } = launch(process.execPath, [CLI_PATH, 'serve', '--port', '0', '--admin-port', 'off', '--json', '--certs', m.certsDir], m.dir);
  try {
    let port = 0;
    await until(child, output, 'ready line', async () => {
      const line = output().split('\n').find((l) => l.startsWith('{'));
      if (line) port = Number(new URL((JSON.parse(line) as { url: string }).url).port);
      return port > 0;
    });
    await until(child, output, 'mTLS 200', () => answers(m.pki, port));
    return { port, stop: () => stopChild(child) };
  } catch (error) {
    await stopChild(child);
    throw error;
  }
}

async function startLeanMockInProcess(m: Material): Promise<Running> {
  const mock = await startLeanMock({ pki: m.pki, adminPort: 'off' });
  if (!(await answers(m.pki, mock.port))) {
    await mock.close();
    throw new Error('lean-mock did not answer the bank list');
  }
  return { port: mock.port, stop: () => mock.close() };
}


const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error)).replace(/\s+/g, ' ').slice(0, 240);

async function measure(quick: boolean): Promise<BenchResult[]> {
  const pki = await createLeanPki();
  const m = await prepare(pki);
  const jar = existsSync(WIREMOCK_DIR) ? (await import('node:fs')).readdirSync(WIREMOCK_DIR).find((f) => f.endsWith('.jar')) : undefined;
  const starters: Record<PeerName, () => Promise<Running>> = {
    mountebank: () => startMountebank(m),
    wiremock: jar ? () => startWireMock(m, join(WIREMOCK_DIR, jar)) : () => Promise.reject(new Error('node_modules/wiremock has no jar (npm install)')),
  };
  const labels: Record<PeerName, string> = {
    mountebank: `mountebank ${await version('mountebank')} (mb process)`,
    wiremock: `WireMock ${await version('wiremock')} (java -jar)`,
  };
  const useCli = existsSync(CLI_PATH);
  const startLean = useCli ? () => startLeanMockCli(m) : () => startLeanMockInProcess(m);
  const leanStartLabel = useCli ? 'lean-mock (serve --certs process)' : 'lean-mock (startLeanMock in process; dist/ not built)';
  const results: BenchResult[] = [];
  try {
    // One untimed start per peer: it checks the stub, the mTLS refusal without a certificate, and leaves the instance used for the load figures.
    const running = new Map<PeerName, Running>();
    const failed = new Map<PeerName, string>();
    for (const name of Object.keys(starters) as PeerName[]) {
      try {
        const peer = await starters[name]();
        running.set(name, peer);
        if (!(await refusesAnonymous(pki, peer.port))) {
          running.delete(name);
          await peer.stop();
          failed.set(name, 'answered without a client certificate (mTLS not enforced)');
        }
      } catch (error) {
        failed.set(name, errorText(error));
      }
    }
    for (const [name, reason] of failed) process.stderr.write(`peers: ${name} failed to start: ${reason}\n`);
    const ok = [...running.keys()];

    // Start → first 200, interleaved; each timed start is stopped (untimed) at once.
    const startSettings = ROUNDS.start[quick ? 'quick' : 'full'];
    const startErrors = new Map<string, number>();
    const cycle =
      (key: string, start: () => Promise<Running>): Task =>
      async () => {
        const t0 = performance.now();
        let elapsed: number;
        try {
          const peer = await start();
          elapsed = performance.now() - t0;
          await peer.stop();
        } catch (error) {
          elapsed = performance.now() - t0;
          startErrors.set(key, (startErrors.get(key) ?? 0) + 1);
          process.stderr.write(`peers: ${key} start failed: ${errorText(error)}\n`);
        }
        return elapsed;
      };
    const startTasks: Record<string, Task> = { lean: cycle('lean', startLean) };
    for (const name of ok) startTasks[name] = cycle(name, starters[name]);
    const starts = await interleave(startTasks, startSettings);

    const st = 'start → first mTLS 200, ms';
    const leanStartName = `${st}: ${leanStartLabel}`;
    const startBaseline = { name: leanStartName, samples: starts.lean! };
    results.push(summarize(leanStartName, starts.lean!, { errors: startErrors.get('lean') ?? 0 }));
    for (const name of Object.keys(starters) as PeerName[]) {
      const row = `${st}: ${labels[name]}`;
      const reason = failed.get(name);
      results.push(reason ? skipped(row, `failed to start: ${reason}`) : summarize(row, starts[name]!, { baseline: startBaseline, errors: startErrors.get(name) ?? 0 }));
    }
    results.push(skipped(`${st}: mockttp (in process, plain HTTPS)`, MOCKTTP_REASON));

    // Load: lean-mock in this process against each running peer, one pair of tasks per figure, interleaved.
    const settings = ROUNDS.load[quick ? 'quick' : 'full'];
    const app = defaultApp(pki);
    const context = clientContext(pki, app);
    const closing = rawGet(PROBE_PATH, app.appToken, true);
    const persistent: Probe = { request: rawGet(PROBE_PATH, app.appToken), bytes: BODY_BYTES };
    const lean = await startLeanMockInProcess(m);
    try {
      const log = new RunLog<string>(settings.warmup);
      const hsTasks: Record<string, Task> = { lean: log.task('hs:lean', () => handshakeRun(lean.port, context, closing, settings.seconds, HANDSHAKE_LOOPS)) };
      const kaTasks: Record<string, Task> = {
        lean: log.task('ka:lean', () => keepAliveRun(lean.port, context, persistent, settings.seconds, KEEP_ALIVE_CONNECTIONS)),
      };
      for (const name of ok) {
        const port = running.get(name)!.port;
        hsTasks[name] = log.task(`hs:${name}`, () => handshakeRun(port, context, closing, settings.seconds, HANDSHAKE_LOOPS));
        kaTasks[name] = log.task(`ka:${name}`, () => keepAliveRun(port, context, persistent, settings.seconds, KEEP_ALIVE_CONNECTIONS));
      }
      const hs = await interleave(hsTasks, settings);
      const ka = await interleave(kaTasks, settings);
      for (const [group, prefix, rates] of [
        ['full mTLS handshake + GET /banks/v1 (Connection: close), /s', 'hs', hs],
        [`keep-alive GET /banks/v1 ×${KEEP_ALIVE_CONNECTIONS}, /s`, 'ka', ka],
      ] as const) {
        const leanName = `${group}: lean-mock (in process)`;
        results.push(summarize(leanName, rates.lean!, { unit: 'req/s', errors: log.errors(`${prefix}:lean`) }));
        for (const name of Object.keys(starters) as PeerName[]) {
          const row = `${group}: ${labels[name]}`;
          const reason = failed.get(name);
          results.push(
            reason
              ? skipped(row, `failed to start: ${reason}`, 'req/s')
              : summarize(row, rates[name]!, { unit: 'req/s', baseline: { name: leanName, samples: rates.lean! }, errors: log.errors(`${prefix}:${name}`) }),
          );
        }
        results.push(skipped(`${group}: mockttp`, MOCKTTP_REASON, 'req/s'));
      }
    } finally {
      await lean.stop();
      await Promise.all([...running.values()].map((peer) => peer.stop()));
    }
  } finally {
    await Promise.all([...children].map((child) => stopChild(child)));
    await rm(m.dir, { recursive: true, force: true });
  }
  return results;
}

async function version(pkg: string): Promise<string> {
  try {
    return (JSON.parse(await readFile(join(ROOT, 'node_modules', pkg, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return '(not installed)';
  }
}

export const peersSuite: BenchSuite = {
  name: 'peers',
  method:
    `lean-mock against other mock servers, each serving GET ${PROBE_PATH} with the same ${BODY_BYTES} bytes of bank-list JSON over ` +
    `HTTPS with required client certificates from one lean-mock PKI (server certificate pki.server, client CAs intermediate + root), ` +
    `on free 127.0.0.1 ports: mountebank (node mb, an https imposter with mutualAuth and rejectUnauthorized posted to its REST API) and ` +
    `WireMock (the wiremock npm package's standalone jar under java 17, --https-require-client-cert, PKCS#12 key store from toPkcs12 ` +
    `and PKCS#12 trust store from keytool, the mapping posted to its admin API, chunked encoding off). Before timing, each peer is ` +
    `checked to answer the bank list to the default app and to refuse a client without a certificate; a peer that fails is a row ` +
    `"failed to start" with the reason. Start → first 200: spawn (or startLeanMock) until the first mTLS GET answers 200 with the ` +
    `bank list, the stub posting included, polled every 10 ms; baseline lean-mock's CLI (serve --certs, admin off) as a process like ` +
    `the peers; ${ROUNDS.start.full.runs} interleaved rounds after ${ROUNDS.start.full.warmup} warm-up (--quick: ` +
    `${ROUNDS.start.quick.runs} after ${ROUNDS.start.quick.warmup}). Rates: lean-mock in this process (startLeanMock, admin off) ` +
    `against one running instance of each peer, interleaved per figure for ${ROUNDS.load.full.seconds} s a round, ` +
    `${ROUNDS.load.full.runs} rounds after ${ROUNDS.load.full.warmup} warm-up (--quick: ${ROUNDS.load.quick.runs} rounds of ` +
    `${ROUNDS.load.quick.seconds} s): ${HANDSHAKE_LOOPS} loops of fresh full mTLS handshakes each sending one GET with Connection: close ` +
    `(counted on a 200 status line), and ${KEEP_ALIVE_CONNECTIONS} keep-alive connections (replies of exactly the body size counted). ` +
    `The client shares lean-mock's event loop while the peers run in their own processes (and WireMock on many JVM threads), which ` +
    `favours the peers in the rate ratios. mockttp was not measured: ${MOCKTTP_REASON}.`,
  async run({ quick }) {
    return measure(quick);
  },
};
