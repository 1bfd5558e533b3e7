import { once } from 'node:events';
import { request as httpsRequest, createServer, type Server, type ServerOptions } from 'node:https';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { connect, createSecureContext, type SecureContext, type TLSSocket } from 'node:tls';
import express from 'express';
import { loadBanks } from '../src/lean/banks.js';
import { certificateAndChain, createLeanPki, type LeanPki } from '../src/pki/lean-pki.js';
import { startLeanMock } from '../src/server/lean-mock.js';
import { quantile } from './stats.js';
import { interleave, summarize, type BenchResult, type BenchSuite } from './suite.js';

/** Concurrent fresh-connection loops, and concurrent persistent connections. */
const HANDSHAKE_LOOPS = 8;
const KEEP_ALIVE_CONNECTIONS = 16;

const ROUNDS = {
  full: { seconds: 1, runs: 10, warmup: 1 },
  quick: { seconds: 0.4, runs: 3, warmup: 1 },
} as const;

/** The targets: lean-mock as a fraction of its floor's rate. */
const TARGET = { handshakes: 0.9, keepAlive: 0.8 } as const;

/** A run still busy this long after its deadline has a stuck server: its sockets are destroyed and count as errors. */
const STUCK_MS = 10_000;

/** The gate's HTTP limits (src/gateway/tls-server.ts), so the floors differ from lean-mock in nothing but the work done. */
const HTTP_LIMITS = { headersTimeout: 10_000, requestTimeout: 30_000, keepAliveTimeout: 5_000, maxHeaderSize: 16_384 };

// The same bytes lean-mock answers: the floors then differ from it only in the work done per request.
const BARE_BODY = JSON.stringify(loadBanks());

interface Endpoint {
  port: number;
  close(): Promise<void>;
}

/** The TLS and client-auth settings the gate uses in its default (`handshake` rejection) style. */
function bareServerOptions(pki: LeanPki): ServerOptions {
  return {
    key: pki.server.privateKeyPem,
    cert: certificateAndChain(pki, pki.server),
    ca: [pki.intermediate.certificatePem, pki.root.certificatePem],
    crl: [pki.root.crlPem, pki.intermediate.crlPem, pki.partnerIntermediate.crlPem],
    minVersion: 'TLSv1.2',
    maxVersion: 'TLSv1.3',
    requestCert: true,
    rejectUnauthorized: true,
    ...HTTP_LIMITS,
  };
}

async function listen(server: Server): Promise<Endpoint> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    port: (server.address() as AddressInfo).port,
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}

function startBareHttps(pki: LeanPki): Promise<Endpoint> {
  const headers = { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(BARE_BODY) };
  return listen(
    createServer(bareServerOptions(pki), (_req, res) => {
      res.writeHead(200, headers);
      res.end(BARE_BODY);
    }),
  );
}

/** Express with lean-mock's app settings (no etag, no x-powered-by) and one route: the floor for the same reply through express. */
function startBareExpress(pki: LeanPki): Promise<Endpoint> {
  const banks = loadBanks();
  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  app.get('/banks/v1', (_req, res) => {
    res.json(banks);
  });
  return listen(createServer(bareServerOptions(pki), app));
}

/** What a run did: operations that got a 200, those that did not, and the elapsed time. */
interface Outcome {
  ok: number;
  errors: number;
  seconds: number;
  /** Per-request ms, keep-alive runs only. */
  latencies: number[];
}

const rate = (outcome: Outcome): number => outcome.ok / outcome.seconds;

/** Destroys whatever is still open once a run overstays its deadline, so every run ends. */
function watchdog(sockets: Set<TLSSocket>, deadline: number): () => void {
  const timer = setTimeout(() => {
    for (const socket of sockets) socket.destroy(new Error('stuck past the deadline'));
  }, deadline - performance.now() + STUCK_MS);
  return () => clearTimeout(timer);
}

/**
 * One full handshake: a fresh TCP + TLS connection (no `session`, so nothing resumes), then with
 * a `request`, one `GET /banks/v1`, the status line read, then closed (resolves true for a 200).
 * Without one, the connection closes as soon as the server's session ticket arrives: the server
 * sends it only after it has checked the client's certificate, so the server's whole handshake
 * (the gate's verdict included) is in the count, and no HTTP.
 */
function handshakeOnce(port: number, context: SecureContext, request: Buffer | null, sockets: Set<TLSSocket>): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port, servername: 'localhost', secureContext: context });
    sockets.add(socket);
    let settled = false;
    let head = '';
    const finish = (ok: boolean): void => {
      if (settled) return;
      settled = true;
      sockets.delete(socket);
      socket.destroy();
      resolve(ok);
    };
    socket.once('secureConnect', () => {
      if (socket.isSessionReused()) finish(false);
      else if (request) socket.write(request);
    });
    if (!request) socket.once('session', () => finish(true));
    socket.on('data', (chunk: Buffer) => {
      head += chunk.toString('latin1', 0, Math.min(chunk.length, 64));
      const end = head.indexOf('\r\n');
      if (end >= 0) finish(head.startsWith('HTTP/1.1 200 '));
    });
    socket.on('error', () => finish(false));
    socket.on('close', () => finish(false));
  });
}

