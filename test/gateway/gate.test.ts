import { connect, type TLSSocket } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CATALOGUE } from '../../src/pki/catalogue.js';
import { createLeanPki, type LeanPki } from '../../src/pki/lean-pki.js';
import { startLeanMock, type LeanMock } from '../../src/server/lean-mock.js';
import { appTokenOf, call, presented } from '../support/mock-client.js';
import { eventually } from '../support/eventually.js';

const SERVER_SIDE = CATALOGUE.filter((variant) => variant.rejectedBy === 'server');
const VERSIONS = ['1.2', '1.3'] as const;

let pki: LeanPki;
beforeAll(async () => {
  pki = await createLeanPki();
});

describe.each(['handshake', 'http'] as const)('the mTLS gate, rejecting in the %s style', (style) => {
  let mock: LeanMock;
  beforeAll(async () => {
    mock = await startLeanMock({ pki, rejection: style, adminPort: 'off' });
  });
  afterAll(() => mock.close());

  describe.each(VERSIONS)('over TLS %s', (tls) => {
    it('lets the app certificate through to GET /banks/v1 and journals it as accepted, bound to its app', async () => {
      const reply = await call(mock.url, pki, presented(pki, 'my_app'), { tls, headers: appTokenOf(pki) });
      expect(reply.ok && reply.status).toBe(200);
      const [handshake] = mock.journal.handshakes();
      expect(handshake).toMatchObject({ verdict: 'accepted', reason: null, app: 'my_app', tls_version: `TLSv${tls}` });
      expect(handshake!.client!.fingerprint256).toBe(pki.apps[0]!.credential.fingerprint256);
    });

    it.each(SERVER_SIDE.map((variant) => [variant.name, variant.expected] as const))(
      'refuses %s and journals exactly why',
      async (name, expected) => {
        const before = mock.journal.handshakes().length;
        const reply = await call(mock.url, pki, presented(pki, name), { tls, headers: appTokenOf(pki) });
        if (style === 'handshake') {
          expect(reply.ok, JSON.stringify(reply)).toBe(false);
        } else {
          expect(reply.ok && reply.status).toBe(403);
          expect(reply.ok && reply.json).toMatchObject({
            status: 'INVALID_CERTIFICATE',
            metadata: { reason: expected },
          });
        }
        await eventually(() => mock.journal.handshakes().length > before);
        const [handshake] = mock.journal.handshakes();
        expect(handshake).toMatchObject({ verdict: 'rejected', reason: expected });
        if (name !== 'no_certificate') expect(handshake!.client!.serial).toBe(variantSerial(name));
      },
    );

    it('accepts the incomplete_chain leaf when the client sends its intermediate along', async () => {
      const reply = await call(mock.url, pki, presented(pki, 'incomplete_chain+chain'), { tls, headers: appTokenOf(pki) });
      expect(mock.journal.handshakes()[0]).toMatchObject({ verdict: 'accepted', app: null });
      // A valid chain, but a certificate issued to no app: the token cannot belong to it.
      expect(reply.ok && reply.status).toBe(401);
      expect(reply.ok && reply.json).toMatchObject({ status: 'CERTIFICATE_TOKEN_MISMATCH' });
    });
  });

  it('never lets a request handler run for a refused connection', async () => {
    const before = mock.journal.requests().filter((record) => record.status === 200).length;
    await call(mock.url, pki, presented(pki, 'expired'), { headers: appTokenOf(pki) });
    const after = mock.journal.requests().filter((record) => record.status === 200).length;
    expect(after).toBe(before);
    if (style === 'http') expect(mock.journal.requests()[0]).toMatchObject({ status: 403, reason: 'expired' });
  });
});

describe('requiring the client to send its chain', () => {
  let mock: LeanMock;
  beforeAll(async () => {
    mock = await startLeanMock({ pki, requireClientChain: true, adminPort: 'off' });
  });
  afterAll(() => mock.close());

  // OpenSSL-based clients complete a leaf-only chain from their own trust store, so the client
  // here trusts the root only: like a Go client, it sends exactly what its certificate file holds.
  it('refuses a leaf-only app certificate as incomplete_chain and accepts leaf + intermediate', async () => {
    const rootOnly = { ca: pki.root.certificatePem, headers: appTokenOf(pki) };
    const leafOnly = await call(mock.url, pki, presented(pki, 'my_app'), rootOnly);
    expect(leafOnly.ok).toBe(false);
    await eventually(() => mock.journal.handshakes().length > 0);
    expect(mock.journal.handshakes()[0]).toMatchObject({ verdict: 'rejected', reason: 'incomplete_chain' });
    const withChain = await call(mock.url, pki, presented(pki, 'my_app+chain'), rootOnly);
    expect(withChain.ok && withChain.status).toBe(200);
  });
});

