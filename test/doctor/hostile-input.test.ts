import { mkdtemp, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diagnose, DoctorInputError, MAX_INPUT_BYTES } from '../../src/doctor/index.js';
import { createLeanPki, type LeanPki } from '../../src/pki/lean-pki.js';
import { findingOf } from './fixture.js';

// Files that are huge or built to make a PEM scanner crawl: answered right, or refused clearly.
// Speed is not asserted here (the house rule: timings belong to benchmarks); the scanner in
// src/doctor/load/pem.ts is a single indexOf pass by construction, where the backtracking regex
// it replaced spent ~10 s on each of these inputs.

let pki: LeanPki;
let dir: string;
beforeAll(async () => {
  pki = await createLeanPki();
  dir = await mkdtemp(join(tmpdir(), 'lean-mock-doctor-hostile-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const key = () => ({ data: pki.apps[0]!.credential.privateKeyPem, name: 'my_app_private_key.pem' });

describe('PEM files built to make the scanner crawl', () => {
  it('says a 1 MB file of 40,000 BEGIN lines without an END has no complete PEM block', async () => {
    const data = '-----BEGIN CERTIFICATE-----\n'.repeat(40_000);
    expect(data.length).toBeGreaterThan(1_000_000);
    const report = await diagnose({ cert: { data, name: 'begins.pem' }, key: key() });
    expect(findingOf(report, 'certificate_format')).toMatchObject({ status: 'fail', message: 'begins.pem has no complete PEM block' });
  });

  it('copes as quickly with 40,000 BEGIN lines of different labels, then finds the certificate after them', async () => {
    const noise = Array.from({ length: 40_000 }, (_, i) => `-----BEGIN LABEL ${i}-----\n`).join('');
    const report = await diagnose({ cert: { data: noise + pki.apps[0]!.credential.certificatePem, name: 'noisy.pem' }, key: key() });
    expect(findingOf(report, 'certificate_format')).toMatchObject({ status: 'pass', message: expect.stringContaining('1 certificate: CN=my_app') });
    expect(findingOf(report, 'key_matches_certificate').status).toBe('pass');
  });

  it('reads 40,000 END lines without a BEGIN as no PEM block, quickly', async () => {
    const data = `-----BEGIN CERTIFICATE-----\n${'-----END X509 CRL-----\n'.repeat(40_000)}`;
    const report = await diagnose({ cert: { data, name: 'ends.pem' }, key: key() });
    expect(findingOf(report, 'certificate_format').message).toBe('ends.pem has no complete PEM block');
  });
});

describe('the PEM blocks found, as before the scanner was rewritten', () => {
  it('skips a BEGIN line whose END never comes, and reads the blocks after it', async () => {
    const data = `-----BEGIN PRIVATE KEY-----\nnot finished\n${pki.intermediate.certificatePem}${pki.root.certificatePem}`;
    const report = await diagnose({ cert: { data: pki.apps[0]!.credential.certificatePem }, key: key(), ca: { data, name: 'ca.pem' } });
    expect(findingOf(report, 'chain')).toMatchObject({ status: 'pass', message: expect.stringContaining('CN=lean-mock Root CA (--ca, root)') });
  });

  it('ends a block at the END line of its own label only', async () => {
    const certificate = pki.apps[0]!.credential.certificatePem.trimEnd().split('\n');
    // An END line of another label inside the block is no end: it is read (and rejected) as part of the base64.
    const data = [certificate[0], '-----END PRIVATE KEY-----', ...certificate.slice(1)].join('\n');
    const report = await diagnose({ cert: { data, name: 'mixed.pem' }, key: key() });
    expect(findingOf(report, 'certificate_format').message).toMatch(/certificate 1 of 1 in mixed\.pem cannot be parsed/);
  });
});

describe('files larger than any certificate, key, CA bundle or CRL', () => {
  it(`refuses a file over ${MAX_INPUT_BYTES / 1024 / 1024} MiB with a DoctorInputError naming it, before reading it`, async () => {
    const path = join(dir, 'huge.pem');
    await writeFile(path, '');
    await truncate(path, MAX_INPUT_BYTES + 1);
    const refusal = diagnose({ cert: { path, name: 'huge.pem' }, key: key() });
    await expect(refusal).rejects.toThrow(DoctorInputError);
    await expect(refusal).rejects.toThrow(/^certificate huge\.pem is 4194305 bytes, over the doctor's 4 MiB limit: no certificate, key, CA bundle or CRL is that large; is it the right file\?$/);
  });

  it('refuses an endless device such as /dev/zero after reading no more than the limit', async () => {
    await expect(diagnose({ cert: { path: '/dev/zero' }, key: key() })).rejects.toThrow(
      /^certificate \/dev\/zero is over the doctor's 4 MiB limit: no certificate, key, CA bundle or CRL is that large/,
    );
  });

  it('refuses in-memory data over the limit the same way, and accepts data at the limit', async () => {
    await expect(diagnose({ cert: { data: new Uint8Array(MAX_INPUT_BYTES + 1), name: 'big.der' }, key: key() })).rejects.toThrow(/^certificate big\.der is 4194305 bytes, over the doctor's 4 MiB limit/);
    const atLimit = await diagnose({ cert: { data: new Uint8Array(MAX_INPUT_BYTES), name: 'zeros.der' }, key: key() });
    expect(findingOf(atLimit, 'certificate_format').message).toMatch(/zeros\.der is neither a PEM nor a DER certificate \(4194304 bytes\)/);
  });
});
