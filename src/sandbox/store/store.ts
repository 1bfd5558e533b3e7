import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { seededRandom, type SeededRandom } from '../random.js';
import { Collection } from './collection.js';

/** Something that happened in the sandbox that Lean would tell the app about (a webhook's content). */
export interface SandboxEvent {
  /** The app (by name) the event belongs to. */
  app: string;
  /** Lean's webhook type, e.g. `entity.created`, `payment.updated`, `results.ready`. */
  type: string;
  payload: Record<string, unknown>;
  message: string;
}

/** Puts a product's seed data into the store; called on start and on every reset. */
export type Seeder = (store: SandboxStore, random: SeededRandom) => void;

export interface SandboxStoreOptions {
  /** Same seed → same seeded data, byte for byte. Default 1. */
  seed?: number;
  /** The apps (by name) whose sandboxes are seeded. */
  apps: readonly string[];
  /** The clock the sandbox reads; seeded data is dated relative to it. */
  clock: () => Date;
  /**
   * The day seeded data is dated up to (`YYYY-MM-DD`, UTC midnight). Default: the clock's current
   * UTC day, so the same seed gives byte-identical seeded data all day; pin it for snapshots
   * that must hold across days.
   */
  asOf?: string;
  /** Ids of records a caller creates (default: random UUIDs; tests may inject a sequence). */
  newId?: () => string;
}

/**
 * The sandbox's in-memory state: one collection per kind of record, each scoped to an app, and
 * the seeders that fill them. It never touches HTTP: routers call the product modules, which
 * read and write collections and `publish` events that the webhook dispatcher turns into POSTs.
 */
export class SandboxStore extends EventEmitter<{ event: [SandboxEvent] }> {
  readonly seed: number;
  readonly apps: readonly string[];
  readonly clock: () => Date;
  /** The instant seeded data is dated up to: UTC midnight of `asOf`. */
  readonly seededAt: Date;
  private readonly idSource: () => string;
  private readonly collections = new Map<string, Collection<unknown>>();
  private readonly seeders: { name: string; seeder: Seeder }[] = [];
  /** Seeded writes put off until one of their collections is used, in the order they were deferred. */
  private deferred: (() => void)[] = [];
  private armed: Collection<unknown>[] = [];

  constructor(options: SandboxStoreOptions) {
    super();
    this.seed = options.seed ?? 1;
    this.apps = options.apps;
    this.clock = options.clock;
    this.seededAt = new Date(`${options.asOf ?? options.clock().toISOString().slice(0, 10)}T00:00:00.000Z`);
    if (Number.isNaN(this.seededAt.getTime())) throw new RangeError(`asOf must be a YYYY-MM-DD date, not ${options.asOf}`);
    this.idSource = options.newId ?? randomUUID;
  }

  /** The collection called `name`, created on first use. */
  collection<T>(name: string): Collection<T> {
    let collection = this.collections.get(name);
    if (!collection) {
      collection = new Collection<unknown>();
      this.collections.set(name, collection);
    }
    return collection as Collection<T>;
  }

  /**
   * Grows with every write to any collection (the sum of their revisions, each of which only
   * grows): a reader caching what it derived from several collections compares this one number.
   */
  get revision(): number {
    let sum = 0;
    for (const collection of this.collections.values()) sum += collection.revision;
    return sum;
  }

  /** The names of the collections that exist, in the order they were first used (read-only: for the inspector). */
  collectionNames(): string[] {
    return [...this.collections.keys()];
  }

  /** Registers and runs a seeder; it runs again, from the same random state, on every reset. */
  addSeeder(name: string, seeder: Seeder): void {
    this.seeders.push({ name, seeder });
    seeder(this, seededRandom(this.seed).fork(name));
  }

  /**
   * Puts off `fill`, a seeder's writes to `names` only, until any of those collections is first
   * read or written: then every fill deferred so far runs, in order, before that use. A year of
   * bank data per app is most of a start, and most mocks never read it. The collections are
   * created now, so `collectionNames()` keeps the order eager seeding gave.
   * @internal for seeders.
   */
  defer(names: readonly string[], fill: () => void): void {
    this.deferred.push(fill);
    for (const name of names) {
      const collection = this.collection(name);
      if (this.armed.includes(collection)) continue;
      collection.beforeFirstUse(this.runDeferred);
      this.armed.push(collection);
    }
  }

  /** @internal How many deferred seeding fills have not run yet (0 once any of their collections was used). */
  get unseeded(): number {
    return this.deferred.length;
  }

  private readonly runDeferred = (): void => {
    const fills = this.deferred;
    this.disarm();
    for (const fill of fills) fill();
  };

  private disarm(): void {
    for (const collection of this.armed) collection.beforeFirstUse(undefined);
    this.armed = [];
    this.deferred = [];
  }

  /** Back to the seeded state. */
  reset(): void {
    // Fills nobody used are dropped, not run: their records would be cleared at once.
    this.disarm();
    for (const collection of this.collections.values()) collection.clear();
    for (const { name, seeder } of this.seeders) seeder(this, seededRandom(this.seed).fork(name));
  }

  /**
   * The whole state as canonical JSON: equal snapshots mean an unchanged sandbox (the property
   * tests assert that no rejected request changed anything).
   */
  snapshot(): string {
    // An empty collection and a missing one are the same state (reads create collections).
    const names = [...this.collections.keys()].filter((name) => this.collections.get(name)!.size > 0).sort();
    return JSON.stringify(names.map((name) => [name, this.collections.get(name)!.entries()]));
  }

  /** An id for a record a caller creates (not part of the seeded, deterministic data). */
  newId(): string {
    return this.idSource();
  }

  now(): Date {
    return this.clock();
  }

  publish(event: SandboxEvent): void {
    this.emit('event', event);
  }
}
