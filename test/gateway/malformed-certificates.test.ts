import { createPrivateKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { explainHandshake } from '../../src/inspector/explain.js';
import { createLeanPki, type LeanPki } from '../../src/pki/lean-pki.js';
import { startLeanMock, type LeanMock } from '../../src/server/lean-mock.js';
import * as der from '../support/der-builder.js';
import { present } from '../support/hostile-certificates.js';

/**
 * Certificates no CA would issue, built byte by byte and signed with real keys so the server's
 * OpenSSL parses and judges them, each sent over real TLS 1.2 and 1.3. Whatever a field holds, the
 * server stays up, journals a truthful verdict and describes the certificate from its DER.
 */

const GOOD_FROM = der.utcTime('250101000000Z');
const GOOD_UNTIL = der.utcTime('491231235959Z');
const CLIENT_AUTH = der.extension('2.5.29.37', der.seq(der.oid('1.3.6.1.5.5.7.3.2')));

interface Case {
  name: string;
  notBefore?: Buffer;
  notAfter?: Buffer;
  subject?: Buffer;
  extensions?: Buffer[];
  selfSigned?: boolean;
  expected: { verdict: 'accepted' | 'rejected'; reason: string | null; not_before?: string | null; not_after?: string | null; fault?: RegExp };
}

const CASES: Case[] = [
  {
    name: 'a self-signed notBefore in month 13 (UTCTime 261301000000Z)',
    selfSigned: true,
    notBefore: der.utcTime('261301000000Z'),
    expected: { verdict: 'rejected', reason: 'invalid_certificate', not_before: null, fault: /notBefore is not a valid time \(261301000000Z\)/ },
  },
  {
    name: 'an issued notBefore in month 13',
    notBefore: der.utcTime('261301000000Z'),
    expected: { verdict: 'rejected', reason: 'invalid_certificate', not_before: null },
  },
  {
    name: 'a notAfter on day 99',
    notAfter: der.utcTime('341299000000Z'),
    expected: { verdict: 'rejected', reason: 'invalid_certificate', not_before: '2025-01-01T00:00:00.000Z', not_after: null },
  },
  { name: 'a lower-case z', notBefore: der.utcTime('250101000000z'), expected: { verdict: 'rejected', reason: 'invalid_certificate', not_before: null } },
  {
    name: 'fractional seconds',
    notBefore: der.generalizedTime('20250101000000.5Z'),
    expected: { verdict: 'rejected', reason: 'invalid_certificate', not_before: null },
  },
  { name: 'a time zone offset', notBefore: der.utcTime('250101000000+0100'), expected: { verdict: 'rejected', reason: 'invalid_certificate', not_before: null } },
  {
    name: 'a notBefore in the year 0001 (which Node prints so that Date reads 2001)',
    notBefore: der.generalizedTime('00010101000000Z'),
    expected: { verdict: 'accepted', reason: null, not_before: '0001-01-01T00:00:00.000Z' },
  },
  {
    name: 'an unknown critical extension',
    extensions: [CLIENT_AUTH, der.extension('1.3.6.1.4.1.99999.1', der.nul(), true)],
    expected: { verdict: 'rejected', reason: 'invalid_certificate', fault: /critical extension the server does not understand \(1\.3\.6\.1\.4\.1\.99999\.1\)/ },
  },
  {
    name: 'a critical subject key identifier (OpenSSL handles no critical key identifiers)',
    extensions: [der.extension('2.5.29.14', der.octets(Buffer.from('id')), true)],
    expected: { verdict: 'rejected', reason: 'invalid_certificate' },
  },
  {
    name: 'a truncated extended key usage',
    extensions: [der.extension('2.5.29.37', Buffer.from([0x30, 0x05, 0x06]))],
    expected: { verdict: 'rejected', reason: 'invalid_certificate', fault: /extension 2\.5\.29\.37 is malformed/ },
  },
  { name: 'a malformed subject alternative name', extensions: [CLIENT_AUTH, der.extension('2.5.29.17', Buffer.from([0x04, 0x00]))], expected: { verdict: 'rejected', reason: 'invalid_certificate' } },
  { name: 'a malformed authority key identifier', extensions: [CLIENT_AUTH, der.extension('2.5.29.35', der.integer(1n))], expected: { verdict: 'rejected', reason: 'invalid_certificate' } },
  {
    name: 'a duplicated extension',
    extensions: [CLIENT_AUTH, CLIENT_AUTH],
    expected: { verdict: 'rejected', reason: 'invalid_certificate', fault: /extension 2\.5\.29\.37 twice/ },
  },
  {
    name: 'a key usage of keyCertSign only, on a leaf',
    extensions: [CLIENT_AUTH, der.extension('2.5.29.15', der.bitString([5]), true)],
    expected: { verdict: 'rejected', reason: 'wrong_purpose', fault: /key usage \(keyCertSign\) allows neither digitalSignature nor keyAgreement/ },
  },
  { name: 'a 16 kB subject', subject: der.name([['CN', 'x'.repeat(16_000)]]), expected: { verdict: 'accepted', reason: null } },
  { name: 'NULs in the subject', subject: der.name([['CN', 'evil\u0000.example'], ['O', '\u0000']]), expected: { verdict: 'accepted', reason: null } },
  { name: 'an empty subject', subject: der.seq(), expected: { verdict: 'accepted', reason: null } },
];

let pki: LeanPki;
let mock: LeanMock;
let key: KeyObject;
let publicKey: KeyObject;
let intermediateKey: KeyObject;
let intermediateName: Buffer;
const unhandled: unknown[] = [];
const onUnhandled = (error: unknown): void => void unhandled.push(error);

beforeAll(async () => {
  process.on('uncaughtException', onUnhandled);
  process.on('unhandledRejection', onUnhandled);
  pki = await createLeanPki();
  mock = await startLeanMock({ pki, adminPort: 'off' });
  ({ privateKey: key, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' }));
  intermediateKey = createPrivateKey(pki.intermediate.privateKeyPem);
  intermediateName = der.subjectNameOf(pki.intermediate.certificatePem);
});

afterAll(async () => {
  await mock?.close();
  process.off('uncaughtException', onUnhandled);
  process.off('unhandledRejection', onUnhandled);
});

function build(c: Case): string {
  const subject = c.subject ?? der.name([['CN', 'hostile client'], ['O', 'lean-mock tests']]);
  const fields = {
    serial: der.integer(0x1234n),
    issuer: c.selfSigned ? subject : intermediateName,
    subject,
    notBefore: c.notBefore ?? GOOD_FROM,
    notAfter: c.notAfter ?? GOOD_UNTIL,
    publicKey,
    extensions: c.extensions ?? [CLIENT_AUTH],
  };
  return der.buildCertificate(fields, c.selfSigned ? key : intermediateKey).pem;
}

describe.each(['1.2', '1.3'] as const)('a hostile client certificate over TLS %s', (tls) => {
  it.each(CASES.map((c) => [c.name, c] as const))('with %s is journaled truthfully and the server lives', async (_name, c) => {
    const record = await present(mock.url, mock.journal, { certificatePem: build(c), key }, { tls, ca: pki.chainPem });
    expect(record).toMatchObject({ verdict: c.expected.verdict, reason: c.expected.reason });
    if (c.expected.not_before !== undefined) expect(record.client?.not_before).toBe(c.expected.not_before);
    if (c.expected.not_after !== undefined) expect(record.client?.not_after).toBe(c.expected.not_after);
    if (c.expected.fault) expect(record.client?.faults.join('; ')).toMatch(c.expected.fault);
    // The inspector explains the same record without throwing, in the journal's own words.
    const explanation = explainHandshake(record, { now: new Date(), defaultApp: 'my_app' });
    if (c.expected.fault) expect(explanation?.summary).toMatch(c.expected.fault);
    expect(unhandled).toEqual([]);
    // Still serving: the ordinary app certificate gets its answer.
    const app = pki.apps[0]!.credential;
    const next = await present(mock.url, mock.journal, { certificatePem: app.certificatePem, key: createPrivateKey(app.privateKeyPem) }, { tls, ca: pki.chainPem });
    expect(next).toMatchObject({ verdict: 'accepted', app: 'my_app' });
  });
});
