import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diagnose, type DoctorOptions, type DoctorReport } from '../../src/doctor/index.js';
import { CATALOGUE } from '../../src/pki/catalogue.js';
import { createLeanPki, type LeanPki } from '../../src/pki/lean-pki.js';
import { startLeanMock, type LeanMock } from '../../src/server/lean-mock.js';
import { failedChecks, findingOf, identity } from './fixture.js';

// `--url` against lean-mock: real TLS 1.2 and 1.3 handshakes, GET /banks/v1, and what the doctor makes of them.

let pki: LeanPki;
let mock: LeanMock;
let httpStyle: LeanMock;
let tls13Only: LeanMock;
beforeAll(async () => {
  pki = await createLeanPki();
  [mock, httpStyle, tls13Only] = await Promise.all([
    startLeanMock({ pki, adminPort: 'off' }),
    startLeanMock({ pki, adminPort: 'off', rejection: 'http' }),
    startLeanMock({ pki, adminPort: 'off', tlsMin: '1.3' }),
  ]);
});
afterAll(() => Promise.all([mock, httpStyle, tls13Only].map((server) => server?.close())));

const appToken = (): string => pki.apps[0]!.appToken;
const fixOf = (name: string): string => CATALOGUE.find((entry) => entry.name === name)!.fix;

function against(server: LeanMock, who: string | null, extra: Partial<DoctorOptions> = {}): Promise<DoctorReport> {
  return diagnose({
    url: server.url,
    ca: { data: pki.chainPem, name: 'lean_public_cert_chain.pem' },
    ...(who ? identity(pki, who) : {}),
    ...extra,
  });
}

