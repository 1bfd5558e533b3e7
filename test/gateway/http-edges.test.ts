import { brotliCompressSync, brotliDecompressSync, deflateSync, gunzipSync, gzipSync, inflateSync } from 'node:zlib';
import type { ConnectionOptions, TLSSocket } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLeanPki, type LeanPki } from '../../src/pki/lean-pki.js';
import { seededRandom } from '../../src/sandbox/random.js';
import { startLeanMock, type LeanMock } from '../../src/server/lean-mock.js';
import { appTokenOf, presented } from '../support/mock-client.js';
import { openTls, parseReply, receiveAll, send, type RawReply } from '../support/raw-socket.js';
import { waitUntil } from '../support/socket-storm.js';

/**
 * HTTP corners Node answers on its own unless told otherwise: `Expect: 100-continue`, `CONNECT`,
 * and a compressed body that does not decompress. Each gets Lean's answer and a journal entry.
 */

const SEED = Number(process.env.LEAN_FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 32));

let pki: LeanPki;
/** `--reject http`: a refused certificate still completes TLS, so its requests can be answered. */
let mock: LeanMock;
let token: string;

beforeAll(async () => {
  pki = await createLeanPki();
  mock = await startLeanMock({ pki, adminPort: 'off', rejection: 'http' });
  token = appTokenOf(pki)['lean-app-token']!;
});

afterAll(async () => {
  await mock?.close();
});

function socketFor(who: string): Promise<TLSSocket> {
  return openTls(mock.port, pki, presented(pki, who));
}

/** Sends `bytes` on a fresh connection of `who` and parses the first reply; the server closes after it. */
async function exchange(who: string, bytes: Buffer | string): Promise<{ reply: RawReply; text: string }> {
  const socket = await socketFor(who);
  const received = receiveAll(socket, 10_000);
  await send(socket, bytes);
  const { text } = await received;
  return { reply: parseReply(text), text };
}

function head(method: string, target: string, headers: Record<string, string | number>): string {
  const lines = Object.entries({ host: 'localhost', connection: 'close', ...headers }).map(([name, value]) => `${name}: ${value}`);
  return `${method} ${target} HTTP/1.1\r\n${lines.join('\r\n')}\r\n\r\n`;
}

describe('Expect: 100-continue', () => {
  it('is answered with the 403 directly on a refused connection, never with 100 Continue first', async () => {
    for (const who of ['expired', 'unknown_ca', 'self_signed', 'revoked']) {
      // Only the head: a client that waits for 100 Continue before its body.
      const { reply, text } = await exchange(who, head('POST', '/customers/v1', { 'lean-app-token': token, 'content-type': 'application/json', 'content-length': 20, expect: '100-continue' }));
      expect(text.startsWith('HTTP/1.1 403 '), `${who}: ${JSON.stringify(text.slice(0, 40))}`).toBe(true);
      expect(reply.json).toMatchObject({ status: 'INVALID_CERTIFICATE', metadata: { reason: who } });
    }
  });

  it('still gets 100 Continue on an accepted connection, and then its answer', async () => {
    const socket = await socketFor('my_app');
    const received = receiveAll(socket, 10_000);
    const body = JSON.stringify({ app_user_id: 'continue-user' });
    const continued = new Promise<string>((resolve) => socket.once('data', (chunk: Buffer) => resolve(chunk.toString('latin1'))));
    await send(socket, head('POST', '/customers/v1', { 'lean-app-token': token, 'content-type': 'application/json', 'content-length': body.length, expect: '100-continue' }));
    expect(await continued).toMatch(/^HTTP\/1\.1 100 Continue\r\n/);
    await send(socket, body);
    const { text } = await received;
    expect(parseReply(text.slice(text.indexOf('\r\n\r\n') + 4)).status).toBeLessThan(300);
  });
});

