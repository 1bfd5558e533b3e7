import { createPrivateKey, webcrypto } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as x509 from '@peculiar/x509';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diagnose, DoctorInputError } from '../../src/doctor/index.js';
import { CertificateAuthority } from '../../src/pki/authority.js';
import { generateKeyPair, type CryptoKeyPair } from '../../src/pki/keys.js';
import { joinPem } from '../../src/pki/pem.js';
import { failedChecks, findingOf, pkiFolder, type PkiFolder } from './fixture.js';

// What the doctor says about unreadable, mistaken or weak material, and what it refuses outright.

const DAY_MS = 86_400_000;
let folder: PkiFolder;
let sha1Pem: string;
let rsa1024: { cert: string; key: string };

beforeAll(async () => {
  folder = await pkiFolder();
  const { pki, dir } = folder;
  const app = pki.apps[0]!.credential;
  const intermediate = await CertificateAuthority.load(pki.intermediate.certificatePem, pki.intermediate.privateKeyPem, 'ec');
  const weak = await intermediate.issue({ commonName: 'weak_app', keyPair: await generateKeyPairOf(1024) });
  rsa1024 = { cert: weak.certificatePem, key: weak.privateKeyPem };
  const leafKeys = await generateKeyPair('ec');
  const sha1 = await x509.X509CertificateGenerator.create({
    serialNumber: '0a',
    subject: 'CN=sha1_app',
    issuer: intermediate.subject,
    notBefore: new Date(Date.now() - DAY_MS),
    notAfter: new Date(Date.now() + 100 * DAY_MS),
    publicKey: leafKeys.publicKey,
    signingKey: intermediate.keys.privateKey,
    signingAlgorithm: { name: 'ECDSA', hash: 'SHA-1' },
  });
  sha1Pem = sha1.toString('pem');
  const key = createPrivateKey(app.privateKeyPem);
  await Promise.all([
    writeFile(join(dir, 'encrypted.pem'), key.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'right' })),
    writeFile(join(dir, 'chain_first.crt'), joinPem([pki.intermediate.certificatePem, app.certificatePem])),
    writeFile(join(dir, 'garbage.bin'), Buffer.from([1, 2, 3, 4, 5])),
  ]);
});
afterAll(() => folder.remove());

const app = () => ({ cert: folder.file('my_app_cert.crt'), key: folder.file('my_app_private_key.pem') });

