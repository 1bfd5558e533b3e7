/**
 * The load harness the gateway and data suites share: bare mTLS servers set up like the gate (the
 * floors lean-mock is compared with), a minimal keep-alive HTTP/1.1 client on raw TLS sockets, and
 * the bookkeeping of timed runs. Kept in one place so both suites measure with the same client and
 * the same server settings, and a fix to either reaches both.
 */
import { once } from 'node:events';
import { createServer, request as httpsRequest, type RequestOptions as HttpsRequestOptions, type Server, type ServerOptions } from 'node:https';
import type { RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { connect, createSecureContext, type SecureContext, type TLSSocket } from 'node:tls';
import express, { type Express } from 'express';
import { certificateAndChain, type AppIdentity, type LeanPki } from '../src/pki/lean-pki.js';
import { startLeanMock, type LeanMock } from '../src/server/lean-mock.js';
import { quantile } from './stats.js';
import type { Task } from './suite.js';

/** A run still busy this long after its deadline has a stuck server: its sockets are destroyed and count as errors. */
const STUCK_MS = 10_000;

/** The gate's HTTP limits (src/gateway/tls-server.ts), so the floors differ from lean-mock in nothing but the work done. */
const HTTP_LIMITS = { headersTimeout: 10_000, requestTimeout: 30_000, keepAliveTimeout: 5_000, maxHeaderSize: 16_384 };

/** A listening server, lean-mock or a floor, as the suites drive and close it. */
export interface Endpoint {
  port: number;
  close(): Promise<void>;
}

/** The load shapes every suite applies, so figures of one suite compare with another's. */
export const HANDSHAKE_LOOPS = 8;
export const KEEP_ALIVE_CONNECTIONS = 16;

/**
 * The TLS and client-auth settings the gate uses in its default (`handshake` rejection) style;
 * plain strings and numbers, so a floor in another process (bench/servers) gets them as JSON.
 */
export function bareServerOptions(pki: LeanPki): ServerOptions {
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
      // Keep-alive sockets would otherwise hold close() open until their timeout.
      server.closeAllConnections();
      await closed;
    },
  };
}

/** A floor: `handler` on https.createServer with the gate's options, on an ephemeral 127.0.0.1 port. */
export function startBare(pki: LeanPki, handler: RequestListener): Promise<Endpoint> {
  return listen(createServer(bareServerOptions(pki), handler));
}

/**
 * Starts lean-mock (admin API off) on `pki`, runs `body` with it and `keep`, which registers each
 * floor `body` starts, and closes every one of them however `body` ends, so a failed check leaves
 * no server holding the process open.
 */
export async function withLeanMock<T>(pki: LeanPki, body: (lean: LeanMock, keep: <E extends Endpoint>(floor: E) => E) => Promise<T>): Promise<T> {
  const endpoints: Endpoint[] = [];
  try {
    const lean = await startLeanMock({ pki, adminPort: 'off' });
    endpoints.push({ port: lean.port, close: () => lean.close() });
    return await body(lean, (floor) => {
      endpoints.push(floor);
      return floor;
    });
  } finally {
    await Promise.all(endpoints.map((endpoint) => endpoint.close()));
  }
}

/** Express 5 with lean-mock's app settings (no etag, no x-powered-by), for floors that go through express. */
export function expressLikeLeanMock(): Express {
  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  return app;
}

/** One client identity for every connection, as a real client holds it; no session is ever passed, so nothing resumes. */
export function clientContext(pki: LeanPki, app: AppIdentity): SecureContext {
  return createSecureContext({ cert: app.credential.certificatePem, key: app.credential.privateKeyPem, ca: pki.chainPem });
}

/** The raw bytes of an authenticated GET, built once so the loops only write them. */
export function rawGet(path: string, appToken: string, close = false): Buffer {
  return Buffer.from(`GET ${path} HTTP/1.1\r\nHost: localhost\r\nlean-app-token: ${appToken}\r\n${close ? 'Connection: close\r\n' : ''}\r\n`, 'latin1');
}

/** A fresh TLS connection to a local server, named as the server certificate expects. */
export function dial(port: number, context: SecureContext): TLSSocket {
  return connect({ host: '127.0.0.1', port, servername: 'localhost', secureContext: context });
}

/** What a run did: operations that counted, those that did not, the elapsed time and per-request ms of the counted ones. */
export interface Outcome {
  ok: number;
  errors: number;
  seconds: number;
  /** Per-request ms of the counted operations (a handshake run's: dial to status line). */
  latencies: number[];
}

export const rate = (outcome: Outcome): number => outcome.ok / outcome.seconds;

export const percentile = (values: readonly number[], q: number): number =>
  values.length === 0 ? Number.NaN : quantile([...values].sort((a, b) => a - b), q);

/** Destroys whatever is still open once a run overstays its deadline, so every run ends. */
export function watchdog(sockets: Iterable<TLSSocket>, deadline: number): () => void {
  const timer = setTimeout(() => {
    for (const socket of sockets) socket.destroy(new Error('stuck past the deadline'));
  }, deadline - performance.now() + STUCK_MS);
  return () => clearTimeout(timer);
}

/**
 * Keeps every run's outcome by task name for interleave(), which keeps only each task's rate: the
 * errors and latencies behind a figure are read back from here once the rounds are done.
 */
export class RunLog<K extends string> {
  private readonly outcomes = new Map<K, Outcome[]>();

