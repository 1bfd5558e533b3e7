import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readPkiFolder, writePkiFolder } from '../../src/pki/folder.js';
import { createLeanPki, type LeanPki } from '../../src/pki/lean-pki.js';
import type { PkiManifest } from '../../src/pki/manifest.js';
import { SERVER_CATALOGUE, SERVER_VARIANT_NAMES } from '../../src/pki/server-variants/catalogue.js';
import { openssl } from '../support/openssl.js';

const MUST_REFUSE = ['expired', 'not_yet_valid', 'wrong_host', 'self_signed', 'unknown_ca', 'wrong_purpose', 'incomplete_chain'];

describe('the bad server certificate catalogue', () => {
  it('marks exactly the seven variants every correct client refuses as must_refuse', () => {
    expect(SERVER_CATALOGUE.filter((variant) => variant.mustRefuse).map((variant) => variant.name)).toEqual(MUST_REFUSE);
    expect(SERVER_CATALOGUE.map((variant) => variant.name)).toEqual([...SERVER_VARIANT_NAMES]);
  });
});

describe.each(['ec', 'rsa'] as const)('bad_server/ in the certificate folder (%s)', (keyType) => {
  let dir: string;
  let pki: LeanPki;
  let manifest: PkiManifest;
  const file = (path: string): string => join(dir, path);
  const entry = (name: string) => manifest.server_variants!.find((variant) => variant.name === name)!;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), `lean-mock-bad-server-${keyType}-`));
    pki = await createLeanPki({ keyType });
    manifest = await writePkiFolder(pki, dir, { force: true });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('lists every variant in manifest.json with what a correct client reports, and writes its files (keys 0600)', () => {
    expect(manifest.server_variants!.map((variant) => variant.name)).toEqual([...SERVER_VARIANT_NAMES]);
    for (const variant of manifest.server_variants!) {
      expect(variant.files.cert).toBe(`bad_server/${variant.name}/cert.crt`);
      expect(variant.files.key).toBe(`bad_server/${variant.name}/key.pem`);
      expect(statSync(file(variant.files.key)).mode & 0o777).toBe(0o600);
      expect(new X509Certificate(readFileSync(file(variant.files.cert))).fingerprint256).toBe(variant.fingerprint256);
      expect(variant.expected_client_error.message).not.toBe('');
    }
    expect(entry('self_signed').files.chain).toBeUndefined();
    expect(entry('incomplete_chain').files.chain).toBeUndefined();
    expect(entry('revoked').files.crl).toBe('bad_server/revoked/crl.pem');
  });

  // OpenSSL's own verifier, fed as a client would be (the client's CA file, what the server sends),
  // reports exactly the words the catalogue promises.
  it.each(MUST_REFUSE.concat(['weak_key', 'sha1_signature', 'revoked']))('%s fails OpenSSL verification with the expected error', (name) => {
    const variant = entry(name);
    const args = ['verify', '-CAfile', file('lean_public_cert_chain.pem'), '-purpose', 'sslserver', '-verify_hostname', 'localhost'];
    if (variant.files.chain) args.push('-untrusted', file(variant.files.chain));
    if (variant.files.crl) args.push('-CRLfile', file(variant.files.crl), '-crl_check');
    if (name === 'weak_key' || name === 'sha1_signature') args.push('-auth_level', '2');
    const result = openssl([...args, file(variant.files.cert)]);
    expect(result.code).not.toBe(0);
    expect(result.stdout + result.stderr).toContain(variant.expected_client_error.message);
  });

  it('is read back from the folder as written, without building anything new', async () => {
    const read = await (await readPkiFolder(dir)).pki.serverVariants();
    const built = await pki.serverVariants();
    expect(read.map((variant) => [variant.name, variant.credential.fingerprint256, variant.chainPems.length])).toEqual(
      built.map((variant) => [variant.name, variant.credential.fingerprint256, variant.chainPems.length]),
    );
    expect(read.find((variant) => variant.name === 'revoked')!.crlPem).toBe(built.find((variant) => variant.name === 'revoked')!.crlPem);
  });

  it('builds them once, on first use: the same objects on every call', async () => {
    const fresh = await createLeanPki({ keyType });
    const [first, second] = await Promise.all([fresh.serverVariants(), fresh.serverVariants()]);
    expect(first).toBe(second);
  });
});
