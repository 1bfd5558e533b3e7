import { randomUUID } from 'node:crypto';
import { systemClock, type Clock } from '../../app/routing.js';
import { signWebhook } from '../../webhook-signature.js';
import type { SandboxEvent, SandboxStore } from '../store/store.js';
import { DeliveryLog, snapshot, type WebhookDelivery } from './delivery-log.js';
import { webhookBody } from './envelope.js';
import { postWebhook } from './post.js';
import { retryDelayMs } from './schedule.js';
import { webhookUrlProblem } from './webhook-url.js';

export const WEBHOOK_USER_AGENT = 'lean-mock-webhooks';

export interface WebhookApp {
  name: string;
  webhookSecret: string;
}

export interface WebhookDispatcherOptions {
  /** Its `event`s become webhooks. */
  store: Pick<SandboxStore, 'on' | 'off'>;
  /** The apps that receive webhooks; events of any other app are ignored. */
  apps: readonly WebhookApp[];
  /** Each app's configured URL (null: webhooks off), read before every attempt; `setUrl` overrides it. Default: none. */
  urlFor?: (app: string) => string | null;
  /** Dates the envelopes and the log. Default: the system clock. */
  clock?: Clock;
  /** Multiplies the retry schedule (0.001: minutes become 60 ms). Default 1. */
  timeScale?: number;
  /** A reply's status line must arrive within this. Default 10 000 (Lean's 10 s). */
  timeoutMs?: number;
  /**
   * Default: the global fetch. An https receiver with a self-signed certificate is refused by it;
   * trust its CA with `NODE_EXTRA_CA_CERTS=ca.pem`, or pass a fetch that does.
   */
  fetchImpl?: typeof fetch;
  /** Default: random UUIDs. */
  newEventId?: () => string;
  /** Deliveries kept in the log. Default 1000. */
  logCapacity?: number;
}

export interface WebhookDispatcher {
  /** The names of the apps that receive webhooks. */
  readonly apps: readonly string[];
  /** The URL the next attempt for `app` would go to. */
  urlOf(app: string): string | null;
  /** Points `app`'s webhooks at `url` (null: off) from the next attempt on, pending retries included. */
  setUrl(app: string, url: string | null): void;
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
  timer?: NodeJS.Timeout;
}

/**
 * Turns sandbox events into Lean's webhooks: envelope, signature, POST, and retries on Lean's
 * schedule until a 2xx or the last retry, every attempt in a bounded log.
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
  const fetchImpl = options.fetchImpl ?? fetch;
  const newEventId = options.newEventId ?? randomUUID;
  const log = new DeliveryLog(options.logCapacity ?? 1000);
  const overrides = new Map<string, string | null>();
  const jobs = new Set<Job>();
  let closed = false;

  const urlOf = (app: string): string | null => {
    if (overrides.has(app)) return overrides.get(app)!;
    const url = urlFor(app);
    const problem = url === null ? null : webhookUrlProblem(url);
    if (problem === null) return url;
    // Not logged as a delivery: the log shows URLs, and this one may carry credentials.
    warn(`urlFor('${app}') gave an unusable webhook URL (${problem}); nothing sent`);
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
    const eventId = newEventId();
    const body = webhookBody(event, eventId, clock());
    const delivery = log.add({
      event_id: eventId,
      app: event.app,
      type: event.type,
      url,
      status: 'pending',
      attempts: [],
      next_attempt_at: null,
    });
    const job: Job = { delivery, body, signature: signWebhook(body, secret), abort: new AbortController() };
    jobs.add(job);
    run(job);
  };

  const run = (job: Job): void => {
    attempt(job).catch((error: unknown) => {
      warn(error);
      finish(job, 'failed');
    });
  };

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
    const delay = retryDelayMs(delivery.attempts.length, timeScale);
    if (job.abort.signal.aborted || delay === null) return finish(job, 'failed');
    delivery.status = 'retrying';
    delivery.next_attempt_at = new Date(clock().getTime() + delay).toISOString();
    job.timer = setTimeout(() => run(job), delay);
    job.timer.unref();
    log.changed(delivery);
  }

  function finish(job: Job, status: 'delivered' | 'failed'): void {
    clearTimeout(job.timer);
    jobs.delete(job);
    job.delivery.status = status;
    job.delivery.next_attempt_at = null;
    log.changed(job.delivery);
  }

  function cancelAll(): void {
    for (const job of jobs) {
      job.abort.abort();
      // One in flight finishes itself once its request is aborted.
      if (job.delivery.status === 'retrying') finish(job, 'failed');
    }
  }

  options.store.on('event', onEvent);

  return {
    apps: [...secrets.keys()],
    urlOf: (app) => (secrets.has(app) ? urlOf(app) : null),
    setUrl(app, url) {
      if (!secrets.has(app)) throw new RangeError(`no app called ${JSON.stringify(app)} receives webhooks`);
      const problem = url === null ? null : webhookUrlProblem(url);
      if (problem) throw new RangeError(`unusable webhook URL: ${problem}`);
      overrides.set(app, url);
    },
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