describe('reading keys and PKCS#12 files that need a password', () => {
  it('says an encrypted key needs --password, and skips what needs the key', async () => {
    const report = await diagnose({ cert: folder.file('my_app_cert.crt'), key: folder.file('encrypted.pem') });
    expect(findingOf(report, 'key_format')).toMatchObject({ status: 'fail', message: expect.stringMatching(/encrypted PKCS#8 PEM key and no password was given/), fix: expect.stringContaining('--password') });
    expect(findingOf(report, 'key_matches_certificate').status).toBe('skip');
  });

  it('says a wrong password does not decrypt the key', async () => {
    const report = await diagnose({ cert: folder.file('my_app_cert.crt'), key: folder.file('encrypted.pem'), password: 'wrong' });
    expect(findingOf(report, 'key_format').message).toMatch(/the password given does not decrypt .*encrypted\.pem/);
  });

  it.each([['no', undefined], ['a wrong', 'wrong']])('refuses a PKCS#12 file with %s password, clearly', async (_which, password) => {
    const report = await diagnose({ p12: folder.file('my_app.p12'), password });
    expect(failedChecks(report)).toEqual(['certificate_format']);
    expect(findingOf(report, 'certificate_format').message).toMatch(password ? /the password does not open/ : /password-protected and no password was given/);
    expect(findingOf(report, 'key_format').status).toBe('skip');
  });
});

describe('mistaken files', () => {
  it('notices a certificate and key given the wrong way round', async () => {
    const report = await diagnose({ cert: folder.file('my_app_private_key.pem'), key: folder.file('my_app_cert.crt') });
    expect(findingOf(report, 'certificate_format')).toMatchObject({ status: 'fail', message: expect.stringMatching(/holds a private key, not a certificate/), fix: expect.stringMatching(/swap/) });
    expect(findingOf(report, 'key_format')).toMatchObject({ status: 'fail', message: expect.stringMatching(/holds a certificate, not a private key/) });
  });

  it('points a PKCS#12 file given as --cert to --p12', async () => {
    const report = await diagnose({ cert: folder.file('my_app.p12'), key: folder.file('my_app_private_key.pem') });
    expect(findingOf(report, 'certificate_format')).toMatchObject({ status: 'fail', message: expect.stringMatching(/is a PKCS#12 file/), fix: expect.stringContaining('--p12') });
  });

  it('names a file that is neither PEM nor DER', async () => {
    const report = await diagnose({ cert: folder.file('garbage.bin'), key: folder.file('garbage.bin') });
    expect(findingOf(report, 'certificate_format').message).toMatch(/garbage\.bin is neither a PEM nor a DER certificate \(5 bytes\)/);
    expect(findingOf(report, 'key_format').message).toMatch(/garbage\.bin is neither a PEM nor a DER private key/);
  });

  it('warns when a bundle starts with a CA instead of the leaf', async () => {
    const report = await diagnose({ cert: folder.file('chain_first.crt'), key: folder.file('my_app_private_key.pem') });
    expect(findingOf(report, 'certificate_format')).toMatchObject({ status: 'warn', fix: expect.stringMatching(/put CN=my_app first/) });
    expect(findingOf(report, 'key_matches_certificate').message).toMatch(/it belongs to CN=my_app, further down the certificate file/);
  });
});

describe('strength and dates', () => {
  it('fails an RSA key under 2048 bits', async () => {
    const report = await diagnose({ cert: { data: rsa1024.cert }, key: { data: rsa1024.key } });
    expect(failedChecks(report)).toEqual(['key_strength']);
    expect(findingOf(report, 'key_strength').message).toMatch(/RSA 1024 bits: below the 2048-bit minimum/);
  });

  it('fails a certificate signed with SHA-1', async () => {
    const report = await diagnose({ cert: { data: sha1Pem }, key: folder.file('my_app_private_key.pem') });
    expect(findingOf(report, 'signature_algorithm')).toMatchObject({ status: 'fail', message: expect.stringMatching(/ecdsa-with-SHA1/) });
  });

  it('counts whole days elapsed, rounding down, and warns exactly when fewer than 30 whole days are left', async () => {
    const notAfter = folder.pki.apps[0]!.credential.notAfter.getTime();
    const at = (msBeforeExpiry: number) => diagnose({ ...app(), now: new Date(notAfter - msBeforeExpiry) }).then((report) => findingOf(report, 'validity'));
    expect(await at(30 * DAY_MS - 60_000)).toMatchObject({ status: 'warn', message: expect.stringMatching(/\(in 29 days\)$/) });
    expect(await at(30 * DAY_MS)).toMatchObject({ status: 'pass', message: expect.stringMatching(/\(expires in 30 days\)$/) });
    expect(await at(-(2 * DAY_MS - 60_000))).toMatchObject({ status: 'fail', message: expect.stringMatching(/, 1 day ago \(valid from/) });
  });

  it('warns, without failing, about a certificate that expires within 30 days', async () => {
    const notAfter = folder.pki.apps[0]!.credential.notAfter;
    const report = await diagnose({ ...app(), now: new Date(notAfter.getTime() - 10 * DAY_MS) });
    expect(report.ok).toBe(true);
    expect(findingOf(report, 'validity')).toMatchObject({ status: 'warn', message: expect.stringMatching(/expires soon: .*\(in 10 days\)/) });
  });
});

describe('input errors, which are no findings', () => {
  it.each([
    ['an unreadable file', { cert: { path: '/nonexistent/cert.crt' }, key: { path: '/nonexistent/key.pem' } }, /cannot read certificate \/nonexistent\/cert\.crt: no such file/],
    ['a folder', { cert: { path: tmpdir() }, key: { path: tmpdir() } }, /^cannot read certificate .+: it is a folder$/],
    ['--p12 with --cert', { p12: { path: 'a.p12' }, cert: { path: 'a.crt' }, key: { path: 'a.pem' } }, /--p12 cannot be combined with --cert or --key/],
    ['--cert without --key', { cert: { path: 'a.crt' } }, /--cert needs --key/],
    ['--key without --cert', { key: { path: 'a.pem' } }, /--key needs --cert/],
    ['nothing at all', {}, /nothing to diagnose/],
    ['a plain http URL', { url: 'http://localhost:8443' }, /--url must be an https:\/\/ URL/],
    ['an app token with a line break', { url: 'https://localhost:8443', appToken: 'abc\r\nx-injected: 1' }, /--app-token must be printable ASCII/],
  ])('rejects %s with a DoctorInputError', async (_case, options, message) => {
    await expect(diagnose(options)).rejects.toThrow(DoctorInputError);
    await expect(diagnose(options)).rejects.toThrow(message);
  });
});

async function generateKeyPairOf(bits: number): Promise<CryptoKeyPair> {
  const algorithm = { name: 'RSASSA-PKCS1-v1_5', modulusLength: bits, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' };
  return (await webcrypto.subtle.generateKey(algorithm, true, ['sign', 'verify'])) as CryptoKeyPair;
}
