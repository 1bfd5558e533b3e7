import { randomUUID } from 'node:crypto';
import { systemClock, type Clock } from '../../app/clock.js';
import { signWebhook } from '../../webhook-signature.js';
import { isStamped } from '../events/log.js';
import type { SandboxEvent } from '../store/store.js';
import { DeliveryLog, snapshot, type WebhookDelivery } from './delivery-log.js';
import { webhookBody } from './envelope.js';
import { postWebhook } from './post.js';
import { retryDelayMs } from './schedule.js';
import { webhookUrlProblem, type SelfAddresses } from './webhook-url.js';

export const WEBHOOK_USER_AGENT = 'lean-mock-webhooks';

/** Attempts in flight at once, all receivers together: a storm of events opens at most this many sockets. */
export const MAX_IN_FLIGHT = 16;
/** Attempts in flight at once to one receiver (URL origin): a hanging receiver cannot take every slot. */
export const MAX_IN_FLIGHT_PER_RECEIVER = 4;
/** Deliveries not yet finished (queued, sending or awaiting a retry) per receiver; past it the oldest waiting one is dropped. */
export const MAX_PENDING_PER_RECEIVER = 1000;

/** What the dispatcher listens to (a SandboxStore or an EventLog). */
export interface EventSource {
  on(name: 'event', listener: (event: SandboxEvent) => void): unknown;
  off(name: 'event', listener: (event: SandboxEvent) => void): unknown;
}

export interface WebhookApp {
  name: string;
  webhookSecret: string;
}

export interface WebhookDispatcherOptions {
  /** Its `event`s become webhooks: the store, or the event log that stamps the store's events. */
  store: EventSource;
  /** The apps that receive webhooks; events of any other app are ignored. */
  apps: readonly WebhookApp[];
  /** Each app's configured URL (null: webhooks off), read before every attempt; `setUrl` overrides it. Default: none. */
  urlFor?: (app: string) => string | null;
  /** Dates the envelopes and the log. Default: the system clock. */
  clock?: Clock;
  /** Multiplies the retry schedule (0.001: minutes become 60 ms). Default 1. */
  timeScale?: number;
  /** A reply's status line must arrive within this, or the attempt's socket is closed. Default 10 000 (Lean's 10 s). */
  timeoutMs?: number;
  /**
   * Default: node:http(s), one socket per attempt closed when it ends (what keeps descriptors
   * bounded; a fetch passed here manages its own sockets). An https receiver with a self-signed
   * certificate is refused; trust its CA with `NODE_EXTRA_CA_CERTS=ca.pem`, or pass a fetch that does.
   */
  fetchImpl?: typeof fetch;
  /** Default: random UUIDs. */
  newEventId?: () => string;
  /** Deliveries kept in the log. Default 1000. */
  logCapacity?: number;
  /** Where the mock itself listens, read at each check: URLs pointing there are refused. Default: nowhere. */
  self?: () => SelfAddresses;
  /** Draws the retry jitter, 0 ≤ x < 1 (see RETRY_JITTER). Default Math.random; tests pass a fixed one. */
  random?: () => number;
  /** Default {@link MAX_IN_FLIGHT}. */
  maxInFlight?: number;
  /** Default {@link MAX_IN_FLIGHT_PER_RECEIVER}. */
  maxInFlightPerReceiver?: number;
  /** Default {@link MAX_PENDING_PER_RECEIVER}. */
  maxPendingPerReceiver?: number;
}

export interface WebhookDispatcher {
  /** The names of the apps that receive webhooks. */
  readonly apps: readonly string[];
  /** The URL the next attempt for `app` would go to. */
  urlOf(app: string): string | null;
  /** Points `app`'s webhooks at `url` (null: off) from the next attempt on, pending retries included. */
  setUrl(app: string, url: string | null): void;
  /** Why `url` cannot receive webhooks (not http(s), credentials, the mock's own port …), or null. */
  urlProblem(url: string): string | null;
  /** The delivery log, newest first (copies). */
  deliveries(): WebhookDelivery[];
  /** The first delivery, present or to come, that satisfies `predicate`; rejects after `timeoutMs` (default 5000). */
  waitFor(predicate: (delivery: WebhookDelivery) => boolean, timeoutMs?: number): Promise<WebhookDelivery>;
  /** Cancels pending retries and empties the log (a sandbox reset). */
  clear(): void;
  /** Stops listening, cancels every timer and aborts requests in flight. */
  close(): void;
}

