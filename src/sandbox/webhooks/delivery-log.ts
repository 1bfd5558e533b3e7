import { EventEmitter } from 'node:events';

/** `dropped`: pushed out, never sent again, because its receiver had too many deliveries pending. */
export type DeliveryStatus = 'pending' | 'delivered' | 'failed' | 'retrying' | 'dropped';

export interface DeliveryAttempt {
  /** When the attempt started (the dispatcher's clock). */
  at: string;
  /** The receiver's HTTP status, or null when no reply came (network error, timeout). */
  status_code: number | null;
  /** Why no reply came; null whenever there is a status code. */
  error: string | null;
  duration_ms: number;
}

/** One event's journey to one app's URL. Never holds the webhook secret or the signature. */
export interface WebhookDelivery {
  id: number;
  event_id: string;
  app: string;
  type: string;
  /** The URL of the latest attempt (the configured URL is read again before each one). */
  url: string;
  status: DeliveryStatus;
  attempts: DeliveryAttempt[];
  next_attempt_at: string | null;
}

/**
 * The newest deliveries, in a fixed-size ring so memory stays flat however many events flow;
 * emits `change` whenever a delivery is added or updated (what `waitFor` listens to). A delivery
 * pushed out of the ring still finishes its retries, unseen.
 */
export class DeliveryLog extends EventEmitter<{ change: [WebhookDelivery] }> {
  private readonly items: (WebhookDelivery | undefined)[];
  private next = 0;
  private count = 0;
  private lastId = 0;

  constructor(readonly capacity: number) {
    super();
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`delivery log capacity must be a positive integer, got ${capacity}`);
    this.items = new Array<WebhookDelivery | undefined>(capacity);
  }

  add(entry: Omit<WebhookDelivery, 'id'>): WebhookDelivery {
    const delivery: WebhookDelivery = { id: ++this.lastId, ...entry };
    this.items[this.next] = delivery;
    this.next = (this.next + 1) % this.capacity;
    this.count = Math.min(this.count + 1, this.capacity);
    this.emit('change', delivery);
    return delivery;
  }

  /** Call after mutating a delivery the log handed out. */
  changed(delivery: WebhookDelivery): void {
    this.emit('change', delivery);
  }

  /** The live records, newest first: callers outside the dispatcher get copies (see `snapshot`). */
  newestFirst(): WebhookDelivery[] {
    const out: WebhookDelivery[] = [];
    for (let i = 1; i <= this.count; i++) out.push(this.items[(this.next - i + this.capacity) % this.capacity]!);
    return out;
  }

  /** The first delivery, already here or to come, that satisfies `predicate` (the live record). */
  waitFor(predicate: (delivery: WebhookDelivery) => boolean, timeoutMs: number): Promise<WebhookDelivery> {
    return new Promise((resolve, reject) => {
      const found = this.newestFirst().find((delivery) => predicate(snapshot(delivery)));
      if (found) return resolve(found);
      const onChange = (delivery: WebhookDelivery): void => {
        if (!predicate(snapshot(delivery))) return;
        done();
        resolve(delivery);
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`no webhook delivery matched within ${timeoutMs} ms (${this.count} in the log)`));
      }, timeoutMs);
      timer.unref();
      const done = (): void => {
        clearTimeout(timer);
        this.off('change', onChange);
      };
      this.on('change', onChange);
    });
  }

  clear(): void {
    this.items.fill(undefined);
    this.next = 0;
    this.count = 0;
  }
}

/** A copy a caller may keep or change without touching the log. */
export function snapshot(delivery: WebhookDelivery): WebhookDelivery {
  return { ...delivery, attempts: delivery.attempts.map((attempt) => ({ ...attempt })) };
}
