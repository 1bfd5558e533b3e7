import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { run, type RunResult } from './external.js';
import { javaMajor } from './stacks.js';

/**
 * Real HTTPS client stacks run against lean-mock's bad server certificates (issue 16): each stack
 * is one small program under test/clients/ that takes a LIST of targets on stdin, one
 * tab-separated line each, and prints one JSON line per target. One process answers a whole list,
 * so a JVM or a Go build is paid once per run, not once per variant.
 */

const CLIENTS = join(dirname(fileURLToPath(import.meta.url)), '..', 'clients');
/** A whole list: at most ~40 targets of at most a handshake each, plus a JVM start and a source compile. */
const BATCH_TIMEOUT_MS = 120_000;

export type TlsVersion = '1.2' | '1.3';

/** One bad-server listener. */
export interface ServerVariant {
  readonly name: string;
  readonly mustRefuse: boolean;
  readonly url: string;
}

/** What a listener journaled for one connection. */
export interface ClientVerdict {
  readonly variant: string;
  readonly verdict: 'refused' | 'accepted';
  /** The TLS alert the client sent, as the journal names it (`bad_certificate`), or null for none. */
  readonly alert: string | null;
  /** `TLSv1.2`/`TLSv1.3`, when the listener knows it. */
  readonly tlsVersion: string | null;
}

/** The files a README snippet loads: PEM leaf, PEM leaf + chain, its key, and the PKCS#12 keystore. */
export interface ClientFiles {
  readonly ca: string;
  readonly certLeaf: string;
  readonly certAndChain: string;
  readonly key: string;
  readonly p12: string;
  readonly p12Password: string;
}

export interface Target {
  readonly name: string;
  readonly url: string;
  readonly tls: TlsVersion;
  readonly insecure: boolean;
}

/** `ok`: the handshake went through and an HTTP reply came back; otherwise the stack's own error text. */
export interface TargetOutcome {
  readonly name: string;
  readonly ok: boolean;
  readonly status?: number;
  readonly error?: string;
}

export type VariantStackName =
  | 'curl'
  | 'python requests'
  | 'node https'
  | 'node undici'
  | 'node axios'
  | 'go net/http'
  | 'ruby Net::HTTP'
  | 'java HttpClient';

export interface VariantStack {
  readonly name: VariantStackName;
  readonly version: string;
  /** The one setting that turns server verification off, as a user writes it. */
  readonly insecureSetting: string;
  /** Runs every target in one process (after building it, for Go), in order. */
  run(targets: readonly Target[], files: ClientFiles): Promise<TargetOutcome[]>;
}

export type VariantStackAvailability =
  | { name: VariantStackName; available: true; stack: VariantStack }
  | { name: VariantStackName; available: false; reason: string; debianPackage: string };

/** Clients must never wander off to a proxy or read a user's TLS settings: the servers are on loopback. */
function cleanEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of Object.keys(env)) {
    if (
      /^(https?|all|no)_proxy$/i.test(name) ||
      /^(CURL_HOME|REQUESTS_CA_BUNDLE|CURL_CA_BUNDLE|SSL_CERT_FILE|SSL_CERT_DIR|NODE_EXTRA_CA_CERTS|NODE_TLS_REJECT_UNAUTHORIZED|NODE_OPTIONS|JAVA_TOOL_OPTIONS|_JAVA_OPTIONS|JDK_JAVA_OPTIONS)$/.test(name)
    ) {
      delete env[name];
    }
  }
  return { ...env, ...extra };
}

/** The line each program reads: NAME URL CA CERT KEY TLS INSECURE. */
function targetLine(target: Target, ca: string, cert: string, key: string): string {
  const fields = [target.name, target.url, ca, cert, key, target.tls, target.insecure ? '1' : '0'];
  if (fields.some((field) => /[\t\n]/.test(field))) throw new Error(`a field of ${target.name} holds a tab or a newline`);
  return fields.join('\t');
}

const described = (result: RunResult): string =>
  `exit ${result.code ?? result.signal}${result.timedOut ? ' (timed out)' : ''}: ${result.stderr.trim().slice(-2000)}`;

/** One outcome per target, in the targets' order; a target the program never answered says why. */
export function parseOutcomes(targets: readonly Target[], stdout: string, failure: string): TargetOutcome[] {
  const byName = new Map<string, TargetOutcome>();
  for (const line of stdout.split('\n')) {
    let printed: unknown;
    try {
      printed = JSON.parse(line);
    } catch {
      continue;
    }
    if (!printed || typeof printed !== 'object') continue;
    const { name, ok, status, error } = printed as Record<string, unknown>;
    if (typeof name !== 'string' || typeof ok !== 'boolean') continue;
    byName.set(name, {
      name,
      ok,
      ...(typeof status === 'number' ? { status } : {}),
      ...(typeof error === 'string' ? { error } : {}),
    });
  }
  return targets.map((target) => byName.get(target.name) ?? { name: target.name, ok: false, error: `no line from the client: ${failure}` });
}

