import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import type { HandshakeRecord } from '../gateway/journal.js';
import { loadOrCreatePki } from '../pki/cache.js';
import { readPkiFolder } from '../pki/folder.js';
import type { PkiManifest } from '../pki/manifest.js';
import { SERVER_CATALOGUE, type ServerVariantName } from '../pki/server-variants/catalogue.js';
import { startLeanMock } from '../server/lean-mock.js';
import { UsageError } from '../cli/io.js';

/** Where the audit keeps the PKI it generates when no `--certs` is given (as `serve` does). */
const CACHED_CERTS_DIR = '.lean-mock/certs';
/** How long to wait, once the command has exited, for the server's record of its connection. */
const SETTLE_MS = 2000;

export interface AuditOptions {
  /** argv: the first element is the program, run without a shell. */
  command: readonly string[];
  certs?: string;
  tls?: '1.2' | '1.3';
  timeoutMs: number;
  cwd: string;
}

export interface VariantVerdict {
  name: ServerVariantName;
  must_refuse: boolean;
  /** From what reached the server, never from the command's exit code. */
  verdict: 'refused' | 'accepted' | 'no_connection';
  /** The TLS alert the client sent when it refused; null when it closed without one. */
  alert: string | null;
  exit_code: number | null;
  connections: number;
}

export interface AuditReport {
  command: string[];
  tls: string;
  certs: string;
  pass: boolean;
  variants: VariantVerdict[];
}

/** Runs the command once per server variant against a fresh mock and judges each run from the journal. */
export async function auditClient(options: AuditOptions): Promise<AuditReport> {
  if (options.command.length === 0) throw new UsageError('audit-client needs a command after --');
  const { pki, manifest, dir } = await pkiFor(options);
  const mock = await startLeanMock({ pki, adminPort: 'off', port: 0, tlsMin: options.tls, tlsMax: options.tls });
  try {
    const variants: VariantVerdict[] = [];
    for (const description of SERVER_CATALOGUE) {
      const url = mock.serverVariants[description.name]!;
      const records: HandshakeRecord[] = [];
      const onHandshake = (record: HandshakeRecord): void => {
        if (record.server_variant === description.name) records.push(record);
      };
      mock.journal.on('handshake', onHandshake);
      let exitCode: number | null;
      try {
        const argv = options.command.map((arg) => substitute(arg, url, dir, manifest));
        exitCode = await run(argv, options.cwd, options.timeoutMs);
        // The server may record a refusal a moment after the client has given up and exited.
        if (records.length === 0) await mock.journal.nextHandshake((record) => record.server_variant === description.name, SETTLE_MS).catch(() => undefined);
      } finally {
        mock.journal.off('handshake', onHandshake);
      }
      variants.push(verdictOf(description.name, description.mustRefuse, records, exitCode));
    }
    return {
      command: [...options.command],
      tls: options.tls ?? '1.2-1.3',
      certs: dir,
      pass: variants.every((variant) => !variant.must_refuse || variant.verdict === 'refused'),
      variants,
    };
  } finally {
    await mock.close();
  }
}

async function pkiFor(options: AuditOptions) {
  if (options.certs !== undefined) {
    const dir = resolve(options.cwd, options.certs);
    return { ...(await readPkiFolder(dir)), dir };
  }
  return loadOrCreatePki(resolve(options.cwd, CACHED_CERTS_DIR));
}

/** `{url}`, `{ca}`, `{cert}` and `{key}` anywhere in an argument; paths are absolute. */
function substitute(arg: string, url: string, dir: string, manifest: PkiManifest): string {
  const app = manifest.apps[0]!;
  const values: Record<string, string> = {
    url,
    ca: join(dir, manifest.trust.chain),
    cert: join(dir, app.cert),
    key: join(dir, app.key),
  };
  return arg.replace(/\{(url|ca|cert|key)\}/g, (_, name: string) => values[name]!);
}

/** Runs argv without a shell, output discarded; resolves with the exit code (null when killed for taking too long). */
function run(argv: readonly string[], cwd: string, timeoutMs: number): Promise<number | null> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(argv[0]!, argv.slice(1), { cwd, stdio: 'ignore' });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(error.code === 'ENOENT' ? new UsageError(`cannot run "${argv[0]}": no such program`) : error);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolvePromise(code);
    });
  });
}

function verdictOf(name: ServerVariantName, mustRefuse: boolean, records: readonly HandshakeRecord[], exitCode: number | null): VariantVerdict {
  // One accepted connection is enough to call the client insecure, whatever it did on the others.
  const accepted = records.find((record) => record.client_verdict === 'accepted');
  const refused = records.find((record) => record.client_verdict === 'refused');
  return {
    name,
    must_refuse: mustRefuse,
    verdict: accepted ? 'accepted' : refused ? 'refused' : 'no_connection',
    alert: !accepted && refused ? (refused.client_alert ?? null) : null,
    exit_code: exitCode,
    connections: records.length,
  };
}

/** The table people read: one line per variant, then the verdict. */
export function renderAudit(report: AuditReport): string {
  const width = Math.max(...report.variants.map((variant) => variant.name.length)) + 2;
  const lines = [`lean-mock audit-client: ${report.command.join(' ')}`, '', `${'variant'.padEnd(width)}${'must refuse'.padEnd(13)}client`];
  for (const variant of report.variants) {
    const what =
      variant.verdict === 'accepted'
        ? 'ACCEPTED'
        : variant.verdict === 'no_connection'
          ? 'NO CONNECTION (the command never reached {url})'
          : `refused (${variant.alert ? `alert ${variant.alert}` : 'closed without an alert'})`;
    lines.push(`${variant.name.padEnd(width)}${(variant.must_refuse ? 'yes' : 'no').padEnd(13)}${what}`);
  }
  const must = report.variants.filter((variant) => variant.must_refuse);
  const failed = must.filter((variant) => variant.verdict !== 'refused');
  lines.push(
    '',
    report.pass
      ? `PASS: the client refused all ${must.length} must-refuse variants`
      : `FAIL: ${failed.length} of ${must.length} must-refuse variants not refused (${failed.map((variant) => variant.name).join(', ')}): the client does not verify the server`,
    '',
  );
  return lines.join('\n');
}
