import { loadBanks } from '../src/lean/banks.js';
import { createLeanPki, type AppIdentity, type LeanPki } from '../src/pki/lean-pki.js';
import { interleave, summarize, type BenchResult, type BenchSuite } from './suite.js';
import { HANDSHAKE_LOOPS, KEEP_ALIVE_CONNECTIONS, clientContext, expressLikeLeanMock, fetchOnce, handshakeRun, keepAliveRun, rawGet, RunLog, startBare, withLeanMock, type Endpoint, type Outcome, type Probe } from './tls-load.js';

/** Concurrent fresh-connection loops, and concurrent persistent connections. */

const ROUNDS = {
  full: { seconds: 1, runs: 10, warmup: 1 },
  quick: { seconds: 0.4, runs: 3, warmup: 1 },
} as const;

/** The targets: lean-mock as a fraction of its floor's rate. */
const TARGET = { handshakes: 0.9, keepAlive: 0.8 } as const;

// The same bytes lean-mock answers: the floors then differ from it only in the work done per request.
const BARE_BODY = JSON.stringify(loadBanks());

function startBareHttps(pki: LeanPki): Promise<Endpoint> {
  const headers = { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(BARE_BODY) };
  return startBare(pki, (_req, res) => {
    res.writeHead(200, headers);
    res.end(BARE_BODY);
  });
}

/** Express with lean-mock's app settings (no etag, no x-powered-by) and one route: the floor for the same reply through express. */
function startBareExpress(pki: LeanPki): Promise<Endpoint> {
  const banks = loadBanks();
  const app = expressLikeLeanMock();
  app.get('/banks/v1', (_req, res) => {
    res.json(banks);
  });
  return startBare(pki, app);
}

/** One request to each server with Node's own client, to check each answers what the bench assumes. */
async function checkReplies(pki: LeanPki, app: AppIdentity, ports: { lean: number; express: number; https: number }): Promise<void> {
  const expected = JSON.stringify(loadBanks());
  const fetchBanks = (port: number) => fetchOnce(port, pki, app, '/banks/v1');
  const [lean, bareExpress, https] = await Promise.all([fetchBanks(ports.lean), fetchBanks(ports.express), fetchBanks(ports.https)]);
  const same = (body: string): boolean => JSON.stringify(JSON.parse(body)) === expected;
  if (lean.status !== 200 || !same(lean.body)) throw new Error(`lean-mock answered ${lean.status}, not the bank list`);
  if (bareExpress.status !== 200 || !same(bareExpress.body)) throw new Error(`bare express answered ${bareExpress.status}, not the bank list`);
  if (https.status !== 200 || !same(https.body)) throw new Error(`bare https answered ${https.status}, not the bank list`);
}

type TaskName = 'tlsLean' | 'tlsHttps' | 'hsLean' | 'hsHttps' | 'hsExpress' | 'kaLean' | 'kaExpress' | 'kaHttps' | 'soloLean' | 'soloExpress';

