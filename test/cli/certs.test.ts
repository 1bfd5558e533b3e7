import { afterEach, describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { expectOneErrorLine, leanMock, removeTempDirs, tempDir } from '../support/cli.js';
import { openssl } from '../support/openssl.js';

// `lean-mock certs`, specified through the built bin, run in a fresh working directory each time.

interface Manifest {
  apps: { name: string; app_token: string; client_id: string }[];
  variants: { name: string; files: { cert?: string } }[];
  files: { path: string }[];
}

const DEFAULT_DIR = 'lean-mock-certs';
const TOP_LEVEL_FILES = [
  'lean_public_cert_chain.pem',
  'my_app_cert.crt',
  'my_app_private_key.pem',
  'my_app_cert_and_chain.crt',
  'my_app.p12',
  'manifest.json',
];
const DEFAULT_SANS = [
  'DNS:localhost',
  'IP Address:127.0.0.1',
  'IP Address:0:0:0:0:0:0:0:1',
  'DNS:mtls.sandbox.leantech.me',
  'DNS:sandbox.leantech.me',
  'DNS:auth.sandbox.leantech.me',
  'DNS:mtls.sandbox.sa.leantech.me',
  'DNS:sandbox.sa.leantech.me',
  'DNS:auth.sandbox.sa.leantech.me',
];
const VERSION = (JSON.parse(fs.readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string })
  .version;

const readManifest = (dir: string): Manifest => JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as Manifest;
const isDir = (p: string): boolean => fs.statSync(p, { throwIfNoEntry: false })?.isDirectory() ?? false;

function certs(cwd: string, ...args: string[]): string {
  const result = leanMock(['certs', ...args], cwd);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return result.stdout;
}

function serverSans(dir: string): string[] {
  const result = openssl(['x509', '-noout', '-ext', 'subjectAltName', '-in', path.join(dir, 'server/cert.crt')]);
  expect(result.code).toBe(0);
  return result.stdout.split('\n').slice(1).join(',').split(',').map((entry) => entry.trim()).filter(Boolean);
}

function publicKeyText(certFile: string): string {
  const result = openssl(['x509', '-noout', '-text', '-in', certFile]);
  expect(result.code).toBe(0);
  return result.stdout;
}

afterEach(removeTempDirs);

describe('lean-mock certs: writing a PKI', () => {
  it('writes the full folder to ./lean-mock-certs and summarises it', () => {
    const cwd = tempDir();
    const stdout = certs(cwd);
    const dir = path.join(cwd, DEFAULT_DIR);
    for (const file of TOP_LEVEL_FILES) expect(fs.statSync(path.join(dir, file)).isFile(), file).toBe(true);
    for (const folder of ['server', 'ca', 'apps/other_app']) expect(isDir(path.join(dir, folder)), folder).toBe(true);
    const manifest = readManifest(dir);
    const withFiles = manifest.variants.filter((variant) => variant.files.cert);
    expect(withFiles.map((variant) => variant.name)).toEqual(expect.arrayContaining(['expired', 'revoked', 'unknown_ca']));
    for (const variant of withFiles) expect(isDir(path.join(dir, 'bad', variant.name)), variant.name).toBe(true);
    for (const file of manifest.files) expect(fs.existsSync(path.join(dir, file.path)), file.path).toBe(true);
    expect(stdout).toContain(dir);
    expect(stdout).toContain(manifest.apps[0]!.app_token);
  });

  it('refuses a non-empty folder without --force, leaving it untouched, and replaces it with --force', () => {
    const cwd = tempDir();
    certs(cwd);
    const manifestPath = path.join(cwd, DEFAULT_DIR, 'manifest.json');
    const before = fs.readFileSync(manifestPath);

    const refused = leanMock(['certs'], cwd);
    expect(expectOneErrorLine(refused, 1)).toContain('--force');
    expect(fs.readFileSync(manifestPath).equals(before)).toBe(true);

    certs(cwd, '--force');
    const oldToken = (JSON.parse(before.toString('utf8')) as Manifest).apps[0]!.app_token;
    expect(readManifest(path.join(cwd, DEFAULT_DIR)).apps[0]!.app_token).not.toBe(oldToken);
  });

  it('--json prints the manifest and the folder on stdout', () => {
    const cwd = tempDir();
    const printed = JSON.parse(certs(cwd, '--json')) as Manifest & { dir: string };
    const dir = path.join(cwd, DEFAULT_DIR);
    expect(printed.dir).toBe(dir);
    expect(printed.apps[0]!.app_token).toBe(printed.apps[0]!.client_id);
    expect(printed.variants.map((variant) => variant.name)).toEqual(expect.arrayContaining(['expired', 'self_signed']));
    expect(printed).toEqual({ dir, ...readManifest(dir) });
  });

  it.each([
    ['repeated', ['--host', 'mock.internal', '--host', '10.1.2.3'], ['DNS:mock.internal', 'IP Address:10.1.2.3']],
    ['variadic', ['--host', 'a.example', 'b.example'], ['DNS:a.example', 'DNS:b.example']],
  ])('--host (%s) adds SANs to the server certificate, keeping the defaults', (_form, args, added) => {
    const cwd = tempDir();
    certs(cwd, ...args);
    const sans = serverSans(path.join(cwd, DEFAULT_DIR));
    expect(sans).toEqual(expect.arrayContaining([...DEFAULT_SANS, ...added]));
    expect(sans).toHaveLength(DEFAULT_SANS.length + added.length);
  });

  it('issues EC P-256 keys by default and RSA-2048 keys with --key-type rsa', () => {
    const cwd = tempDir();
    certs(cwd, '--out', 'ec');
    certs(cwd, '--out', 'rsa', '--key-type', 'rsa');
    const ec = publicKeyText(path.join(cwd, 'ec/my_app_cert.crt'));
    expect(ec).toMatch(/Public Key Algorithm: id-ecPublicKey/);
    expect(ec).toMatch(/ASN1 OID: prime256v1/);
    const rsa = publicKeyText(path.join(cwd, 'rsa/my_app_cert.crt'));
    expect(rsa).toMatch(/Public Key Algorithm: rsaEncryption/);
    expect(rsa).toMatch(/Public-Key: \(2048 bit\)/);
  });

  it('resolves a relative --out against the working directory', () => {
    const cwd = tempDir();
    const printed = JSON.parse(certs(cwd, '--out', 'nested/pki', '--json')) as { dir: string };
    expect(printed.dir).toBe(path.join(cwd, 'nested/pki'));
    expect(fs.statSync(path.join(cwd, 'nested/pki/manifest.json')).isFile()).toBe(true);
    expect(fs.existsSync(path.join(cwd, DEFAULT_DIR))).toBe(false);
  });
});

describe('lean-mock: usage and errors', () => {
  it.each([
    ['an unknown flag', ['certs', '--bogus']],
    ['a bad --key-type', ['certs', '--key-type', 'dsa']],
    ['a bad --host', ['certs', '--host', 'bad host']],
    ['an extra argument', ['certs', 'extra-arg']],
    ['no command at all', []],
  ])('%s is a usage error: exit 2, one error line, nothing written', (_case, args) => {
    const cwd = tempDir();
    expectOneErrorLine(leanMock(args, cwd), 2);
    expect(fs.readdirSync(cwd)).toEqual([]);
  });

  it.each([['--help'], ['help'], ['certs', '--help']])('`%s` prints help on stdout and exits 0', (...args) => {
    const result = leanMock(args, tempDir());
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Usage: lean-mock/);
    expect(result.stdout).toContain('certs');
  });

  it('--version prints the package version and exits 0', () => {
    const result = leanMock(['--version'], tempDir());
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toBe(VERSION);
  });

  it('fails with exit 1 when --out lies below a regular file', () => {
    const cwd = tempDir();
    fs.writeFileSync(path.join(cwd, 'plain'), 'not a folder\n');
    expectOneErrorLine(leanMock(['certs', '--out', 'plain/certs'], cwd), 1);
    expect(fs.readFileSync(path.join(cwd, 'plain'), 'utf8')).toBe('not a folder\n');
  });

  it.skipIf(process.platform !== 'linux')('fails promptly with exit 1 when the kernel refuses the folder (/proc)', () => {
    const result = leanMock(['certs', '--out', '/proc/lean-mock-test'], tempDir(), 15_000);
    expect(result.timedOut).toBe(false);
    expectOneErrorLine(result, 1);
  });
});
