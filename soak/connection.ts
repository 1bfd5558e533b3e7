/**
 * A persistent mTLS connection that sends one request at a time and resolves each reply's status.
 * bench/tls-load.ts keeps its reader private and runs to a deadline; the soak needs exact request
 * counts, so this thin reader sits on the bench's own dial() and rawGet() bytes.
 */
import type { SecureContext, TLSSocket } from 'node:tls';
import { dial } from '../bench/tls-load.js';

/** Longest a handshake or a reply may take before the connection counts as failed. */
const STALL_MS = 15_000;

export class SoakConnection {
  private buffered: Buffer | null = null;
  private expected = -1;
  private status = 0;
  private waiting: ((status: number) => void) | null = null;
  private dead = false;
  private timer: NodeJS.Timeout | null = null;

  private constructor(readonly socket: TLSSocket) {
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    socket.on('error', () => this.fail());
    socket.on('close', () => this.fail());
  }

  static open(port: number, context: SecureContext): Promise<SoakConnection> {
    return new Promise((resolve, reject) => {
      const socket = dial(port, context);
      const timer = setTimeout(() => socket.destroy(new Error('no TLS connection in time')), STALL_MS);
      const failed = (error: Error): void => {
        clearTimeout(timer);
        reject(error);
      };
      socket.once('error', failed);
      socket.once('secureConnect', () => {
        clearTimeout(timer);
        socket.off('error', failed);
        resolve(new SoakConnection(socket));
      });
    });
  }

  /** The reply's status; 0 once the connection is gone or stalled. */
  send(request: Buffer): Promise<number> {
    if (this.dead) return Promise.resolve(0);
    return new Promise((resolve) => {
      this.waiting = resolve;
      this.timer = setTimeout(() => this.fail(), STALL_MS);
      this.socket.write(request);
    });
  }

  close(): void {
    this.dead = true;
    this.socket.destroy();
  }

  private receive(chunk: Buffer): void {
    if (!this.waiting) return this.fail();
    this.buffered = this.buffered ? Buffer.concat([this.buffered, chunk]) : chunk;
    if (this.expected < 0) {
      const end = this.buffered.indexOf('\r\n\r\n');
      if (end < 0) return;
      const head = this.buffered.toString('latin1', 0, end);
      const length = /\r\ncontent-length: *(\d+)/i.exec(head)?.[1];
      if (length === undefined) return this.fail();
      this.status = Number(head.slice(9, 12));
      this.expected = end + 4 + Number(length);
    }
    if (this.buffered.length < this.expected) return;
    if (this.buffered.length > this.expected) return this.fail();
    this.buffered = null;
    this.expected = -1;
    this.settle(this.status);
  }

  private settle(status: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const waiting = this.waiting;
    this.waiting = null;
    waiting?.(status);
  }

  private fail(): void {
    this.dead = true;
    this.socket.destroy();
    this.settle(0);
  }
}

/** Opens `count` connections `batch` at a time, so the listen backlog never overflows. */
export async function openInBatches(port: number, context: SecureContext, count: number, batch: number): Promise<{ opened: SoakConnection[]; failed: number }> {
  const opened: SoakConnection[] = [];
  let failed = 0;
  for (let start = 0; start < count; start += batch) {
    const size = Math.min(batch, count - start);
    const results = await Promise.allSettled(Array.from({ length: size }, () => SoakConnection.open(port, context)));
    for (const result of results) {
      if (result.status === 'fulfilled') opened.push(result.value);
      else failed++;
    }
  }
  return { opened, failed };
}
