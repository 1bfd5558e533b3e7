import { spawn } from 'node:child_process';
import { expect } from 'vitest';
import type { HandshakeRecord } from '../../src/gateway/journal.js';
import type { LeanMock } from '../../src/server/lean-mock.js';

/**
 * Real external HTTPS clients (curl, python3 `requests`, `openssl s_client`) driven as child
 * processes. Everything here is asynchronous on purpose: the mock under test runs in the test
 * process, so a synchronous spawn would block its event loop and the client would hang.
 */

export interface RunResult {
  /** The exit code, or null when the process was ended by a signal (e.g. its timeout). */
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** True if the process outlived `timeoutMs` and was killed. */
  timedOut: boolean;
}

export interface RunOptions {
  /** Written to stdin, which is then closed (stdin is empty otherwise). */
  input?: string;
  /** Killed (SIGKILL) after this long. Default 15 s. */
  timeoutMs?: number;
  env?: NodeJS.ProcessEnv;
}

/**
 * Runs a command without blocking the event loop. Resolves on exit whatever the exit code;
 * rejects only when the command cannot be started at all (e.g. ENOENT).
 */
export function run(command: string, args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'], env: options.env ?? process.env });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    // A client that fails early (refused handshake) may close stdin before we finish writing.
    child.stdin.on('error', () => undefined);
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, options.timeoutMs ?? 15_000);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, timedOut });
    });
    child.stdin.end(options.input ?? '');
  });
}

/** Which client certificate a request presents: PEM file paths, or none at all. */
export interface ClientIdentity {
  /** Leaf certificate, or leaf followed by its chain (curl and requests send the whole file). */
  cert: string;
  key: string;
  /** Extra certificates to send after the leaf; only `openssl s_client` needs them apart (`-cert_chain`). */
  chain?: string;
}

export interface ExternalRequest {
  /** Port of the mock on 127.0.0.1. */
  port: number;
  path: string;
  /** Pinned both ways: the client offers exactly this version. */
  tls: '1.2' | '1.3';
  /** The trust bundle the client verifies the server with. */
  caFile: string;
  identity: ClientIdentity | null;
  headers: Record<string, string>;
}

/** What a client got: an HTTP reply (`status` set) or a failure it reported instead (`status` null). */
export interface ExternalOutcome {
  status: number | null;
  body: string;
  /** The body parsed as JSON, when it is JSON. */
  json: unknown;
  /** The client's own account of a failure: curl's exit code and message, Python's exception, s_client's stderr. */
  failure: string | null;
  /** curl's or openssl's exit code; for requests the process exit code (0: the script reports errors as JSON). */
  exitCode: number | null;
  timedOut: boolean;
}

export interface ExternalClient {
  readonly name: 'curl' | 'python3 requests' | 'openssl s_client';
  get(request: ExternalRequest): Promise<ExternalOutcome>;
}

/** Whether a client can run here, and if not, why (shown in the skip or the CI failure). */
export type Availability =
  | { name: ExternalClient['name']; available: true; client: ExternalClient; version: string }
  | { name: ExternalClient['name']; available: false; reason: string };

const CLIENT_TIMEOUT_MS = 15_000;

/** Clients must never wander off to a proxy or read a user's config: the mock is on loopback. */
function cleanEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of Object.keys(env)) {
    if (/^(https?|all|no)_proxy$/i.test(name) || /^(CURL_HOME|REQUESTS_CA_BUNDLE|CURL_CA_BUNDLE|SSL_CERT_FILE|SSL_CERT_DIR)$/.test(name)) {
      delete env[name];
    }
  }
  return env;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------- curl

const STATUS_MARK = '\n@@lean-mock-http-status=';

export const curl: ExternalClient = {
  name: 'curl',
  async get(request) {
    const args = [
      '-q', // no ~/.curlrc
      '-sS',
      '--noproxy', '*',
      '--max-time', '10',
      '--cacert', request.caFile,
      `--tlsv${request.tls}`,
      '--tls-max', request.tls,
      '-w', `${STATUS_MARK}%{http_code}`,
    ];
    if (request.identity) args.push('--cert', request.identity.cert, '--key', request.identity.key);
    for (const [name, value] of Object.entries(request.headers)) args.push('-H', `${name}: ${value}`);
    args.push(`https://127.0.0.1:${request.port}${request.path}`);

    const result = await run('curl', args, { timeoutMs: CLIENT_TIMEOUT_MS, env: cleanEnv() });
    const at = result.stdout.lastIndexOf(STATUS_MARK);
    const body = at >= 0 ? result.stdout.slice(0, at) : result.stdout;
    const httpCode = at >= 0 ? Number(result.stdout.slice(at + STATUS_MARK.length).trim()) : 0;
    const replied = result.code === 0 && httpCode > 0;
    return {
      status: replied ? httpCode : null,
      body,
      json: parseJson(body),
      failure: replied ? null : `curl exit ${result.code}: ${result.stderr.trim()}`,
      exitCode: result.code,
      timedOut: result.timedOut,
    };
  },
};