/** A program that reads the target lines on stdin. */
async function runProgram(
  command: string,
  args: readonly string[],
  lines: readonly string[],
  targets: readonly Target[],
  env = cleanEnv(),
): Promise<TargetOutcome[]> {
  const result = await run(command, args, { input: `${lines.join('\n')}\n`, timeoutMs: BATCH_TIMEOUT_MS, env });
  return parseOutcomes(targets, result.stdout, described(result));
}

async function probe(command: string, args: readonly string[], env = cleanEnv()): Promise<RunResult | null> {
  try {
    return await run(command, args, { timeoutMs: 30_000, env });
  } catch {
    return null; // not installed
  }
}

const firstLine = (text: string): string => text.trim().split('\n')[0] ?? '';

// ---------------------------------------------------------------- curl

/** Per transfer, after it ends (failed or not): the target's name, curl's exit code, the HTTP code, the error. */
const CURL_WRITE_OUT = (name: string): string => `${name.replaceAll('%', '%%')}\t%{exitcode}\t%{http_code}\t%{errormsg}\n`;

/** curl needs no program: one invocation runs every target, each its own `--next` transfer. */
function curlArgs(targets: readonly Target[], files: ClientFiles): string[] {
  const args = ['-q']; // no ~/.curlrc; only valid first
  targets.forEach((target, index) => {
    if (index > 0) args.push('--next');
    args.push('-sS', '--noproxy', '*', '--max-time', '10', '--cacert', files.ca, '--cert', files.certLeaf, '--key', files.key);
    args.push(`--tlsv${target.tls}`, '--tls-max', target.tls, '-o', '/dev/null', '-w', CURL_WRITE_OUT(target.name));
    if (target.insecure) args.push('-k');
    args.push(target.url);
  });
  return args;
}

function parseCurl(targets: readonly Target[], stdout: string, failure: string): TargetOutcome[] {
  const lines = stdout.split('\n').map((line) => line.split('\t'));
  const json = lines
    .filter((fields) => fields.length >= 4)
    .map(([name, exitCode, httpCode, ...message]) =>
      Number(exitCode) === 0
        ? JSON.stringify({ name, ok: true, status: Number(httpCode) })
        : JSON.stringify({ name, ok: false, error: `curl: (${exitCode}) ${message.join('\t')}` }),
    );
  return parseOutcomes(targets, json.join('\n'), failure);
}

async function curlAvailability(): Promise<VariantStackAvailability> {
  const result = await probe('curl', ['--version']);
  if (result?.code !== 0) return { name: 'curl', available: false, debianPackage: 'curl', reason: 'curl is not installed' };
  return {
    name: 'curl',
    available: true,
    stack: {
      name: 'curl',
      version: firstLine(result.stdout),
      insecureSetting: '`curl -k` (`--insecure`)',
      async run(targets, files) {
        const outcome = await run('curl', curlArgs(targets, files), { timeoutMs: BATCH_TIMEOUT_MS, env: cleanEnv() });
        return parseCurl(targets, outcome.stdout, described(outcome));
      },
    },
  };
}

// ---------------------------------------------------------------- Python requests

/** The first python3 that imports `requests`: the one on PATH (maybe pyenv's), then Debian's. */
async function pythonAvailability(): Promise<VariantStackAvailability> {
  const tried: string[] = [];
  for (const python of ['python3', '/usr/bin/python3']) {
    const result = await probe(python, ['-c', 'import requests, ssl; print("requests", requests.__version__, "/", ssl.OPENSSL_VERSION)']);
    if (result?.code === 0) {
      const script = join(CLIENTS, 'python', 'server_variants.py');
      return {
        name: 'python requests',
        available: true,
        stack: {
          name: 'python requests',
          version: result.stdout.trim(),
          insecureSetting: '`verify=False`',
          run: (targets, files) =>
            runProgram(python, [script], targets.map((target) => targetLine(target, files.ca, files.certLeaf, files.key)), targets),
        },
      };
    }
    tried.push(result ? `${python}: ${firstLine(result.stderr.trim().split('\n').pop() ?? '')}` : `${python}: not installed`);
  }
  return { name: 'python requests', available: false, debianPackage: 'python3-requests', reason: `no python3 imports requests (${tried.join('; ')})` };
}

// ---------------------------------------------------------------- Node: https, undici, axios

function nodeStack(library: 'https' | 'undici' | 'axios', version: string): VariantStack {
  const script = join(CLIENTS, 'node', 'server-variants.mjs');
  return {
    name: `node ${library}`,
    version,
    insecureSetting:
      library === 'undici' ? '`new Agent({ connect: { rejectUnauthorized: false } })`' : '`new https.Agent({ rejectUnauthorized: false })`',
    run: (targets, files) =>
      runProgram(process.execPath, [script, library], targets.map((target) => targetLine(target, files.ca, files.certLeaf, files.key)), targets),
  };
}