interface Job {
  readonly delivery: WebhookDelivery;
  readonly body: string;
  readonly signature: string;
  readonly abort: AbortController;
  /** The receiver it is counted against: the origin of its latest URL. */
  origin: string;
  /** Waiting for a slot, on the wire, or waiting for its retry timer. */
  state: 'queued' | 'sending' | 'waiting';
  timer?: NodeJS.Timeout;
}

/**
 * Turns sandbox events into Lean's webhooks: envelope, signature, POST, and retries on Lean's
 * schedule (spread by a little jitter) until a 2xx or the last retry, every attempt in a bounded
 * log. Attempts wait in one queue per receiver (URL origin) for one of a bounded number of slots,
 * so no storm of events or hanging receiver can open more than `maxInFlight` sockets.
 *
 * @example
 * const dispatcher = createWebhookDispatcher({ store, apps: [{ name: 'my_app', webhookSecret }], timeScale: 0.001 });
 * dispatcher.setUrl('my_app', 'http://127.0.0.1:4000/lean/webhooks');
 */
export function createWebhookDispatcher(options: WebhookDispatcherOptions): WebhookDispatcher {
  const secrets = new Map(options.apps.map((app) => [app.name, app.webhookSecret]));
  const urlFor = options.urlFor ?? (() => null);
  const clock = options.clock ?? systemClock;
  const timeScale = positive('timeScale', options.timeScale ?? 1);
  const timeoutMs = positive('timeoutMs', options.timeoutMs ?? 10_000);
  const maxInFlight = positive('maxInFlight', options.maxInFlight ?? MAX_IN_FLIGHT);
  const perReceiver = positive('maxInFlightPerReceiver', options.maxInFlightPerReceiver ?? MAX_IN_FLIGHT_PER_RECEIVER);
  const maxPending = positive('maxPendingPerReceiver', options.maxPendingPerReceiver ?? MAX_PENDING_PER_RECEIVER);
  const fetchImpl = options.fetchImpl;
  const newEventId = options.newEventId ?? randomUUID;
  const random = options.random ?? Math.random;
  const self = options.self ?? (() => ({ ports: [] }));
  const log = new DeliveryLog(options.logCapacity ?? 1000);
  const overrides = new Map<string, string | null>();
  // Insertion order is age order: the first job of an origin is its oldest.
  const jobs = new Set<Job>();
  const queues = new Map<string, Job[]>();
  const sendingTo = new Map<string, number>();
  let inFlight = 0;
  let closed = false;

  const urlProblem = (url: string): string | null => webhookUrlProblem(url, self());

  const urlOf = (app: string): string | null => {
    const url = overrides.has(app) ? overrides.get(app)! : urlFor(app);
    const problem = url === null ? null : urlProblem(url);
    if (problem === null) return url;
    // Not logged as a delivery: the log shows URLs, and this one may carry credentials.
    warn(`the webhook URL of '${app}' is unusable (${problem}); nothing sent`);
    return null;
  };

  // Runs inside the product code's `publish`: nothing here may throw back into it.
  const onEvent = (event: SandboxEvent): void => {
    try {
      enqueue(event);
    } catch (error) {
      warn(error);
    }
  };

  const enqueue = (event: SandboxEvent): void => {
    const secret = secrets.get(event.app);
    if (closed || secret === undefined) return;
    const url = urlOf(event.app);
    if (url === null) return;
    const origin = new URL(url).origin;
    makeRoom(origin);
    // An event the event log stamped keeps its id and time, so GET /events/v1 shows the webhook's.
    const eventId = isStamped(event) ? event.event_id : newEventId();
    const body = webhookBody(event, eventId, isStamped(event) ? event.created_at : clock());
    const delivery = log.add({
      event_id: eventId,
      app: event.app,
      type: event.type,
      url,
      status: 'pending',
      attempts: [],
      next_attempt_at: null,
    });
    const job: Job = { delivery, body, signature: signWebhook(body, secret), abort: new AbortController(), origin, state: 'queued' };
    jobs.add(job);
    queue(job);
  };

  /** A receiver at its limit loses its oldest delivery not on the wire, logged as `dropped`. */
  function makeRoom(origin: string): void {
    let pending = 0;
    let oldest: Job | undefined;
    for (const job of jobs) {
      if (job.origin !== origin) continue;
      pending++;
      if (!oldest && job.state !== 'sending') oldest = job;
    }
    if (pending < maxPending || !oldest) return;
    finish(oldest, 'dropped');
  }

  function queue(job: Job): void {
    job.state = 'queued';
    const waiting = queues.get(job.origin) ?? [];
    waiting.push(job);
    queues.set(job.origin, waiting);
    pump();
  }

  /** Fills free slots, taking receivers in turn so a busy one does not starve the others. */
  function pump(): void {
    while (inFlight < maxInFlight) {
      const origin = [...queues.keys()].find((candidate) => (sendingTo.get(candidate) ?? 0) < perReceiver);
      if (origin === undefined) return;
      const waiting = queues.get(origin)!;
      const job = waiting.shift()!;
      // Back of the line: the next free slot goes to another receiver first.
      queues.delete(origin);
      if (waiting.length > 0) queues.set(origin, waiting);
      send(job);
    }
  }

  function send(job: Job): void {
    const slot = job.origin;
    job.state = 'sending';
    inFlight++;
    sendingTo.set(slot, (sendingTo.get(slot) ?? 0) + 1);
    attempt(job)
      .catch((error: unknown) => {
        warn(error);
        finish(job, 'failed');
      })
      .finally(() => {
        inFlight--;
        const left = sendingTo.get(slot)! - 1;
        if (left === 0) sendingTo.delete(slot);
        else sendingTo.set(slot, left);
        pump();
      });
  }

  async function attempt(job: Job): Promise<void> {
    const { delivery } = job;
    const url = urlOf(delivery.app);
    if (url === null) return finish(job, 'failed');
    Object.assign(delivery, { url, status: 'pending', next_attempt_at: null });
    log.changed(delivery);
    const at = clock().toISOString();
    const started = performance.now();
    const outcome = await postWebhook({
      url,
      body: job.body,
      headers: { 'content-type': 'application/json', 'lean-signature': job.signature, 'user-agent': WEBHOOK_USER_AGENT },
      timeoutMs,
      fetchImpl,
      signal: job.abort.signal,
    });
    delivery.attempts.push({ at, ...outcome, duration_ms: Math.round(performance.now() - started) });
    const code = outcome.status_code;
    if (code !== null && code >= 200 && code <= 299) return finish(job, 'delivered');
    const delay = retryDelayMs(delivery.attempts.length, timeScale, random());
    if (job.abort.signal.aborted || delay === null) return finish(job, 'failed');
    job.state = 'waiting';
    delivery.status = 'retrying';
    delivery.next_attempt_at = new Date(clock().getTime() + delay).toISOString();
    job.timer = setTimeout(() => retry(job), delay);
    job.timer.unref();
    log.changed(delivery);
  }

  function retry(job: Job): void {
    const url = urlOf(job.delivery.app);
    if (url === null) return finish(job, 'failed');
    job.origin = new URL(url).origin;
    queue(job);
  }

  function finish(job: Job, status: 'delivered' | 'failed' | 'dropped'): void {
    clearTimeout(job.timer);
    jobs.delete(job);
    if (job.state === 'queued') {
      const waiting = queues.get(job.origin);
      waiting?.splice(waiting.indexOf(job), 1);
      if (waiting?.length === 0) queues.delete(job.origin);
    }
    job.delivery.status = status;
    job.delivery.next_attempt_at = null;
    log.changed(job.delivery);
  }

  function cancelAll(): void {
    for (const job of jobs) {
      job.abort.abort();
      // One in flight finishes itself once its request is aborted.
      if (job.state !== 'sending') finish(job, 'failed');
    }
  }

  options.store.on('event', onEvent);

  return {
    apps: [...secrets.keys()],
    urlOf: (app) => (secrets.has(app) ? urlOf(app) : null),
    setUrl(app, url) {
      if (!secrets.has(app)) throw new RangeError(`no app called ${JSON.stringify(app)} receives webhooks`);
      const problem = url === null ? null : urlProblem(url);
      if (problem) throw new RangeError(`unusable webhook URL: ${problem}`);
      overrides.set(app, url);
    },
    urlProblem,
    deliveries: () => log.newestFirst().map(snapshot),
    waitFor: (predicate, waitMs = 5000) => log.waitFor(predicate, waitMs).then(snapshot),
    clear() {
      cancelAll();
      log.clear();
    },
    close() {
      closed = true;
      options.store.off('event', onEvent);
      cancelAll();
    },
  };
}

/** A bug of ours or a bad `urlFor`: said on stderr, never fatal to the sandbox. */
function warn(error: unknown): void {
  process.emitWarning(`lean-mock: webhook dispatcher: ${error instanceof Error ? error.stack : String(error)}`);
}

function positive(name: string, value: number): number {
  if (!Number.isFinite(value) || value <= 0) throw new RangeError(`${name} must be a positive number, got ${value}`);
  return value;
}
