import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { DoctorOptions, DoctorSource } from '../doctor/index.js';
import { UsageError, type CliIo } from './io.js';

/**
 * Where the doctor looks for secrets not given as flags, which `ps` and shell history would show.
 * `LEAN_APP_TOKEN` and `LEAN_P12_PASSWORD` are the names `serve --write-env` writes; the latter
 * only opens a `--p12` file, so a mock's PKCS#12 password is never tried on someone's own key.
 */
export const DOCTOR_SECRET_VARIABLES = {
  appToken: 'LEAN_APP_TOKEN',
  password: 'LEAN_MOCK_DOCTOR_PASSWORD',
  p12Password: 'LEAN_P12_PASSWORD',
} as const;

const SECRETS_HELP = `
Secrets from the environment (a flag wins over its variable; secrets are never printed):
  ${DOCTOR_SECRET_VARIABLES.appToken}             the app token, instead of --app-token
  ${DOCTOR_SECRET_VARIABLES.password}  the password, instead of --password
  ${DOCTOR_SECRET_VARIABLES.p12Password}          with --p12 only, when ${DOCTOR_SECRET_VARIABLES.password} is unset
Flags show in \`ps\` and shell history: prefer the variables for real Lean credentials.`;

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
export function registerDoctorCommand(program: Command, io: CliIo, env: NodeJS.ProcessEnv = process.env): void {
  program
    .command('doctor')
    .description('diagnose a client certificate set offline, and with --url over real TLS 1.2 and 1.3 handshakes')
    .option('--cert <file>', 'client certificate, PEM or DER (a PEM bundle: leaf first, then the chain it sends)')
    .option('--key <file>', 'its private key: PKCS#8, PKCS#1 or SEC1, PEM or DER, encrypted or not')
    .option('--p12 <file>', 'instead of --cert and --key: a PKCS#12 (.p12/.pfx) file')
    .option('--password <password>', `opens an encrypted key or the PKCS#12 file (or set ${DOCTOR_SECRET_VARIABLES.password})`)
    .option('--ca <file>', 'the CA certificates the server trusts (e.g. lean_public_cert_chain.pem)')
    .option('--crl <file>', 'CRLs to check revocation offline (e.g. ca/crls.pem)')
    .option('--url <url>', 'also connect to this https:// server: handshakes and GET /banks/v1')
    .option('--app-token <token>', `sent as lean-app-token with the request (or set ${DOCTOR_SECRET_VARIABLES.appToken})`)
    .option('--path <path>', 'the request path (default: the URL\'s path, else /banks/v1)')
    .option('--insecure', 'do not verify the server certificate (reported as a warning; an app token is still sent)', false)
    .option('--timeout <ms>', 'time allowed per handshake and request, in milliseconds', '5000')
    .option('--json', 'print the report as JSON', false)
    .allowExcessArguments(false)
    .addHelpText('after', SECRETS_HELP)
    .addHelpText(
      'after',
      `
Examples:
  lean-mock doctor --cert my_app_cert.crt --key my_app_private_key.pem --ca lean_public_cert_chain.pem
  lean-mock doctor --p12 my_app.p12 --ca lean_public_cert_chain.pem --url https://127.0.0.1:8443
  LEAN_APP_TOKEN=… lean-mock doctor --cert c.crt --key k.pem --url https://mtls.sandbox.leantech.me --json`,
    )
    .action(async (flags: DoctorFlags) => {
      // Loaded only when this command runs: the doctor and its X.509 and PKCS#12 readers would
      // otherwise weigh on every `serve` start.
      const { diagnose, DoctorInputError, renderHuman, isSendableAppToken } = await import('../doctor/index.js');
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
        password: passwordOf(flags, env),
        ca: file(flags.ca),
        crl: file(flags.crl),
        url: flags.url,
        appToken: appTokenOf(flags, env, isSendableAppToken),
        path: flags.path,
        insecure: flags.insecure,
        timeoutMs,
      };
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

/** A variable set to the empty string counts as unset, as `--write-env` files leave unused names empty. */
function variable(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value === '' ? undefined : value;
}

function passwordOf(flags: DoctorFlags, env: NodeJS.ProcessEnv): string | undefined {
  const { password, p12Password } = DOCTOR_SECRET_VARIABLES;
  return flags.password ?? variable(env, password) ?? (flags.p12 !== undefined ? variable(env, p12Password) : undefined);
}

/** The token is only sent with --url; a variable holding one that cannot go into a header is named, never shown. */
function appTokenOf(flags: DoctorFlags, env: NodeJS.ProcessEnv, isSendableAppToken: (token: string) => boolean): string | undefined {
  if (flags.appToken !== undefined || flags.url === undefined) return flags.appToken;
  const name = DOCTOR_SECRET_VARIABLES.appToken;
  const token = variable(env, name);
  if (token !== undefined && !isSendableAppToken(token)) throw new UsageError(`${name} must be printable ASCII without spaces`);
  return token;
}
