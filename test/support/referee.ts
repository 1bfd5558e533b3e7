import { expect, vi } from 'vitest';
import { z } from 'zod';
import { Collection } from '../../src/sandbox/store/collection.js';
import type { SandboxStore } from '../../src/sandbox/store/store.js';
import type { RawRequest, Reply, Sandbox } from './fuzz-sandbox.js';

/**
 * The rules every reply of the bad-input fuzz is held to — never 5xx; every 4xx is Lean's error
 * envelope; a 4xx leaves the store byte for byte as it was — and the record of what it provoked.
 */

/** Full snapshots cost ~12 ms: compare one after at most this many quiet 4xx replies. */
const CHECK_EVERY = 8;

const ErrorEnvelope = z.strictObject({
  results_id: z.uuid().optional(),
  timestamp: z.iso.datetime(),
  status: z.string().regex(/^[A-Z][A-Z0-9_]*$/),
  message: z.string().min(1),
  metadata: z.record(z.string(), z.unknown()).nullable(),
});

export interface RouteStats {
  requests: number;
  http: Map<number, number>;
  lean: Set<string>;
}

const describeRequest = (request: RawRequest): string =>
  `${request.method} ${request.url.slice(0, 200)}${request.url.length > 200 ? '…' : ''} [${request.notes.join('; ')}]` +
  (request.body ? ` body(${request.body.length} B)=${request.body.toString('utf8', 0, 120)}` : '');

/**
 * Broken rules, gathered rather than thrown at the first, so one run reports every route that
 * breaks them (at most two examples of each kind of break per route).
 */
export class Problems {
  readonly found: string[] = [];
  private readonly seen = new Map<string, number>();

  constructor(private readonly seed: number) {}

  add(key: string, message: string): void {
    const count = (this.seen.get(key) ?? 0) + 1;
    this.seen.set(key, count);
    if (count <= 2) this.found.push(`seed ${this.seed}: ${message}`);
  }

  /** Fails the test with everything found. */
  assertNone(): void {
    const extra = [...this.seen].filter(([, n]) => n > 2).map(([key, n]) => `${key}: ${n - 2} more`);
    if (this.found.length > 0) expect.fail([...this.found, ...extra].join('\n\n'));
  }
}

// Spies on every write through a collection, from the moment this module loads.
const collectionWrites = [
  vi.spyOn(Collection.prototype, 'set'),
  vi.spyOn(Collection.prototype, 'delete'),
  vi.spyOn(Collection.prototype, 'deleteWhere'),
  vi.spyOn(Collection.prototype, 'clear'),
];
const writesSoFar = () => collectionWrites.reduce((sum, spy) => sum + spy.mock.calls.length, 0);

/**
 * Watches the store between requests. A full snapshot costs ~12 ms, so besides comparing one
 * every few replies it catches writes as they happen — a spy on every collection write, and on
 * the first use of a collection name (which creates it, and shows in the snapshot) — and then
 * compares at once, naming the very request.
 */
export class StoreGuard {
  private baseline: string;
  private created = 0;
  private unverified: { label: string; request: RawRequest }[] = [];
  private readonly known: Set<string>;

  constructor(
    private readonly store: SandboxStore,
    private readonly problems: Problems,
  ) {
    this.baseline = store.snapshot();
    this.known = new Set((JSON.parse(this.baseline) as [string, unknown][]).map(([name]) => name));
    const collection = store.collection.bind(store);
    store.collection = <T>(name: string) => {
      if (!this.known.has(name)) {
        this.known.add(name);
        this.created++;
      }
      return collection<T>(name);
    };
  }

  private changes(): number {
    return writesSoFar() + this.created;
  }

  /** Call before each request; hand the result to `after`. */
  before(): number {
    return this.changes();
  }

  after(label: string, request: RawRequest, status: number, changesBefore: number): void {
    const wrote = this.changes() !== changesBefore;
    this.unverified.push({ label, request });
    if (status < 400) {
      // A success may change the sandbox: what it left is the new baseline.
      if (wrote) this.rebase();
      return;
    }
    if (wrote) this.verify({ label, request });
    else if (this.unverified.length >= CHECK_EVERY) this.verify();
  }

  /** Compares the whole store with the baseline; a difference is a problem, and the new baseline. */
  verify(culprit?: { label: string; request: RawRequest }): void {
    const now = this.store.snapshot();
    if (now !== this.baseline) {
      const suspects = culprit ? [culprit] : this.unverified;
      const at = firstDifference(this.baseline, now);
      const excerpt = (text: string) => JSON.stringify(text.slice(Math.max(0, at - 40), at + 100));
      this.problems.add(
        `${culprit?.label ?? 'window'} changed the store`,
        `${culprit ? `${culprit.label} answered 4xx yet changed the store` : 'a 4xx among these requests changed the store (a 2xx among them only if it wrote nothing through a collection)'}` +
          ` — snapshot ${this.baseline.length} → ${now.length} chars, at ${excerpt(this.baseline)} → ${excerpt(now)}:\n` +
          suspects.map(({ request }) => `  ${describeRequest(request)}`).join('\n'),
      );
      this.baseline = now;
    }
    this.unverified = [];
  }

  private rebase(): void {
    this.baseline = this.store.snapshot();
    this.unverified = [];
  }
}

function firstDifference(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}

/** Sends requests and holds every reply to the rules, tallying what each route answered. */
export class Referee {
  readonly problems: Problems;
  readonly guard: StoreGuard;
  readonly stats = new Map<string, RouteStats>();
  total = 0;

  constructor(private readonly sandbox: Sandbox) {
    this.problems = new Problems(sandbox.seed);
    this.guard = new StoreGuard(sandbox.store, this.problems);
  }

  async play(label: string, request: RawRequest): Promise<{ status: number; body: unknown }> {
    const changes = this.guard.before();
    const reply = await this.sandbox.send(request);
    this.total++;
    const body = this.judge(label, request, reply);
    this.guard.after(label, request, reply.status, changes);
    const stats = this.stats.get(label) ?? { requests: 0, http: new Map<number, number>(), lean: new Set<string>() };
    stats.requests++;
    stats.http.set(reply.status, (stats.http.get(reply.status) ?? 0) + 1);
    stats.lean.add(reply.status < 400 ? '2xx' : ((body as { status?: string } | undefined)?.status ?? '?'));
    this.stats.set(label, stats);
    return { status: reply.status, body };
  }

  /** Never 5xx (nor 1xx/3xx); a 4xx is Lean's envelope, `results_id` first when there is one. */
  private judge(label: string, request: RawRequest, reply: Reply): unknown {
    const problem = (what: string) =>
      this.problems.add(`${label} ${what} ${reply.status}`, `${label} ${what}: ${describeRequest(request)}\n  → ${reply.status} ${reply.text.slice(0, 300)}`);
    if (reply.status < 200 || reply.status >= 500 || (reply.status >= 300 && reply.status < 400)) {
      problem('answered');
      return undefined;
    }
    if (reply.status < 400) return undefined;
    if (!/^application\/json/.test(reply.contentType)) {
      problem('answered a 4xx that is not JSON');
      return undefined;
    }
    const body: unknown = JSON.parse(reply.text);
    const envelope = ErrorEnvelope.safeParse(body);
    if (!envelope.success) problem(`answered a 4xx that is not Lean's envelope (${envelope.error.issues[0]?.message ?? ''})`);
    else if (envelope.data.results_id !== undefined && Object.keys(body as object)[0] !== 'results_id') problem('answered results_id, not first');
    return body;
  }
}
