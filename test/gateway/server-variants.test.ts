import { execFile } from 'node:child_process';
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HandshakeRecord } from '../../src/gateway/journal.js';
import { createLeanPki, type LeanPki } from '../../src/pki/lean-pki.js';
import { SERVER_CATALOGUE, type ServerVariantName } from '../../src/pki/server-variants/catalogue.js';
import { seededRandom } from '../../src/sandbox/random.js';
import { startLeanMock, type LeanMock } from '../../src/server/lean-mock.js';
import { ABUSES, abuse, abusiveBytes, captureClientHello } from '../support/socket-storm.js';

const MUST_REFUSE = SERVER_CATALOGUE.filter((variant) => variant.mustRefuse);

let pki: LeanPki;
let mock: LeanMock;
let dir: string;

beforeAll(async () => {
  pki = await createLeanPki();
  mock = await startLeanMock({ pki });
  dir = mkdtempSync(join(tmpdir(), 'lean-mock-variants-'));
  writeFileSync(join(dir, 'ca.pem'), pki.chainPem);
});
afterAll(async () => {
  await mock.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The journal entry of the next connection to `variant`, watched from before the call. */
function nextOn(variant: ServerVariantName): Promise<HandshakeRecord> {
  return mock.journal.nextHandshake((record) => record.server_variant === variant, 20_000);
}

/** Node's https client with the app's certificate, trusting the PKI's chain: resolves with the error code or the status. */
function nodeCall(url: string, options: { tls: '1.2' | '1.3'; rejectUnauthorized?: boolean }): Promise<{ code?: string; status?: number; body?: string }> {
  const app = pki.apps[0]!.credential;
  return new Promise((resolve) => {
    const req = request(
      `${url}/banks/v1`,
      {
        ca: pki.chainPem,
        cert: app.certificatePem,
        key: app.privateKeyPem,
        minVersion: `TLSv${options.tls}`,
        maxVersion: `TLSv${options.tls}`,
        rejectUnauthorized: options.rejectUnauthorized ?? true,
        agent: false,
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode, body }));
      },
    );
    req.on('error', (error: NodeJS.ErrnoException) => resolve({ code: error.code }));
    req.end();
  });
}

describe('the bad server certificate listeners', () => {
  it('are listed on the mock, one loopback URL per variant', () => {
    expect(Object.keys(mock.serverVariants)).toEqual(SERVER_CATALOGUE.map((variant) => variant.name));
    for (const url of Object.values(mock.serverVariants)) expect(url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
  });

  describe.each(['1.2', '1.3'] as const)('on TLS %s', (tls) => {
    it.each(MUST_REFUSE.map((variant) => [variant.name, variant] as const))(
      "Node's https client refuses %s with the catalogue's code, journaled as refused",
      async (name, variant) => {
        const journaled = nextOn(name);
        const outcome = await nodeCall(mock.serverVariants[name]!, { tls });
        expect(outcome).toEqual({ code: variant.expectedClientError.nodeCode });
        expect(await journaled).toMatchObject({ server_variant: name, client_verdict: 'refused' });
      },
    );

    it('catches rejectUnauthorized: false as accepted, and answers 421 INSECURE_CLIENT', async () => {
      const journaled = nextOn('unknown_ca');
      const outcome = await nodeCall(mock.serverVariants.unknown_ca!, { tls, rejectUnauthorized: false });
      expect(outcome.status).toBe(421);
      expect(JSON.parse(outcome.body!)).toMatchObject({ status: 'INSECURE_CLIENT', metadata: { server_variant: 'unknown_ca', must_refuse: true } });
      const record = await journaled;
      expect(record).toMatchObject({ client_verdict: 'accepted', client_alert: null, verdict: 'accepted', tls_version: `TLSv${tls}`, app: 'my_app' });
    });
  });

  // curl verifies through OpenSSL, which sends the alert the catalogue names: the journal must parse it.
  it.each(MUST_REFUSE.filter((variant) => variant.expectedClientError.alert !== null).map((variant) => [variant.name, variant] as const))(
    'journals the alert curl sends when it refuses %s',
    async (name, variant) => {
      const journaled = nextOn(name);
      const exit = await new Promise<number>((resolve) =>
        execFile('curl', ['-sS', '-o', '/dev/null', '--cacert', join(dir, 'ca.pem'), `${mock.serverVariants[name]}/`], (error) =>
          resolve(typeof error?.code === 'number' ? error.code : 0),
        ),
      );
      expect(exit).toBe(60);
      expect(await journaled).toMatchObject({ client_verdict: 'refused', client_alert: variant.expectedClientError.alert });
    },
  );

  it('counts refusals and acceptances per variant at GET /admin/v1/server-variants', async () => {
    mock.reset();
    const journaled = nextOn('expired');
    await nodeCall(mock.serverVariants.expired!, { tls: '1.3' });
    await journaled;
    const listed = (await (await fetch(`${mock.adminUrl}/admin/v1/server-variants`)).json()) as Array<Record<string, unknown>>;
    expect(listed.map((entry) => entry.name)).toEqual(SERVER_CATALOGUE.map((variant) => variant.name));
    expect(listed.find((entry) => entry.name === 'expired')).toMatchObject({
      url: mock.serverVariants.expired,
      must_refuse: true,
      refused: 1,
      accepted: 0,
      expected_client_error: { code: 'CERT_HAS_EXPIRED', alert: 'certificate_expired' },
    });
  });

  it('survives garbage, cut-short hellos and silence on a variant port, and still serves the next client', async () => {
    const hello = await captureClientHello();
    const r = seededRandom(16);
    const port = Number(new URL(mock.serverVariants.self_signed!).port);
    const sent = await Promise.all(
      Array.from({ length: 40 }, (_, i) => {
        const kind = ABUSES[i % ABUSES.length]!;
        return abuse(port, kind, abusiveBytes(kind, hello, r), 500);
      }),
    );
    await Promise.all(sent.map((entry) => entry.received));
    const journaled = nextOn('self_signed');
    expect(await nodeCall(mock.serverVariants.self_signed!, { tls: '1.3' })).toEqual({ code: 'DEPTH_ZERO_SELF_SIGNED_CERT' });
    expect((await journaled).client_verdict).toBe('refused');
  });

  it('opens none with serverVariants: false', async () => {
    const quiet = await startLeanMock({ pki, serverVariants: false });
    try {
      expect(quiet.serverVariants).toEqual({});
      expect(await (await fetch(`${quiet.adminUrl}/admin/v1/server-variants`)).json()).toEqual([]);
    } finally {
      await quiet.close();
    }
  });
});