describe('TLS versions', () => {
  it('refuses a client below --tls-min and journals the failed handshake', async () => {
    const mock = await startLeanMock({ pki, tlsMin: '1.3', adminPort: 'off' });
    try {
      const reply = await call(mock.url, pki, presented(pki, 'my_app'), { tls: '1.2', headers: appTokenOf(pki) });
      expect(reply.ok).toBe(false);
      await eventually(() => mock.journal.handshakes().length > 0);
      expect(mock.journal.handshakes()[0]).toMatchObject({ verdict: 'rejected', reason: 'handshake_failed' });
      const modern = await call(mock.url, pki, presented(pki, 'my_app'), { tls: '1.3', headers: appTokenOf(pki) });
      expect(modern.ok && modern.status).toBe(200);
    } finally {
      await mock.close();
    }
  });
});

describe('revoking at run time', () => {
  let mock: LeanMock;
  beforeAll(async () => {
    mock = await startLeanMock({ pki, adminPort: 'off' });
  });
  afterAll(() => mock.close());

  it.each(VERSIONS)('refuses new connections of a revoked app certificate and no old session resumes it (TLS %s)', async (tls) => {
    mock.reset();
    const other = presented(pki, 'other_app');
    const first = await handshakeFor(mock, pki, other, tls);
    expect(first.authorized).toBe(true);
    const resumed = await handshakeFor(mock, pki, other, tls, first.session);
    expect(resumed.reused).toBe(true); // resumption works, so the next check means something

    await mock.revoke(pki.apps[1]!.credential.serialNumber);
    const afterRevocation = await call(mock.url, pki, other, { tls, headers: appTokenOf(pki, 'other_app') });
    expect(afterRevocation.ok).toBe(false);
    await eventually(() => mock.journal.handshakes()[0]?.reason === 'revoked');

    const replay = await handshakeFor(mock, pki, other, tls, resumed.session ?? first.session);
    expect(replay.reused).toBe(false);
    const [handshake] = mock.journal.handshakes();
    expect(handshake).toMatchObject({ verdict: 'rejected', reason: 'revoked', app: 'other_app' });

    const mine = await call(mock.url, pki, presented(pki, 'my_app'), { tls, headers: appTokenOf(pki) });
    expect(mine.ok && mine.status).toBe(200);
  });

  it('lets a revoked certificate back in after reset', async () => {
    await mock.revoke(pki.apps[1]!.credential.serialNumber);
    mock.reset();
    const reply = await call(mock.url, pki, presented(pki, 'other_app'), { headers: appTokenOf(pki, 'other_app') });
    expect(reply.ok && reply.status).toBe(200);
  });
});

function variantSerial(name: string): string {
  return pki.variants.find((variant) => variant.name === name)!.credential!.serialNumber;
}


/** A bare TLS handshake (then a read, so TLS 1.3 tickets and late rejections arrive). */
function handshakeFor(
  mock: LeanMock,
  lean: LeanPki,
  identity: { cert?: string; key?: string },
  tls: '1.2' | '1.3',
  session?: Buffer,
): Promise<{ authorized: boolean; reused: boolean; session: Buffer | undefined }> {
  return new Promise((resolve) => {
    let ticket: Buffer | undefined;
    let reused = false;
    const socket: TLSSocket = connect({
      host: '127.0.0.1',
      port: mock.port,
      servername: 'localhost',
      ca: lean.chainPem,
      cert: identity.cert,
      key: identity.key,
      minVersion: `TLSv${tls}`,
      maxVersion: `TLSv${tls}`,
      session,
    });
    socket.on('session', (value: Buffer) => (ticket = value));
    const finish = (authorized: boolean): void => {
      socket.destroy();
      resolve({ authorized, reused, session: ticket ?? (authorized ? socket.getSession() : undefined) });
    };
    socket.once('secureConnect', () => {
      reused = socket.isSessionReused();
      socket.write('GET /banks/v1 HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n');
    });
    socket.once('data', () => finish(true));
    socket.once('error', () => finish(false));
    socket.once('end', () => finish(false));
  });
}
