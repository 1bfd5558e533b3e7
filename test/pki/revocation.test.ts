import { X509Crl } from '@peculiar/x509';
import { describe, expect, it } from 'vitest';
import { createTestAuthority } from '../../src/pki/authority.js';
import { issueCrl, RevocationList } from '../../src/pki/revocation.js';

const listed = (pem: string): string[] =>
  new X509Crl(pem.replace(/X509 CRL/g, 'CRL')).entries.map((entry) => entry.serialNumber.toUpperCase()).sort();

async function freshList() {
  const { intermediate } = await createTestAuthority({ keyType: 'rsa' });
  const now = new Date();
  const initial = await issueCrl(intermediate, { thisUpdate: now, nextUpdate: new Date(now.getTime() + 86_400_000), revoked: [] });
  return RevocationList.fromCrl(intermediate, initial);
}

describe('a revocation list at run time', () => {
  // RSA signing takes long enough, and varies enough, for concurrent signings to finish out of order.
  it('lists every serial revoked concurrently: a slow older signing never replaces a newer CRL', async () => {
    const list = await freshList();
    const serials = Array.from({ length: 24 }, (_, i) => (0x1000 + i).toString(16).toUpperCase());
    const resolved = await Promise.all(serials.map((serial) => list.revoke(serial, new Date())));
    expect(listed(list.pem)).toEqual([...serials].sort());
    resolved.forEach((pem, i) => expect(listed(pem)).toContain(serials[i]));
  });

  it('answers a repeated revocation only with a CRL that lists the serial', async () => {
    const list = await freshList();
    const first = list.revoke('ABCD', new Date());
    const again = list.revoke('abcd', new Date());
    expect(listed(await again)).toEqual(['ABCD']);
    expect(await first).toBe(list.pem);
  });

  it('goes back to the published CRL on reset, and a signing still running then does not land after it', async () => {
    const list = await freshList();
    const published = list.pem;
    const running = list.revoke('BEEF', new Date());
    list.reset();
    await running;
    expect(list.pem).toBe(published);
    expect(list.serials()).toEqual([]);
  });
});