  constructor(private readonly warmup: number) {}

  /** A task for interleave(): runs once, keeps the outcome, resolves to its rate. */
  task(name: K, run: () => Promise<Outcome>): Task {
    return async () => {
      const outcome = await run();
      const kept = this.outcomes.get(name);
      if (kept) kept.push(outcome);
      else this.outcomes.set(name, [outcome]);
      return rate(outcome);
    };
  }

  /** Errors count in every round, warm-up included: a failure anywhere makes the figure suspect. */
  errors(name: K): number {
    return (this.outcomes.get(name) ?? []).reduce((sum, outcome) => sum + outcome.errors, 0);
  }

  /** The q-quantile of each measured (post-warm-up) round's latencies, round by round like interleave()'s samples. */
  latency(name: K, q: number): number[] {
    return (this.outcomes.get(name) ?? []).slice(this.warmup).map((outcome) => percentile(outcome.latencies, q));
  }
}

/** One reply as the keep-alive reader saw it: its status and body bytes; status 0 once the connection is gone. */
export interface Reply {
  status: number;
  bytes: number;
}

/**
 * A persistent connection sending one request at a time and reading each reply whole by its
 * content-length (the servers here set one on every reply and never chunk); the body is counted,
 * not kept, so a reply of tens of kB costs the reader no copying.
 */
export class KeepAliveConnection {
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
      const socket = dial(port, context);
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

  /** With `stallMs`, a reply that takes longer fails the connection (status 0) instead of hanging. */
  send(request: Buffer, stallMs?: number): Promise<Reply> {
    if (this.dead) return Promise.resolve({ status: 0, bytes: 0 });
    return new Promise((resolve) => {
      const timer = stallMs === undefined ? undefined : setTimeout(() => this.fail(), stallMs);
      this.waiting = (reply) => {
        clearTimeout(timer);
        resolve(reply);
      };
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

/**
 * What one keep-alive loop sends, and the reply it counts: a 200, and when `bytes` is given, one of
 * exactly that many body bytes (the data API answers its reconnect and failure envelopes with a
 * 200 too, and those bodies are of another size).
 */
export interface Probe {
  request: Buffer;
  bytes?: number;
}

/** `connections` persistent connections (opened untimed), each sending the probe's request back to back until the deadline. */
export async function keepAliveRun(port: number, context: SecureContext, probe: Probe, seconds: number, connections: number): Promise<Outcome> {
  const opened = await Promise.all(Array.from({ length: connections }, () => KeepAliveConnection.open(port, context)));
  const latencies: number[] = [];
  let ok = 0;
  let errors = 0;
  const start = performance.now();
  const deadline = start + seconds * 1000;
  const stop = watchdog(opened.map((connection) => connection.socket), deadline);
  await Promise.all(
    opened.map(async (connection) => {
      while (performance.now() < deadline) {
        const sent = performance.now();
        const reply = await connection.send(probe.request);
        if (reply.status === 200 && (probe.bytes === undefined || reply.bytes === probe.bytes)) {
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
  stop();
  for (const connection of opened) connection.close();
  return { ok, errors, seconds: elapsed, latencies };
}

/** One GET on a fresh connection with Node's own client, to check what a server answers before anything is timed. */
export function getOnce(options: HttpsRequestOptions): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest({ host: '127.0.0.1', servername: 'localhost', agent: false, ...options }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.setTimeout(10_000, () => req.destroy(new Error('sanity request timed out')));
    req.end();
  });
}

/** {@link getOnce} as `app`, with its certificate and token, trusting the PKI's chain. */
export function fetchOnce(port: number, pki: LeanPki, app: AppIdentity, path: string): Promise<{ status: number; body: string }> {
  return getOnce({
    port,
    path,
    ca: pki.chainPem,
    cert: app.credential.certificatePem,
    key: app.credential.privateKeyPem,
    headers: { 'lean-app-token': app.appToken },
  });
}

/**
 * One full handshake: a fresh TCP + TLS connection (no `session`, so nothing resumes), then with
 * a `request`, one `GET /banks/v1`, the status line read, then closed (resolves true for a 200).
 * Without one, the connection closes as soon as the server's session ticket arrives: the server
 * sends it only after it has checked the client's certificate, so the server's whole handshake
 * (the gate's verdict included) is in the count, and no HTTP.
 */
export function handshakeOnce(port: number, context: SecureContext, request: Buffer | null, sockets: Set<TLSSocket>): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = dial(port, context);
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

/** `loops` concurrent loops of {@link handshakeOnce} until `seconds` have passed. */
export async function handshakeRun(
  port: number,
  context: SecureContext,
  request: Buffer | null,
  seconds: number,
  loops: number,
): Promise<Outcome> {
  const start = performance.now();
  const deadline = start + seconds * 1000;
  const sockets = new Set<TLSSocket>();
  const stop = watchdog(sockets, deadline);
  let ok = 0;
  let errors = 0;
  const latencies: number[] = [];
  await Promise.all(
    Array.from({ length: loops }, async () => {
      while (performance.now() < deadline) {
        const dialled = performance.now();
        if (await handshakeOnce(port, context, request, sockets)) {
          ok++;
          latencies.push(performance.now() - dialled);
        } else errors++;
      }
    }),
  );
  stop();
  return { ok, errors, seconds: (performance.now() - start) / 1000, latencies };
}
