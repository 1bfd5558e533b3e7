import { existsSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { createLeanPki } from '../src/pki/lean-pki.js';
import { loadMockttp, type MockttpReference } from './mockttp-peer.js';
import {
  BODY_BYTES,
  CLI_PATH,
  PROBE_PATH,
  dispose,
  prepare,
  refusesAnonymous,
  startLeanMockCli,
  startLeanMockInProcess,
  startMountebank,
  startWireMock,
  wiremockJar,
  type Running,
} from './peer-servers.js';
import { ensurePeersInstalled, peerVersion } from './peer-install.js';
import { errorText, stopAllChildren } from './processes.js';
import { interleave, skipped, summarize, type BenchResult, type BenchSuite, type Task } from './suite.js';
import { RATE_ROUNDS, rates } from './peer-rates.js';
import { HANDSHAKE_LOOPS, KEEP_ALIVE_CONNECTIONS } from './tls-load.js';

/**
 * lean-mock against other mock servers serving the same stub for GET /banks/v1 (bench/peer-servers.ts):
 * mountebank and WireMock as processes with mutual TLS on the same certificates, and mockttp in
 * this process as the reference for an in-process HTTPS mock (server-only TLS: it has no client
 * certificates). Every process started here is stopped at the end.
 */


const ROUNDS = {
  start: { full: { runs: 5, warmup: 1 }, quick: { runs: 2, warmup: 1 } },
  inProcess: { full: { runs: 20, warmup: 2 }, quick: { runs: 5, warmup: 1 } },
} as const;

type PeerName = 'mountebank' | 'wiremock';


/** Start → first 200 as a task: the start is timed, the stop is not; a failed start is counted and still resolves its time. */
function startCycle(key: string, start: () => Promise<Running>, errors: Map<string, number>): Task {
  return async () => {
    const t0 = performance.now();
    let elapsed: number;
    try {
      const server = await start();
      elapsed = performance.now() - t0;
      await server.stop();
    } catch (error) {
      elapsed = performance.now() - t0;
      errors.set(key, (errors.get(key) ?? 0) + 1);
      process.stderr.write(`peers: ${key} start failed: ${errorText(error)}\n`);
    }
    return elapsed;
  };
}

/** mockttp loaded and started once (untimed): it warms its process-wide leaf key and checks the stub, or says why it cannot run. */
async function mockttpOrReason(): Promise<MockttpReference | string> {
  try {
    const reference = await loadMockttp();
    await (await reference.start()).stop();
    return reference;
  } catch (error) {
    const reason = `failed to start: ${errorText(error)}`;
    process.stderr.write(`peers: mockttp ${reason}\n`);
    return reason;
  }
}

async function measure(quick: boolean): Promise<BenchResult[]> {
  await ensurePeersInstalled();
  const pki = await createLeanPki();
  const m = await prepare(pki);
  const jar = wiremockJar();
  const starters: Record<PeerName, () => Promise<Running>> = {
    mountebank: () => startMountebank(m),
    wiremock: jar ? () => startWireMock(m, jar) : () => Promise.reject(new Error('bench/peers/node_modules/wiremock has no jar')),
  };
  const labels: Record<PeerName, string> = {
    mountebank: `mountebank ${await peerVersion('mountebank')} (mb process)`,
    wiremock: `WireMock ${await peerVersion('wiremock')} (java -jar)`,
  };
  const mockttpLabel = `mockttp ${await peerVersion('mockttp')}`;
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
    const mockttp = await mockttpOrReason();
    const startErrors = new Map<string, number>();

    // Processes: start → first 200, interleaved; each timed start is stopped (untimed) at once.
    const startTasks: Record<string, Task> = { lean: startCycle('lean', startLean, startErrors) };
    for (const name of ok) startTasks[name] = startCycle(name, starters[name], startErrors);
    const starts = await interleave(startTasks, ROUNDS.start[quick ? 'quick' : 'full']);
    const st = 'start → first mTLS 200, ms';
    const leanStartName = `${st}: ${leanStartLabel}`;
    results.push(summarize(leanStartName, starts.lean!, { errors: startErrors.get('lean') ?? 0 }));
    for (const name of Object.keys(starters) as PeerName[]) {
      const row = `${st}: ${labels[name]}`;
      const reason = failed.get(name);
      results.push(
        reason
          ? skipped(row, `failed to start: ${reason}`)
          : summarize(row, starts[name]!, { baseline: { name: leanStartName, samples: starts.lean! }, errors: startErrors.get(name) ?? 0 }),
      );
    }

    // In process: lean-mock with a PKI made once against mockttp with a CA made once, start → first 200.
    const ip = 'in-process start → first 200, ms';
    // No ': ' in the figure part: tables show a baseline by the text after its last one.
    const leanInName = `${ip}: lean-mock startLeanMock({ pki }), admin API off (mTLS)`;
    const mockttpInName = `${ip}: ${mockttpLabel} getLocal({ https }) + start(0) + rule (server-only TLS, no client certificates)`;
    const inTasks: Record<string, Task> = { lean: startCycle('in-process lean', () => startLeanMockInProcess(m), startErrors) };
    if (typeof mockttp !== 'string') inTasks.mockttp = startCycle('mockttp', mockttp.start, startErrors);
    const inProcess = await interleave(inTasks, ROUNDS.inProcess[quick ? 'quick' : 'full']);
    results.push(
      summarize(leanInName, inProcess.lean!, { errors: startErrors.get('in-process lean') ?? 0 }),
      typeof mockttp === 'string'
        ? skipped(mockttpInName, mockttp)
        : summarize(mockttpInName, inProcess.mockttp!, { baseline: { name: leanInName, samples: inProcess.lean! }, errors: startErrors.get('mockttp') ?? 0 }),
    );

    // Rates: every server its own process, each load one run of the load client in a process of its own.
    results.push(...(await rates(m, quick, running, failed, labels, mockttp, mockttpLabel)));
  } finally {
    await stopAllChildren();
    await dispose(m);
  }
  return results;
}

