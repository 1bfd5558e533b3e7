import { AsnConvert } from '@peculiar/asn1-schema';
import * as asn1X509 from '@peculiar/asn1-x509';
import * as x509 from '@peculiar/x509';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isIP } from 'node:net';
import { X509Certificate, webcrypto } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLeanPki, type LeanPki } from '../../src/pki/lean-pki.js';
import { signingAlgorithm, type KeyType } from '../../src/pki/keys.js';
import { pemBody } from '../../src/pki/pem.js';
import { CertificateAuthority } from '../../src/pki/authority.js';
import { generateKeyPair } from '../../src/pki/keys.js';
import { issueCrl } from '../../src/pki/revocation.js';
import { seededRandom } from '../../src/sandbox/random.js';
import { openssl } from '../support/openssl.js';

/**
 * A PKI's certificates and CRLs are written by src/pki/der-issue.ts, not @peculiar/x509. Here each
 * one is issued again by the library, the way lean-mock issued it before (same serial, dates, keys
 * and extensions), and the two must be the same bytes: the to-be-signed part always, and for RSA
 * (deterministic PKCS #1 v1.5 signatures) the whole certificate where the issuer's key is known.
 */

const subtle = webcrypto.subtle;
const certificateOf = (pem: string) => AsnConvert.parse(pemBody(pem), asn1X509.Certificate);
const tbsOf = (pem: string): string => Buffer.from(AsnConvert.serialize(certificateOf(pem).tbsCertificate)).toString('hex');
const crlTbsOf = (pem: string): string =>
  Buffer.from(AsnConvert.serialize(AsnConvert.parse(pemBody(pem), asn1X509.CertificateList).tbsCertList)).toString('hex');

