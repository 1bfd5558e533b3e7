import type { TLSSocket } from 'node:tls';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { RequestRecord } from '../../src/gateway/journal.js';
import { createLeanPki, type LeanPki } from '../../src/pki/lean-pki.js';
import { startLeanMock, type LeanMock } from '../../src/server/lean-mock.js';
import { appTokenOf, call, presented } from '../support/mock-client.js';
import { eventually } from '../support/eventually.js';
import { openTcp, openTls, parseReply, receiveAll, send, sleep, type Received } from '../support/raw-socket.js';

/**
 * Hostile clients over real sockets: slow, oversized, malformed, wrong protocol, or gone mid-way.
 * After each one the server must still answer an ordinary request, refuse in Lean's envelope
 * wherever HTTP is still possible, journal what it saw, and never throw an unhandled error.
 */

const LeanErrorSchema = z.strictObject({
  timestamp: z.iso.datetime(),
  status: z.string(),
  message: z.string(),
  metadata: z.record(z.string(), z.unknown()).nullable(),
});

const LEAN_HEADERS = ['lean-correlation-id', 'lean-trace-id', 'strict-transport-security', 'x-content-type-options'];

/** The gate's headersTimeout is 10 s, checked on an interval: a slow client is gone well within this. */
const SLOWLORIS_DEADLINE_MS = 15_000;

let pki: LeanPki;
let mock: LeanMock;
let token: Record<string, string>;
const unhandled: unknown[] = [];
const onUnhandled = (error: unknown): void => void unhandled.push(error);

/** The slowloris runs beside every other test, so the file takes as long as its deadline, not the sum. */
let slowloris: Promise<Slowloris>;
interface Slowloris {
  received: Promise<Received>;
  servedMeanwhile: number;
}

beforeAll(async () => {
  process.on('uncaughtException', onUnhandled);
  process.on('unhandledRejection', onUnhandled);
  pki = await createLeanPki();
  mock = await startLeanMock({ pki, adminPort: 'off' });
  token = appTokenOf(pki);
  slowloris = startSlowloris();
});

afterAll(async () => {
  await mock?.close();
  process.off('uncaughtException', onUnhandled);
  process.off('unhandledRejection', onUnhandled);
});

afterEach(async () => {
  const reply = await call(mock.url, pki, presented(pki, 'my_app'), { headers: token });
  expect(reply.ok && reply.status, 'the server still answers GET /banks/v1').toBe(200);
  expect(unhandled).toEqual([]);
});

function appSocket(): Promise<TLSSocket> {
  return openTls(mock.port, pki, presented(pki, 'my_app'));
}

function expectLeanError(reply: ReturnType<typeof parseReply>, http: number, status: string): void {
  expect(reply.status).toBe(http);
  expect(LeanErrorSchema.parse(reply.json)).toMatchObject({ status });
  for (const header of LEAN_HEADERS) expect(reply.headers, header).toHaveProperty(header);
  expect(reply.body).not.toMatch(/\bat .*\.(ts|js):\d+/); // no stack trace
}

/** Sends a whole request on a fresh mTLS connection and reads the reply until the server closes. */
async function exchange(head: string, body: string | Buffer = ''): Promise<ReturnType<typeof parseReply>> {
  const socket = await appSocket();
  const received = receiveAll(socket, 10_000);
  await send(socket, Buffer.concat([Buffer.from(head, 'latin1'), Buffer.from(body)]));
  return parseReply((await received).text);
}

function post(path: string, body: Buffer, contentType = 'application/json'): string {
  return (
    `POST ${path} HTTP/1.1\r\nhost: localhost\r\nconnection: close\r\nlean-app-token: ${token['lean-app-token']}\r\n` +
    `content-type: ${contentType}\r\ncontent-length: ${body.length}\r\n\r\n`
  );
}

/** Drips a request line and headers one byte every 500 ms; meanwhile an ordinary client calls once. */
async function startSlowloris(): Promise<Slowloris> {
  const socket = await appSocket();
  const received = receiveAll(socket, SLOWLORIS_DEADLINE_MS + 5_000);
  let open = true;
  void received.then(() => (open = false));
  const drip = `GET /banks/v1 HTTP/1.1\r\nhost: localhost\r\nx-slow: ${'a'.repeat(200)}`;
  const dripping = (async () => {
    for (let i = 0; open && i < drip.length; i++) {
      if (!socket.destroyed) socket.write(drip[i]!);
      await sleep(500);
    }
  })();
  await sleep(1_500);
  const meanwhile = await call(mock.url, pki, presented(pki, 'my_app'), { headers: token });
  return { received: received.finally(() => dripping), servedMeanwhile: meanwhile.ok ? meanwhile.status : 0 };
}

