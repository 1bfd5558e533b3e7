import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { run, type RunResult } from './external.js';

/**
 * Client stacks a Lean integrator writes in other languages (Ruby Net::HTTP, Go net/http, Java 17
 * HttpClient), each a small program under test/clients/ that makes one GET and prints one JSON
 * line: `{"status","body_prefix"}` or `{"error"}`. Everything is asynchronous: the mock under test
 * runs in the test process, and a blocked event loop would hang the client.
 */

const CLIENTS = join(dirname(fileURLToPath(import.meta.url)), '..', 'clients');
const CALL_TIMEOUT_MS = 20_000;

export type StackName = 'ruby Net::HTTP' | 'go net/http' | 'java HttpClient';

/** A PEM certificate file (leaf, or leaf + chain) and its key. */
export interface PemIdentity {
  kind: 'pem';
  cert: string;
  key: string;
}

/** A PKCS#12 keystore: Java sends exactly the chain it holds. */
export interface Pkcs12Identity {
  kind: 'pkcs12';
  file: string;
  password: string;
}

export interface StackRequest {
  url: string;
  /** The trust bundle the client verifies the server with. */
  caFile: string;
  /** In the stack's own form, or null for no client certificate at all. */
  identity: PemIdentity | Pkcs12Identity | null;
  token: string;
  /** Pinned both ways. */
  tls: '1.2' | '1.3';
}

/** An HTTP reply (`status` set) or the client's own account of a failure (`error` set). */
export interface StackOutcome {
  status: number | null;
  bodyPrefix: string;
  error: string | null;
  timedOut: boolean;
}

export interface Stack {
  readonly name: StackName;
  readonly version: string;
  /** What the stack is configured with: PEM files (Ruby, Go) or a PKCS#12 keystore (Java). */
  readonly reads: 'pem' | 'pkcs12';
  /** Once per run, before the first call: compiles (Go) or starts the JVM (Java). */
  prepare(workDir: string): Promise<void>;
  get(request: StackRequest): Promise<StackOutcome>;
  close(): Promise<void>;
}

/** Whether a stack can run here, and if not, which Debian package brings it. */
export type StackAvailability =
  | { name: StackName; available: true; stack: Stack }
  | { name: StackName; available: false; reason: string; debianPackage: string };

/** Clients must never wander off to a proxy: the mock is on loopback. */
function cleanEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of Object.keys(env)) {
    if (/^(https?|all|no)_proxy$/i.test(name) || /^(SSL_CERT_FILE|SSL_CERT_DIR|JAVA_TOOL_OPTIONS|_JAVA_OPTIONS|JDK_JAVA_OPTIONS)$/.test(name)) {
      delete env[name];
    }
  }
  return { ...env, ...extra };
}

/** Reads the client's one JSON line; anything else is reported as an error with its stderr. */
export function parseOutcome(stdout: string, failure: string, timedOut = false): StackOutcome {
  const line = stdout.trim().split('\n').pop() ?? '';
  let printed: unknown;
  try {
    printed = JSON.parse(line);
  } catch {
    printed = undefined;
  }
  if (printed && typeof printed === 'object') {
    const { status, body_prefix: bodyPrefix, error } = printed as { status?: unknown; body_prefix?: unknown; error?: unknown };
    if (typeof status === 'number') return { status, bodyPrefix: typeof bodyPrefix === 'string' ? bodyPrefix : '', error: null, timedOut };
    if (typeof error === 'string') return { status: null, bodyPrefix: '', error, timedOut };
  }
  return { status: null, bodyPrefix: '', error: `no JSON line from the client: ${failure}`, timedOut };
}

const described = (result: RunResult): string => `exit ${result.code ?? result.signal}${result.timedOut ? ' (timed out)' : ''}: ${result.stderr.trim()}`;

function pemArgs(request: StackRequest, stack: StackName): string[] {
  const { identity } = request;
  if (identity && identity.kind !== 'pem') throw new Error(`${stack} reads PEM files, not ${identity.kind}`);
  return [request.url, identity?.cert ?? '-', identity?.key ?? '-', request.caFile, request.token, request.tls];
}

async function probe(command: string, args: readonly string[]): Promise<RunResult | null> {
  try {
    return await run(command, args, { timeoutMs: 15_000, env: cleanEnv() });
  } catch {
    return null; // not installed
  }
}

// ---------------------------------------------------------------- Ruby