function distinguishedName(commonName: string, organization = 'lean-mock (test only)', unit?: string): string {
  const escape = (value: string): string => value.replace(/([,+"\\<>;=])/g, '\\$1');
  return [`CN=${escape(commonName)}`, ...(unit ? [`OU=${escape(unit)}`] : []), `O=${escape(organization)}`, 'C=AE'].join(', ');
}

interface Kind {
  /** How the certificate was requested before: what the library is asked for again. */
  subject: string;
  issuerPem: string;
  issuerKeyPem?: string;
  ca?: { pathLength?: number };
  purpose?: 'client' | 'server';
  hosts?: readonly string[];
}

async function importPrivate(pem: string, keyType: KeyType): Promise<webcrypto.CryptoKey> {
  return subtle.importKey('pkcs8', pemBody(pem), signingAlgorithm(keyType), true, ['sign']);
}

async function importPublic(certificatePem: string, keyType: KeyType): Promise<webcrypto.CryptoKey> {
  const spki = new X509Certificate(certificatePem).publicKey.export({ type: 'spki', format: 'der' });
  return subtle.importKey('spki', spki, signingAlgorithm(keyType), true, ['verify']);
}

/** The certificate as @peculiar/x509 issued it before, from the new one's serial and dates. */
async function libraryIssued(pem: string, kind: Kind, keyType: KeyType, anyKey: webcrypto.CryptoKeyPair): Promise<string> {
  const issued = new X509Certificate(pem);
  const subjectKey = await importPublic(pem, keyType);
  const issuerKey = await importPublic(kind.issuerPem, keyType);
  const signingKey = kind.issuerKeyPem ? await importPrivate(kind.issuerKeyPem, keyType) : anyKey.privateKey;
  const usages =
    keyType === 'rsa'
      ? x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment
      : x509.KeyUsageFlags.digitalSignature;
  const extensions: x509.Extension[] = kind.ca
    ? [
        new x509.BasicConstraintsExtension(true, kind.ca.pathLength, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
        await x509.SubjectKeyIdentifierExtension.create(subjectKey),
        await x509.AuthorityKeyIdentifierExtension.create(issuerKey),
      ]
    : [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(usages, true),
        new x509.ExtendedKeyUsageExtension([kind.purpose === 'server' ? x509.ExtendedKeyUsage.serverAuth : x509.ExtendedKeyUsage.clientAuth]),
        await x509.SubjectKeyIdentifierExtension.create(subjectKey),
        await x509.AuthorityKeyIdentifierExtension.create(issuerKey),
        ...(kind.hosts?.length
          ? [new x509.SubjectAlternativeNameExtension(kind.hosts.map((host) => (isIP(host) ? { type: 'ip' as const, value: host } : { type: 'dns' as const, value: host })))]
          : []),
      ];
  const serial = issued.serialNumber.toUpperCase();
  const certificate = await x509.X509CertificateGenerator.create({
    serialNumber: /^[89A-F]/.test(serial) ? `00${serial}` : serial,
    subject: kind.subject,
    issuer: new x509.X509Certificate(kind.issuerPem).subject,
    notBefore: new Date(issued.validFrom),
    notAfter: new Date(issued.validTo),
    publicKey: subjectKey,
    signingKey,
    signingAlgorithm: signingAlgorithm(keyType),
    extensions,
  });
  return certificate.toString('pem');
}

function kindsOf(pki: LeanPki): [string, string, Kind][] {
  const root = { issuerPem: pki.root.certificatePem, issuerKeyPem: pki.root.privateKeyPem };
  const intermediate = { issuerPem: pki.intermediate.certificatePem, issuerKeyPem: pki.intermediate.privateKeyPem };
  const partner = { issuerPem: pki.partnerIntermediate.certificatePem, issuerKeyPem: pki.partnerIntermediate.privateKeyPem };
  const kinds: [string, string, Kind][] = [
    ['root', pki.root.certificatePem, { ...root, subject: distinguishedName('lean-mock Root CA'), ca: {} }],
    ['intermediate', pki.intermediate.certificatePem, { ...root, subject: distinguishedName('lean-mock Issuing CA 1'), ca: { pathLength: 0 } }],
    ['partner intermediate', pki.partnerIntermediate.certificatePem, { ...root, subject: distinguishedName('lean-mock Issuing CA 2 (partner)'), ca: { pathLength: 0 } }],
    ['rogue root', pki.rogueRootPem, { issuerPem: pki.rogueRootPem, subject: distinguishedName('Rogue Root CA', 'Not Lean (test only)'), ca: {} }],
    ['server', pki.server.certificatePem, { ...intermediate, subject: distinguishedName('mtls.sandbox.leantech.me'), purpose: 'server', hosts: pki.server.hosts }],
    ...pki.apps.map((app): [string, string, Kind] => [
      `app ${app.name}`,
      app.credential.certificatePem,
      { ...intermediate, subject: distinguishedName(app.name, 'lean-mock sandbox application', 'lean-mock sandbox app') },
    ]),
  ];
  for (const variant of pki.variants) {
    if (!variant.credential || variant.name === 'ca_certificate') continue;
    const issuer =
      variant.name === 'unknown_ca'
        ? { issuerPem: pki.rogueRootPem }
        : variant.name === 'incomplete_chain'
          ? partner
          : variant.name === 'self_signed'
            ? { issuerPem: variant.credential.certificatePem, issuerKeyPem: variant.credential.privateKeyPem }
            : intermediate;
    const subject = distinguishedName(`lean-mock bad certificate: ${variant.name}`, undefined, variant.name);
    kinds.push([`variant ${variant.name}`, variant.credential.certificatePem, { ...issuer, subject, purpose: variant.name === 'wrong_purpose' ? 'server' : 'client' }]);
  }
  return kinds;
}

describe.each(['ec', 'rsa'] as const)('a %s PKI written by der-issue.ts', (keyType) => {
  let pki: LeanPki;
  let anyKey: webcrypto.CryptoKeyPair;
  let dir: string;
  beforeAll(async () => {
    [pki, anyKey] = await Promise.all([createLeanPki({ keyType, hosts: ['mock.internal', '10.1.2.3', 'fe80::1:2', '::ffff:192.0.2.1'] }), generateKeyPair(keyType)]);
    dir = mkdtempSync(join(tmpdir(), 'lean-mock-der-issue-'));
  }, 60_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('issues every certificate kind as @peculiar/x509 did: the same to-be-signed bytes (RSA: the same certificate)', async () => {
    for (const [name, pem, kind] of kindsOf(pki)) {
      const expected = await libraryIssued(pem, kind, keyType, anyKey);
      expect(tbsOf(pem), name).toBe(tbsOf(expected));
      if (keyType === 'rsa' && kind.issuerKeyPem) expect(pem, name).toBe(expected.replace(/\r/g, '').trimEnd() + '\n');
    }
  });

  it('signs CRLs as @peculiar/x509 did, with and without revoked serials', async () => {
    const cas: [string, LeanPki['root']][] = [
      ['root', pki.root],
      ['intermediate', pki.intermediate],
      ['partner intermediate', pki.partnerIntermediate],
    ];
    for (const [name, material] of cas) {
      const crl = new x509.X509Crl(material.crlPem.replace(/X509 CRL/g, 'CRL'));
      const signingKey = await importPrivate(material.privateKeyPem, keyType);
      const expected = await x509.X509CrlGenerator.create({
        issuer: new x509.X509Certificate(material.certificatePem).subject,
        thisUpdate: crl.thisUpdate,
        nextUpdate: crl.nextUpdate,
        signingAlgorithm: signingAlgorithm(keyType),
        signingKey,
        extensions: [await x509.AuthorityKeyIdentifierExtension.create(await importPublic(material.certificatePem, keyType))],
        entries: crl.entries.map((entry) => ({
          serialNumber: /^[89A-F]/i.test(entry.serialNumber) ? `00${entry.serialNumber}` : entry.serialNumber,
          revocationDate: entry.revocationDate,
          reason: x509.X509CrlReason.keyCompromise,
        })),
      });
      const expectedPem = expected.toString('pem');
      expect(crlTbsOf(material.crlPem), name).toBe(crlTbsOf(expectedPem));
      if (keyType === 'rsa') expect(pemBody(material.crlPem).toString('hex'), name).toBe(pemBody(expectedPem).toString('hex'));
    }
    expect(crlTbsOf(pki.intermediate.crlPem)).not.toBe(crlTbsOf(pki.partnerIntermediate.crlPem));
  });

  it('writes certificates that Node, @peculiar/x509 and openssl read, and that openssl verifies under the chain with the CRLs', () => {
    const write = (name: string, text: string): string => {
      const path = join(dir, name);
      writeFileSync(path, text);
      return path;
    };
    const chain = write('chain.pem', pki.chainPem);
    const crls = write('crls.pem', pki.crlsPem);
    const good = [pki.server.certificatePem, ...pki.apps.map((app) => app.credential.certificatePem)];
    for (const [name, pem] of kindsOf(pki)) {
      expect(new X509Certificate(pem).raw.equals(pemBody(pem)), name).toBe(true);
      expect(new x509.X509Certificate(pem).serialNumber, name).toMatch(/^[0-9a-f]+$/);
      const text = openssl(['x509', '-noout', '-text'], pem);
      expect(text.code, `${name}: ${text.stderr}`).toBe(0);
    }
    for (const pem of good) {
      const verified = openssl(['verify', '-crl_check_all', '-CAfile', chain, '-CRLfile', crls, write('leaf.pem', pem)]);
      expect(verified.stdout + verified.stderr).toContain(': OK');
    }
    const revoked = pki.variants.find((variant) => variant.name === 'revoked')!.credential!.certificatePem;
    const refused = openssl(['verify', '-crl_check_all', '-CAfile', chain, '-CRLfile', crls, write('revoked.pem', revoked)]);
    expect(refused.stdout + refused.stderr).toContain('certificate revoked');
  });
});

describe('names and serials written by der-issue.ts', () => {
  it('match the library for generated names, hosts and serials (plain ones written here, the rest by the library)', async () => {
    const now = new Date('2049-12-31T23:59:59.999Z');
    const alphabet = "abcXYZ019 '()+,-./:=?_@!*#\"\\<>;é🙂";
    const random = seededRandom(18);
    const plainWords = ['lean-mock', 'my_app', 'a b', 'CA (1)', "it's/ok:?"];
    const word = (): string => random.next() < 0.4 ? random.pick(plainWords) : Array.from({ length: random.int(1, 12) }, () => random.pick([...alphabet])).join('');
    const root = await CertificateAuthority.createRoot({ now, commonName: word(), organization: word() });
    const intermediate = await root.createIntermediate({ now, commonName: word() });
    const keyPair = await generateKeyPair('ec');
    const hosts = ['localhost', '127.0.0.1', '::1', '2001:db8::8:800:200c:417a', '::ffff:192.0.2.128', 'fe80::', 'a.b-c.example'];
    for (let n = 0; n < 60; n++) {
      const request = {
        commonName: word(),
        ...(random.next() < 0.5 ? { organizationalUnit: word() } : {}),
        ...(random.next() < 0.5 ? { organization: word() } : {}),
        hosts: hosts.filter(() => random.next() < 0.5),
        serialNumber: random.pick(['01', '7F', '80', '00FF', 'DEADBEEF', '123456789ABCDEF0123456789ABCDEF0']),
        notAfter: new Date(now.getTime() + random.int(0, 100) * 86_400_000),
        now,
        keyPair,
      };
      // The library refuses some names (a value starting with `#` must be hex): so must issueSync.
      const expected = await intermediate.issue(request).catch((error: unknown) => error as Error);
      if (expected instanceof Error) expect(() => intermediate.issueSync(request)).toThrow(expected.message);
      else expect(tbsOf(intermediate.issueSync(request).certificatePem), JSON.stringify(request)).toBe(tbsOf(expected.certificatePem));
    }
    // A CA's CRL names it by its own subject bytes, whatever the name.
    const crl = await issueCrl(intermediate, { thisUpdate: now, nextUpdate: new Date(now.getTime() + 1e10), revoked: [{ serialNumber: '80', revokedAt: now }] });
    const parsed = new x509.X509Crl(crl.replace(/X509 CRL/g, 'CRL'));
    expect(parsed.issuer).toBe(intermediate.subject);
    expect(await parsed.verify({ publicKey: await importPublic(intermediate.certificatePem, 'ec') })).toBe(true);
  });
});
