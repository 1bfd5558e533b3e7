import { spawn, execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import forge from 'node-forge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diagnose, DoctorInputError } from '../../src/doctor/index.js';
import { MAX_KDF_ITERATIONS } from '../../src/doctor/load/kdf-limits.js';
import { createLeanPki, type LeanPki } from '../../src/pki/lean-pki.js';
import { toPkcs12 } from '../../src/pki/pkcs12.js';
import { findingOf } from './fixture.js';

// Files that would make the doctor derive keys for hours, read forever or fall over: each gets a
// report. A hang fails by the test's own timeout.

let pki: LeanPki;
let dir: string;
beforeAll(async () => {
  pki = await createLeanPki();
  dir = await mkdtemp(join(tmpdir(), 'lean-mock-doctor-limits-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const HUGE = '\x7f\xff\xff\xff'; // 2^31 - 1 iterations
const ITERATIONS_2048 = '\x08\x00';

/**
 * Rewrites every INTEGER 2048 (the PKI's iteration count) that `select` picks, also inside DER
 * nested in OCTET STRINGs (a PFX nests its bags so), re-encoding every length on the way out.
 */
function patchIterations(der: string, select: (where: 'mac' | 'inner') => boolean): string {
  const visit = (node: forge.asn1.Asn1, where: 'mac' | 'inner'): void => {
    if (node.type === forge.asn1.Type.INTEGER && node.value === ITERATIONS_2048 && select(where)) node.value = HUGE;
    if (Array.isArray(node.value)) for (const child of node.value) visit(child, where);
    else if (node.type === forge.asn1.Type.OCTETSTRING && typeof node.value === 'string' && node.value.length > 2) {
      try {
        const inner = forge.asn1.fromDer(node.value, false);
        if (forge.asn1.toDer(inner).getBytes() !== node.value) return;
        visit(inner, 'inner');
        node.value = forge.asn1.toDer(inner).getBytes();
      } catch {
        // Octets, not DER.
      }
    }
  };
  const root = forge.asn1.fromDer(der, false);
  const [version, authSafe, macData] = root.value as forge.asn1.Asn1[];
  visit(version!, 'inner');
  visit(authSafe!, 'inner');
  if (macData) visit(macData, 'mac');
  return forge.asn1.toDer(root).getBytes();
}

function p12(flavour: 'aes256' | '3des'): string {
  const app = pki.apps[0]!.credential;
  return toPkcs12({ keyPem: app.privateKeyPem, certificatePems: [app.certificatePem], password: 'pw', flavour }).toString('binary');
}

const costlyMessage = new RegExp(`2147483647 iterations, over the doctor's limit of ${MAX_KDF_ITERATIONS.toLocaleString('en-US')}`);

describe('password KDFs above the limit are reported, never derived', () => {
  for (const flavour of ['aes256', '3des'] as const) {
    it(`a ${flavour} PKCS#12 whose MAC asks for 2^31 iterations`, async () => {
      const data = Buffer.from(patchIterations(p12(flavour), (where) => where === 'mac'), 'binary');
      const report = await diagnose({ p12: { data, name: 'mac.p12' }, password: 'pw' });
      expect(findingOf(report, 'certificate_format')).toMatchObject({ status: 'fail', message: expect.stringMatching(/integrity MAC/) });
      expect(findingOf(report, 'certificate_format').message).toMatch(costlyMessage);
    });

    it(`a ${flavour} PKCS#12 whose bags ask for 2^31 iterations`, async () => {
      const data = Buffer.from(patchIterations(p12(flavour), (where) => where === 'inner'), 'binary');
      const report = await diagnose({ p12: { data, name: 'bags.p12' }, password: 'pw' });
      expect(findingOf(report, 'certificate_format')).toMatchObject({ status: 'fail', message: expect.stringMatching(costlyMessage) });
    });
  }

  it('an encrypted PKCS#8 key (PEM and DER) whose PBKDF2 asks for 2^31 iterations', async () => {
    const app = pki.apps[0]!.credential;
    const info = forge.asn1.fromDer(forge.util.decode64(app.privateKeyPem.replace(/-----[^-]+-----|\s/g, '')));
    const encrypted = forge.pki.encryptPrivateKeyInfo(info, 'pw', { algorithm: 'aes256', count: 2048 });
    const der = patchIterations(forge.asn1.toDer(forge.asn1.create(0, 16, true, [forge.asn1.create(0, 2, false, '\x00'), encrypted])).getBytes(), () => true);
    const patched = (forge.asn1.fromDer(der).value as forge.asn1.Asn1[])[1]!;
    const derBytes = Buffer.from(forge.asn1.toDer(patched).getBytes(), 'binary');
    const pem = `-----BEGIN ENCRYPTED PRIVATE KEY-----\n${derBytes.toString('base64').replace(/.{64}/g, '$&\n')}\n-----END ENCRYPTED PRIVATE KEY-----\n`;
    for (const key of [{ data: pem, name: 'key.pem' }, { data: derBytes, name: 'key.der' }]) {
      const report = await diagnose({ cert: { data: app.certificatePem }, key, password: 'pw' });
      expect(findingOf(report, 'key_format')).toMatchObject({ status: 'fail', message: expect.stringMatching(costlyMessage) });
    }
  });

  it('an encrypted PKCS#8 key whose scrypt asks for 1 GiB of memory', async () => {
    const { asn1 } = forge;
    const int = (n: number) => asn1.create(0, 2, false, forge.util.hexToBytes(n.toString(16).padStart(n.toString(16).length % 2 ? n.toString(16).length + 1 : n.toString(16).length, '0')));
    const oid = (o: string) => asn1.create(0, 6, false, asn1.oidToDer(o).getBytes());
    const octets = (bytes: string) => asn1.create(0, 4, false, bytes);
    const scrypt = asn1.create(0, 16, true, [oid('1.3.6.1.4.1.11591.4.11'), asn1.create(0, 16, true, [octets('s'.repeat(16)), int(2 ** 20), int(8), int(1)])]);
    const aes = asn1.create(0, 16, true, [oid('2.16.840.1.101.3.4.1.42'), octets('i'.repeat(16))]);
    const pbes2 = asn1.create(0, 16, true, [oid('1.2.840.113549.1.5.13'), asn1.create(0, 16, true, [scrypt, aes])]);
    const der = Buffer.from(asn1.toDer(asn1.create(0, 16, true, [pbes2, octets('x'.repeat(64))])).getBytes(), 'binary');
    const report = await diagnose({ cert: { data: pki.apps[0]!.credential.certificatePem }, key: { data: der, name: 'scrypt.der' }, password: 'pw' });
    expect(findingOf(report, 'key_format')).toMatchObject({ status: 'fail', message: expect.stringMatching(/scrypt .* N=1048576, r=8: 1073741824 bytes/) });
  });
});

describe('sources that never end', () => {
  it('stops reading a named pipe fed forever at the size limit', async () => {
    const fifo = join(dir, 'endless.pem');
    execFileSync('mkfifo', [fifo]);
    // The writer is a separate process so this one's event loop is free to read.
    const writer = spawn(process.execPath, ['-e', `const fs=require('fs');const fd=fs.openSync(${JSON.stringify(fifo)},'w');const b=Buffer.alloc(65536,65);try{for(;;)fs.writeSync(fd,b)}catch{}`], { stdio: 'ignore' });
    try {
      await expect(diagnose({ cert: { path: fifo }, key: { data: pki.apps[0]!.credential.privateKeyPem } })).rejects.toThrow(DoctorInputError);
      await expect(diagnose({ cert: { path: '/dev/zero' }, key: { data: pki.apps[0]!.credential.privateKeyPem } })).rejects.toThrow(/over the doctor's 4 MiB limit/);
    } finally {
      writer.kill();
    }
  });
});