describe('CONNECT', () => {
  for (const target of ['example.com:443', '127.0.0.1:22', '[::1]:80', 'localhost:0']) {
    it(`is answered 405 INVALID_HTTP_METHOD and journaled (${target})`, async () => {
      const before = mock.journal.requests().length;
      const { reply } = await exchange('my_app', head('CONNECT', target, { host: target, 'lean-app-token': token }));
      expect(reply.status).toBe(405);
      expect(reply.json).toMatchObject({ status: 'INVALID_HTTP_METHOD' });
      expect(reply.headers).toHaveProperty('lean-correlation-id');
      expect(mock.journal.requests().length).toBe(before + 1);
      expect(mock.journal.requests()[0]).toMatchObject({ method: 'CONNECT', path: target, status: 405, app: 'my_app' });
    });
  }

  it('closes the connection after its answer even when the client never closes its side', async () => {
    // tls.connect honours allowHalfOpen, though its typings do not list it: the client never sends its FIN.
    const halfOpen: ConnectionOptions & { allowHalfOpen: boolean } = { allowHalfOpen: true };
    const socket = await openTls(mock.port, pki, presented(pki, 'my_app'), halfOpen);
    const ended = new Promise<void>((resolve) => socket.once('end', resolve));
    socket.resume();
    await send(socket, head('CONNECT', 'example.com:443', { host: 'example.com:443', 'lean-app-token': token }));
    await ended;
    await waitUntil('the server closed its socket', async () => (await mock.connections()) === 0);
    socket.destroy();
  });

  it('is answered 403 INVALID_CERTIFICATE on a refused connection, like any request', async () => {
    const { reply } = await exchange('expired', head('CONNECT', 'example.com:443', { host: 'example.com:443' }));
    expect(reply.status).toBe(403);
    expect(reply.json).toMatchObject({ status: 'INVALID_CERTIFICATE', metadata: { reason: 'expired' } });
    expect(mock.journal.requests()[0]).toMatchObject({ method: 'CONNECT', status: 403, reason: 'expired' });
  });
});

describe(`a compressed body that does not decompress (seed ${SEED}; replay with LEAN_FUZZ_SEED=${SEED})`, () => {
  const codecs = {
    gzip: [gzipSync, gunzipSync],
    deflate: [deflateSync, inflateSync],
    br: [brotliCompressSync, brotliDecompressSync],
  } as const;
  const r = seededRandom(SEED);

  for (const [encoding, [compress, decompress]] of Object.entries(codecs)) {
    it(`is a 400 INVALID_PARAMETERS naming the body, for content-encoding ${encoding}`, async () => {
      const valid = compress(Buffer.from(JSON.stringify({ app_user_id: `user-${encoding}` })));
      const undecodable = (body: Buffer): boolean => {
        try {
          decompress(body);
          return false; // a few random bytes are a valid (tiny) brotli stream
        } catch {
          return true;
        }
      };
      const bodies = [
        ...Array.from({ length: 12 }, () => Buffer.from(Array.from({ length: r.int(1, 300) }, () => r.int(0, 255)))),
        ...Array.from({ length: 6 }, () => valid.subarray(0, r.int(1, valid.length - 1))), // cut short
      ].filter(undecodable);
      for (const body of bodies) {
        const { reply } = await exchange('my_app', Buffer.concat([
          Buffer.from(head('POST', '/customers/v1', { 'lean-app-token': token, 'content-type': 'application/json', 'content-encoding': encoding, 'content-length': body.length })),
          body,
        ]));
        expect(reply.status, `${encoding} body ${body.toString('hex').slice(0, 40)}`).toBe(400);
        expect(reply.json).toMatchObject({ status: 'INVALID_PARAMETERS', message: expect.stringMatching(/body/) });
        expect(mock.journal.requests()[0]).toMatchObject({ method: 'POST', path: '/customers/v1', status: 400 });
      }
      // The same encoding, whole: decoded and served.
      const { reply } = await exchange('my_app', Buffer.concat([
        Buffer.from(head('POST', '/customers/v1', { 'lean-app-token': token, 'content-type': 'application/json', 'content-encoding': encoding, 'content-length': valid.length })),
        valid,
      ]));
      expect(reply.status).toBeLessThan(300);
    });
  }
});