describe('the good app certificate', () => {
  it('completes TLS 1.2 and 1.3 handshakes and lists banks with the app token', async () => {
    const report = await against(mock, 'my_app', { appToken: appToken() });
    expect(report.ok).toBe(true);
    expect(findingOf(report, 'handshake_tls1_2')).toMatchObject({ status: 'pass', message: expect.stringMatching(/^TLS 1\.2 handshake completed .*server CN=mtls\.sandbox\.leantech\.me verified; the server accepted our certificate and answered HTTP 200/) });
    expect(findingOf(report, 'handshake_tls1_3')).toMatchObject({ status: 'pass', message: expect.stringMatching(/^TLS 1\.3 handshake completed \(TLS_AES/) });
    expect(findingOf(report, 'banks_request')).toMatchObject({ status: 'pass', message: expect.stringMatching(/^GET \/banks\/v1 answered 200 with \d+ banks$/) });
    expect(mock.journal.handshakes().slice(0, 2).map((h) => [h.verdict, h.tls_version])).toEqual([['accepted', 'TLSv1.3'], ['accepted', 'TLSv1.2']]);
  });

  it("warns, without failing, that a request without --app-token gets Lean's 401", async () => {
    const report = await against(mock, 'my_app');
    expect(report.ok).toBe(true);
    expect(findingOf(report, 'banks_request')).toMatchObject({ status: 'warn', message: expect.stringMatching(/certificate was accepted, but the request carries no credentials: GET \/banks\/v1 answered 401 UNAUTHORIZED "/), fix: expect.stringContaining('--app-token') });
  });

  it("refuses to talk to a server it cannot verify, naming the server certificate's issuer", async () => {
    const report = await against(mock, 'my_app', { ca: undefined, appToken: appToken() });
    expect(findingOf(report, 'handshake_tls1_2')).toMatchObject({ status: 'fail', message: expect.stringMatching(/server's certificate is not trusted .*issued by CN=lean-mock Issuing CA 1/), fix: expect.stringMatching(/--ca .*lean_public_cert_chain\.pem/) });
    expect(findingOf(report, 'banks_request').status).toBe('skip');
  });

  it('says so plainly when --insecure skips the server check, and that the app token went to the unverified server', async () => {
    const report = await against(mock, 'my_app', { ca: undefined, insecure: true, appToken: appToken() });
    expect(report.ok).toBe(true);
    for (const check of ['handshake_tls1_2', 'handshake_tls1_3'] as const) {
      expect(findingOf(report, check)).toMatchObject({
        status: 'warn',
        message: expect.stringMatching(/server CN=mtls\.sandbox\.leantech\.me NOT verified \(--insecure\), and the app token was sent to this unverified server;/),
        fix: expect.stringMatching(/--ca instead of --insecure.*rotate the app token/),
      });
    }
    expect(findingOf(report, 'banks_request').status).toBe('pass');
    expect(JSON.stringify(report)).not.toContain(appToken());
  });

  it('does not speak of an app token under --insecure when none was given', async () => {
    const report = await against(mock, 'my_app', { ca: undefined, insecure: true });
    expect(findingOf(report, 'handshake_tls1_3')).toMatchObject({ status: 'warn', message: expect.stringContaining('NOT verified (--insecure);') });
    expect(findingOf(report, 'handshake_tls1_3').message).not.toContain('app token');
    expect(findingOf(report, 'handshake_tls1_3').fix).not.toContain('app token');
  });

  it('says the app token went to the unverified server even when the server then refuses the certificate', async () => {
    const report = await against(mock, 'expired', { ca: undefined, insecure: true, appToken: appToken() });
    // TLS 1.3: the request, token included, is written before the server's refusal arrives.
    expect(findingOf(report, 'handshake_tls1_3')).toMatchObject({ status: 'fail', message: expect.stringMatching(/closed the connection without answering.*; the app token was sent to this unverified server \(--insecure\) before it closed the connection$/) });
    // TLS 1.2: refused during the handshake, before any request.
    expect(findingOf(report, 'handshake_tls1_2').message).not.toContain('app token');
  });

  it('accepts a server without TLS 1.2 with a warning while TLS 1.3 works', async () => {
    const report = await against(tls13Only, 'my_app', { appToken: appToken() });
    expect(report.ok).toBe(true);
    expect(findingOf(report, 'handshake_tls1_2')).toMatchObject({ status: 'warn', message: expect.stringMatching(/does not offer TLS 1\.2/) });
    expect(findingOf(report, 'handshake_tls1_3').status).toBe('pass');
  });
});

describe("the server's refusals, explained", () => {
  it('explains the silent refusal of an expired certificate with the offline finding', async () => {
    const report = await against(mock, 'expired', { appToken: appToken() });
    expect(failedChecks(report)).toEqual(['validity', 'handshake_tls1_2', 'handshake_tls1_3']);
    expect(findingOf(report, 'handshake_tls1_2')).toMatchObject({ variant: 'expired', fix: fixOf('expired'), message: expect.stringMatching(/closed the connection during the TLS 1\.2 handshake, after receiving our certificate, without a TLS alert.*certificate expired on/) });
    expect(findingOf(report, 'handshake_tls1_3').message).toMatch(/TLS 1\.3 handshake completed, then the server closed the connection without answering/);
    expect(findingOf(report, 'banks_request').status).toBe('skip');
    expect(mock.journal.handshakes()[0]).toMatchObject({ verdict: 'rejected', reason: 'expired' });
  });

  it('suspects revocation when nothing offline explains a refusal, and confirms it with --crl', async () => {
    const blind = await against(mock, 'revoked');
    expect(failedChecks(blind)).toEqual(['handshake_tls1_2', 'handshake_tls1_3']);
    expect(findingOf(blind, 'handshake_tls1_2').message).toMatch(/found nothing wrong with the certificate itself.*revoked it \(check with --crl\)/);
    const informed = await against(mock, 'revoked', { crl: { data: pki.crlsPem, name: 'crls.pem' } });
    expect(findingOf(informed, 'handshake_tls1_2')).toMatchObject({ variant: 'revoked', message: expect.stringMatching(/is on the CRL of CN=lean-mock Issuing CA 1/) });
  });

  it('names the missing intermediate when only the incomplete_chain leaf is sent, and passes with it', async () => {
    const leafOnly = await against(mock, 'incomplete_chain', { appToken: appToken() });
    expect(findingOf(leafOnly, 'handshake_tls1_2')).toMatchObject({ status: 'fail', variant: 'incomplete_chain', message: expect.stringContaining('CN=lean-mock Issuing CA 2 (partner)') });
    expect(mock.journal.handshakes()[0]).toMatchObject({ reason: 'incomplete_chain' });
    const withChain = await against(mock, 'incomplete_chain+chain', { appToken: appToken() });
    expect(findingOf(withChain, 'handshake_tls1_3').status).toBe('pass');
    // A valid chain, but a certificate bound to no app: the token cannot belong to it.
    expect(findingOf(withChain, 'banks_request')).toMatchObject({ status: 'fail', message: expect.stringContaining('401 CERTIFICATE_TOKEN_MISMATCH') });
  });

  it('reports the demand for a certificate when none is sent (no_certificate)', async () => {
    const report = await against(mock, null, { appToken: appToken() });
    expect(findingOf(report, 'certificate_format')).toMatchObject({ status: 'skip', message: expect.stringContaining('no client certificate given') });
    expect(findingOf(report, 'handshake_tls1_2')).toMatchObject({ status: 'fail', variant: 'no_certificate', fix: fixOf('no_certificate'), message: expect.stringMatching(/handshake failure alert \(40\).*requires a client certificate and we sent none/) });
    expect(findingOf(report, 'handshake_tls1_3')).toMatchObject({ variant: 'no_certificate', message: expect.stringContaining('certificate required alert (116)') });
  });

  it('does not attempt a handshake with a key that does not match (key_mismatch)', async () => {
    const report = await against(mock, 'key_mismatch');
    expect(failedChecks(report)).toEqual(['key_matches_certificate']);
    expect(findingOf(report, 'handshake_tls1_2')).toMatchObject({ status: 'skip', message: expect.stringMatching(/cannot use this certificate and key/) });
  });

  it("relays lean-mock's reason when it refuses over HTTP (--reject http)", async () => {
    const report = await against(httpStyle, 'expired', { appToken: appToken() });
    expect(findingOf(report, 'handshake_tls1_3').status).toBe('pass');
    expect(findingOf(report, 'banks_request')).toMatchObject({
      status: 'fail',
      variant: 'expired',
      fix: fixOf('expired'),
      message: expect.stringMatching(/completed the handshake, then refused our certificate over HTTP: GET \/banks\/v1 answered 403 INVALID_CERTIFICATE ".*" \(reason: expired\)/),
    });
  });
});