// ---------------------------------------------------------------- python3 requests

/**
 * One GET with `requests`, TLS pinned through an `ssl.SSLContext` mounted on an HTTPAdapter.
 * Prints one JSON line: `{"status", "body"}` or `{"error": <exception class>, "message"}`.
 */
const PYTHON_GET = String.raw`
import json, ssl, sys
import requests
from requests.adapters import HTTPAdapter

a = json.loads(sys.argv[1])
version = {'1.2': ssl.TLSVersion.TLSv1_2, '1.3': ssl.TLSVersion.TLSv1_3}[a['tls']]

class PinnedTls(HTTPAdapter):
    def init_poolmanager(self, *args, **kwargs):
        ctx = ssl.create_default_context()
        # urllib3 matches the host name itself when the context does not (urllib3 1.26 refuses an
        # IP host on a context that insists on server_hostname); verification stays on.
        ctx.check_hostname = False
        ctx.minimum_version = version
        ctx.maximum_version = version
        kwargs['ssl_context'] = ctx
        return super().init_poolmanager(*args, **kwargs)

session = requests.Session()
session.trust_env = False
session.mount('https://', PinnedTls(max_retries=0))
try:
    r = session.get(a['url'], cert=tuple(a['cert']) if a['cert'] else None, verify=a['ca'], headers=a['headers'], timeout=10)
    out = {'status': r.status_code, 'body': r.text}
except Exception as e:
    out = {'error': type(e).__name__, 'message': str(e)}
print(json.dumps(out))
`;

function pythonRequests(python: string): ExternalClient {
  return {
    name: 'python3 requests',
    async get(request) {
      const spec = {
        url: `https://127.0.0.1:${request.port}${request.path}`,
        tls: request.tls,
        ca: request.caFile,
        cert: request.identity ? [request.identity.cert, request.identity.key] : null,
        headers: request.headers,
      };
      const result = await run(python, ['-c', PYTHON_GET, JSON.stringify(spec)], { timeoutMs: CLIENT_TIMEOUT_MS, env: cleanEnv() });
      const printed = parseJson(result.stdout.trim().split('\n').pop() ?? '') as
        | { status: number; body: string }
        | { error: string; message: string }
        | undefined;
      if (printed && 'status' in printed) {
        return { status: printed.status, body: printed.body, json: parseJson(printed.body), failure: null, exitCode: result.code, timedOut: false };
      }
      const failure = printed ? `${printed.error}: ${printed.message}` : `python exit ${result.code}: ${result.stderr.trim()}`;
      return { status: null, body: '', json: undefined, failure, exitCode: result.code, timedOut: result.timedOut };
    },
  };
}

// ---------------------------------------------------------------- openssl s_client

/** Undoes `Transfer-Encoding: chunked`, should the server ever choose it. */
function dechunk(body: string): string {
  let out = '';
  let rest = body;
  for (;;) {
    const eol = rest.indexOf('\r\n');
    if (eol < 0) return out;
    const size = parseInt(rest.slice(0, eol), 16);
    if (!size) return out;
    out += rest.slice(eol + 2, eol + 2 + size);
    rest = rest.slice(eol + 2 + size + 2);
  }
}