describe('oversized input', () => {
  it('answers headers over 16 KB with 431 in Lean envelope and headers', async () => {
    const reply = await exchange(`GET /banks/v1 HTTP/1.1\r\nhost: localhost\r\nx-big: ${'a'.repeat(20_000)}\r\n\r\n`);
    expectLeanError(reply, 431, 'INVALID_PARAMETERS');
    expect(mock.journal.requests()[0]).toMatchObject({ status: 431 });
  });

  it('answers a JSON body over 256 kB with 413 PAYLOAD_TOO_LARGE', async () => {
    const body = Buffer.from(JSON.stringify({ app_user_id: 'x'.repeat(300_000) }));
    const reply = await exchange(post('/customers/v1', body), body);
    expectLeanError(reply, 413, 'PAYLOAD_TOO_LARGE');
    expect(mock.journal.requests()[0]).toMatchObject({ method: 'POST', path: '/customers/v1', status: 413 });
  });
});

describe('malformed JSON', () => {
  it('answers invalid UTF-8 in a JSON body with 400', async () => {
    const body = Buffer.from([0xff, 0xfe]);
    const reply = await exchange(post('/customers/v1', body), body);
    expectLeanError(reply, 400, 'INVALID_PARAMETERS');
  });

  it('answers 100,000 unclosed levels of nesting with 400, without a stack', async () => {
    const body = Buffer.from('['.repeat(100_000));
    expectLeanError(await exchange(post('/customers/v1', body), body), 400, 'INVALID_PARAMETERS');
  });

  it('answers 100,000 closed levels of nesting with 400', async () => {
    const body = Buffer.from('['.repeat(100_000) + ']'.repeat(100_000));
    expectLeanError(await exchange(post('/customers/v1', body), body), 400, 'INVALID_PARAMETERS');
  });
});

describe('the wrong protocol', () => {
  it('journals plain HTTP spoken to the TLS port as a failed handshake', async () => {
    const before = mock.journal.handshakes().length;
    const socket = await openTcp(mock.port);
    const received = receiveAll(socket, 5_000);
    await send(socket, 'GET /banks/v1 HTTP/1.1\r\nhost: localhost\r\n\r\n');
    expect((await received).ending).not.toBe('timeout');
    await eventually(() => mock.journal.handshakes().length > before);
    const [handshake] = mock.journal.handshakes();
    expect(handshake).toMatchObject({ verdict: 'rejected', reason: 'handshake_failed', client: null });
    expect(handshake!.raw_code).toEqual(expect.any(String));
  });

  it('journals a ClientHello with no cipher in common as a failed handshake', async () => {
    const before = mock.journal.handshakes().length;
    // The server's key is EC: a client offering only RSA-authenticated suites shares none with it.
    const failed = openTls(mock.port, pki, presented(pki, 'my_app'), {
      maxVersion: 'TLSv1.2',
      ciphers: 'ECDHE-RSA-AES128-GCM-SHA256',
    });
    await expect(failed).rejects.toThrow();
    await eventually(() => mock.journal.handshakes().length > before);
    const [handshake] = mock.journal.handshakes();
    expect(handshake).toMatchObject({ verdict: 'rejected', reason: 'handshake_failed' });
    expect(handshake!.raw_code).toEqual(expect.any(String));
  });
});

describe('clients that hang up', () => {
  it('survives a close in the middle of the headers', async () => {
    const socket = await appSocket();
    await send(socket, 'GET /banks/v1 HTTP/1.1\r\nhost: loc');
    socket.destroy();
    await sleep(200);
  });

  it('survives a close in the middle of the body', async () => {
    await hangUpMidBody();
  });

  it('journals a request abandoned mid-body as 499, or not at all', async () => {
    const fresh = await hangUpMidBody();
    for (const record of fresh) expect(record).toMatchObject({ method: 'POST', path: '/customers/v1', status: 499 });
  });

  it('survives a close right after a complete request', async () => {
    const before = mock.journal.requests().length;
    const socket = await appSocket();
    await send(socket, `GET /banks/v1 HTTP/1.1\r\nhost: localhost\r\nlean-app-token: ${token['lean-app-token']}\r\n\r\n`);
    socket.destroy();
    await sleep(300);
    const fresh = mock.journal.requests().slice(0, mock.journal.requests().length - before);
    for (const record of fresh) expect([200, 499]).toContain(record.status);
  });
});

describe('a slowloris client', () => {
  it('does not hold up other clients', async () => {
    expect((await slowloris).servedMeanwhile).toBe(200);
  });

  it(
    'is cut off with 408 within the headers timeout',
    async () => {
      const received = await (await slowloris).received;
      // Closed by the server with a 408 while its headers were still unfinished: the headers
      // timeout did it (a server that never cut it off fails by this test's own timeout).
      expect(received.ending).toBe('closed');
      expectLeanError(parseReply(received.text), 408, 'INVALID_PARAMETERS');
    },
    SLOWLORIS_DEADLINE_MS + 10_000,
  );
});

/** Announces a 1000-byte body, sends 10 bytes, hangs up; resolves with what the journal gained. */
async function hangUpMidBody(): Promise<RequestRecord[]> {
  const before = mock.journal.requests().length;
  const socket = await appSocket();
  await send(socket, post('/customers/v1', Buffer.alloc(1000)) + '{"app_user');
  await sleep(100);
  socket.destroy();
  await sleep(300);
  // The slowloris's 200 requests run beside this: only this client's POST is of interest.
  return mock.journal
    .requests()
    .slice(0, mock.journal.requests().length - before)
    .filter((record) => record.method === 'POST');
}

