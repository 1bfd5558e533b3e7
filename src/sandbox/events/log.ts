import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { SandboxEvent, SandboxStore } from '../store/store.js';

/** Events kept, all apps together; past it the oldest goes first. */
export const EVENT_LOG_CAPACITY = 10_000;
/** Lean lists the events of the past 90 days. */
export const EVENT_LOG_MAX_AGE_MS = 90 * 24 * 60 * 60 * 1000;

/** An event with the id and time Lean gives it once: its webhook and `GET /events/v1` show the same. */
export interface StampedEvent extends SandboxEvent {
  event_id: string;
  created_at: Date;
}

export function isStamped(event: SandboxEvent): event is StampedEvent {
  const { event_id: id, created_at: at } = event as Partial<StampedEvent>;
  return typeof id === 'string' && at instanceof Date;
}

export interface EventFilter {
  from?: Date;
  to?: Date;
  type?: string;
}

export interface EventLog {
  /** Stamped events, as the store publishes them: what the webhook dispatcher listens to. */
  on(name: 'event', listener: (event: SandboxEvent) => void): unknown;
  off(name: 'event', listener: (event: SandboxEvent) => void): unknown;
  /** `app`'s events of the past 90 days, newest first. */
  list(app: string, filter?: EventFilter): StampedEvent[];
  /** Forgets every event (a sandbox reset). */
  clear(): void;
  close(): void;
}

export interface EventLogOptions {
  store: Pick<SandboxStore, 'on' | 'off' | 'now'>;
  newEventId?: () => string;
  capacity?: number;
}

/**
 * Every event the sandbox publishes, stamped once with the id and time its webhook will carry,
 * then passed on: Lean's events endpoint and webhooks tell the same story, whether or not a
 * webhook URL is set.
 */
export function createEventLog(options: EventLogOptions): EventLog {
  const { store } = options;
  const newEventId = options.newEventId ?? randomUUID;
  const capacity = options.capacity ?? EVENT_LOG_CAPACITY;
  const emitter = new EventEmitter<{ event: [SandboxEvent] }>();
  // Oldest first; `head` skips evicted entries without shifting the array on every event.
  let events: StampedEvent[] = [];
  let head = 0;

  const onEvent = (event: SandboxEvent): void => {
    const stamped: StampedEvent = { ...event, event_id: newEventId(), created_at: store.now() };
    events.push(stamped);
    if (events.length - head > capacity) head++;
    if (head > capacity) {
      events = events.slice(head);
      head = 0;
    }
    emitter.emit('event', stamped);
  };
  store.on('event', onEvent);

  return {
    on: (name, listener) => emitter.on(name, listener),
    off: (name, listener) => emitter.off(name, listener),
    list(app, filter = {}) {
      const oldest = store.now().getTime() - EVENT_LOG_MAX_AGE_MS;
      const out: StampedEvent[] = [];
      for (let i = events.length - 1; i >= head; i--) {
        const event = events[i]!;
        const at = event.created_at.getTime();
        if (event.app !== app || at < oldest) continue;
        if ((filter.from && at < filter.from.getTime()) || (filter.to && at > filter.to.getTime())) continue;
        if (filter.type !== undefined && event.type !== filter.type) continue;
        out.push(event);
      }
      return out;
    },
    clear() {
      events = [];
      head = 0;
    },
    close() {
      store.off('event', onEvent);
    },
  };
}
