import { resolve } from 'node:path';
import type { Command } from 'commander';
import { defaultApp } from '../pki/lean-pki.js';
import { UsageError, type CliIo } from './io.js';
import { obtainPki, parsePort } from './serve.js';
import { addUpstreamOptions, CREDENTIALS_HELP, readUpstream, type UpstreamFlags } from './upstream-flags.js';

interface RecordFlags extends UpstreamFlags {
  out: string;
  certs?: string;
  host: string;
  port: string;
  adminPort: string;
  json: boolean;
}

/**
 * `lean-mock record`: lean-mock's gate in front of the upstream. Prints the usual ready line, then
 * one line per recorded exchange on stdout; an upstream that gives no answer is explained on
 * stderr the way `doctor` explains it (once per kind of failure). Runs until SIGINT/SIGTERM.
 */
export function registerRecordCommand(program: Command, io: CliIo, env: NodeJS.ProcessEnv = process.env): void {
  addUpstreamOptions(
    program
      .command('record')
      .description("front an upstream (Lean's sandbox) with lean-mock's gate and record every exchange to one file each"),
  )
    .requiredOption('--out <dir>', 'folder for the exchange files (created; numbering continues after files already there)')
    .option('--certs <dir>', "lean-mock's own certificate folder, what clients use (default: ./lean-mock-certs, made when missing, reused while valid)")
    .option('--host <address>', 'address to listen on', '127.0.0.1')
    .option('--port <port>', 'HTTPS port (0: ephemeral)', '8443')
    .option('--admin-port <port>', 'admin API and inspector port on loopback (0: ephemeral, off: none)', '8444')
    .option('--json', 'print the ready line and each exchange as JSON objects', false)
    .allowExcessArguments(false)
    .addHelpText('after', CREDENTIALS_HELP)
    .action(async (flags: RecordFlags) => {
      const port = parsePort('--port', flags.port);
      const adminPort = flags.adminPort === 'off' ? 'off' : parsePort('--admin-port', flags.adminPort);
      if (flags.out.trim() === '') throw new UsageError('--out must name a folder');
      const upstream = await readUpstream(flags, io, env);
      const { pki, dir } = await obtainPki(flags, io);
      const out = resolve(io.cwd, flags.out);
      // Loaded only when recording: the forwarder pulls in the doctor to explain upstream failures.
      const { startRecorder } = await import('../record/index.js');
      const explained = new Set<string>();
      const mock = await startRecorder({
        pki,
        host: flags.host,
        port,
        adminPort,
        upstream: upstream.url,
        identity: upstream.identity,
        identityNames: upstream.names,
        credentials: upstream.credentials,
        tokenUrl: upstream.tokenUrl,
        out,
        onExchange: (exchange) =>
          io.stdout(
            flags.json
              ? `${JSON.stringify({ recorded: exchange.file, method: exchange.method, path: exchange.path, status: exchange.status })}\n`
              : `recorded ${exchange.file} (${exchange.status} ${exchange.method} ${exchange.path})\n`,
          ),
        onFailure: ({ method, path, failure, explanation }) => {
          io.stderr(`upstream gave no answer to ${method} ${path} (${failure.code}): answered 502 UPSTREAM_UNAVAILABLE\n`);
          if (explained.has(failure.code)) return;
          explained.add(failure.code);
          io.stderr(explanation.text);
        },
      }).catch((error: NodeJS.ErrnoException & { port?: number }) => {
        if (error.code === 'EADDRINUSE') throw new Error(`port ${error.port ?? port} is in use (use --port 0 for an ephemeral port)`);
        throw error;
      });
      const shutdown = io.waitForShutdown();
      const appToken = defaultApp(pki).appToken;
      io.stdout(
        flags.json
          ? `${JSON.stringify({ url: mock.url, adminUrl: mock.adminUrl, certs: dir, appToken, upstream: new URL(upstream.url).origin, out })}\n`
          : `lean-mock ready ${mock.url} admin ${mock.adminUrl ?? 'off'} certs ${dir} recording ${new URL(upstream.url).origin} to ${out}\n`,
      );
      const signal = await shutdown;
      await mock.close();
      if (!flags.json) io.stderr(`lean-mock stopped (${signal})\n`);
    });
}
