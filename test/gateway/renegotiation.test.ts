import { createSecureContext, type TLSSocket } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLeanPki, type LeanPki } from '../../src/pki/lean-pki.js';
import { startLeanMock, type LeanMock } from '../../src/server/lean-mock.js';
import { appTokenOf, call, presented, type Presented } from '../support/mock-client.js';
import { openTls, receiveAll, type Received } from '../support/raw-socket.js';
import { waitUntil } from '../support/socket-storm.js';

/**
 * TLS 1.2 lets a client renegotiate mid-connection and present another certificate. The gate
 * judges a connection once, so it refuses renegotiation outright: a connection keeps the identity
 * it was judged with, or ends.
 */

let pki: LeanPki;
let mock: LeanMock;

beforeAll(async () => {
  pki = await createLeanPki();
  mock = await startLeanMock({ pki, adminPort: 'off' });
});

afterAll(async () => {
  await mock?.close();
});

/** Resolves with the error that ended the renegotiation, or null if the server went along with it. */
function renegotiate(socket: TLSSocket, identity: Presented | null): Promise<Error | null> {
  return new Promise((resolve) => {
    socket.once('error', resolve);
    if (identity) socket.setKeyCert(createSecureContext({ cert: identity.cert, key: identity.key }));
    const started = socket.renegotiate({ rejectUnauthorized: true }, (error) => resolve(error ?? null));
    if (!started) resolve(new Error('renegotiate() did not start'));
  });
}

/** A request on the renegotiated connection: whatever it gets, the server never answers as another app. */
async function requestOn(socket: TLSSocket): Promise<Received> {
  const received = receiveAll(socket, 10_000);
  socket.write(`GET /banks/v1 HTTP/1.1\r\nhost: localhost\r\nconnection: close\r\nlean-app-token: ${appTokenOf(pki)['lean-app-token']}\r\n\r\n`, () => undefined);
  return received;
}

describe('client-initiated renegotiation on TLS 1.2', () => {
  const cases: [string, string | null][] = [
    ['the same certificate', null],
    ['another app’s certificate', 'other_app'],
    ['an expired certificate', 'expired'],
    ['a revoked certificate', 'revoked'],
  ];

  for (const [what, who] of cases) {
    it(`is refused with ${what}, and the server goes on serving`, async () => {
      const handshakesBefore = mock.journal.handshakes().length;
      const requestsBefore = mock.journal.requests().length;
      const socket = await openTls(mock.port, pki, presented(pki, 'my_app'), { maxVersion: 'TLSv1.2' });
      expect(await renegotiate(socket, who ? presented(pki, who) : null)).toBeInstanceOf(Error);

      const after = await requestOn(socket);
      expect(after.text, 'no reply on a connection that tried to renegotiate').toBe('');
      await waitUntil('the server closed its side', async () => (await mock.connections()) === 0);
      const requests = mock.journal.requests().slice(0, mock.journal.requests().length - requestsBefore);
      expect(requests, 'no request journaled under either identity').toEqual([]);
      const handshakes = mock.journal.handshakes().slice(0, mock.journal.handshakes().length - handshakesBefore);
      expect(handshakes.map((h) => [h.verdict, h.app])).toEqual([['accepted', 'my_app']]);

      const reply = await call(mock.url, pki, presented(pki, 'my_app'), { headers: appTokenOf(pki), tls: '1.2' });
      expect(reply.ok && reply.status).toBe(200);
    });
  }

  it('stays refused after a run-time revocation replaced the TLS context', async () => {
    const victim = pki.variants.find((variant) => variant.name === 'expired')!.credential!;
    await mock.revoke(victim.serialNumber);
    const socket = await openTls(mock.port, pki, presented(pki, 'my_app'), { maxVersion: 'TLSv1.2' });
    expect(await renegotiate(socket, presented(pki, 'other_app'))).toBeInstanceOf(Error);
    socket.destroy();
  });
});
