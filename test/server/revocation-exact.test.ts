import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CertificateAuthority, type IssuedCertificate } from '../../src/pki/authority.js';
import { crlSerials } from '../../src/pki/crl-serials.js';
import { createLeanPki, type LeanPki } from '../../src/pki/lean-pki.js';
import { startLeanMock, type LeanMock } from '../../src/server/lean-mock.js';
import { appTokenOf, call, presented, type Presented } from '../support/mock-client.js';

let pki: LeanPki;
let mock: LeanMock;
beforeAll(async () => {
  pki = await createLeanPki();
  mock = await startLeanMock({ pki });
});
afterAll(() => mock.close());
beforeEach(() => mock.reset());

type Json = Record<string, unknown>;
const revoke = async (body: unknown): Promise<{ status: number; json: Json }> => {
  const response = await fetch(`${mock.adminUrl}/admin/v1/revocations`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json()) as Json };
};
const revokedSerials = async (): Promise<string[]> =>
  ((await (await fetch(`${mock.adminUrl}/admin/v1/revocations`)).json()) as { serials: string[] }).serials;

/** The verdict the gate journals for a connection presenting `identity`, waited for as an event. */
async function verdictFor(identity: Presented, serial: string): Promise<{ verdict: string; reason: string | null }> {
  const journaled = mock.journal.nextHandshake((record) => record.client?.serial === serial, 60_000);
  await call(mock.url, pki, identity, { headers: appTokenOf(pki) });
  const record = await journaled;
  return { verdict: record.verdict, reason: record.reason };
}

async function intermediateLeaf(serialNumber: string): Promise<IssuedCertificate> {
  const intermediate = await CertificateAuthority.load(pki.intermediate.certificatePem, pki.intermediate.privateKeyPem, pki.keyType);
  return intermediate.issue({ commonName: 'high-bit client', serialNumber });
}