async function measure(quick: boolean): Promise<BenchResult[]> {
  const settings = ROUNDS[quick ? 'quick' : 'full'];
  const pki = await createLeanPki();
  const app = pki.apps[0]!;
  // Handshakes stay full because no session is passed.
  const context = clientContext(pki, app);
  const closing = rawGet('/banks/v1', app.appToken, true);
  // Any 200 counts: every server here answers the same bank list, checked once before timing.
  const persistent: Probe = { request: rawGet('/banks/v1', app.appToken) };

  return withLeanMock(pki, async (lean, keep) => {
    const bareHttps = keep(await startBareHttps(pki));
    const bareExpress = keep(await startBareExpress(pki));
    await checkReplies(pki, app, { lean: lean.port, express: bareExpress.port, https: bareHttps.port });

    // interleave() keeps each task's resolved number (here a rate); the rest of each run is kept in the log. Each
    // figure is interleaved only with the ones it is compared with, so a pair runs back to back and load drift on
    // this shared machine hits both alike.
    const log = new RunLog<TaskName>(settings.warmup);
    const task = (name: TaskName, run: () => Promise<Outcome>) => log.task(name, run);
    const { seconds } = settings;
    const rates = {
      ...(await interleave(
        {
          tlsLean: task('tlsLean', () => handshakeRun(lean.port, context, null, seconds, HANDSHAKE_LOOPS)),
          tlsHttps: task('tlsHttps', () => handshakeRun(bareHttps.port, context, null, seconds, HANDSHAKE_LOOPS)),
        },
        settings,
      )),
      ...(await interleave(
        {
          hsLean: task('hsLean', () => handshakeRun(lean.port, context, closing, seconds, HANDSHAKE_LOOPS)),
          hsHttps: task('hsHttps', () => handshakeRun(bareHttps.port, context, closing, seconds, HANDSHAKE_LOOPS)),
          hsExpress: task('hsExpress', () => handshakeRun(bareExpress.port, context, closing, seconds, HANDSHAKE_LOOPS)),
        },
        settings,
      )),
      ...(await interleave(
        {
          kaLean: task('kaLean', () => keepAliveRun(lean.port, context, persistent, seconds, KEEP_ALIVE_CONNECTIONS)),
          kaExpress: task('kaExpress', () => keepAliveRun(bareExpress.port, context, persistent, seconds, KEEP_ALIVE_CONNECTIONS)),
          kaHttps: task('kaHttps', () => keepAliveRun(bareHttps.port, context, persistent, seconds, KEEP_ALIVE_CONNECTIONS)),
        },
        settings,
      )),
      ...(await interleave(
        {
          soloLean: task('soloLean', () => keepAliveRun(lean.port, context, persistent, seconds, 1)),
          soloExpress: task('soloExpress', () => keepAliveRun(bareExpress.port, context, persistent, seconds, 1)),
        },
        settings,
      )),
    };


    const hs = 'mTLS handshake + GET, /s';
    const ka = `keep-alive GET /banks/v1 ×${KEEP_ALIVE_CONNECTIONS}, /s`;
    const rateResult = (name: string, key: TaskName, extra: Parameters<typeof summarize>[2] = {}): BenchResult =>
      summarize(name, rates[key], { unit: 'req/s', errors: log.errors(key), ...extra });
    const tls = 'full mTLS handshakes, /s';
    const results = [
      rateResult(`${tls}: lean-mock`, 'tlsLean', {
        baseline: { name: `${tls}: bare https`, samples: rates.tlsHttps },
        target: { op: '>=', value: TARGET.handshakes, unit: 'ratio' },
      }),
      rateResult(`${tls}: bare https`, 'tlsHttps'),
      rateResult(`${hs}: lean-mock`, 'hsLean', { baseline: { name: `${hs}: bare https`, samples: rates.hsHttps } }),
      rateResult(`${hs}: bare https`, 'hsHttps'),
      // The same stack minus the gate and lean-mock's app: splits lean-mock's gap into TLS-plus-reply and the rest.
      rateResult(`${hs}: bare express 5`, 'hsExpress', { baseline: { name: `${hs}: bare https`, samples: rates.hsHttps } }),
      rateResult(`${ka}: lean-mock`, 'kaLean', {
        baseline: { name: `${ka}: bare express 5`, samples: rates.kaExpress },
        target: { op: '>=', value: TARGET.keepAlive, unit: 'ratio' },
      }),
      rateResult(`${ka}: bare express 5`, 'kaExpress'),
      rateResult(`${ka}: bare https (same body)`, 'kaHttps'),
    ];
    for (const [label, lean, floor] of [
      ['1 conn', 'soloLean', 'soloExpress'],
      [`${KEEP_ALIVE_CONNECTIONS} conns`, 'kaLean', 'kaExpress'],
    ] as const) {
      for (const [q, tag] of [[0.5, 'p50'], [0.99, 'p99']] as const) {
        const group = `keep-alive latency ${tag}, ${label}`;
        const floorSamples = log.latency(floor, q);
        // Latencies are of 200s only; the errors of the runs they come from flag them too.
        results.push(
          summarize(`${group}: lean-mock`, log.latency(lean, q), {
            baseline: { name: `${group}: bare express 5`, samples: floorSamples },
            errors: log.errors(lean),
          }),
          summarize(`${group}: bare express 5`, floorSamples, { errors: log.errors(floor) }),
        );
      }
    }
    return results;
  });
}

export const gatewaySuite: BenchSuite = {
  name: 'gateway',
  method:
    `lean-mock (startLeanMock, EC P-256 PKI, admin API off) against two floors in the same process, all on 127.0.0.1 ` +
    `ephemeral ports with the same server key and chain, CAs, CRLs, requestCert/rejectUnauthorized and HTTP limits: "bare https" ` +
    `(https.createServer answering the same ${Buffer.byteLength(BARE_BODY)} bytes of bank-list JSON, precomputed) and "bare express 5" (express with ` +
    `lean-mock's app settings, etag and x-powered-by off, and one route GET /banks/v1 answering the same bank list with res.json). ` +
    `Three groups of tasks; within a group, rounds run each task once, in rotating order, for ${ROUNDS.full.seconds} s: ` +
    `(0) handshakes alone, on lean-mock and bare https: the same loops, each connection closed when the server's session ` +
    `ticket arrives (sent only after the server has checked the client certificate), no HTTP: this is the target figure; ` +
    `(1) handshakes with one request, on lean-mock, bare https and bare express: ${HANDSHAKE_LOOPS} loops each opening a fresh TLS connection ` +
    `(one client SecureContext built once, no session passed, so every handshake is full), sending one GET /banks/v1 with the ` +
    `app token and closing after the status line; (2) keep-alive, on all three: ${KEEP_ALIVE_CONNECTIONS} persistent connections ` +
    `(opened untimed) sending GET /banks/v1 back to back, one request in flight each, every reply read whole; (3) unloaded ` +
    `latency, on lean-mock and bare express: one such connection alone. Rates count 200s only; any other reply or a lost ` +
    `connection is an error, which flags the row and fails its target. ${ROUNDS.full.runs} rounds per group after ` +
    `${ROUNDS.full.warmup} warm-up (--quick: ${ROUNDS.quick.runs} rounds of ${ROUNDS.quick.seconds} s). Figures are medians over ` +
    `rounds, latency rows medians of per-round percentiles, ratios medians of per-round ratios. The client (Node's TLS client ` +
    `and a minimal HTTP/1.1 reader) shares the servers' event loop, so its cost is inside every figure and identical for all ` +
    `servers: ratios compare end-to-end rates fairly but sit nearer 1 than server-only ratios would, and absolute rates are ` +
    `conservative.`,
  async run({ quick }) {
    return measure(quick);
  },
};
