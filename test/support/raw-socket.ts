import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect, type ConnectionOptions, type TLSSocket } from 'node:tls';
import type { LeanPki } from '../../src/pki/lean-pki.js';
import type { Presented } from './mock-client.js';

/**
 * Raw sockets for hostile clients: bytes the way a well-behaved HTTP client would never send them,
 * over real TCP and TLS, so the server's own parser and TLS stack meet them.
 */

/** An mTLS connection presenting `identity`, resolved once the handshake is done. */
export function openTls(port: number, pki: LeanPki, identity: Presented, extra: ConnectionOptions = {}): Promise<TLSSocket> {
  return new Promise((resolve, reject) => {
    const socket = tlsConnect({
      host: '127.0.0.1',
      port,
      servername: 'localhost',
      ca: pki.chainPem,
      cert: identity.cert,
      key: identity.key,
      ...extra,
    });
    socket.once('secureConnect', () => resolve(socket));
    socket.once('error', reject);
  });
}

/** A plain TCP connection, resolved once connected. */
export function openTcp(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = netConnect({ host: '127.0.0.1', port });
    socket.once('connect', () => resolve(socket));
    socket.once('error', reject);
  });
}

export interface Received {
  /** Everything the server sent, as latin1 so invalid bytes stay visible. */
  text: string;
  /** How the socket ended: closed by the server, an error, or still open when the wait ran out. */
  ending: 'closed' | 'error' | 'timeout';
  elapsedMs: number;
}

/** Collects what the server sends until it closes the socket (or `timeoutMs` passes, then destroys it). */
export function receiveAll(socket: Socket, timeoutMs: number): Promise<Received> {
  const started = performance.now();
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let settled = false;
    const settle = (ending: Received['ending']): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve({ text: Buffer.concat(chunks).toString('latin1'), ending, elapsedMs: performance.now() - started });
    };
    const timer = setTimeout(() => settle('timeout'), timeoutMs);
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.once('close', () => settle('closed'));
    socket.once('error', () => settle('error'));
  });
}

export interface RawReply {
  status: number;
  headers: Record<string, string>;
  body: string;
  json: unknown;
}

/** Parses the first HTTP/1.1 reply of `text` (Content-Length framed, as all of lean-mock's are). */
export function parseReply(text: string): RawReply {
  const split = text.indexOf('\r\n\r\n');
  if (split < 0) throw new Error(`no complete HTTP reply in ${JSON.stringify(text.slice(0, 200))}`);
  const [statusLine = '', ...lines] = text.slice(0, split).split('\r\n');
  const status = Number(/^HTTP\/1\.1 (\d{3}) /.exec(statusLine)?.[1]);
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const length = Number(headers['content-length'] ?? 0);
  const body = Buffer.from(text.slice(split + 4), 'latin1').subarray(0, length).toString('utf8');
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    json = undefined;
  }
  return { status, headers, body, json };
}

/** Writes `data` and resolves once it has been handed to the kernel. */
export function send(socket: Socket, data: string | Buffer): Promise<void> {
  return new Promise((resolve, reject) => socket.write(data, (error) => (error ? reject(error) : resolve())));
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
