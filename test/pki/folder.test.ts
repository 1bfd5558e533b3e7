import { createPrivateKey, createPublicKey, X509Certificate } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, chmodSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSecureContext } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLeanPki, type LeanPki } from '../../src/pki/lean-pki.js';
import { readPkiFolder, writePkiFolder } from '../../src/pki/folder.js';
import type { PkiManifest } from '../../src/pki/manifest.js';
import type { VariantOutcome } from '../../src/pki/catalogue.js';
import { openssl } from '../support/openssl.js';

/** The OpenSSL verify error each server-side reason corresponds to. */
const OPENSSL_ERROR: Record<Exclude<VariantOutcome, 'no_certificate' | 'key_mismatch' | 'invalid_certificate'>, RegExp> = {
  expired: /error 10 at 0 depth lookup: certificate has expired/,
  not_yet_valid: /error 9 at 0 depth lookup: certificate is not yet valid/,
  unknown_ca: /error 20 at 0 depth lookup: unable to get local issuer certificate/,
  self_signed: /error 18 at 0 depth lookup: self-signed certificate/,
  wrong_purpose: /error 26 at 0 depth lookup: unsuitable certificate purpose/,
  ca_certificate: /error 26 at 0 depth lookup: unsuitable certificate purpose/,
  revoked: /error 23 at 0 depth lookup: certificate revoked/,
  incomplete_chain: /error 20 at 0 depth lookup: unable to get local issuer certificate/,
};

const DAY_MS = 86_400_000;

