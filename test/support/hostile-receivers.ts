import { EventEmitter, once } from 'node:events';
import { createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

/**
 * `silent`: accepts TCP, reads the request, and never answers. `trickle`: answers 200 headers at once, then
 * one body byte every 20 ms, forever.
 */
export type HostileMode = 'silent' | 'trickle';

export interface HostileReceiver {
  /** `http://127.0.0.1:PORT/lean/webhooks` */
  readonly url: string;
  /** Connections open right now. */
  readonly open: number;
  /** The most connections ever open at once. */
  readonly peak: number;
  /** Connections accepted so far. */
  readonly accepted: number;
  /** Resolves once `predicate(open, accepted)` holds (checked at every connect and close). */
  until(predicate: (open: number, accepted: number) => boolean): Promise<void>;
  close(): Promise<void>;
}

/** Connections open across several receivers at once, and the most there ever were. */
export class Tally {
  open = 0;
  peak = 0;
}

/** A webhook receiver as an attacker or a wedged service runs it, counting its connections (into `tally` too). */
export async function startHostileReceiver(mode: HostileMode, tally = new Tally()): Promise<HostileReceiver> {
  const sockets = new Set<Socket>();
  const changes = new EventEmitter();
  let peak = 0;
  let accepted = 0;
  const server = createServer((socket) => {
    sockets.add(socket);
    accepted++;
    peak = Math.max(peak, sockets.size);
    tally.peak = Math.max(tally.peak, ++tally.open);
    let drip: NodeJS.Timeout | undefined;
    if (mode === 'trickle') {
      socket.write('HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ntransfer-encoding: chunked\r\n\r\n');
      drip = setInterval(() => socket.write('1\r\nx\r\n'), 20);
    }
    // Read (and ignore) the request: a socket never read never sees its peer's FIN, so it would look open forever.
    socket.resume();
    socket.on('error', () => undefined);
    // Counted closed at the peer's FIN already: 'close' comes a loop phase later, after a new
    // connection accepted in the same poll would have been counted beside it.
    const gone = (): void => {
      if (!sockets.delete(socket)) return;
      clearInterval(drip);
      tally.open--;
      changes.emit('change');
    };
    socket.on('end', gone);
    socket.on('close', gone);
    changes.emit('change');
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/lean/webhooks`,
    get open() {
      return sockets.size;
    },
    get peak() {
      return peak;
    },
    get accepted() {
      return accepted;
    },
    until(predicate) {
      return new Promise((resolve) => {
        const check = (): void => {
          if (!predicate(sockets.size, accepted)) return;
          changes.off('change', check);
          resolve();
        };
        changes.on('change', check);
        check();
      });
    },
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}

/** Descriptors this process holds (Linux); null where /proc is not there. */
export async function openDescriptors(): Promise<number | null> {
  const { readdir } = await import('node:fs/promises');
  try {
    return (await readdir('/proc/self/fd')).length;
  } catch {
    return null;
  }
}
