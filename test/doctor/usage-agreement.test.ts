import { createPrivateKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diagnose } from '../../src/doctor/index.js';
import { createLeanPki, type LeanPki } from '../../src/pki/lean-pki.js';
import { startLeanMock, type LeanMock } from '../../src/server/lean-mock.js';
import * as der from '../support/der-builder.js';
import { present } from '../support/hostile-certificates.js';

/**
 * One rule, one verdict: for every combination of basic constraints, key usage and extended key
 * usage that decides whether a certificate may authenticate a client, the reason the gate
 * journals over real TLS is the reason the doctor's failing usage findings name, and a
 * certificate the gate accepts is one the doctor passes.
 */

const CLIENT_AUTH = '1.3.6.1.5.5.7.3.2';
const SERVER_AUTH = '1.3.6.1.5.5.7.3.1';
const ANY = '2.5.29.37.0';
const KU = { digitalSignature: 0, keyAgreement: 4, keyCertSign: 5, cRLSign: 6 } as const;

interface Shape {
  ca: boolean;
  keyUsage: (keyof typeof KU)[] | null;
  extendedKeyUsage: string[] | null;
}

const SHAPES: Shape[] = [];
for (const ca of [false, true]) {
  for (const keyUsage of [null, ['digitalSignature'], ['keyCertSign'], ['keyCertSign', 'cRLSign'], ['keyAgreement']] as Shape['keyUsage'][]) {
    for (const extendedKeyUsage of [null, [CLIENT_AUTH], [ANY], [SERVER_AUTH], [SERVER_AUTH, CLIENT_AUTH]]) SHAPES.push({ ca, keyUsage, extendedKeyUsage });
  }
}

const label = (shape: Shape): string =>
  `CA:${shape.ca ? 'TRUE' : 'FALSE'}, key usage ${shape.keyUsage?.join('+') ?? 'absent'}, EKU ${shape.extendedKeyUsage?.map((oid) => ({ [CLIENT_AUTH]: 'clientAuth', [SERVER_AUTH]: 'serverAuth', [ANY]: 'anyExtendedKeyUsage' })[oid]).join('+') ?? 'absent'}`;

let pki: LeanPki;
let mock: LeanMock;
let key: KeyObject;
let publicKey: KeyObject;

beforeAll(async () => {
  pki = await createLeanPki();
  mock = await startLeanMock({ pki, adminPort: 'off' });
  ({ privateKey: key, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' }));
});
afterAll(() => mock?.close());

function issue(shape: Shape): string {
  const extensions = [
    ...(shape.ca ? [der.extension('2.5.29.19', der.seq(der.bool(true)), true)] : []),
    ...(shape.keyUsage ? [der.extension('2.5.29.15', der.bitString(shape.keyUsage.map((name) => KU[name])), true)] : []),
    ...(shape.extendedKeyUsage ? [der.extension('2.5.29.37', der.seq(...shape.extendedKeyUsage.map(der.oid)))] : []),
  ];
  const now = Date.now();
  const time = (ms: number): Buffer => der.utcTime(new Date(ms).toISOString().replace(/[-:T]/g, '').slice(2, 14) + 'Z');
  return der.buildCertificate(
    {
      serial: der.integer(BigInt(now)),
      issuer: der.subjectNameOf(pki.intermediate.certificatePem),
      subject: der.name([['CN', label(shape)]]),
      notBefore: time(now - 86_400_000),
      notAfter: time(now + 365 * 86_400_000),
      publicKey,
      extensions,
    },
    createPrivateKey(pki.intermediate.privateKeyPem),
  ).pem;
}

describe('the gate and the doctor judge client-certificate usages by one rule', () => {
  it.each(SHAPES.map((shape) => [label(shape), shape] as const))('%s', async (_label, shape) => {
    const certificatePem = issue(shape);
    const handshake = await present(mock.url, mock.journal, { certificatePem, key }, { tls: '1.3', ca: pki.chainPem });
    const report = await diagnose({
      cert: { data: certificatePem, name: 'cert.pem' },
      key: { data: key.export({ type: 'pkcs8', format: 'pem' }), name: 'key.pem' },
      ca: { data: pki.chainPem, name: 'chain.pem' },
    });
    const failed = report.findings.filter((finding) => finding.status === 'fail');
    if (handshake.verdict === 'accepted') {
      expect(failed, 'the doctor fails a certificate the gate accepts').toEqual([]);
    } else {
      expect(failed.length, 'the doctor passes a certificate the gate refuses').toBeGreaterThan(0);
      expect(new Set(failed.map((finding) => finding.variant))).toEqual(new Set([handshake.reason]));
    }
  });
});