describe.each(['ec', 'rsa'] as const)('the certificate folder (%s)', (keyType) => {
  let dir: string;
  let pki: LeanPki;
  let manifest: PkiManifest;
  const file = (path: string): string => join(dir, path);
  const verify = (purpose: 'sslclient' | 'sslserver', cert: string, ...extra: string[]) =>
    openssl(['verify', '-CAfile', file('lean_public_cert_chain.pem'), '-CRLfile', file('ca/crls.pem'), '-crl_check_all',
      '-purpose', purpose, ...extra, file(cert)]);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), `lean-mock-folder-${keyType}-`));
    pki = await createLeanPki({ keyType, hosts: ['mock.internal', '10.9.8.7'] });
    manifest = await writePkiFolder(pki, dir, { force: true });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("holds Lean's file names at the top and the documented folders", () => {
    for (const path of ['lean_public_cert_chain.pem', 'my_app_cert.crt', 'my_app_private_key.pem',
      'my_app_cert_and_chain.crt', 'my_app.p12', 'my_app_3des.p12', 'server/cert.crt', 'server/key.pem',
      'ca/root.crt', 'ca/root.crl', 'ca/intermediate.crt', 'ca/intermediate.crl', 'apps/other_app/cert.crt',
      'apps/other_app/key.pem', 'bad/expired/cert.crt', 'bad/incomplete_chain/chain.crt', 'manifest.json']) {
      expect(existsSync(file(path)), path).toBe(true);
    }
    expect(existsSync(file('bad/no_certificate'))).toBe(false);
  });

  it('lists in the manifest every file it wrote, and only those', () => {
    const listed = manifest.files.map((entry) => entry.path).sort();
    const written = (readdirSync(dir, { recursive: true }) as string[])
      .filter((path) => statSync(file(path)).isFile())
      .sort();
    expect(listed).toEqual(written);
    // 9 variants with a certificate and a key, plus incomplete_chain's chain and leaf + chain.
    expect(listed.filter((path) => path.startsWith('bad/'))).toHaveLength(20);
  });

  it('gives every file that holds a key mode 0600, and the rest 0644', () => {
    for (const entry of manifest.files) {
      const mode = statSync(file(entry.path)).mode & 0o777;
      expect(mode.toString(8), entry.path).toBe(entry.secret ? '600' : '644');
    }
    const secrets = manifest.files.filter((entry) => entry.secret).map((entry) => entry.path);
    expect(secrets).toEqual(expect.arrayContaining(['my_app_private_key.pem', 'server/key.pem', 'ca/root_key.pem', 'my_app.p12']));
    expect(secrets.filter((path) => path.endsWith('.crt'))).toEqual([]);
  });

  it('chains intermediate then root in lean_public_cert_chain.pem', () => {
    const blocks = readFileSync(file('lean_public_cert_chain.pem'), 'utf8').match(/-----BEGIN CERTIFICATE-----/g);
    expect(blocks).toHaveLength(2);
    const [intermediate, root] = readFileSync(file('lean_public_cert_chain.pem'), 'utf8').split(/(?<=-----END CERTIFICATE-----\n)/);
    expect(new X509Certificate(intermediate!).issuer).toBe(new X509Certificate(root!).subject);
    expect(new X509Certificate(root!).ca).toBe(true);
  });

  it('issues app certificates that OpenSSL verifies for client authentication', () => {
    for (const app of manifest.apps) {
      expect(verify('sslclient', app.cert).stdout, app.name).toMatch(/: OK$/m);
      expect(verify('sslclient', app.cert_and_chain).code, app.name).toBe(0);
    }
    expect(verify('sslserver', 'my_app_cert.crt').code).not.toBe(0);
  });

  it('issues a server certificate for TLS servers, covering the default and the requested hosts', () => {
    expect(verify('sslserver', 'server/cert.crt').code).toBe(0);
    const sans = openssl(['x509', '-in', file('server/cert.crt'), '-noout', '-ext', 'subjectAltName']).stdout;
    for (const name of ['DNS:localhost', 'IP Address:127.0.0.1', 'IP Address:0:0:0:0:0:0:0:1',
      'DNS:mtls.sandbox.leantech.me', 'DNS:sandbox.leantech.me', 'DNS:mock.internal', 'IP Address:10.9.8.7']) {
      expect(sans).toContain(name);
    }
  });

  it.each(Object.entries(OPENSSL_ERROR))('makes OpenSSL reject the %s variant with the matching error', (name, error) => {
    const variant = manifest.variants.find((entry) => entry.name === name)!;
    expect(variant.expected).toBe(name);
    const result = verify('sslclient', variant.files.cert!);
    expect(result.code).not.toBe(0);
    expect(result.stdout + result.stderr).toMatch(error);
  });

  it('accepts the incomplete_chain leaf once its intermediate is sent along', () => {
    expect(verify('sslclient', 'bad/incomplete_chain/cert.crt', '-untrusted', file('bad/incomplete_chain/chain.crt')).code).toBe(0);
    expect(verify('sslclient', 'bad/unknown_ca/cert.crt', '-untrusted', file('bad/incomplete_chain/chain.crt')).code).not.toBe(0);
  });

  it('pairs every key with its certificate, except in key_mismatch', () => {
    const publicOf = (keyPath: string) => createPublicKey(createPrivateKey(readFileSync(file(keyPath)))).export({ type: 'spki', format: 'der' });
    const certKey = (certPath: string) => new X509Certificate(readFileSync(file(certPath))).publicKey.export({ type: 'spki', format: 'der' });
    const pairs: [string, string][] = [
      ['server/cert.crt', 'server/key.pem'],
      ...manifest.apps.map((app): [string, string] => [app.cert, app.key]),
      ...(['root', 'intermediate', 'partner_intermediate'] as const).map((ca): [string, string] => [manifest.ca[ca].cert, manifest.ca[ca].key]),
      ...manifest.variants.filter((v) => v.files.cert && v.name !== 'key_mismatch').map((v): [string, string] => [v.files.cert!, v.files.key!]),
    ];
    for (const [cert, key] of pairs) expect(publicOf(key).equals(certKey(cert)), cert).toBe(true);
    expect(publicOf('bad/key_mismatch/key.pem').equals(certKey('bad/key_mismatch/cert.crt'))).toBe(false);
    expect(verify('sslclient', 'bad/key_mismatch/cert.crt').code).toBe(0);
  });

  it.each(['my_app.p12', 'my_app_3des.p12'])('packs key, leaf and chain into %s for OpenSSL and Node', (p12) => {
    const password = `pass:${manifest.p12_password}`;
    const certs = openssl(['pkcs12', '-in', file(p12), '-passin', password, '-nokeys']);
    expect(certs.code, certs.stderr).toBe(0);
    expect(certs.stdout.match(/-----BEGIN CERTIFICATE-----/g)).toHaveLength(3);
    const pfx = readFileSync(file(p12));
    expect(() => createSecureContext({ pfx, passphrase: manifest.p12_password })).not.toThrow();
    expect(() => createSecureContext({ pfx, passphrase: 'wrong' })).toThrow();
  });

  it('publishes CRLs that OpenSSL reads, valid for about a year, revoking exactly the revoked variant', () => {
    const text = openssl(['crl', '-in', file('ca/intermediate.crl'), '-noout', '-text']).stdout;
    const revoked = manifest.variants.find((v) => v.name === 'revoked')!;
    expect(text.match(/Serial Number: (\w+)/g)).toEqual([`Serial Number: ${revoked.serial}`]);
    const nextUpdate = new Date(/Next Update: (.+)/.exec(text)![1]!).getTime();
    expect(nextUpdate - Date.now()).toBeGreaterThan(300 * DAY_MS);
    expect(openssl(['crl', '-in', file('ca/root.crl'), '-noout', '-text']).stdout).toMatch(/No Revoked Certificates/);
  });

  it('describes every app with its credentials and every variant with its expected reason', () => {
    expect(manifest.apps.map((app) => app.name)).toEqual(['my_app', 'other_app']);
    for (const app of manifest.apps) {
      expect(app.app_token).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(app.client_id).toBe(app.app_token);
      expect(app.client_secret).toMatch(/^[0-9a-f]{32}$/);
      expect(app.webhook_secret).toMatch(/^[0-9a-f]{32}$/);
      expect(new X509Certificate(readFileSync(file(app.cert))).fingerprint256).toBe(app.fingerprint256);
    }
    expect(manifest.apps[0]!.app_token).not.toBe(manifest.apps[1]!.app_token);
    expect(manifest.variants.map((v) => [v.name, v.expected, v.rejected_by])).toContainEqual(['key_mismatch', 'key_mismatch', 'client']);
    expect(manifest.variants.find((v) => v.name === 'no_certificate')!.files).toEqual({});
  });

  it('reads back into the same PKI it was written from', async () => {
    const { pki: read } = await readPkiFolder(dir);
    // serverVariants is a (lazy) method: compare what it yields, and the data beside it.
    const { serverVariants: readVariants, ...readData } = read;
    const { serverVariants: writtenVariants, ...writtenData } = pki;
    expect(readData).toEqual(writtenData);
    expect(await readVariants()).toEqual(await writtenVariants());
  });
});

