import { spawnSync } from 'node:child_process';
import { createPrivateKey } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DOCTOR_CHECKS, type DoctorReport } from '../../src/doctor/index.js';
import { writePkiFolder } from '../../src/pki/folder.js';
import { createLeanPki } from '../../src/pki/lean-pki.js';
import { BIN, expectOneErrorLine, removeTempDirs, startServe, tempDir, type CliResult } from '../support/cli.js';

// `lean-mock doctor`, specified through the built bin, run in the certificate folder.

// A password and token that appear nowhere else, so output can be searched for them.
const KEY_PASSWORD = 'pw-7f3a-never-printed';

let certs: string;
beforeAll(async () => {
  certs = tempDir();
  const pki = await createLeanPki();
  await writePkiFolder(pki, certs);
  const key = createPrivateKey(pki.apps[0]!.credential.privateKeyPem);
  writeFileSync(join(certs, 'encrypted_key.pem'), key.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: KEY_PASSWORD }));
});
afterAll(removeTempDirs);

const SECRET_VARIABLES = ['LEAN_APP_TOKEN', 'LEAN_MOCK_DOCTOR_PASSWORD', 'LEAN_P12_PASSWORD'];

/** `lean-mock doctor` in the certificate folder, with exactly the secret variables given (none inherited from whoever runs the tests). */
function doctorWith(env: Record<string, string>, ...args: string[]): CliResult {
  const base = Object.fromEntries(Object.entries(process.env).filter(([name]) => !SECRET_VARIABLES.includes(name)));
  const result = spawnSync(process.execPath, [BIN, 'doctor', ...args], { cwd: certs, env: { ...base, ...env }, encoding: 'utf8', timeout: 60_000 });
  const timedOut = (result.error as NodeJS.ErrnoException | undefined)?.code === 'ETIMEDOUT';
  if (result.error && !timedOut) throw result.error;
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr, timedOut };
}

const GOOD = ['--cert', 'my_app_cert.crt', '--key', 'my_app_private_key.pem', '--ca', 'lean_public_cert_chain.pem', '--crl', 'ca/crls.pem'];
const EXPIRED = ['--cert', 'bad/expired/cert.crt', '--key', 'bad/expired/key.pem', '--ca', 'lean_public_cert_chain.pem'];

const doctor = (...args: string[]): CliResult => doctorWith({}, ...args);

