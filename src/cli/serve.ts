import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { isKeyType, type KeyType } from '../pki/key-types.js';
import type { LeanPki } from '../pki/lean-pki.js';
import type { PkiManifest } from '../pki/manifest.js';
import type { ScenarioInput } from '../sandbox/scenarios/schema.js';
import { DEFAULT_CERTS_DIR } from './certs.js';
import { checkWritableFile, describeFsError } from './fs-errors.js';
import { UsageError, type CliIo } from './io.js';

/**
 * Without `--certs`, `serve` uses the folder `lean-mock certs` writes (./lean-mock-certs), making
 * it when missing and reusing it while valid: one folder, so `certs`, `serve` and the README's curl
 * agree (it used to be ./.lean-mock/certs, which `certs` never wrote).
 */
export const CACHED_CERTS_DIR = DEFAULT_CERTS_DIR;

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
  scenario?: string;
  replay?: string;
  serverVariants: 'on' | 'off';
  json: boolean;
}

const WILDCARD_HOSTS = new Set(['0.0.0.0', '::', '']);

export function registerServeCommand(program: Command, io: CliIo): void {
  program
    .command('serve')
    .description('run the mock over mutual TLS until SIGINT/SIGTERM')
    .option('--certs <dir>', `certificate folder from "lean-mock certs" (default: ./${CACHED_CERTS_DIR}, made when missing, reused while valid)`)
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
    .option('--scenario <file>', 'preload customers, accounts, transactions and canned replies (JSON or YAML), again after every reset')
    .option('--replay <dir>', 'answer requests matching exchanges recorded by "lean-mock record" from DIR; the rest from the sandbox')
    .addOption(
      new Option('--server-variants <on|off>', 'one loopback listener per bad server certificate, to test that clients verify the server')
        .choices(['on', 'off'])
        .default('on'),
    )
    .option('--json', 'print the ready line as one JSON object', false)
    // Not --env-file: Node 20 claims that flag anywhere on its command line, even after the script.
    .option('--write-env <path>', 'also write the URL, credentials and certificate paths as KEY=value lines (mode 0600)')
    .addHelpText(
      'after',
      `
Examples:
  lean-mock serve                                  https://127.0.0.1:8443, admin on 8444, certs in ./${CACHED_CERTS_DIR}
  lean-mock serve --port 0 --admin-port 0 --json   ephemeral ports, one JSON ready line for scripts
  lean-mock serve --write-env lean.env             then: set -a; . ./lean.env; set +a
  lean-mock serve --certs ci-certs --reject http   answer a bad certificate with 403 and its reason`,
    )
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
      if (port !== 0 && port === adminPort) throw new UsageError(`--port and --admin-port are both ${port}: give them different ports`);
      // Checked before anything listens, so a typo costs no start-up.
      if (flags.writeEnv !== undefined) await checkWritableFile('--write-env', resolve(io.cwd, flags.writeEnv), flags.writeEnv);

      const scenario = flags.scenario === undefined ? undefined : await readScenarioFlag(resolve(io.cwd, flags.scenario));
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
        scenario: scenario as ScenarioInput | undefined,
        ...(flags.replay !== undefined ? { replay: resolve(io.cwd, flags.replay) } : {}),
        serverVariants: flags.serverVariants === 'on',
      }).catch((error: NodeJS.ErrnoException & { port?: number }) => {
        if (error.name === 'ScenarioError') throw new UsageError(`--scenario ${flags.scenario}: ${error.message}`);
        if (error.name === 'ReplayFolderError') throw new UsageError(`--replay: ${error.message}`);
        // The API port listens first: a refusal for another port is the admin port's.
        const flag = error.port !== undefined && error.port !== port ? '--admin-port' : '--port';
        if (error.code === 'EADDRINUSE') throw new Error(`${flag} ${error.port ?? port}: the port is in use (use ${flag} 0 for an ephemeral port)`);
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
          throw new Error(`cannot write --write-env ${target}: ${describeFsError(error)}`);
        });
      }
      // Listen for signals before saying "ready": stdout to a pipe is synchronous, so a supervisor
      // may signal the instant it reads the line, before another statement of ours runs.
      const shutdown = io.waitForShutdown();
      io.stdout(
        flags.json
          ? `${JSON.stringify({ url: mock.url, adminUrl: mock.adminUrl, certs: dir, appToken, serverVariants: mock.serverVariants })}\n`
          : `lean-mock ready ${mock.url} admin ${mock.adminUrl ?? 'off'} certs ${dir}\n`,
      );
      const signal = await shutdown;
      await mock.close();
      if (!flags.json) io.stderr(`lean-mock stopped (${signal})\n`);
    });
}

export async function obtainPki(flags: Pick<ServeFlags, 'certs' | 'host'>, io: CliIo): Promise<{ pki: LeanPki; dir: string; manifest: PkiManifest }> {
  if (flags.certs !== undefined) {
    const dir = resolve(io.cwd, flags.certs);
    const { readPkiFolder } = await import('../pki/folder.js');
    return { ...(await readPkiFolder(dir)), dir };
  }
  const { loadOrCreatePki } = await import('../pki/cache.js');
  const dir = resolve(io.cwd, CACHED_CERTS_DIR);
  // The server certificate must name the address clients dial, unless that is a wildcard.
  const hosts = WILDCARD_HOSTS.has(flags.host) ? [] : [flags.host];
  // A folder `certs --key-type rsa` wrote stays RSA when it has to be renewed.
  const keyType = await keyTypeIn(dir);
  const { pki, manifest, reused } = await loadOrCreatePki(dir, { hosts, keyType }).catch((error: NodeJS.ErrnoException) => {
    throw new Error(`cannot write the certificate folder ${dir}: ${describeFsError(error)} (or pass --certs DIR)`);
  });
  if (!reused && keyType !== undefined) io.stderr(`lean-mock: renewed ${dir} (it expired within a day or did not cover --host ${flags.host})\n`);
  return { pki, manifest, dir };
}

/** The key type of the PKI folder in `dir`, if there is one. */
async function keyTypeIn(dir: string): Promise<KeyType | undefined> {
  try {
    const { key_type: keyType } = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as { key_type?: unknown };
    return typeof keyType === 'string' && isKeyType(keyType) ? keyType : undefined;
  } catch {
    return undefined;
  }
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

/** The scenario file's content; a file or syntax problem is a usage error (exit 2), one line. */
async function readScenarioFlag(path: string): Promise<unknown> {
  const { readScenarioFile } = await import('../sandbox/scenarios/load.js');
  try {
    return await readScenarioFile(path);
  } catch (error) {
    const { message, detail } = error as Error & { detail?: string };
    throw new UsageError(detail === undefined ? message : `--scenario ${path}: ${detail}`);
  }
}

export function parsePort(flag: string, value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65_535) throw new UsageError(`${flag} must be a port number from 0 to 65535, not "${value}"`);
  return port;
}