describe('writing over an existing folder', () => {
  let dir: string;
  let pki: LeanPki;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lean-mock-overwrite-'));
    pki = await createLeanPki();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses a folder that is not empty, and leaves its files alone', async () => {
    writeFileSync(join(dir, 'notes.txt'), 'mine');
    await expect(writePkiFolder(pki, dir)).rejects.toThrow(/not empty.*--force/);
    expect(readFileSync(join(dir, 'notes.txt'), 'utf8')).toBe('mine');
    expect(existsSync(join(dir, 'manifest.json'))).toBe(false);
  });

  it('overwrites with force, tightening the mode of a key file that was world-readable', async () => {
    await writePkiFolder(pki, dir, { force: true });
    chmodSync(join(dir, 'my_app_private_key.pem'), 0o644);
    const fresh = await createLeanPki();
    await writePkiFolder(fresh, dir, { force: true });
    expect(statSync(join(dir, 'my_app_private_key.pem')).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(dir, 'my_app_cert.crt'), 'utf8')).toBe(fresh.apps[0]!.credential.certificatePem);
  });

  it('refuses to read a folder whose manifest is damaged, naming the field', async () => {
    const broken = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Record<string, unknown>;
    delete broken.apps;
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify(broken));
    await expect(readPkiFolder(dir)).rejects.toThrow(/manifest.*apps/);
    writeFileSync(join(dir, 'manifest.json'), '{ not json');
    await expect(readPkiFolder(dir)).rejects.toThrow(/not valid JSON/);
  });
});