describe('revocation is exact', () => {
  it('refuses a revoked client whose serial has the high bit set: the CRL lists it as a positive INTEGER', async () => {
    for (const serial of ['80A1B2C3', 'FF00FF00FF']) {
      const leaf = await intermediateLeaf(serial);
      const identity = { cert: leaf.certificatePem, key: leaf.privateKeyPem };
      expect(await verdictFor(identity, leaf.serialNumber)).toEqual({ verdict: 'accepted', reason: null });
      expect(await revoke({ serial: serial.toLowerCase(), issuer: 'intermediate' })).toMatchObject({
        status: 201,
        json: { serial, issuer: 'intermediate' },
      });
      expect(await verdictFor(identity, leaf.serialNumber)).toEqual({ verdict: 'rejected', reason: 'revoked' });
    }
  });

  it("lists a partner intermediate's leaf on the partner's CRL: sent with its chain, it is refused as revoked", async () => {
    const variant = pki.variants.find((entry) => entry.name === 'incomplete_chain')!;
    const serial = variant.credential!.serialNumber;
    const identity = presented(pki, 'incomplete_chain+chain');
    expect((await verdictFor(identity, serial)).verdict).toBe('accepted');
    expect(await revoke({ serial })).toMatchObject({ status: 201, json: { serial, issuer: 'partner_intermediate' } });
    expect(await verdictFor(identity, serial)).toEqual({ verdict: 'rejected', reason: 'revoked' });
  });

  it("revokes the intermediate itself on the root's CRL, which refuses every leaf it issued", async () => {
    const app = pki.apps[0]!.credential;
    const intermediateSerial = new (await import('node:crypto')).X509Certificate(pki.intermediate.certificatePem).serialNumber;
    expect(await revoke({ serial: intermediateSerial })).toMatchObject({ status: 201, json: { issuer: 'root' } });
    expect(await verdictFor(presented(pki, 'my_app'), app.serialNumber)).toEqual({ verdict: 'rejected', reason: 'revoked' });
    expect(await verdictFor(presented(pki, 'my_app+chain'), app.serialNumber)).toEqual({ verdict: 'rejected', reason: 'revoked' });
  });

  it('refuses a serial no CA of the PKI issued with a 404 naming the field, and changes nothing', async () => {
    const rogue = pki.variants.find((entry) => entry.name === 'unknown_ca')!.credential!.serialNumber;
    for (const serial of ['1234', rogue]) {
      const refused = await revoke({ serial });
      expect(refused).toMatchObject({ status: 404, json: { status: 'UNKNOWN_CERTIFICATE', metadata: { field: 'serial' } } });
      expect(String(refused.json.message)).toContain('issuer');
    }
    expect(await revokedSerials()).toEqual(crlSerials(pki.intermediate.crlPem));
  });

  it('refuses malformed serials with a 400 naming the field; later revocations still work', async () => {
    const before = await revokedSerials();
    const notHex = (i: number): string => {
      const hex = ((i * 2_654_435_761) >>> 0).toString(16);
      const intruder = ' -g+z.\u0000\n/é０'[i % 11]!;
      const at = i % (hex.length + 1);
      return hex.slice(0, at) + intruder + hex.slice(at);
    };
    const bad: unknown[] = [
      ...['', '   ', '0x', '0x0x01', ':01', '01:', '0:1', '1'.repeat(65), 'a'.repeat(1000), 12, null, ['01'], { serial: '01' }],
      ...Array.from({ length: 40 }, (_, i) => notHex(i)),
    ];
    for (const serial of bad) {
      const refused = await revoke({ serial });
      expect(refused.status).toBe(400);
      expect(refused.json).toMatchObject({ status: 'INVALID_PARAMETERS', message: expect.stringContaining('field: serial,'), metadata: null });
    }
    expect(await revoke({ serial: '01', issuer: 'nobody' })).toMatchObject({ status: 400, json: { message: expect.stringContaining('field: issuer,'), metadata: null } });
    expect(await revokedSerials()).toEqual(before);
    const app = pki.apps[0]!.credential.serialNumber;
    expect(await revoke({ serial: app })).toMatchObject({ status: 201 });
    expect(await verdictFor(presented(pki, 'my_app'), app)).toEqual({ verdict: 'rejected', reason: 'revoked' });
  });

  it('treats every spelling of one serial as one: `0` then `00` no longer breaks later revocations', async () => {
    for (const serial of ['0', '00', '0x0', '000']) {
      expect(await revoke({ serial, issuer: 'intermediate' })).toMatchObject({ status: 201, json: { serial: '00' } });
    }
    for (const serial of ['0A', 'a', '0x0a', '000A']) {
      expect(await revoke({ serial, issuer: 'partner_intermediate' })).toMatchObject({ status: 201, json: { serial: '0A' } });
    }
    const app = pki.apps[1]!.credential.serialNumber;
    const colons = app.match(/../g)!.join(':').toLowerCase();
    expect(await revoke({ serial: colons })).toMatchObject({ status: 201, json: { serial: app, issuer: 'intermediate' } });
    const serials = await revokedSerials();
    expect(serials.filter((serial) => serial === '00' || serial === '0A' || serial === app)).toHaveLength(3);
    expect(await verdictFor(presented(pki, 'other_app'), app)).toEqual({ verdict: 'rejected', reason: 'revoked' });
  });

  it('signs one CRL entry for many concurrent revocations of one serial in different spellings', async () => {
    const app = pki.apps[0]!.credential.serialNumber;
    const spellings = [app, app.toLowerCase(), `0x${app}`, `00${app}`, app.match(/../g)!.join(':')];
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => revoke({ serial: spellings[i % spellings.length] })));
    for (const answer of answers) expect(answer).toMatchObject({ status: 201, json: { serial: app } });
    expect((await revokedSerials()).filter((serial) => serial === app)).toHaveLength(1);
    expect(await verdictFor(presented(pki, 'my_app'), app)).toEqual({ verdict: 'rejected', reason: 'revoked' });
  });

  it('throws in process for a bad serial, naming it', async () => {
    await expect(mock.revoke('not hex')).rejects.toThrow(/invalid serial number: only hex digits/);
    await expect(mock.revoke('77')).rejects.toThrow(/no certificate of this PKI has serial 77/);
  });
});