export async function rubyAvailability(): Promise<StackAvailability> {
  const name = 'ruby Net::HTTP';
  const result = await probe('ruby', ['-ropenssl', '-e', 'puts "ruby #{RUBY_VERSION}, #{OpenSSL::OPENSSL_LIBRARY_VERSION}"']);
  if (result?.code !== 0) return { name, available: false, debianPackage: 'ruby', reason: `ruby with openssl cannot run${result ? `: ${result.stderr.trim()}` : ' (not installed)'}` };
  const script = join(CLIENTS, 'ruby', 'client.rb');
  const stack: Stack = {
    name,
    version: result.stdout.trim(),
    reads: 'pem',
    prepare: async () => undefined,
    async get(request) {
      const outcome = await run('ruby', [script, ...pemArgs(request, name)], { timeoutMs: CALL_TIMEOUT_MS, env: cleanEnv() });
      return parseOutcome(outcome.stdout, described(outcome), outcome.timedOut);
    },
    close: async () => undefined,
  };
  return { name, available: true, stack };
}

// ---------------------------------------------------------------- Go

/** The build cache outlives the run (a cold `go build` of net/http takes seconds); the binary does not. */
const GO_CACHE = join(tmpdir(), 'lean-mock-go-cache');
const goEnv = (): NodeJS.ProcessEnv =>
  cleanEnv({
    GOCACHE: join(GO_CACHE, 'build'),
    GOPATH: join(GO_CACHE, 'path'),
    // Standard library only: no module, no proxy, no toolchain download, no C compiler.
    GO111MODULE: 'off',
    GOPROXY: 'off',
    GOFLAGS: '',
    GOTOOLCHAIN: 'local',
    CGO_ENABLED: '0',
  });

export async function goAvailability(): Promise<StackAvailability> {
  const name = 'go net/http';
  const result = await probe('go', ['version']);
  if (result?.code !== 0) return { name, available: false, debianPackage: 'golang-go', reason: `go cannot run${result ? `: ${result.stderr.trim()}` : ' (not installed)'}` };
  let binary: string | null = null;
  const stack: Stack = {
    name,
    version: result.stdout.trim(),
    reads: 'pem',
    async prepare(workDir) {
      const output = join(workDir, 'lean-mock-go-client');
      const build = await run('go', ['build', '-o', output, join(CLIENTS, 'go', 'main.go')], { timeoutMs: 300_000, env: goEnv() });
      if (build.code !== 0) throw new Error(`go build failed (${described(build)})`);
      binary = output;
    },
    async get(request) {
      if (!binary) throw new Error('the Go client is not built: call prepare() first');
      const outcome = await run(binary, pemArgs(request, name), { timeoutMs: CALL_TIMEOUT_MS, env: cleanEnv() });
      return parseOutcome(outcome.stdout, described(outcome), outcome.timedOut);
    },
    close: async () => undefined,
  };
  return { name, available: true, stack };
}

// ---------------------------------------------------------------- Java

/** `java -version` → 17 for "17.0.15", 8 for "1.8.0_392". */
export function javaMajor(versionOutput: string): number | null {
  const quoted = /version "([^"]+)"/.exec(versionOutput)?.[1];
  if (!quoted) return null;
  const [first, second] = quoted.split(/[.+_-]/);
  return first === '1' ? Number(second) : Number(first);
}