async function nodeVersions(): Promise<Record<'https' | 'undici' | 'axios', string>> {
  const versionOf = async (name: string): Promise<string> => {
    const { createRequire } = await import('node:module');
    const manifest = createRequire(import.meta.url)(`${name}/package.json`) as { version: string };
    return `${name} ${manifest.version}`;
  };
  return { https: `node ${process.version}`, undici: await versionOf('undici'), axios: await versionOf('axios') };
}

// ---------------------------------------------------------------- Go

/** The build cache outlives the run (a cold build of net/http takes seconds); the binary does not. */
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

async function goAvailability(): Promise<VariantStackAvailability> {
  const result = await probe('go', ['version'], goEnv());
  if (result?.code !== 0) return { name: 'go net/http', available: false, debianPackage: 'golang-go', reason: 'go is not installed' };
  return {
    name: 'go net/http',
    available: true,
    stack: {
      name: 'go net/http',
      version: result.stdout.trim(),
      insecureSetting: '`tls.Config{InsecureSkipVerify: true}`',
      async run(targets, files) {
        const dir = await mkdtemp(join(tmpdir(), 'lean-mock-go-variants-'));
        try {
          const binary = join(dir, 'server-variants');
          const build = await run('go', ['build', '-o', binary, join(CLIENTS, 'go', 'variants', 'main.go')], { timeoutMs: 300_000, env: goEnv() });
          if (build.code !== 0) return parseOutcomes(targets, '', `go build failed (${described(build)})`);
          // Go sends a certificate only if its chain reaches a CA the server names: the README's leaf + chain file.
          return await runProgram(binary, [], targets.map((target) => targetLine(target, files.ca, files.certAndChain, files.key)), targets);
        } finally {
          await rm(dir, { recursive: true, force: true });
        }
      },
    },
  };
}

// ---------------------------------------------------------------- Ruby

async function rubyAvailability(): Promise<VariantStackAvailability> {
  const result = await probe('ruby', ['-ropenssl', '-e', 'puts "ruby #{RUBY_VERSION}, #{OpenSSL::OPENSSL_LIBRARY_VERSION}"']);
  if (result?.code !== 0) return { name: 'ruby Net::HTTP', available: false, debianPackage: 'ruby', reason: 'ruby with openssl is not installed' };
  const script = join(CLIENTS, 'ruby', 'server_variants.rb');
  return {
    name: 'ruby Net::HTTP',
    available: true,
    stack: {
      name: 'ruby Net::HTTP',
      version: result.stdout.trim(),
      insecureSetting: '`http.verify_mode = OpenSSL::SSL::VERIFY_NONE`',
      run: (targets, files) => runProgram('ruby', [script], targets.map((target) => targetLine(target, files.ca, files.certLeaf, files.key)), targets),
    },
  };
}

// ---------------------------------------------------------------- Java

/**
 * A short-lived JVM spends most of its CPU compiling itself: the quick JIT tier alone and one GC
 * thread keep it off the other stacks' cores. Neither touches TLS.
 */
const JVM_FLAGS = ['-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC'];

async function javaAvailability(): Promise<VariantStackAvailability> {
  const name = 'java HttpClient';
  const debianPackage = 'default-jdk-headless';
  const result = await probe('java', ['-version']);
  if (result?.code !== 0) return { name, available: false, debianPackage, reason: 'java is not installed' };
  const versionLine = result.stderr.split('\n').find((line) => / version "/.test(line)) ?? 'java';
  const major = javaMajor(result.stderr);
  if (major === null || major < 17) return { name, available: false, debianPackage, reason: `java is not 17 or later: ${versionLine}` };
  const modules = await probe('java', ['--list-modules']);
  if (!modules?.stdout.split('\n').some((line) => line.startsWith('jdk.compiler@'))) {
    return { name, available: false, debianPackage, reason: `${versionLine} has no jdk.compiler module (a JRE, not a JDK)` };
  }
  const source = join(CLIENTS, 'java', 'ServerVariants.java');
  return {
    name,
    available: true,
    stack: {
      name,
      version: versionLine,
      insecureSetting: 'a trust-all `X509ExtendedTrustManager` in the `SSLContext` (no certificate, no host-name check)',
      // The keystore and its password ride in the CERT and KEY fields.
      run: (targets, files) => runProgram('java', [...JVM_FLAGS, source], targets.map((target) => targetLine(target, files.ca, files.p12, files.p12Password)), targets),
    },
  };
}

// ------------------------------------------------------------------------------------------------

/** Every stack, in the README's order; the unavailable ones say which Debian package brings them. */
export async function variantStacks(): Promise<VariantStackAvailability[]> {
  const versions = await nodeVersions();
  const node = (['https', 'undici', 'axios'] as const).map(
    (library): VariantStackAvailability => ({ name: `node ${library}`, available: true, stack: nodeStack(library, versions[library]) }),
  );
  const [curl, python, go, ruby, java] = await Promise.all([
    curlAvailability(),
    pythonAvailability(),
    goAvailability(),
    rubyAvailability(),
    javaAvailability(),
  ]);
  return [curl, python, ...node, go, ruby, java];
}
