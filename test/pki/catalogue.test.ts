import { describe, expect, it } from 'vitest';
import { CATALOGUE, VARIANT_NAMES } from '../../src/pki/catalogue.js';
import { createLeanPki } from '../../src/pki/lean-pki.js';
import { TLS_REJECTION_REASONS } from '../../src/reasons.js';

const DAY_MS = 86_400_000;

describe('the bad-certificate catalogue', () => {
  it('expects a documented rejection reason of every variant but the client-side key_mismatch', () => {
    for (const variant of CATALOGUE) {
      if (variant.name === 'key_mismatch') expect(variant.rejectedBy).toBe('client');
      else expect(TLS_REJECTION_REASONS).toContain(variant.expected);
    }
    expect(CATALOGUE.map((variant) => variant.name)).toEqual([...VARIANT_NAMES]);
  });

  it('dates every certificate relative to the moment the PKI is built', async () => {
    const now = new Date('2031-03-04T05:06:07Z');
    const pki = await createLeanPki({ now });
    const byName = Object.fromEntries(pki.variants.map((variant) => [variant.name, variant.credential]));
    expect(byName.expired!.notAfter.getTime()).toBeLessThan(now.getTime() - 7 * DAY_MS);
    expect(byName.not_yet_valid!.notBefore.getTime()).toBeGreaterThan(now.getTime() + 300 * DAY_MS);
    for (const credential of [pki.server, ...pki.apps.map((app) => app.credential), byName.revoked!, byName.wrong_purpose!]) {
      expect(credential.notBefore.getTime()).toBeLessThanOrEqual(now.getTime());
      expect(credential.notAfter.getTime()).toBeGreaterThan(now.getTime() + 300 * DAY_MS);
    }
    expect(pki.createdAt).toEqual(now);
    expect(pki.validUntil.getTime()).toBeGreaterThan(now.getTime() + 300 * DAY_MS);
    expect(pki.validUntil.getTime()).toBeLessThanOrEqual(byName.not_yet_valid!.notBefore.getTime());
  });

  it('issues the incomplete_chain leaf from an intermediate other than the one the good certificates come from', async () => {
    const pki = await createLeanPki();
    const variant = pki.variants.find((entry) => entry.name === 'incomplete_chain')!;
    expect(variant.chainPems).toEqual([pki.partnerIntermediate.certificatePem]);
    expect(variant.credential!.issuer).not.toBe(pki.apps[0]!.credential.issuer);
  });

  it('uses the app tokens and secrets a caller asks for', async () => {
    const pki = await createLeanPki({ apps: [{ name: 'billing', appToken: 'a'.repeat(32), clientSecret: 's3cret' }] });
    expect(pki.apps).toHaveLength(1);
    expect(pki.apps[0]).toMatchObject({ name: 'billing', appToken: 'a'.repeat(32), clientId: 'a'.repeat(32), clientSecret: 's3cret' });
    expect(pki.apps[0]!.credential.subject).toContain('CN=billing');
    expect(pki.apps[0]!.credential.subject).not.toContain('a'.repeat(32));
    await expect(createLeanPki({ apps: [{ name: '../escape' }] })).rejects.toThrow(/app name/);
  });
});
