import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diagnose } from '../../src/doctor/index.js';
import { createLeanPki, type LeanPki } from '../../src/pki/lean-pki.js';
import { openssl } from '../support/openssl.js';
import { findingOf } from './fixture.js';

// A real CA's CRL lists thousands of serials. asn1js gives up at 10,000 ASN.1 nodes (about 1,400
// entries) unless told otherwise, which made the doctor call such a CRL "not a readable CRL".
// The CRL here is signed by OpenSSL itself (`openssl ca -gencrl`) from an index of revocations.

const ENTRIES = 5_000;
let pki: LeanPki;
let dir: string;
let crlPem: string;

beforeAll(async () => {
  pki = await createLeanPki();
  dir = await mkdtemp(join(tmpdir(), 'lean-mock-large-crl-'));
  crlPem = await signedCrl(pki, dir, ENTRIES);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

function variantCertificate(name: string): { data: string; name: string } {
  return { data: pki.variants.find((variant) => variant.name === name)!.credential!.certificatePem, name: `${name}.crt` };
}
function variantKey(name: string): { data: string; name: string } {
  return { data: pki.variants.find((variant) => variant.name === name)!.credential!.privateKeyPem, name: `${name}.key` };
}

async function signedCrl(pkiToSign: LeanPki, folder: string, entries: number): Promise<string> {
  const revoked = pkiToSign.variants.find((variant) => variant.name === 'revoked')!.credential!.serialNumber;
  const line = (serial: string): string => `R\t991231235959Z\t260101000000Z\t${serial}\tunknown\t/CN=revoked ${serial}\n`;
  const serials = Array.from({ length: entries - 1 }, (_, i) => (0x100000 + i).toString(16).toUpperCase());
  // The revoked variant's serial sits in the middle, as a real CRL would have it.
  serials.splice(entries >> 1, 0, revoked.length % 2 ? `0${revoked}` : revoked);
  await writeFile(join(folder, 'index.txt'), serials.map(line).join(''));
  await writeFile(join(folder, 'crlnumber'), '01\n');
  await writeFile(join(folder, 'ca.crt'), pkiToSign.intermediate.certificatePem);
  await writeFile(join(folder, 'ca.key'), pkiToSign.intermediate.privateKeyPem);
  await writeFile(
    join(folder, 'openssl.cnf'),
    `[ca]\ndefault_ca = here\n[here]\ndatabase = ${join(folder, 'index.txt')}\ncrlnumber = ${join(folder, 'crlnumber')}\ndefault_md = sha256\ndefault_crl_days = 30\n`,
  );
  const out = join(folder, 'large.crl');
  const result = openssl(['ca', '-gencrl', '-config', join(folder, 'openssl.cnf'), '-cert', join(folder, 'ca.crt'), '-keyfile', join(folder, 'ca.key'), '-out', out]);
  expect(result.code, result.stderr).toBe(0);
  return readFile(out, 'utf8');
}

describe('a CRL with thousands of entries', () => {
  it(`is read, verified and searched: a serial among ${ENTRIES.toLocaleString('en-US')} is found revoked`, async () => {
    const listed = openssl(['crl', '-noout', '-text'], crlPem).stdout.match(/Serial Number:/g)?.length;
    expect(listed).toBe(ENTRIES);
    const report = await diagnose({
      cert: variantCertificate('revoked'),
      key: variantKey('revoked'),
      ca: { data: `${pki.intermediate.certificatePem}\n${pki.root.certificatePem}`, name: 'chain.pem' },
      crl: { data: crlPem, name: 'large.crl' },
    });
    expect(findingOf(report, 'revocation')).toMatchObject({ status: 'fail', message: expect.stringContaining('is on the CRL of') });
  });

  it('lets a certificate it does not list pass, its signature checked', async () => {
    const app = pki.apps[0]!.credential;
    const report = await diagnose({
      cert: { data: app.certificatePem, name: 'my_app_cert.crt' },
      key: { data: app.privateKeyPem, name: 'my_app_private_key.pem' },
      ca: { data: `${pki.intermediate.certificatePem}\n${pki.root.certificatePem}`, name: 'chain.pem' },
      crl: { data: crlPem, name: 'large.crl' },
    });
    const revocation = findingOf(report, 'revocation');
    expect(revocation.status).toBe('pass');
    expect(revocation.message).not.toMatch(/not verified/);
  });
});