async function handshakeRun(port: number, context: SecureContext, request: Buffer | null, seconds: number): Promise<Outcome> {
  const start = performance.now();
  const deadline = start + seconds * 1000;
  const sockets = new Set<TLSSocket>();
  const stop = watchdog(sockets, deadline);
  let ok = 0;
  let errors = 0;
  await Promise.all(
    Array.from({ length: HANDSHAKE_LOOPS }, async () => {
      while (performance.now() < deadline) {
        if (await handshakeOnce(port, context, request, sockets)) ok++;
        else errors++;
      }
    }),
  );
  stop();
  return { ok, errors, seconds: (performance.now() - start) / 1000, latencies: [] };
}

/**
 * A persistent connection that sends one request at a time and reads each reply whole (by its
 * content-length; the servers here never chunk a reply this small). Resolves each request with
 * the status, 0 once the connection is gone.
 */
class KeepAliveConnection {
  private buffer: Buffer | null = null;
  /** Bytes of the current reply, head included, once its head has arrived. */
  private expected = -1;
  private status = 0;
  private waiting: ((status: number) => void) | null = null;
  private dead = false;

  private constructor(readonly socket: TLSSocket) {
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    socket.on('error', () => this.fail());
    socket.on('close', () => this.fail());
  }

  static open(port: number, context: SecureContext): Promise<KeepAliveConnection> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host: '127.0.0.1', port, servername: 'localhost', secureContext: context });
      const timer = setTimeout(() => socket.destroy(new Error('no TLS connection within the time limit')), STUCK_MS);
      const failed = (error: Error): void => {
        clearTimeout(timer);
        reject(error);
      };
      socket.once('error', failed);
      socket.once('secureConnect', () => {
        clearTimeout(timer);
        socket.off('error', failed);
        resolve(new KeepAliveConnection(socket));
      });
    });
  }

  send(request: Buffer): Promise<number> {
    if (this.dead) return Promise.resolve(0);
    return new Promise((resolve) => {
      this.waiting = resolve;
      this.socket.write(request);
    });
  }

  close(): void {
    this.socket.destroy();
  }

  private receive(chunk: Buffer): void {
    if (!this.waiting) return this.fail();
    this.buffer = this.buffer ? Buffer.concat([this.buffer, chunk]) : chunk;
    if (this.expected < 0) {
      const end = this.buffer.indexOf('\r\n\r\n');
      if (end < 0) return;
      const head = this.buffer.toString('latin1', 0, end);
      const length = /\r\ncontent-length: *(\d+)/i.exec(head)?.[1];
      if (length === undefined) return this.fail();
      this.status = Number(head.slice(9, 12));
      this.expected = end + 4 + Number(length);
    }
    if (this.buffer.length < this.expected) return;
    // More than one reply to one request: the conversation is off the rails.
    if (this.buffer.length > this.expected) return this.fail();
    this.buffer = null;
    this.expected = -1;
    const waiting = this.waiting;
    this.waiting = null;
    waiting(this.status);
  }

  private fail(): void {
    this.dead = true;
    this.socket.destroy();
    const waiting = this.waiting;
    this.waiting = null;
    waiting?.(0);
  }
}

/** `connections` persistent connections (opened untimed), each sending requests back to back until the deadline. */
async function keepAliveRun(port: number, context: SecureContext, request: Buffer, seconds: number, connections: number): Promise<Outcome> {
  const opened = await Promise.all(Array.from({ length: connections }, () => KeepAliveConnection.open(port, context)));
  const latencies: number[] = [];
  let ok = 0;
  let errors = 0;
  const start = performance.now();
  const deadline = start + seconds * 1000;
  const stop = watchdog(new Set(opened.map((connection) => connection.socket)), deadline);
  await Promise.all(
    opened.map(async (connection) => {
      while (performance.now() < deadline) {
        const sent = performance.now();
        const status = await connection.send(request);
        if (status === 200) {
          ok++;
          latencies.push(performance.now() - sent);
        } else {
          errors++;
          // A dead connection answers 0 at once: stop rather than spin.
          if (status === 0) break;
        }
      }
    }),
  );
  const elapsed = (performance.now() - start) / 1000;
  stop();
  for (const connection of opened) connection.close();
  return { ok, errors, seconds: elapsed, latencies };
}

