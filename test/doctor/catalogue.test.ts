import { createPrivateKey, X509Certificate } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diagnose, type DoctorCheck, type DoctorOptions } from '../../src/doctor/index.js';
import { CertificateAuthority } from '../../src/pki/authority.js';
import { CATALOGUE, type VariantName } from '../../src/pki/catalogue.js';
import { generateKeyPair } from '../../src/pki/keys.js';
import { toPkcs12 } from '../../src/pki/pkcs12.js';
import { day, failedChecks, findingOf, pkiFolder, type PkiFolder } from './fixture.js';

// Offline diagnosis of every catalogue variant, and of the good app certificate in every format.

let folder: PkiFolder;
let rsaFingerprint: string;
beforeAll(async () => {
  folder = await pkiFolder();
  const { pki, dir } = folder;
  const app = pki.apps[0]!.credential;
  const key = createPrivateKey(app.privateKeyPem);
  // An RSA app certificate from the same intermediate, for the PKCS#1 form (EC keys have none).
  const intermediate = await CertificateAuthority.load(pki.intermediate.certificatePem, pki.intermediate.privateKeyPem, 'ec');
  const rsa = await intermediate.issue({ commonName: 'rsa_app', keyPair: await generateKeyPair('rsa') });
  await Promise.all([
    writeFile(join(dir, 'app.der'), new X509Certificate(app.certificatePem).raw),
    writeFile(join(dir, 'app_key.der'), key.export({ type: 'pkcs8', format: 'der' })),
    writeFile(join(dir, 'app_key_sec1.pem'), key.export({ type: 'sec1', format: 'pem' })),
    writeFile(join(dir, 'app_key_encrypted.pem'), key.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 's3cret' })),
    writeFile(join(dir, 'rsa_app.crt'), rsa.certificatePem),
    writeFile(join(dir, 'rsa_app_pkcs1.pem'), createPrivateKey(rsa.privateKeyPem).export({ type: 'pkcs1', format: 'pem' })),
    // node-forge parses RSA material itself (EC it hands back raw): the certificate must survive the round trip.
    writeFile(join(dir, 'rsa_app.p12'), toPkcs12({ keyPem: rsa.privateKeyPem, certificatePems: [rsa.certificatePem, pki.intermediate.certificatePem], password: 'pw' })),
  ]);
  rsaFingerprint = rsa.fingerprint256;
});
afterAll(() => folder.remove());

const trusting = (): Pick<DoctorOptions, 'ca' | 'crl'> => ({ ca: folder.file('lean_public_cert_chain.pem'), crl: folder.file('ca/crls.pem') });

describe('diagnosing each bad-certificate variant offline', () => {
  const expectations: [VariantName, DoctorCheck[], (folder: PkiFolder) => RegExp][] = [
    ['expired', ['validity'], ({ pki }) => new RegExp(`certificate expired on ${day(credentialOf(pki, 'expired').notAfter)} .*, 30 days ago`)],
    ['not_yet_valid', ['validity'], ({ pki }) => new RegExp(`not valid yet: valid from ${day(credentialOf(pki, 'not_yet_valid').notBefore)}`)],
    ['unknown_ca', ['chain'], () => /issued by CN=Rogue Root CA, O=Not Lean \(test only\).*neither in --ca nor sent with the certificate.*a CA the server does not trust/],
    ['self_signed', ['chain'], () => /CN=lean-mock bad certificate: self_signed.* is self-signed/],
    ['wrong_purpose', ['extended_key_usage'], () => /extended key usage is serverAuth only: not valid for client authentication \(clientAuth\)/],
    // A CA's key usage (keyCertSign, cRLSign) cannot sign a handshake either: both findings are true.
    ['ca_certificate', ['key_usage', 'basic_constraints'], () => /CN=lean-mock Issuing CA 1.* is a CA certificate \(basic constraints CA:TRUE\).*my_app_cert\.crt/],
    ['revoked', ['revocation'], ({ pki }) => new RegExp(`serial ${credentialOf(pki, 'revoked').serialNumber} is on the CRL of CN=lean-mock Issuing CA 1: revoked on`)],
    ['incomplete_chain', ['chain'], () => /issued by CN=lean-mock Issuing CA 2 \(partner\).*, which is neither in --ca nor sent with the certificate/],
    ['key_mismatch', ['key_matches_certificate'], () => /the private key \(EC P-256\) does not belong to the certificate CN=lean-mock bad certificate: key_mismatch/],
  ];

  it.each(expectations)('diagnoses %s with a failing %s finding that names the fact', async (name, checks, fact) => {
    const report = await diagnose({ cert: folder.file(`bad/${name}/cert.crt`), key: folder.file(`bad/${name}/key.pem`), ...trusting() });
    expect(report.ok).toBe(false);
    expect(failedChecks(report)).toEqual(checks);
    const decisive = findingOf(report, checks[checks.length - 1]!);
    expect(decisive.variant).toBe(name);
    expect(decisive.message).toMatch(fact(folder));
    expect(decisive.fix).toContain(CATALOGUE.find((entry) => entry.name === name)!.fix);
  });

  it('leaves revocation unknown without a CRL: offline, a revoked certificate looks fine', async () => {
    const report = await diagnose({ cert: folder.file('bad/revoked/cert.crt'), key: folder.file('bad/revoked/key.pem'), ca: folder.file('lean_public_cert_chain.pem') });
    expect(report.ok).toBe(true);
    expect(findingOf(report, 'revocation')).toMatchObject({ status: 'skip', message: expect.stringMatching(/no CRL given.*--crl/) });
  });

  it('accepts the incomplete_chain leaf once its intermediate is sent along in the certificate file', async () => {
    const report = await diagnose({ cert: folder.file('bad/incomplete_chain/cert_and_chain.crt'), key: folder.file('bad/incomplete_chain/key.pem'), ...trusting() });
    expect(failedChecks(report)).toEqual([]);
    expect(findingOf(report, 'chain').message).toMatch(/→ CN=lean-mock Issuing CA 2 \(partner\) \(sent\) → CN=lean-mock Root CA \(--ca, root\)/);
  });

  it('skips the chain without --ca, saying what to pass, but still catches a self-signed leaf', async () => {
    const good = await diagnose({ cert: folder.file('my_app_cert.crt'), key: folder.file('my_app_private_key.pem') });
    expect(findingOf(good, 'chain')).toMatchObject({ status: 'skip', message: expect.stringContaining('--ca') });
    const selfSigned = await diagnose({ cert: folder.file('bad/self_signed/cert.crt'), key: folder.file('bad/self_signed/key.pem') });
    expect(findingOf(selfSigned, 'chain')).toMatchObject({ status: 'fail', variant: 'self_signed' });
  });
});

