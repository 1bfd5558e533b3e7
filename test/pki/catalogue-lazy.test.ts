import { X509Certificate } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CertificateAuthority } from '../../src/pki/authority.js';
import { VARIANT_NAMES } from '../../src/pki/catalogue.js';
import { createLeanPki } from '../../src/pki/lean-pki.js';
import { identitiesOf } from '../../src/testing/identities.js';

/**
 * A fresh PKI issues what a server and its apps need (CA chain, server and app certificates,
 * CRLs) and leaves the bad-certificate catalogue until something reads it: most suites never
 * present a bad certificate, and the catalogue was most of a fresh PKI's build time.
 */

afterEach(() => {
  vi.restoreAllMocks();
});

describe('a fresh PKI', () => {
  it('issues the catalogue on the first read of variants, once', async () => {
    const issue = vi.spyOn(CertificateAuthority.prototype, 'issue');
    const issueSync = vi.spyOn(CertificateAuthority.prototype, 'issueSync');
    const leaves = () => issue.mock.calls.length + issueSync.mock.calls.length;
    const pki = await createLeanPki({ apps: [{ name: 'a' }, { name: 'b' }, { name: 'c' }] });
    expect(leaves()).toBe(1 + 3); // the server and each app

    const identities = identitiesOf(pki);
    expect(Object.keys(identities)).toEqual(['a', 'b', 'c', ...VARIANT_NAMES.flatMap((name) => (name === 'incomplete_chain' ? [name, `${name}+chain`] : [name]))]);
    expect(leaves()).toBe(1 + 3);

    const first = pki.variants;
    expect(first.map((variant) => variant.name)).toEqual([...VARIANT_NAMES]);
    const issued = leaves();
    expect(issued).toBeGreaterThan(1 + 3);
    expect(pki.variants).toBe(first);
    expect(identities.expired!.cert).toBe(first.find((variant) => variant.name === 'expired')!.credential!.certificatePem);
    expect(leaves()).toBe(issued);
  });

  it("lists the revoked variant on the intermediate's CRL before the variant exists, and keeps validUntil within every variant's behaviour", async () => {
    const pki = await createLeanPki();
    const crl = pki.intermediate.crlPem;
    const revoked = pki.variants.find((variant) => variant.name === 'revoked')!.credential!;
    // The serial on the CRL is the certificate's: Node's TLS refuses it as revoked (test/gateway covers the handshake).
    const { RevocationList } = await import('../../src/pki/revocation.js');
    const authority = await CertificateAuthority.load(pki.intermediate.certificatePem, pki.intermediate.privateKeyPem, pki.keyType);
    expect(RevocationList.fromCrl(authority, crl).serials()).toEqual([revoked.serialNumber]);
    expect(new X509Certificate(revoked.certificatePem).verify(new X509Certificate(pki.intermediate.certificatePem).publicKey)).toBe(true);

    for (const variant of pki.variants) {
      const credential = variant.credential;
      if (!credential || variant.expected === 'expired') continue;
      if (variant.expected === 'not_yet_valid') expect(pki.validUntil.getTime()).toBeLessThanOrEqual(credential.notBefore.getTime());
      else expect(pki.validUntil.getTime(), variant.name).toBeLessThanOrEqual(credential.notAfter.getTime());
    }
  });
});
