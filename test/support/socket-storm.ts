import { readdirSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { connect as tlsConnect, type ConnectionOptions } from 'node:tls';
import type { SeededRandom } from '../../src/sandbox/random.js';
import { openTcp, receiveAll, send, sleep, type Received } from './raw-socket.js';

/**
 * Sockets that never become a TLS connection: silent, a ClientHello cut short (then silence or a
 * FIN), or bytes that are no TLS at all. The server must close every one of them without a word.
 */

export type Abuse = 'silent' | 'partial hello' | 'half-open hello' | 'garbage' | 'garbage then FIN';
export const ABUSES: readonly Abuse[] = ['silent', 'partial hello', 'half-open hello', 'garbage', 'garbage then FIN'];

/** The bytes a real Node client sends first: its whole ClientHello record, caught by a plain TCP listener. */
export async function captureClientHello(options: ConnectionOptions = {}): Promise<Buffer> {
  const listener = createServer();
  listener.listen(0, '127.0.0.1');
  await new Promise((resolve) => listener.once('listening', resolve));
  const port = (listener.address() as AddressInfo).port;
  try {
    const hello = new Promise<Buffer>((resolve) => {
      listener.once('connection', (socket) => {
        let bytes = Buffer.alloc(0);
        socket.on('data', (chunk: Buffer) => {
          bytes = Buffer.concat([bytes, chunk]);
          // A TLS record: 5-byte header whose last two bytes are the body's length.
          if (bytes.length >= 5 && bytes.length >= 5 + bytes.readUInt16BE(3)) {
            socket.destroy();
            resolve(bytes.subarray(0, 5 + bytes.readUInt16BE(3)));
          }
        });
      });
    });
    const client = tlsConnect({ host: '127.0.0.1', port, servername: 'localhost', ...options });
    client.on('error', () => undefined);
    const captured = await hello;
    client.destroy();
    return captured;
  } finally {
    listener.close();
  }
}

/** What one abusive socket sends: a random cut of `hello` for the partial kinds, random bytes for garbage. */
export function abusiveBytes(kind: Abuse, hello: Buffer, r: SeededRandom): Buffer {
  switch (kind) {
    case 'silent':
      return Buffer.alloc(0);
    case 'partial hello':
    case 'half-open hello':
      return hello.subarray(0, r.int(1, hello.length - 1));
    case 'garbage':
    case 'garbage then FIN':
      return Buffer.from(Array.from({ length: r.int(1, 600) }, () => r.int(0, 255)));
  }
}

/**
 * Opens a TCP connection, sends `bytes` (then a FIN for the half-open kinds); resolves once sent,
 * with whatever comes back until the server closes (or `waitMs` passes).
 */
export async function abuse(port: number, kind: Abuse, bytes: Buffer, waitMs: number): Promise<{ received: Promise<Received> }> {
  const socket = await openTcp(port);
  socket.on('error', () => undefined);
  const received = receiveAll(socket, waitMs);
  if (bytes.length > 0) await send(socket, bytes).catch(() => undefined);
  if (kind === 'half-open hello' || kind === 'garbage then FIN') socket.end();
  return { received };
}

/** Descriptors this process holds (client and in-process server alike). */
export function openDescriptors(): number {
  return readdirSync('/proc/self/fd').length;
}

/**
 * Polls until `condition` holds; one that never holds fails naming `what` after `timeoutMs`, which
 * is a hang detector, not a speed requirement: keep it just under the test's own timeout.
 */
export async function waitUntil(what: string, condition: () => boolean | Promise<boolean>, timeoutMs = 25_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!(await condition())) {
    if (performance.now() > deadline) throw new Error(`${what}: not reached within ${timeoutMs} ms`);
    await sleep(25);
  }
}

/** True when every byte the server sent is a TLS record (an alert, at most): never a plaintext reply. */
export function onlyTlsRecords(text: string): boolean {
  const bytes = Buffer.from(text, 'latin1');
  for (let at = 0; at < bytes.length; ) {
    const type = bytes[at]!;
    if (type < 0x14 || type > 0x17 || at + 5 > bytes.length) return false;
    at += 5 + bytes.readUInt16BE(at + 3);
  }
  return true;
}