describe('diagnosing the good app certificate in every format', () => {
  const forms: [string, () => DoctorOptions][] = [
    ['PEM certificate + PKCS#8 key', () => ({ cert: folder.file('my_app_cert.crt'), key: folder.file('my_app_private_key.pem') })],
    ['PEM bundle (leaf + intermediate)', () => ({ cert: folder.file('my_app_cert_and_chain.crt'), key: folder.file('my_app_private_key.pem') })],
    ['DER certificate + DER PKCS#8 key', () => ({ cert: folder.file('app.der'), key: folder.file('app_key.der') })],
    ['SEC1 key (BEGIN EC PRIVATE KEY)', () => ({ cert: folder.file('my_app_cert.crt'), key: folder.file('app_key_sec1.pem') })],
    ['PKCS#1 key (BEGIN RSA PRIVATE KEY)', () => ({ cert: folder.file('rsa_app.crt'), key: folder.file('rsa_app_pkcs1.pem') })],
    ['encrypted PKCS#8 key + --password', () => ({ cert: folder.file('my_app_cert.crt'), key: folder.file('app_key_encrypted.pem'), password: 's3cret' })],
    ['PKCS#12, AES-256', () => ({ p12: folder.file('my_app.p12'), password: 'lean-mock' })],
    ['PKCS#12, 3DES', () => ({ p12: folder.file('my_app_3des.p12'), password: 'lean-mock' })],
    ['PKCS#12 with an RSA key', () => ({ p12: folder.file('rsa_app.p12'), password: 'pw' })],
    ['PEM given in memory', () => ({ cert: { data: folder.pki.apps[0]!.credential.certificatePem }, key: { data: folder.pki.apps[0]!.credential.privateKeyPem } })],
  ];

  it.each(forms)('passes every check for %s', async (_form, options) => {
    const report = await diagnose({ ...options(), ...trusting() });
    expect(report.findings.filter((entry) => entry.status !== 'pass')).toEqual([]);
    expect(report).toMatchObject({ ok: true, summary: { total: 11, passed: 11, failed: 0, warned: 0, skipped: 0 } });
  });

  it('names each format and the key it found', async () => {
    const formatsOf = async (options: DoctorOptions): Promise<string> => {
      const report = await diagnose({ ...options, ...trusting() });
      return `${findingOf(report, 'certificate_format').message} | ${findingOf(report, 'key_format').message}`;
    };
    expect(await formatsOf(forms[1]![1]())).toMatch(/PEM, 2 certificates: the leaf CN=my_app.*then CN=lean-mock Issuing CA 1 \(sent as its chain\)/);
    expect(await formatsOf(forms[2]![1]())).toMatch(/DER, 1 certificate.*PKCS#8 DER, EC P-256/);
    expect(await formatsOf(forms[3]![1]())).toMatch(/SEC1 PEM \(BEGIN EC PRIVATE KEY\), EC P-256/);
    expect(await formatsOf(forms[4]![1]())).toMatch(/PKCS#1 PEM \(BEGIN RSA PRIVATE KEY\), RSA 2048 bits/);
    expect(await formatsOf(forms[5]![1]())).toMatch(/encrypted PKCS#8 PEM, decrypted with the password given/);
    expect(await formatsOf(forms[6]![1]())).toMatch(/PKCS#12 \(certificates unencrypted, MAC HMAC-SHA-256\).*encrypted with AES-256-CBC \(PBES2, PBKDF2-HMAC-SHA-256\)/);
    expect(await formatsOf(forms[7]![1]())).toMatch(/MAC HMAC-SHA-1.*encrypted with 3DES/);
  });

  it('reads an RSA certificate out of a PKCS#12 file byte for byte', async () => {
    const report = await diagnose({ p12: folder.file('rsa_app.p12'), password: 'pw' });
    expect(report.certificate?.fingerprint256).toBe(rsaFingerprint);
  });

  it('reports the certificate it looked at', async () => {
    const report = await diagnose({ p12: folder.file('my_app.p12'), password: 'lean-mock' });
    const app = folder.pki.apps[0]!.credential;
    expect(report.certificate).toEqual({
      subject: app.subject,
      issuer: app.issuer,
      serial: app.serialNumber,
      fingerprint256: app.fingerprint256,
      notBefore: app.notBefore.toISOString(),
      notAfter: app.notAfter.toISOString(),
    });
  });
});

function credentialOf(pki: PkiFolder['pki'], name: VariantName) {
  return pki.variants.find((variant) => variant.name === name)!.credential!;
}
