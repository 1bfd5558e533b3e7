import { join, resolve } from 'node:path';
import { Option, type Command } from 'commander';
import type { LeanPki } from '../pki/lean-pki.js';
import type { PkiManifest } from '../pki/manifest.js';
import { UsageError, type CliIo } from './io.js';

/** Where `serve` keeps the PKI it generates when no `--certs` is given; reused while valid. */
export const CACHED_CERTS_DIR = '.lean-mock/certs';

interface ServeFlags {
  certs?: string;
  host: string;
  port: string;
  adminPort: string;
  reject: 'handshake' | 'http';
  tlsMin: '1.2' | '1.3';
  tlsMax: '1.2' | '1.3';
  requireClientChain: boolean;
  mtls: boolean;
  seed: string;
  asOf?: string;
  webhookUrl?: string;
  writeEnv?: string;
  json: boolean;
}

const WILDCARD_HOSTS = new Set(['0.0.0.0', '::', '']);

export function registerServeCommand(program: Command, io: CliIo): void {
  program
    .command('serve')
    .description('run the mock over mutual TLS until SIGINT/SIGTERM')
    .option('--certs <dir>', `certificate folder from "lean-mock certs" (default: generate and reuse ${CACHED_CERTS_DIR})`)
    .option('--host <address>', 'address to listen on (anything but loopback must be asked for)', '127.0.0.1')
    .option('--port <port>', 'HTTPS port (0: ephemeral)', '8443')
    .option('--admin-port <port>', 'admin API port on loopback (0: ephemeral, off: none)', '8444')
    .addOption(new Option('--reject <style>', 'how to refuse a bad certificate').choices(['handshake', 'http']).default('handshake'))
    .addOption(new Option('--tls-min <version>', 'lowest TLS version').choices(['1.2', '1.3']).default('1.2'))
    .addOption(new Option('--tls-max <version>', 'highest TLS version').choices(['1.2', '1.3']).default('1.3'))
    .option('--require-client-chain', 'trust the root only: clients must send leaf + intermediate', false)
    .option('--no-mtls', 'no client certificate: token only, like the plain sandbox host')
    .option('--seed <n>', 'seed of the sandbox data (same seed, same data)', '1')
    .option('--as-of <date>', 'the day seeded data runs up to, YYYY-MM-DD (default: today, UTC)')
    .option('--webhook-url <url>', "where every app's webhooks are POSTed (http or https)")
    .option('--json', 'print the ready line as one JSON object', false)
    // Not --env-file: Node 20 claims that flag anywhere on its command line, even after the script.
    .option('--write-env <path>', 'also write the URL, credentials and certificate paths as KEY=value lines (mode 0600)')
    .allowExcessArguments(false)
    .action(async (flags: ServeFlags) => {
      const port = parsePort('--port', flags.port);
      const adminPort = flags.adminPort === 'off' ? 'off' : parsePort('--admin-port', flags.adminPort);
      if (flags.tlsMin === '1.3' && flags.tlsMax === '1.2') throw new UsageError('--tls-min 1.3 is above --tls-max 1.2');
      const seed = Number(flags.seed);
      if (!/^\d+$/.test(flags.seed) || seed > 0xffffffff) throw new UsageError(`--seed must be a whole number from 0 to 4294967295, not "${flags.seed}"`);
      if (flags.asOf !== undefined && (!/^\d{4}-\d{2}-\d{2}$/.test(flags.asOf) || Number.isNaN(Date.parse(`${flags.asOf}T00:00:00Z`)))) {
        throw new UsageError(`--as-of must be a date like 2026-01-31, not "${flags.asOf}"`);
      }
      if (flags.webhookUrl !== undefined && !/^https?:\/\/[^\s]+$/.test(flags.webhookUrl)) {
        throw new UsageError(`--webhook-url must be an http or https URL, not "${flags.webhookUrl}"`);
      }

      // The server's modules load while the certificate folder is read (imported here, not at the
      // top: `--help`, `certs` and `doctor` never load the server).
      const [{ pki, dir, manifest }, { startLeanMock }, { defaultApp }, { SECRET_MODE, writeFileSafely }] = await Promise.all([
        obtainPki(flags, io),
        import('../server/lean-mock.js'),
        import('../pki/lean-pki.js'),
        import('../pki/safe-files.js'),
      ]);
      const mock = await startLeanMock({
        pki,
        host: flags.host,
        port,
        adminPort,
        rejection: flags.reject,
        tlsMin: flags.tlsMin,
        tlsMax: flags.tlsMax,
        requireClientChain: flags.requireClientChain,
        mtls: flags.mtls,
        seed,
        asOf: flags.asOf,
        webhookUrl: flags.webhookUrl,
      }).catch((error: NodeJS.ErrnoException & { port?: number }) => {
        if (error.code === 'EADDRINUSE') throw new Error(`port ${error.port ?? port} is in use (use --port 0 for an ephemeral port)`);
        if (error.code === 'EADDRNOTAVAIL') throw new Error(`cannot listen on ${flags.host}: no such local address`);
        if (error.code === 'EACCES') throw new Error(`not allowed to listen on port ${error.port ?? port}`);
        throw error;
      });

      const appToken = defaultApp(pki).appToken;
      if (flags.writeEnv !== undefined) {
        const target = resolve(io.cwd, flags.writeEnv);
        // Replaced by rename, never written through a symlink planted at `target`; 0600 whatever the umask.
        await writeFileSafely(target, envFileText(mock, dir, manifest), SECRET_MODE).catch((error: NodeJS.ErrnoException) => {
          void mock.close();
          throw new Error(`cannot write --write-env ${target}: ${error.code ?? error.message}`);
        });
      }
      // Listen for signals before saying "ready": stdout to a pipe is synchronous, so a supervisor
      // may signal the instant it reads the line, before another statement of ours runs.
      const shutdown = io.waitForShutdown();
      io.stdout(
        flags.json
          ? `${JSON.stringify({ url: mock.url, adminUrl: mock.adminUrl, certs: dir, appToken })}\n`
          : `lean-mock ready ${mock.url} admin ${mock.adminUrl ?? 'off'} certs ${dir}\n`,
      );
      const signal = await shutdown;
      await mock.close();
      if (!flags.json) io.stderr(`lean-mock stopped (${signal})\n`);
    });
}