/** One request with Node's own client, to check each server answers what the bench assumes. */
function fetchOnce(port: number, pki: LeanPki): Promise<{ status: number; body: string }> {
  const app = pki.apps[0]!;
  return new Promise((resolve, reject) => {
    const req = httpsRequest(
      {
        host: '127.0.0.1',
        port,
        path: '/banks/v1',
        servername: 'localhost',
        ca: pki.chainPem,
        cert: app.credential.certificatePem,
        key: app.credential.privateKeyPem,
        agent: false,
        headers: { 'lean-app-token': app.appToken },
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.setTimeout(10_000, () => req.destroy(new Error('sanity request timed out')));
    req.end();
  });
}

async function checkReplies(pki: LeanPki, ports: { lean: number; express: number; https: number }): Promise<void> {
  const expected = JSON.stringify(loadBanks());
  const [lean, bareExpress, https] = await Promise.all([fetchOnce(ports.lean, pki), fetchOnce(ports.express, pki), fetchOnce(ports.https, pki)]);
  const same = (body: string): boolean => JSON.stringify(JSON.parse(body)) === expected;
  if (lean.status !== 200 || !same(lean.body)) throw new Error(`lean-mock answered ${lean.status}, not the bank list`);
  if (bareExpress.status !== 200 || !same(bareExpress.body)) throw new Error(`bare express answered ${bareExpress.status}, not the bank list`);
  if (https.status !== 200 || !same(https.body)) throw new Error(`bare https answered ${https.status}, not the bank list`);
}

const percentile = (values: readonly number[], q: number): number =>
  values.length === 0 ? Number.NaN : quantile([...values].sort((a, b) => a - b), q);

type TaskName = 'tlsLean' | 'tlsHttps' | 'hsLean' | 'hsHttps' | 'hsExpress' | 'kaLean' | 'kaExpress' | 'kaHttps' | 'soloLean' | 'soloExpress';

async function measure(quick: boolean): Promise<BenchResult[]> {
  const settings = ROUNDS[quick ? 'quick' : 'full'];
  const pki = await createLeanPki();
  const app = pki.apps[0]!;
  // One client identity for every connection, as a real client holds it: handshakes stay full because no session is passed.
  const context = createSecureContext({ cert: app.credential.certificatePem, key: app.credential.privateKeyPem, ca: pki.chainPem });
  const request = (close: boolean): Buffer =>
    Buffer.from(`GET /banks/v1 HTTP/1.1\r\nHost: localhost\r\nlean-app-token: ${app.appToken}\r\n${close ? 'Connection: close\r\n' : ''}\r\n`, 'latin1');
  const closing = request(true);
  const persistent = request(false);

  const endpoints: Endpoint[] = [];
  try {
    const lean = await startLeanMock({ pki, adminPort: 'off' });
    endpoints.push({ port: lean.port, close: () => lean.close() });
    const bareHttps = await startBareHttps(pki);
    endpoints.push(bareHttps);
    const bareExpress = await startBareExpress(pki);
    endpoints.push(bareExpress);
    await checkReplies(pki, { lean: lean.port, express: bareExpress.port, https: bareHttps.port });

    // interleave() keeps each task's resolved number (here a rate) and the rest of each run is kept aside. Each
    // figure is interleaved only with the ones it is compared with, so a pair runs back to back and load drift on
    // this shared machine hits both alike.
    const outcomes = {} as Record<TaskName, Outcome[]>;
    const task = (name: TaskName, run: () => Promise<Outcome>) => async (): Promise<number> => {
      const outcome = await run();
      (outcomes[name] ??= []).push(outcome);
      return rate(outcome);
    };
    const { seconds } = settings;
    const rates = {
      ...(await interleave(
        {
          tlsLean: task('tlsLean', () => handshakeRun(lean.port, context, null, seconds)),
          tlsHttps: task('tlsHttps', () => handshakeRun(bareHttps.port, context, null, seconds)),
        },
        settings,
      )),
      ...(await interleave(
        {
          hsLean: task('hsLean', () => handshakeRun(lean.port, context, closing, seconds)),
          hsHttps: task('hsHttps', () => handshakeRun(bareHttps.port, context, closing, seconds)),
          hsExpress: task('hsExpress', () => handshakeRun(bareExpress.port, context, closing, seconds)),
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

    // Errors count in every round, warm-up included: a failure anywhere makes the figure suspect.
    const errors = (name: TaskName): number => outcomes[name].reduce((sum, outcome) => sum + outcome.errors, 0);
    const measured = (name: TaskName): Outcome[] => outcomes[name].slice(settings.warmup);
    const latency = (name: TaskName, q: number): number[] => measured(name).map((outcome) => percentile(outcome.latencies, q));

    const hs = 'mTLS handshake + GET, /s';
    const ka = `keep-alive GET /banks/v1 ×${KEEP_ALIVE_CONNECTIONS}, /s`;
    const rateResult = (name: string, key: TaskName, extra: Parameters<typeof summarize>[2] = {}): BenchResult =>
      summarize(name, rates[key], { unit: 'req/s', errors: errors(key), ...extra });
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
        const floorSamples = latency(floor, q);
        // Latencies are of 200s only; the errors of the runs they come from flag them too.
        results.push(
          summarize(`${group}: lean-mock`, latency(lean, q), {
            baseline: { name: `${group}: bare express 5`, samples: floorSamples },
            errors: errors(lean),
          }),
          summarize(`${group}: bare express 5`, floorSamples, { errors: errors(floor) }),
        );
      }
    }
    return results;
  } finally {
    await Promise.all(endpoints.map((endpoint) => endpoint.close()));
  }
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
