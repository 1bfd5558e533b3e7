import { describe, expect, it } from 'vitest';
import type { ClientCertificateInfo, HandshakeRecord, RequestRecord } from '../../src/gateway/journal.js';
import { explainHandshake, explainRequest } from '../../src/inspector/explain.js';
import { CATALOGUE } from '../../src/pki/catalogue.js';
import { INVALID_CERTIFICATE_FIX } from '../../src/pki/certificate-facts.js';
import { HTTP_REJECTION_REASONS, TLS_REJECTION_REASONS } from '../../src/reasons.js';

const NOW = new Date('2026-11-22T12:00:00.000Z');
const DAY = 24 * 60 * 60 * 1000;
const context = { now: NOW, defaultApp: 'my_app' };

const certificate = (name: string, overrides: Partial<ClientCertificateInfo> = {}): ClientCertificateInfo => ({
  subject: `CN=lean-mock bad certificate: ${name}, OU=${name}, O=lean-mock (test only), C=AE`,
  issuer: 'CN=lean-mock Issuing CA 1, O=lean-mock (test only), C=AE',
  serial: '21C8179D8C57F6851B08271DD1228DC7',
  fingerprint256: 'AA:BB',
  not_before: new Date(NOW.getTime() - 100 * DAY).toISOString(),
  not_after: new Date(NOW.getTime() + 265 * DAY).toISOString(),
  ca: false,
  key_usage: ['digitalSignature'],
  extended_key_usage: ['clientAuth'],
  faults: [],
  ...overrides,
});

const rejected = (reason: HandshakeRecord['reason'], client: ClientCertificateInfo | null, extra: Partial<HandshakeRecord> = {}): HandshakeRecord => ({
  id: 7,
  at: NOW.toISOString(),
  remote: '127.0.0.1:5000',
  tls_version: 'TLSv1.3',
  verdict: 'rejected',
  reason,
  raw_code: 'SOME_CODE',
  client,
  app: null,
  ...extra,
});

const request = (reason: RequestRecord['reason'], extra: Partial<RequestRecord> = {}): RequestRecord => ({
  id: 9,
  at: NOW.toISOString(),
  method: 'GET',
  path: '/banks/v1',
  status: 401,
  app: 'my_app',
  client_fingerprint: 'AA:BB',
  duration_ms: 1,
  handshake_id: 7,
  reason,
  correlation_id: 'c0rr',
  body: null,
  ...extra,
});

// invalid_certificate has no catalogue variant (no file of the folder is refused for its content): its fix is its own.
const fixOf = (name: string): string => (name === 'invalid_certificate' ? INVALID_CERTIFICATE_FIX : CATALOGUE.find((variant) => variant.name === name)!.fix);

