import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { diagnose } from '../../src/doctor/index.js';
import * as der from '../support/der-builder.js';

// The doctor reads validity from the DER, as the gate does: an impossible date is a finding, never a thrown RangeError.

const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const subject = der.name([['CN', 'odd dates']]);
const selfSigned = (notBefore: Buffer): string =>
  der.buildCertificate({ serial: der.integer(7n), issuer: subject, subject, notBefore, notAfter: der.utcTime('491231235959Z'), publicKey }, privateKey).pem;
const diagnoseCertificate = (pem: string) =>
  diagnose({ cert: { data: pem, name: 'cert.pem' }, key: { data: privateKey.export({ type: 'pkcs8', format: 'pem' }), name: 'key.pem' } });

describe('the doctor on certificates with odd validity fields', () => {
  it.each([['month 13', der.utcTime('261301000000Z')], ['a lower-case z', der.utcTime('250101000000z')], ['an offset', der.utcTime('250101000000+0100')]])(
    'reports a notBefore with %s as a failed validity finding',
    async (_what, notBefore) => {
      const report = await diagnoseCertificate(selfSigned(notBefore));
      expect(report.certificate).toMatchObject({ notBefore: null, notAfter: '2049-12-31T23:59:59.000Z' });
      const validity = report.findings.find((finding) => finding.check === 'validity');
      expect(validity).toMatchObject({ status: 'fail', message: expect.stringMatching(/notBefore is not a valid time .*invalid_certificate/) });
    },
  );

  it('dates the year 0001 as 0001, not as 2001', async () => {
    const report = await diagnoseCertificate(selfSigned(der.generalizedTime('00010101000000Z')));
    expect(report.certificate?.notBefore).toBe('0001-01-01T00:00:00.000Z');
  });
});