async function obtainPki(flags: ServeFlags, io: CliIo): Promise<{ pki: LeanPki; dir: string; manifest: PkiManifest }> {
  if (flags.certs !== undefined) {
    const dir = resolve(io.cwd, flags.certs);
    const { readPkiFolder } = await import('../pki/folder.js');
    return { ...(await readPkiFolder(dir)), dir };
  }
  const { loadOrCreatePki } = await import('../pki/cache.js');
  const dir = resolve(io.cwd, CACHED_CERTS_DIR);
  // The server certificate must name the address clients dial, unless that is a wildcard.
  const hosts = WILDCARD_HOSTS.has(flags.host) ? [] : [flags.host];
  const { pki, manifest } = await loadOrCreatePki(dir, { hosts });
  return { pki, manifest, dir };
}

/** What a test suite in any language needs to call the mock, as an env file (`set -a; . file`). */
function envFileText(mock: { url: string; adminUrl: string | null }, dir: string, manifest: PkiManifest): string {
  const app = manifest.apps[0]!;
  const path = (file: string): string => join(dir, file);
  const values: Record<string, string> = {
    LEAN_MOCK_URL: mock.url,
    LEAN_MOCK_ADMIN_URL: mock.adminUrl ?? '',
    LEAN_MOCK_CERTS: dir,
    LEAN_APP_TOKEN: app.app_token,
    LEAN_CLIENT_ID: app.client_id,
    LEAN_CLIENT_SECRET: app.client_secret,
    LEAN_WEBHOOK_SECRET: app.webhook_secret,
    LEAN_CA: path(manifest.trust.chain),
    LEAN_CERT: path(app.cert),
    LEAN_KEY: path(app.key),
    LEAN_CERT_AND_CHAIN: path(app.cert_and_chain),
    LEAN_P12: path(app.p12),
    LEAN_P12_PASSWORD: manifest.p12_password,
  };
  return Object.entries(values).map(([key, value]) => `${key}=${value}`).join('\n') + '\n';
}

function parsePort(flag: string, value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65_535) throw new UsageError(`${flag} must be a port number from 0 to 65535, not "${value}"`);
  return port;
}