export async function javaAvailability(): Promise<StackAvailability> {
  const name = 'java HttpClient';
  const debianPackage = 'default-jdk-headless';
  const result = await probe('java', ['-version']);
  if (result?.code !== 0) return { name, available: false, debianPackage, reason: `java cannot run${result ? `: ${result.stderr.trim()}` : ' (not installed)'}` };
  const major = javaMajor(result.stderr);
  // Single-file source launch and HttpClient need 11; the client's switch arrows need 14; the issue says 17.
  const versionLine = result.stderr.split('\n').find((line) => / version "/.test(line)) ?? `java ${major}`;
  if (major === null || major < 17) return { name, available: false, debianPackage, reason: `java is not 17 or later: ${versionLine}` };
  // A JRE runs no single-file source: that takes the compiler module a JDK brings.
  const modules = await probe('java', ['--list-modules']);
  if (!modules?.stdout.split('\n').some((line) => line.startsWith('jdk.compiler@'))) {
    return { name, available: false, debianPackage, reason: `${versionLine} has no jdk.compiler module (a JRE, not a JDK)` };
  }
  let session: LineSession | null = null;
  const stack: Stack = {
    name,
    version: versionLine,
    reads: 'pkcs12',
    async prepare() {
      // One JVM for the run: a JVM start and a source compile per call would cost a second each.
      session = new LineSession('java', [join(CLIENTS, 'java', 'Client.java'), '--stdin'], cleanEnv());
      // A line of the wrong shape proves the JVM started and compiled the client.
      const answer = parseOutcome(await session.ask('warm-up', 120_000), 'warm-up');
      if (!answer.error?.startsWith('expected URL')) throw new Error(`the Java client did not start: ${JSON.stringify(answer)}`);
    },
    async get(request) {
      if (!session) throw new Error('the Java client is not started: call prepare() first');
      const { identity } = request;
      if (identity && identity.kind !== 'pkcs12') throw new Error(`${name} reads a PKCS#12 keystore, not ${identity.kind}`);
      const fields = [request.url, identity?.file ?? '-', identity?.password ?? '', request.caFile, request.token, request.tls];
      if (fields.some((field) => /[\t\n]/.test(field))) throw new Error('a field holds a tab or a newline');
      try {
        return parseOutcome(await session.ask(fields.join('\t'), CALL_TIMEOUT_MS), 'java');
      } catch (error) {
        return { status: null, bodyPrefix: '', error: `the Java session failed: ${(error as Error).message}`, timedOut: /timed out/.test((error as Error).message) };
      }
    },
    async close() {
      await session?.close();
      session = null;
    },
  };
  return { name, available: true, stack };
}

/**
 * A long-lived child that answers one stdout line per stdin line, one question at a time.
 * A question that times out kills the child: its later answers could no longer be matched.
 */
class LineSession {
  private readonly child: ChildProcessWithoutNullStreams;
  private buffered = '';
  private waiter: ((line: string | Error) => void) | null = null;
  private ended: Error | null = null;
  private stderr = '';
  private queue: Promise<unknown> = Promise.resolve();
  private readonly exited: Promise<void>;

  constructor(command: string, args: readonly string[], env: NodeJS.ProcessEnv) {
    this.child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'], env });
    this.child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      this.buffered += chunk;
      for (let at = this.buffered.indexOf('\n'); at >= 0; at = this.buffered.indexOf('\n')) {
        this.deliver(this.buffered.slice(0, at));
        this.buffered = this.buffered.slice(at + 1);
      }
    });
    this.child.stderr.setEncoding('utf8').on('data', (chunk: string) => (this.stderr = (this.stderr + chunk).slice(-4000)));
    this.child.stdin.on('error', () => undefined); // reported through 'close'
    this.exited = new Promise((resolve) => {
      const end = (why: string): void => {
        this.ended ??= new Error(`${command} ${why}: ${this.stderr.trim()}`);
        this.waiter?.(this.ended);
        this.waiter = null;
        resolve();
      };
      this.child.on('error', (error) => end(`could not start (${error.message})`));
      this.child.on('close', (code, signal) => end(`exited (${code ?? signal})`));
    });
  }

  /** A line nobody asked for (there should be none) is dropped rather than taken for the next answer. */
  private deliver(line: string): void {
    const waiter = this.waiter;
    this.waiter = null;
    waiter?.(line);
  }

  ask(line: string, timeoutMs: number): Promise<string> {
    const asked = this.queue.then(() => this.askNow(line, timeoutMs));
    this.queue = asked.catch(() => undefined);
    return asked;
  }

  private askNow(line: string, timeoutMs: number): Promise<string> {
    return new Promise((resolve, reject) => {
      if (this.ended) return reject(this.ended);
      const timer = setTimeout(() => {
        this.waiter = null;
        this.child.kill('SIGKILL');
        reject(new Error(`no answer within ${timeoutMs} ms (timed out): ${this.stderr.trim()}`));
      }, timeoutMs);
      this.waiter = (answer) => {
        clearTimeout(timer);
        if (answer instanceof Error) reject(answer);
        else resolve(answer);
      };
      this.child.stdin.write(`${line}\n`);
    });
  }

  async close(): Promise<void> {
    this.child.stdin.end();
    const killer = setTimeout(() => this.child.kill('SIGKILL'), 5_000);
    await this.exited;
    clearTimeout(killer);
  }
}

/** Probes the three stacks of test/clients/; the answer names the Debian package to install. */
export async function clientStacks(): Promise<StackAvailability[]> {
  return Promise.all([rubyAvailability(), goAvailability(), javaAvailability()]);
}
