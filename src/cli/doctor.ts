import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { DoctorOptions, DoctorSource } from '../doctor/index.js';
import { UsageError, type CliIo } from './io.js';

interface DoctorFlags {
  cert?: string;
  key?: string;
  p12?: string;
  password?: string;
  ca?: string;
  crl?: string;
  url?: string;
  appToken?: string;
  path?: string;
  insecure: boolean;
  timeout: string;
  json: boolean;
}

/**
 * `lean-mock doctor`: prints the report (human or `--json`) on stdout; exit 0 when no check
 * failed (warnings allowed), 1 with one `error:` line when some did, 2 for a usage error.
 */
export function registerDoctorCommand(program: Command, io: CliIo): void {
  program
    .command('doctor')
    .description('diagnose a client certificate set offline, and with --url over real TLS 1.2 and 1.3 handshakes')
    .option('--cert <file>', 'client certificate, PEM or DER (a PEM bundle: leaf first, then the chain it sends)')
    .option('--key <file>', 'its private key: PKCS#8, PKCS#1 or SEC1, PEM or DER, encrypted or not')
    .option('--p12 <file>', 'instead of --cert and --key: a PKCS#12 (.p12/.pfx) file')
    .option('--password <password>', 'opens an encrypted key or the PKCS#12 file')
    .option('--ca <file>', 'the CA certificates the server trusts (e.g. lean_public_cert_chain.pem)')
    .option('--crl <file>', 'CRLs to check revocation offline (e.g. ca/crls.pem)')
    .option('--url <url>', 'also connect to this https:// server: handshakes and GET /banks/v1')
    .option('--app-token <token>', 'sent as lean-app-token with the request')
    .option('--path <path>', 'the request path (default: the URL\'s path, else /banks/v1)')
    .option('--insecure', 'do not verify the server certificate (reported as a warning)', false)
    .option('--timeout <ms>', 'time allowed per handshake and request, in milliseconds', '5000')
    .option('--json', 'print the report as JSON', false)
    .allowExcessArguments(false)
    .action(async (flags: DoctorFlags) => {
      const timeoutMs = Number(flags.timeout);
      if (!/^\d+$/.test(flags.timeout) || timeoutMs < 1 || timeoutMs > 600_000) {
        throw new UsageError(`--timeout must be a number of milliseconds from 1 to 600000, not "${flags.timeout}"`);
      }
      // Read from the resolved path; name it in messages as the user typed it.
      const file = (path: string | undefined): DoctorSource | undefined => (path === undefined ? undefined : { path: resolve(io.cwd, path), name: path });
      const options: DoctorOptions = {
        cert: file(flags.cert),
        key: file(flags.key),
        p12: file(flags.p12),
        password: flags.password,
        ca: file(flags.ca),
        crl: file(flags.crl),
        url: flags.url,
        appToken: flags.appToken,
        path: flags.path,
        insecure: flags.insecure,
        timeoutMs,
      };
      // Loaded only when this command runs: the doctor and its X.509 and PKCS#12 readers would
      // otherwise weigh on every `serve` start.
      const { diagnose, DoctorInputError, renderHuman } = await import('../doctor/index.js');
      const report = await diagnose(options).catch((error: unknown) => {
        throw error instanceof DoctorInputError ? new UsageError(error.message) : error;
      });
      io.stdout(flags.json ? `${JSON.stringify(report, null, 2)}\n` : renderHuman(report));
      if (!report.ok) {
        const failed = report.findings.filter((entry) => entry.status === 'fail').map((entry) => entry.check);
        throw new Error(`${failed.length} check${failed.length === 1 ? '' : 's'} failed: ${failed.join(', ')}`);
      }
    });
}
