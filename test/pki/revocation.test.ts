import { X509Crl } from '@peculiar/x509';
import { describe, expect, it } from 'vitest';
import { createTestAuthority } from '../../src/pki/authority.js';
import { crlSerials } from '../../src/pki/crl-serials.js';
import { issueCrl, RevocationList } from '../../src/pki/revocation.js';

const listed = (pem: string): string[] =>
  new X509Crl(pem.replace(/X509 CRL/g, 'CRL')).entries.map((entry) => entry.serialNumber.toUpperCase()).sort();

async function freshList() {
  const { intermediate } = await createTestAuthority({ keyType: 'rsa' });
  const now = new Date();
  const initial = await issueCrl(intermediate, { thisUpdate: now, nextUpdate: new Date(now.getTime() + 86_400_000), revoked: [] });
  return RevocationList.fromCrl(intermediate, initial);
}

/** A list whose CA cannot sign while `broken.now` is set (as with a damaged key file). */
async function breakableList() {
  const { intermediate } = await createTestAuthority();
  const broken = { now: false };
  const authority = Object.create(intermediate, {
    keys: { get: () => (broken.now ? { ...intermediate.keys, privateKey: intermediate.keys.publicKey } : intermediate.keys) },
  }) as typeof intermediate;
  const now = new Date();
  const initial = await issueCrl(intermediate, { thisUpdate: now, nextUpdate: new Date(now.getTime() + 86_400_000), revoked: [] });
  return { list: RevocationList.fromCrl(authority, initial), broken };
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
    expect(crlSerials(await again)).toEqual(['ABCD']);
    expect(await first).toBe(list.pem);
  });

  it('changes nothing when a signing fails, and the next revocations are signed as if it never happened', async () => {
    const { list, broken } = await breakableList();
    await list.revoke('01', new Date());
    const before = list.pem;
    broken.now = true;
    await expect(list.revoke('02', new Date())).rejects.toThrow();
    expect(list.pem).toBe(before);
    expect(list.serials()).toEqual(['01']);
    expect(list.isRevoked('02')).toBe(false);
    broken.now = false;
    await list.revoke('03', new Date());
    expect(listed(list.pem)).toEqual(['01', '03']);
    await list.revoke('2', new Date()); // the failed serial can be revoked again
    expect(listed(list.pem)).toEqual(['01', '02', '03']);
  });

  it('writes serials whose first byte has the high bit set as positive INTEGERs, and reads them back', async () => {
    const list = await freshList();
    for (const serial of ['80', 'ff01', '0x8000000000000000000000000000000000000001', '00FF']) await list.revoke(serial, new Date());
    expect(listed(list.pem)).toEqual(['0080', '008000000000000000000000000000000000000001', '00FF', '00FF01']);
    expect(crlSerials(list.pem).sort()).toEqual(['80', '8000000000000000000000000000000000000001', 'FF', 'FF01']);
    expect(list.serials().sort()).toEqual(crlSerials(list.pem).sort());
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
