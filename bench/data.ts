import { once } from 'node:events';
import { request as httpsRequest, createServer, type Server, type ServerOptions } from 'node:https';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { connect, createSecureContext, type SecureContext, type TLSSocket } from 'node:tls';
import express from 'express';
import { certificateAndChain, createLeanPki, type LeanPki } from '../src/pki/lean-pki.js';
import { startLeanMock, type LeanMock } from '../src/server/lean-mock.js';
import { DEFAULT_BANK_IDENTIFIER, DEMO_APP_USER_ID } from '../src/sandbox/connections.js';
import { COLLECTIONS, type Account, type Customer, type Entity, type Transaction } from '../src/sandbox/store/records.js';
import { quantile } from './stats.js';
import { interleave, summarize, type BenchResult, type BenchSuite } from './suite.js';

/**
 * What a page of a year of transactions costs on lean-mock, over keep-alive mTLS: against
 * `GET /banks/v1` on the same instance (the gate and authentication with next to no route work)
 * and against a bare express 5 route answering the same number of bytes, precomputed (the floor).
 * The harness mirrors bench/gateway.ts (raw persistent TLS sockets, one client SecureContext,
 * interleaved rounds); its helpers are private there, so the few needed are repeated here.
 */

const APP_NAME = 'my_app';
const PAGE_SIZE = 50;
const CONNECTIONS = 16;

const ROUNDS = {
  full: { seconds: 2, runs: 10, warmup: 1 },
  quick: { seconds: 0.4, runs: 3, warmup: 1 },
} as const;

/** A run still busy this long after its deadline has a stuck server: its sockets are destroyed and count as errors. */
const STUCK_MS = 10_000;

/** The gate's HTTP limits (src/gateway/tls-server.ts), as in bench/gateway.ts. */
const HTTP_LIMITS = { headersTimeout: 10_000, requestTimeout: 30_000, keepAliveTimeout: 5_000, maxHeaderSize: 16_384 };

interface Endpoint {
  port: number;
  close(): Promise<void>;
}

/** The TLS and client-auth settings the gate uses in its default (`handshake` rejection) style, as in bench/gateway.ts. */
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

const TRANSACTIONS_ROUTE = '/data/v2/accounts/:account_id/transactions';

/**
 * The floor: express 5 with lean-mock's app settings and the transactions route's path, answering
 * a body serialized once up front the way res.json ends (content-type, then res.send of the string),
 * so it differs from lean-mock only in the work lean-mock does per request.
 */
function startFloor(pki: LeanPki, body: string): Promise<Endpoint> {
  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  app.set('query parser', 'extended');
  app.get(TRANSACTIONS_ROUTE, (_req, res) => {
    res.set('content-type', 'application/json');
    res.send(body);
  });
  return listen(createServer(bareServerOptions(pki), app));
}

/** The demo customer's current account at the UAE mock bank, with its entity, found in the store. */
function demoCurrentAccount(mock: LeanMock): { entity: Entity; account: Account; transactions: Transaction[] } {
  const { store } = mock;
  const customers = store.collection<Customer>(COLLECTIONS.customers).list(APP_NAME, (c) => c.app_user_id === DEMO_APP_USER_ID);
  const entities = store
    .collection<Entity>(COLLECTIONS.entities)
    .list(APP_NAME, (e) => e.bank_identifier === DEFAULT_BANK_IDENTIFIER && customers.some((c) => c.customer_id === e.customer_id));
  const entity = entities[0];
  if (entities.length !== 1 || !entity) throw new Error(`expected one demo entity of ${APP_NAME} at ${DEFAULT_BANK_IDENTIFIER}, found ${entities.length}`);
  const accounts = store
    .collection<Account>(COLLECTIONS.accounts)
    .list(APP_NAME, (a) => a.entity_id === entity.id && a.account_sub_type === 'CURRENT');
  const account = accounts[0];
  if (accounts.length !== 1 || !account) throw new Error(`expected one current account on the demo entity, found ${accounts.length}`);
  const transactions = store.collection<Transaction>(COLLECTIONS.transactions).list(APP_NAME, (t) => t.account_id === account.account_id);
  return { entity, account, transactions };
}

