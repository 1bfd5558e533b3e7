import { describe, expect, it } from 'vitest';
import { createLeanPki } from '../../src/pki/lean-pki.js';
import { createRevocations } from '../../src/server/revocations.js';

describe('run-time revocations and reset', () => {
  it('undoes a revocation asked for just before a reset, even while the lists are still loading', async () => {
    const pki = await createLeanPki();
    const revocations = await createRevocations(pki);
    const seeded = revocations.serials();
    const serial = pki.apps[0]!.credential.serialNumber;

    const first = revocations.revoke(serial, new Date()); // the first revoke loads the X.509 code
    revocations.reset();
    await first;
    expect(revocations.serials()).toEqual(seeded);

    await revocations.revoke('ABCDEF', new Date(), 'intermediate'); // lists loaded now: the same holds
    const second = revocations.revoke(serial, new Date());
    revocations.reset();
    await second;
    expect(revocations.serials()).toEqual(seeded);
    expect(revocations.crls()[1]).toBe(pki.intermediate.crlPem);
  });

  it('keeps a revocation asked for after the reset', async () => {
    const pki = await createLeanPki();
    const revocations = await createRevocations(pki);
    revocations.reset();
    const serial = pki.apps[0]!.credential.serialNumber;
    await revocations.revoke(serial, new Date());
    expect(revocations.serials()).toContain(serial.toUpperCase());
    expect(revocations.crls()[1]).not.toBe(pki.intermediate.crlPem);
  });
});
