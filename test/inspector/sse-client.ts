import { request, type IncomingMessage } from 'node:http';

/** One server-sent event, as an EventSource would dispatch it. */
export interface SseEvent {
  event: string;
  id: string | null;
  data: any;
}

/**
 * A minimal EventSource over `node:http`: collects events (and comment lines) as they arrive and
 * lets a test wait for the one it expects.
 */
export class SseClient {
  readonly events: SseEvent[] = [];
  comments = 0;
  closed = false;
  private buffer = '';
  private waiters: (() => void)[] = [];

  private constructor(
    readonly response: IncomingMessage,
    private readonly destroy: () => void,
  ) {
    response.setEncoding('utf8');
    response.on('data', (chunk: string) => this.receive(chunk));
    response.on('close', () => {
      this.closed = true;
      this.wake();
    });
  }

  static open(url: string, headers: Record<string, string> = {}): Promise<SseClient> {
    return new Promise((resolve, reject) => {
      const req = request(url, { headers: { accept: 'text/event-stream', ...headers } }, (res) => resolve(new SseClient(res, () => req.destroy())));
      req.on('error', reject);
      req.end();
    });
  }

  /**
   * Resolves with the first event (from the start) matching `predicate`. No deadline of its own:
   * an event that never comes fails by the test's timeout, so a loaded machine is only slower.
   */
  async next(predicate: (event: SseEvent) => boolean): Promise<SseEvent> {
    for (;;) {
      const found = this.events.find(predicate);
      if (found) return found;
      if (this.closed) throw new Error(`the stream closed before the event came; got ${this.events.map((e) => e.event).join(', ')}`);
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  close(): void {
    this.destroy();
  }

  private receive(chunk: string): void {
    this.buffer += chunk;
    let end: number;
    while ((end = this.buffer.indexOf('\n\n')) !== -1) {
      const block = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 2);
      this.parse(block);
    }
    this.wake();
  }

  private parse(block: string): void {
    const event: SseEvent = { event: 'message', id: null, data: undefined };
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line.startsWith(':')) this.comments++;
      else if (line.startsWith('event: ')) event.event = line.slice(7);
      else if (line.startsWith('id: ')) event.id = line.slice(4);
      else if (line.startsWith('data: ')) data.push(line.slice(6));
    }
    if (data.length === 0) return;
    event.data = JSON.parse(data.join('\n'));
    this.events.push(event);
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }
}