/** One request with Node's own client, to check what each server answers before anything is timed. */
function fetchOnce(port: number, pki: LeanPki, path: string): Promise<{ status: number; body: string }> {
  const app = pki.apps.find((candidate) => candidate.name === APP_NAME)!;
  return new Promise((resolve, reject) => {
    const req = httpsRequest(
      {
        host: '127.0.0.1',
        port,
        path,
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

/** One reply as the keep-alive reader saw it: its status and body bytes; status 0 once the connection is gone. */
interface Reply {
  status: number;
  bytes: number;
}

/**
 * A persistent connection sending one request at a time and reading each reply whole by its
 * content-length (express sets one on every reply here), as in bench/gateway.ts; the body is
 * counted, not kept, so a reply of tens of kB costs the reader no copying.
 */
class KeepAliveConnection {
  private head: Buffer | null = null;
  /** Bytes of the current reply, head included, once its head has arrived. */
  private expected = -1;
  private received = 0;
  private bodyBytes = 0;
  private status = 0;
  private waiting: ((reply: Reply) => void) | null = null;
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

  send(request: Buffer): Promise<Reply> {
    if (this.dead) return Promise.resolve({ status: 0, bytes: 0 });
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
    if (this.expected < 0) {
      this.head = this.head ? Buffer.concat([this.head, chunk]) : chunk;
      const end = this.head.indexOf('\r\n\r\n');
      if (end < 0) return;
      const head = this.head.toString('latin1', 0, end);
      const length = /\r\ncontent-length: *(\d+)/i.exec(head)?.[1];
      if (length === undefined) return this.fail();
      this.status = Number(head.slice(9, 12));
      this.bodyBytes = Number(length);
      this.expected = end + 4 + this.bodyBytes;
      this.received = this.head.length;
      this.head = null;
    } else {
      this.received += chunk.length;
    }
    if (this.received < this.expected) return;
    // More than one reply to one request: the conversation is off the rails.
    if (this.received > this.expected) return this.fail();
    this.expected = -1;
    const waiting = this.waiting;
    this.waiting = null;
    waiting({ status: this.status, bytes: this.bodyBytes });
  }

  private fail(): void {
    this.dead = true;
    this.socket.destroy();
    const waiting = this.waiting;
    this.waiting = null;
    waiting?.({ status: 0, bytes: 0 });
  }
}

/** What a run did: replies that were right, those that were not, the elapsed time and per-request ms of the right ones. */
interface Outcome {
  ok: number;
  errors: number;
  seconds: number;
  latencies: number[];
}

/** What one keep-alive loop sends, and the reply it counts as right: a 200 of exactly `bytes` body bytes. */
interface Probe {
  request: Buffer;
  bytes: number;
}

/**
 * `connections` persistent connections (opened untimed), each sending the probe's request back to
 * back until the deadline. A reply counts only if it is a 200 of the expected size: the data API
 * answers RECONNECT_REQUIRED or FAILED with a 200 too, and those bodies are of another size.
 */
async function keepAliveRun(port: number, context: SecureContext, probe: Probe, seconds: number, connections: number): Promise<Outcome> {
  const opened = await Promise.all(Array.from({ length: connections }, () => KeepAliveConnection.open(port, context)));
  const latencies: number[] = [];
  let ok = 0;
  let errors = 0;
  const start = performance.now();
  const deadline = start + seconds * 1000;
  const stuck = setTimeout(() => {
    for (const connection of opened) connection.socket.destroy(new Error('stuck past the deadline'));
  }, seconds * 1000 + STUCK_MS);
  await Promise.all(
    opened.map(async (connection) => {
      while (performance.now() < deadline) {
        const sent = performance.now();
        const reply = await connection.send(probe.request);
        if (reply.status === 200 && reply.bytes === probe.bytes) {
          ok++;
          latencies.push(performance.now() - sent);
        } else {
          errors++;
          // A dead connection answers 0 at once: stop rather than spin.
          if (reply.status === 0) break;
        }
      }
    }),
  );
  const elapsed = (performance.now() - start) / 1000;
  clearTimeout(stuck);
  for (const connection of opened) connection.close();
  return { ok, errors, seconds: elapsed, latencies };
}

const percentile = (values: readonly number[], q: number): number =>
  values.length === 0 ? Number.NaN : quantile([...values].sort((a, b) => a - b), q);

type Server3 = 'tx' | 'banks' | 'floor';
type TaskName = `ka${Server3}` | `solo${Server3}`;

const LABEL: Record<Server3, string> = {
  tx: 'lean-mock transactions',
  banks: 'lean-mock /banks/v1',
  floor: 'bare express 5, same bytes',
};

async function measure(quick: boolean): Promise<BenchResult[]> {
  const settings = ROUNDS[quick ? 'quick' : 'full'];
  const pki = await createLeanPki();
  const app = pki.apps.find((candidate) => candidate.name === APP_NAME);
  if (!app) throw new Error(`the PKI has no app called ${APP_NAME}`);
  // One client identity for every connection, as a real client holds it.
  const context = createSecureContext({ cert: app.credential.certificatePem, key: app.credential.privateKeyPem, ca: pki.chainPem });
  const get = (path: string): Buffer =>
    Buffer.from(`GET ${path} HTTP/1.1\r\nHost: localhost\r\nlean-app-token: ${app.appToken}\r\n\r\n`, 'latin1');

  const endpoints: Endpoint[] = [];
  try {
    const lean = await startLeanMock({ pki, adminPort: 'off' });
    endpoints.push({ port: lean.port, close: () => lean.close() });
    const { entity, account, transactions } = demoCurrentAccount(lean);
    const txPath = `/data/v2/accounts/${account.account_id}/transactions?entity_id=${entity.id}&page=0&size=${PAGE_SIZE}`;
    const days = transactions.map((t) => t.booking_date_time.slice(0, 10)).sort();
    const spanDays = Math.round((Date.parse(days[days.length - 1]!) - Date.parse(days[0]!)) / 86_400_000);

    // Lean-mock's reply, checked, becomes the floor's body. Only results_id (a UUID) and timestamp
    // (ISO) change between replies, both fixed-width, so every right reply has this size.
    const txReply = await fetchOnce(lean.port, pki, txPath);
    const txJson = JSON.parse(txReply.body) as { status?: string; type?: string; data?: { transactions?: unknown[]; page?: { total_elements?: number } } };
    if (txReply.status !== 200 || txJson.status !== 'OK' || txJson.type !== 'transactions' || txJson.data?.transactions?.length !== PAGE_SIZE) {
      throw new Error(`lean-mock answered ${txReply.status} ${txJson.status ?? ''}, not a page of ${PAGE_SIZE} transactions`);
    }
    if (txJson.data.page?.total_elements !== transactions.length) {
      throw new Error(`lean-mock's page counts ${txJson.data.page?.total_elements} transactions, the store ${transactions.length}`);
    }
    const txBytes = Buffer.byteLength(txReply.body);
    const banksReply = await fetchOnce(lean.port, pki, '/banks/v1');
    if (banksReply.status !== 200 || !Array.isArray(JSON.parse(banksReply.body))) throw new Error(`lean-mock answered ${banksReply.status} to /banks/v1`);
    const banksBytes = Buffer.byteLength(banksReply.body);

    const floor = await startFloor(pki, txReply.body);
    endpoints.push(floor);
    const floorReply = await fetchOnce(floor.port, pki, txPath);
    if (floorReply.status !== 200 || floorReply.body !== txReply.body) throw new Error(`the floor answered ${floorReply.status}, not lean-mock's page`);

    const probes: Record<Server3, { port: number; probe: Probe }> = {
      tx: { port: lean.port, probe: { request: get(txPath), bytes: txBytes } },
      banks: { port: lean.port, probe: { request: get('/banks/v1'), bytes: banksBytes } },
      floor: { port: floor.port, probe: { request: get(txPath), bytes: txBytes } },
    };

    const outcomes = {} as Record<TaskName, Outcome[]>;
    const task = (name: TaskName, server: Server3, connections: number) => async (): Promise<number> => {
      const { port, probe } = probes[server];
      const outcome = await keepAliveRun(port, context, probe, settings.seconds, connections);
      (outcomes[name] ??= []).push(outcome);
      return outcome.ok / outcome.seconds;
    };
    // Each group interleaves the three servers round by round, so load drift hits all alike.
    const rates = {
      ...(await interleave(
        { katx: task('katx', 'tx', CONNECTIONS), kabanks: task('kabanks', 'banks', CONNECTIONS), kafloor: task('kafloor', 'floor', CONNECTIONS) },
        settings,
      )),
      ...(await interleave({ solotx: task('solotx', 'tx', 1), solobanks: task('solobanks', 'banks', 1), solofloor: task('solofloor', 'floor', 1) }, settings)),
    };

    // Errors count in every round, warm-up included: a failure anywhere makes the figure suspect.
    const errors = (name: TaskName): number => outcomes[name].reduce((sum, outcome) => sum + outcome.errors, 0);
    const latency = (name: TaskName, q: number): number[] => outcomes[name].slice(settings.warmup).map((o) => percentile(o.latencies, q));

    /** The transactions figure twice, once against each baseline (a row carries one), then the two baselines. */
    const rows = (group: string, samples: (server: Server3) => number[], key: (server: Server3) => TaskName, unit: 'ms' | 'req/s'): BenchResult[] => {
      const row = (server: Server3, baseline?: Server3): BenchResult =>
        summarize(`${group}: ${LABEL[server]}`, samples(server), {
          unit,
          errors: errors(key(server)),
          ...(baseline ? { baseline: { name: `${group}: ${LABEL[baseline]}`, samples: samples(baseline) } } : {}),
        });
      return [row('tx', 'floor'), row('tx', 'banks'), row('banks'), row('floor')];
    };

    const results: BenchResult[] = [
      summarize(`reply body: transactions page (${PAGE_SIZE} of ${transactions.length}, ${spanDays} days)`, [txBytes], { unit: 'bytes' }),
      summarize('reply body: /banks/v1', [banksBytes], { unit: 'bytes' }),
      ...rows(`keep-alive ×${CONNECTIONS}, /s`, (s) => rates[`ka${s}`], (s) => `ka${s}`, 'req/s'),
    ];
    for (const [label, prefix] of [['1 conn', 'solo'], [`${CONNECTIONS} conns`, 'ka']] as const) {
      for (const [q, tag] of [[0.5, 'p50'], [0.99, 'p99']] as const) {
        results.push(...rows(`latency ${tag}, ${label}`, (s) => latency(`${prefix}${s}`, q), (s) => `${prefix}${s}`, 'ms'));
      }
    }
    return results;
  } finally {
    await Promise.all(endpoints.map((endpoint) => endpoint.close()));
  }
}

export const dataSuite: BenchSuite = {
  name: 'data',
  method:
    `GET /data/v2/accounts/{account_id}/transactions?entity_id=…&page=0&size=${PAGE_SIZE} for the demo customer's current ` +
    `account at ${DEFAULT_BANK_IDENTIFIER} (app ${APP_NAME}, seeded with a year of transactions; entity and account found in ` +
    `mock.store) on lean-mock (startLeanMock, EC P-256 PKI, admin API off), against two baselines measured in the same rounds: ` +
    `GET /banks/v1 on the same lean-mock instance (gate, Lean headers, journal and app-token authentication with next to no ` +
    `route work: the ratio is what a transactions page costs beyond them) and the floor, express 5 with lean-mock's app ` +
    `settings on https.createServer with the gate's TLS, client-auth and HTTP-limit options, answering the same path with ` +
    `lean-mock's own reply serialized once before timing (same bytes; content-type then res.send, as res.json ends). All on ` +
    `127.0.0.1 ephemeral ports, mTLS with the app certificate (one client SecureContext) and the lean-app-token header, over ` +
    `persistent connections opened untimed, one request in flight each, every reply read whole. Two groups, each interleaving ` +
    `the three in rotating order, ${ROUNDS.full.seconds} s per run: ${CONNECTIONS} connections (throughput and latency) and 1 ` +
    `connection (latency). A reply counts only if it is a 200 of the expected body size (the data API answers reconnect and ` +
    `failure envelopes with 200 too); anything else, or a lost connection, is an error and flags the row. ` +
    `${ROUNDS.full.runs} rounds per group after ${ROUNDS.full.warmup} warm-up (--quick: ${ROUNDS.quick.runs} rounds of ` +
    `${ROUNDS.quick.seconds} s). Rates are medians over rounds, latencies medians of per-round p50/p99, ratios medians of ` +
    `per-round ratios; the transactions row appears once per baseline. The client shares the servers' event loop, so its cost ` +
    `(identical for the transactions page and the floor, smaller for the shorter bank list) is inside every figure. No target: ` +
    `the issue set none for this figure.`,
  async run({ quick }) {
    return measure(quick);
  },
};