export const sClient: ExternalClient = {
  name: 'openssl s_client',
  async get(request) {
    const args = [
      's_client',
      '-connect', `127.0.0.1:${request.port}`,
      '-servername', 'localhost',
      '-CAfile', request.caFile,
      '-verify_return_error',
      '-verify_ip', '127.0.0.1',
      request.tls === '1.2' ? '-tls1_2' : '-tls1_3',
      '-quiet', // no session dump; implies -ign_eof, so it reads until the server closes
    ];
    if (request.identity) {
      args.push('-cert', request.identity.cert, '-key', request.identity.key);
      if (request.identity.chain) args.push('-cert_chain', request.identity.chain);
    }
    const headers = Object.entries({ Host: 'localhost', ...request.headers, Connection: 'close' })
      .map(([name, value]) => `${name}: ${value}\r\n`)
      .join('');
    const input = `GET ${request.path} HTTP/1.1\r\n${headers}\r\n`;

    const result = await run('openssl', args, { input, timeoutMs: CLIENT_TIMEOUT_MS, env: cleanEnv() });
    const statusLine = /^HTTP\/1\.[01] (\d{3})/.exec(result.stdout);
    if (!statusLine) {
      return {
        status: null,
        body: '',
        json: undefined,
        failure: `s_client exit ${result.code}: ${result.stderr.trim()}`,
        exitCode: result.code,
        timedOut: result.timedOut,
      };
    }
    const split = result.stdout.indexOf('\r\n\r\n');
    const head = split >= 0 ? result.stdout.slice(0, split) : result.stdout;
    const raw = split >= 0 ? result.stdout.slice(split + 4) : '';
    const body = /^transfer-encoding:\s*chunked/im.test(head) ? dechunk(raw) : raw;
    return { status: Number(statusLine[1]), body, json: parseJson(body), failure: null, exitCode: result.code, timedOut: result.timedOut };
  },
};

// ---------------------------------------------------------------- availability

async function probe(command: string, args: readonly string[]): Promise<RunResult | null> {
  try {
    return await run(command, args, { timeoutMs: 10_000 });
  } catch {
    return null; // not installed
  }
}

async function curlAvailability(): Promise<Availability> {
  const result = await probe('curl', ['--version']);
  if (result?.code !== 0) return { name: 'curl', available: false, reason: 'curl is not installed (apt-get install curl)' };
  if (!/OpenSSL/i.test(result.stdout)) return { name: 'curl', available: false, reason: `curl is not built with OpenSSL: ${result.stdout.split('\n')[0]}` };
  return { name: 'curl', available: true, client: curl, version: result.stdout.split('\n')[0] ?? 'curl' };
}

async function opensslAvailability(): Promise<Availability> {
  const result = await probe('openssl', ['version']);
  if (result?.code !== 0) return { name: 'openssl s_client', available: false, reason: 'openssl is not installed (apt-get install openssl)' };
  return { name: 'openssl s_client', available: true, client: sClient, version: result.stdout.trim() };
}

/** The first python3 that imports `requests`: the one on PATH (maybe pyenv's), then Debian's. */
async function pythonAvailability(): Promise<Availability> {
  const tried: string[] = [];
  for (const python of ['python3', '/usr/bin/python3']) {
    const result = await probe(python, ['-c', 'import requests, ssl; print("requests", requests.__version__, "/", ssl.OPENSSL_VERSION)']);
    if (result?.code === 0) return { name: 'python3 requests', available: true, client: pythonRequests(python), version: `${python}: ${result.stdout.trim()}` };
    tried.push(result ? `${python}: ${result.stderr.trim().split('\n').pop()}` : `${python}: not installed`);
  }
  return { name: 'python3 requests', available: false, reason: `no python3 can import requests (apt-get install python3-requests) — ${tried.join('; ')}` };
}

/** Probes every external client once; the answer says how to install what is missing. */
export async function externalClients(): Promise<Availability[]> {
  return Promise.all([curlAvailability(), pythonAvailability(), opensslAvailability()]);
}

// ------------------------------------------------------------------------------------------------

/** How long to watch the journal for a connection that should leave no trace. */
export const SETTLE_MS = 200;

export interface Observed<O> {
  outcome: O;
  /** Every handshake the mock journaled during the call, oldest first. */
  handshakes: HandshakeRecord[];
}

/**
 * Runs one client call and returns what the client got and what the mock journaled meanwhile.
 * Calls are strictly sequential, so the handshakes journaled during a call are that call's.
 * `expectHandshake`: wait for the journal entry (started before the call, so none is missed);
 * otherwise watch the journal for {@link SETTLE_MS} after the client exits.
 * `describeHang` names what the client reported, shown when it hung.
 */
export async function observe<O extends { timedOut: boolean }>(
  mock: LeanMock,
  call: () => Promise<O>,
  expectHandshake: boolean,
  describeHang: (outcome: O) => string,
): Promise<Observed<O>> {
  const lastId = mock.journal.handshakes()[0]?.id ?? 0;
  const next = mock.journal.nextHandshake(() => true, 10_000);
  next.catch(() => undefined); // awaited below only when a handshake is expected
  const outcome = await call();
  expect(outcome.timedOut, `the client hung: ${describeHang(outcome)}`).toBe(false);
  if (expectHandshake) await next;
  else await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
  const handshakes = mock.journal
    .handshakes()
    .filter((record) => record.id > lastId)
    .reverse();
  return { outcome, handshakes };
}
