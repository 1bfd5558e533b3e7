import { AsnConvert } from '@peculiar/asn1-schema';
import * as asn1X509 from '@peculiar/asn1-x509';
import { X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CertificateAuthority, issueSelfSignedLeaf, issueSelfSignedLeafSync, type LeafRequest } from '../../src/pki/authority.js';
import { generateKeyPair } from '../../src/pki/keys.js';
import { pemBody } from '../../src/pki/pem.js';
import { seededRandom } from '../../src/sandbox/random.js';

/**
 * A PKI's catalogue is issued synchronously on first use. Its certificates must be the ones the
 * asynchronous issuer makes: the same to-be-signed bytes for the same request (the signature
 * differs: ECDSA is randomised), verifying under the issuer, and the same private key text.
 */

const tbsOf = (pem: string): string =>
  Buffer.from(AsnConvert.serialize(AsnConvert.parse(pemBody(pem), asn1X509.Certificate).tbsCertificate)).toString('hex');
const signatureAlgorithmOf = (pem: string): string =>
  Buffer.from(AsnConvert.serialize(AsnConvert.parse(pemBody(pem), asn1X509.Certificate).signatureAlgorithm)).toString('hex');

describe.each(['ec', 'rsa'] as const)('issueSync (%s)', (keyType) => {
  it('issues byte for byte the certificate issue() does, for generated requests', async () => {
    const now = new Date('2026-03-15T09:30:00.000Z');
    const root = await CertificateAuthority.createRoot({ keyType, now });
    const intermediate = await root.createIntermediate({ now, commonName: 'Issuing, "CA" <1>' });
    const keyPair = await generateKeyPair(keyType);
    const random = seededRandom(keyType === 'ec' ? 1 : 2);
    const names = ['a', 'lean-mock bad certificate: expired', 'é 🙂', 'x,y+z=1;"q"\\', 'a'.repeat(64)];
    for (let n = 0; n < (keyType === 'ec' ? 12 : 4); n++) {
      const request: LeafRequest & { keyPair: typeof keyPair } = {
        commonName: random.pick(names),
        ...(random.next() < 0.5 ? { organizationalUnit: random.pick(names) } : {}),
        ...(random.next() < 0.5 ? { organization: random.pick(names) } : {}),
        ...(random.next() < 0.5 ? { purpose: random.pick(['client', 'server'] as const) } : {}),
        ...(random.next() < 0.4 ? { hosts: ['localhost', '127.0.0.1', '::1', 'mtls.sandbox.leantech.me'].slice(0, random.int(1, 4)) } : {}),
        ...(random.next() < 0.4 ? { notBefore: new Date(now.getTime() - random.int(0, 1e10)), notAfter: new Date(now.getTime() + random.int(1, 1e10)) } : {}),
        serialNumber: random.pick(['01', '7F', '80', '00FF', 'DEADBEEF', '0a:bc', '123456789ABCDEF0123456789ABCDEF0']),
        now,
        keyPair,
      };
      const expected = await intermediate.issue(request);
      const got = intermediate.issueSync(request);
      expect(tbsOf(got.certificatePem)).toBe(tbsOf(expected.certificatePem));
      expect(signatureAlgorithmOf(got.certificatePem)).toBe(signatureAlgorithmOf(expected.certificatePem));
      expect(got.privateKeyPem).toBe(expected.privateKeyPem);
      expect({ ...got, certificatePem: '', fingerprint256: '' }).toEqual({ ...expected, certificatePem: '', fingerprint256: '' });
      const issued = new X509Certificate(got.certificatePem);
      expect(issued.verify(new X509Certificate(intermediate.certificatePem).publicKey)).toBe(true);
    }
  });

  it('self-signs as issueSelfSignedLeaf does', async () => {
    const now = new Date('2026-03-15T09:30:00.000Z');
    const keyPair = await generateKeyPair(keyType);
    const request = { commonName: 'self', organizationalUnit: 'self_signed', keyPair, notBefore: now, notAfter: new Date(now.getTime() + 86_400_000) };
    const expected = await issueSelfSignedLeaf(keyType, request);
    const got = issueSelfSignedLeafSync(keyType, request);
    // Self-signed serials are always random: compare the rest of the to-be-signed part.
    const sansSerial = (pem: string) => {
      const tbs = AsnConvert.parse(pemBody(pem), asn1X509.Certificate).tbsCertificate;
      tbs.serialNumber = new Uint8Array([1]).buffer;
      return Buffer.from(AsnConvert.serialize(tbs)).toString('hex');
    };
    expect(sansSerial(got.certificatePem)).toBe(sansSerial(expected.certificatePem));
    const parsed = new X509Certificate(got.certificatePem);
    expect(parsed.verify(parsed.publicKey)).toBe(true);
  });
});