describe('lean-mock doctor: offline', () => {
  it('exits 0 with a ✓ line per check and "all 11 checks passed" for the good set', () => {
    const result = doctor(...GOOD);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('lean-mock doctor: my_app_cert.crt + my_app_private_key.pem, trusting lean_public_cert_chain.pem');
    expect(lines.slice(1, -1).map((line) => line.split(/\s+/).slice(0, 2).join(' '))).toEqual(DOCTOR_CHECKS.slice(0, 11).map((check) => `✓ ${check}`));
    expect(lines.at(-1)).toBe('all 11 checks passed');
  });

  it('exits 1 for an expired certificate: ✗ and an indented fix on stdout, one error line on stderr', () => {
    const result = doctor(...EXPIRED);
    expectOneErrorLineOnly(result, 'error: 1 check failed: validity\n');
    expect(result.stdout).toMatch(/^✗ validity +certificate expired on \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC, 30 days ago/m);
    expect(result.stdout).toContain('\n    fix: Generate a new certificate in the Lean portal and replace the expired one.\n');
    expect(result.stdout).toMatch(/^– revocation +not checked: no CRL given/m);
    expect(result.stdout.trimEnd().split('\n').at(-1)).toBe('1 check failed, 9 passed, 1 skipped');
  });

  it('prints the report as JSON with --json, keeping the exit code', () => {
    const result = doctor(...EXPIRED, '--json');
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as DoctorReport;
    expect(report).toMatchObject({ ok: false, summary: { total: 11, failed: 1, skipped: 1 }, inputs: { certificate: 'bad/expired/cert.crt', ca: 'lean_public_cert_chain.pem' } });
    expect(report.findings.map((entry) => entry.check)).toEqual(DOCTOR_CHECKS.slice(0, 11));
    expect(report.findings.find((entry) => entry.check === 'validity')).toMatchObject({ status: 'fail', variant: 'expired' });
  });

  it('opens a PKCS#12 file with --password', () => {
    const result = doctor('--p12', 'my_app.p12', '--password', 'lean-mock', '--ca', 'lean_public_cert_chain.pem');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^✓ key_format +my_app\.p12: PKCS#8 key, EC P-256, encrypted with AES-256-CBC/m);
  });

  it('documents the secret variables in --help', () => {
    const help = doctor('--help');
    expect(help.code).toBe(0);
    for (const name of SECRET_VARIABLES) expect(help.stdout).toContain(name);
  });

  it('takes the password from LEAN_MOCK_DOCTOR_PASSWORD, and never prints it', () => {
    const args = ['--cert', 'my_app_cert.crt', '--key', 'encrypted_key.pem'];
    const human = doctorWith({ LEAN_MOCK_DOCTOR_PASSWORD: KEY_PASSWORD }, ...args);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/^✓ key_format +encrypted_key\.pem: encrypted PKCS#8 PEM, decrypted with the password given/m);
    const json = doctorWith({ LEAN_MOCK_DOCTOR_PASSWORD: KEY_PASSWORD }, ...args, '--json');
    expect(json.code).toBe(0);
    expect(human.stdout + human.stderr + json.stdout + json.stderr).not.toContain(KEY_PASSWORD);
  });

  it('prefers --password to LEAN_MOCK_DOCTOR_PASSWORD', () => {
    const result = doctorWith({ LEAN_MOCK_DOCTOR_PASSWORD: 'wrong' }, '--cert', 'my_app_cert.crt', '--key', 'encrypted_key.pem', '--password', KEY_PASSWORD);
    expect(result.code).toBe(0);
    expect(result.stdout).not.toContain(KEY_PASSWORD);
  });

  it("takes a PKCS#12 file's password from LEAN_P12_PASSWORD (as serve --write-env writes it), but not an encrypted key's", () => {
    expect(doctorWith({ LEAN_P12_PASSWORD: 'lean-mock' }, '--p12', 'my_app.p12', '--ca', 'lean_public_cert_chain.pem').code).toBe(0);
    const key = doctorWith({ LEAN_P12_PASSWORD: KEY_PASSWORD }, '--cert', 'my_app_cert.crt', '--key', 'encrypted_key.pem');
    expect(key.code).toBe(1);
    expect(key.stdout).toMatch(/^✗ key_format +encrypted_key\.pem is an encrypted PKCS#8 PEM key and no password was given/m);
  });

  it('names LEAN_APP_TOKEN, without printing it, when the token it holds cannot be sent', () => {
    const token = 'bad token-7f3a';
    const stderr = expectOneErrorLine(doctorWith({ LEAN_APP_TOKEN: token }, '--url', 'https://127.0.0.1:9'), 2);
    expect(stderr).toMatch(/LEAN_APP_TOKEN must be printable ASCII without spaces/);
    expect(stderr).not.toContain(token);
  });

  it.each([
    ['--cert without --key', ['--cert', 'my_app_cert.crt'], /--cert needs --key/],
    ['an unreadable file', ['--cert', 'missing.crt', '--key', 'my_app_private_key.pem'], /cannot read certificate .*missing\.crt: no such file/],
    ['--p12 with --cert', ['--p12', 'my_app.p12', '--cert', 'my_app_cert.crt', '--key', 'my_app_private_key.pem'], /--p12 cannot be combined/],
    ['an http URL', ['--url', 'http://localhost:8443'], /--url must be an https:\/\/ URL/],
    ['a bad --timeout', [...GOOD, '--timeout', 'soon'], /--timeout must be a number of milliseconds/],
  ])('exits 2 with one error line for %s', (_case, args, message) => {
    expect(expectOneErrorLine(doctor(...args), 2)).toMatch(message);
  });
});

describe('lean-mock doctor --url against lean-mock serve', () => {
  it('passes both handshakes and lists banks with the app token from --app-token or LEAN_APP_TOKEN; warns (exit 0) without it', async () => {
    const serve = await startServe(['--certs', certs, '--port', '0', '--admin-port', 'off', '--json'], tempDir());
    try {
      const { url } = JSON.parse(serve.readyLine) as { url: string };
      const token = (JSON.parse(readFileSync(join(certs, 'manifest.json'), 'utf8')) as { apps: { app_token: string }[] }).apps[0]!.app_token;
      // --app-token wins over LEAN_APP_TOKEN.
      const withToken = doctorWith({ LEAN_APP_TOKEN: 'not-the-token' }, ...GOOD, '--url', url, '--app-token', token);
      expect(withToken.code).toBe(0);
      expect(withToken.stdout).toMatch(/^✓ handshake_tls1_2 +TLS 1\.2 handshake completed/m);
      expect(withToken.stdout).toMatch(/^✓ handshake_tls1_3 +TLS 1\.3 handshake completed/m);
      expect(withToken.stdout).toMatch(/^✓ banks_request +GET \/banks\/v1 answered 200 with \d+ banks$/m);
      expect(withToken.stdout.trimEnd().split('\n').at(-1)).toBe('all 14 checks passed');
      const fromEnv = doctorWith({ LEAN_APP_TOKEN: token }, ...GOOD, '--url', url);
      expect(fromEnv.code).toBe(0);
      expect(fromEnv.stdout).toMatch(/^✓ banks_request +GET \/banks\/v1 answered 200 with \d+ banks$/m);
      expect(fromEnv.stdout + fromEnv.stderr + withToken.stdout + withToken.stderr).not.toContain(token);
      const without = doctor(...GOOD, '--url', url);
      expect(without.code).toBe(0);
      expect(without.stdout).toMatch(/^! banks_request +our certificate was accepted, but the request carries no credentials/m);
      expect(without.stdout).toMatch(/^all 14 checks passed, 1 with a warning$/m);
    } finally {
      await serve.stop('SIGKILL');
    }
  });
});

function expectOneErrorLineOnly(result: ReturnType<typeof doctor>, line: string): void {
  expect(result.timedOut).toBe(false);
  expect(result.code).toBe(1);
  expect(result.stderr).toBe(line);
}