export const peersSuite: BenchSuite = {
  name: 'peers',
  method:
    `lean-mock against other mock servers, each serving GET ${PROBE_PATH} with the same ${BODY_BYTES} bytes of bank-list JSON. ` +
    `mountebank and WireMock run over HTTPS with required client certificates from one lean-mock PKI (server certificate ` +
    `pki.server, client CAs intermediate + root), each as its own process on free 127.0.0.1 ports: mountebank (node mb, an https ` +
    `imposter with mutualAuth and rejectUnauthorized posted to its REST API) and WireMock (the wiremock npm package's standalone jar ` +
    `under java 17, --https-require-client-cert, PKCS#12 key store from toPkcs12 and PKCS#12 trust store from keytool, the mapping ` +
    `posted to its admin API, chunked encoding off). Before timing, each is checked to answer the bank list to the default app and to ` +
    `refuse a client without a certificate; a peer that fails is a row "failed to start" with the reason. Start → first 200 of a ` +
    `process: spawn until the first mTLS GET answers 200 with the bank list, the stub posting included, polled every 10 ms; baseline ` +
    `lean-mock's CLI (serve --certs, admin off) as a process like the peers; ${ROUNDS.start.full.runs} interleaved rounds after ` +
    `${ROUNDS.start.full.warmup} warm-up (--quick: ${ROUNDS.start.quick.runs} after ${ROUNDS.start.quick.warmup}). mockttp is the ` +
    `in-process reference and has no client-certificate enforcement: it serves server-only TLS with a certificate it issues itself ` +
    `from a CA (mockttp imports only RSA CA keys, so it gets its own generateCACertificate() RSA-2048 CA, made once before timing, as ` +
    `lean-mock's starts reuse one PKI; its process-wide leaf key is made in an untimed first start). In-process start → first 200: ` +
    `getLocal({ https: { key, cert } }) + start(0) (the OS's ephemeral port, as lean-mock's port 0, rather than mockttp's default ` +
    `probe upwards from 8000; mockttp takes no host and listens on every interface, dialled on 127.0.0.1) + ` +
    `forGet(${PROBE_PATH}).thenReply(200, the same body and a content-length) until Node's https client ` +
    `(fresh connection, trusting that CA) has the bank list, against startLeanMock({ pki, adminPort: 'off' }) until the same GET with ` +
    `the app's certificate and token answers it; stops untimed; ${ROUNDS.inProcess.full.runs} interleaved rounds after ` +
    `${ROUNDS.inProcess.full.warmup} warm-ups (--quick: ${ROUNDS.inProcess.quick.runs} after ${ROUNDS.inProcess.quick.warmup}). ` +
    `Rates, fair: every server runs as a process of its own and one load generator drives it from another process ` +
    `(bench/load-client.ts under node --import tsx, spawned per run by bench/load-runs.ts), so no server shares the client's event ` +
    `loop or another server's work: lean-mock's CLI (serve --certs, admin off), the bare https and bare express 5 floors ` +
    `(bench/servers/bare-https.mjs, bare-express.mjs: plain node, the gate's TLS options, same certificates and body), mountebank and ` +
    `WireMock as above, and mockttp (bench/servers/mockttp.mjs: server-only TLS from its own RSA CA, no client certificate offered, ` +
    `since it cannot request one; its rows say so). Each server is started once and checked (the bank list to the default app; the ` +
    `mTLS ones refuse a client without a certificate). Two loads, each a round of every server in rotating order, ` +
    `${RATE_ROUNDS.full.seconds} s a run, ${RATE_ROUNDS.full.runs} rounds after ${RATE_ROUNDS.full.warmup} warm-up (--quick: ` +
    `${RATE_ROUNDS.quick.runs} rounds of ${RATE_ROUNDS.quick.seconds} s): ${HANDSHAKE_LOOPS} loops of fresh full handshakes (no ` +
    `session resumed), each one GET with Connection: close counted on a 200 status line, latency dial → status line; and ` +
    `${KEEP_ALIVE_CONNECTIONS} keep-alive connections (opened untimed) sending GETs back to back, a reply counted when it is a 200 of ` +
    `exactly the body size, latency request → reply read whole. Rates are medians over rounds, p99 rows medians of per-round p99s. ` +
    `Ratios are medians of per-round ratios: lean-mock against bare https and against bare express 5, bare express against bare ` +
    `https, and the other mocks against lean-mock (above 1× for a rate, below 1× for a p99, a mock would beat lean-mock). The ` +
    `machine has 2 cores, so the client and the server under load each have about one; WireMock's JVM spreads over both.`,
  async run({ quick }) {
    return measure(quick);
  },
};