describe('explaining a handshake', () => {
  it('has nothing to explain for an accepted one', () => {
    expect(explainHandshake({ ...rejected(null, certificate('x')), verdict: 'accepted', raw_code: null }, context)).toBeNull();
  });

  it.each(TLS_REJECTION_REASONS)('explains %s in plain words, with the catalogue’s fix', (reason) => {
    const client = reason === 'no_certificate' ? null : certificate(reason);
    const explanation = explainHandshake(rejected(reason, client), context)!;
    expect(explanation.reason).toBe(reason);
    expect(explanation.summary).toMatch(/^The .+\.$/);
    if (client) expect(explanation.summary).toContain(`CN=lean-mock bad certificate: ${reason}`);
    expect(explanation.fix).toContain(fixOf(reason));
  });

  it('dates an expired certificate and counts the days since', () => {
    const client = certificate('expired', { not_after: new Date(NOW.getTime() - 30 * DAY).toISOString() });
    const { summary } = explainHandshake(rejected('expired', client), context)!;
    expect(summary).toBe('The client certificate (CN=lean-mock bad certificate: expired) expired on 2026-10-23 (30 days ago).');
  });

  it('says from when a not-yet-valid certificate is valid', () => {
    const client = certificate('not_yet_valid', { not_before: new Date(NOW.getTime() + 365 * DAY).toISOString() });
    expect(explainHandshake(rejected('not_yet_valid', client), context)!.summary).toContain('valid only from 2027-11-22 (in 365 days)');
  });

  it('names the untrusted issuer of an unknown_ca certificate', () => {
    const client = certificate('unknown_ca', { issuer: 'CN=Rogue Root CA, O=Evil' });
    expect(explainHandshake(rejected('unknown_ca', client), context)!.summary).toContain('issued by CN=Rogue Root CA, which the server does not trust');
  });

  it('names the missing intermediate of an incomplete chain, and the files that carry it', () => {
    const client = certificate('incomplete_chain', { issuer: 'CN=lean-mock Issuing CA 2 (partner), O=x' });
    const variant = explainHandshake(rejected('incomplete_chain', client), context)!;
    expect(variant.summary).toBe(
      'The intermediate that issued CN=lean-mock bad certificate: incomplete_chain (CN=lean-mock Issuing CA 2 (partner)) was not sent, and the server does not hold it.',
    );
    expect(variant.fix).toContain('my_app_cert_and_chain.crt (or my_app.p12)');
    // An app's own certificate sent leaf-only (under --require-client-chain): that app's files.
    const mine = explainHandshake(rejected('incomplete_chain', certificate('my_app'), { app: 'my_app' }), context)!;
    expect(mine.fix).toBe('Send the chain too: use my_app_cert_and_chain.crt (or my_app.p12).');
    const other = explainHandshake(rejected('incomplete_chain', certificate('other_app'), { app: 'other_app' }), context)!;
    expect(other.fix).toContain('apps/other_app/cert_and_chain.crt');
  });

  it('gives the serial of a revoked certificate', () => {
    expect(explainHandshake(rejected('revoked', certificate('revoked')), context)!.summary).toContain('serial 21C8179D8C57F6851B08271DD1228DC7');
  });

  it.each([
    ['ERR_SSL_HTTP_REQUEST', /plain HTTP/, /https:\/\//],
    ['ERR_SSL_NO_SHARED_CIPHER', /no cipher suite in common/, /ECDHE/],
    ['ERR_SSL_UNSUPPORTED_PROTOCOL', /no TLS version in common/, /TLS 1\.2 or 1\.3/],
    ['ECONNRESET', /hung up/, /lean_public_cert_chain\.pem/],
    ['ERR_SOMETHING_ELSE', /handshake failed/, /TLS settings/],
  ])('tells what a failed handshake with %s means', (code, summary, fix) => {
    const explanation = explainHandshake(rejected('handshake_failed', null, { raw_code: code }), context)!;
    expect(explanation).toMatchObject({ reason: 'handshake_failed' });
    expect(explanation.summary).toMatch(summary);
    expect(explanation.summary).toContain(code);
    expect(explanation.fix).toMatch(fix);
  });
});

describe('explaining a request', () => {
  it('has nothing to explain for a request refused for no certificate or credential reason', () => {
    expect(explainRequest(request(null, { status: 404 }), undefined, context)).toBeNull();
  });

  it.each(HTTP_REJECTION_REASONS)('explains %s with a fix', (reason) => {
    const explanation = explainRequest(request(reason), rejected(null, certificate('x')), context)!;
    expect(explanation.reason).toBe(reason);
    expect(explanation.summary.length).toBeGreaterThan(20);
    expect(explanation.fix.length).toBeGreaterThan(20);
  });

  it('says whose credentials and whose certificate met in a token mismatch', () => {
    const handshake = { ...rejected(null, certificate('x', { subject: 'CN=other_app, O=x' })), verdict: 'accepted' as const, app: 'other_app' };
    const { summary, fix } = explainRequest(request('token_mismatch', { app: 'my_app' }), handshake, context)!;
    expect(summary).toBe('The credentials are my_app’s, but the client certificate (CN=other_app) belongs to other_app.');
    expect(fix).toContain('certificate issued for my_app');
  });

  it('tells a customer-scoped token (403) from an unknown one (401)', () => {
    expect(explainRequest(request('invalid_token', { status: 403 }), undefined, context)!.summary).toContain('customer-scoped');
    expect(explainRequest(request('invalid_token', { status: 401 }), undefined, context)!.summary).not.toContain('customer-scoped');
  });

  it('explains a certificate refused in the http style from the handshake it rode on', () => {
    const client = certificate('expired', { not_after: new Date(NOW.getTime() - 3 * DAY).toISOString() });
    const explanation = explainRequest(request('expired', { status: 403 }), rejected('expired', client), context)!;
    expect(explanation.summary).toContain('expired on 2026-11-19 (3 days ago)');
    expect(explanation.fix).toBe(fixOf('expired'));
  });
});
