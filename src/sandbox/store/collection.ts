/**
 * Records of one kind, each owned by one app: an app never sees another app's customers,
 * entities or payments, as at Lean. Insertion order is kept, so listings are stable.
 */
export class Collection<T> {
  private readonly items = new Map<string, { app: string; value: T }>();
  private changes = 0;
  /**
   * Writes the store put off (a seeded year of bank data): run before any read or write, so the
   * records land in the order, and the revision counts the writes, that seeding eagerly gave.
   */
  private pending: (() => void) | undefined;

  /** @internal the store's deferred seeding (see `SandboxStore.defer`); undefined disarms it. */
  beforeFirstUse(fill: (() => void) | undefined): void {
    this.pending = fill;
  }

  /**
   * Grows with every write (set, delete, clear), never shrinks: a reader that derives figures
   * from the records (insights) keys its cache by it and so never serves a stale answer.
   */
  get revision(): number {
    this.pending?.();
    return this.changes;
  }

  get(app: string, id: string): T | undefined {
    this.pending?.();
    const item = this.items.get(id);
    return item && item.app === app ? item.value : undefined;
  }

  /** The owning app of a record, whoever asks (for the admin API and webhooks). */
  ownerOf(id: string): string | undefined {
    this.pending?.();
    return this.items.get(id)?.app;
  }

  list(app: string, filter?: (value: T) => boolean): T[] {
    this.pending?.();
    const out: T[] = [];
    for (const item of this.items.values()) {
      if (item.app === app && (!filter || filter(item.value))) out.push(item.value);
    }
    return out;
  }

  set(app: string, id: string, value: T): T {
    this.pending?.();
    this.changes++;
    this.items.set(id, { app, value });
    return value;
  }

  delete(app: string, id: string): boolean {
    this.pending?.();
    if (this.get(app, id) === undefined) return false;
    this.changes++;
    return this.items.delete(id);
  }

  /** Removes every record of `app` that matches; returns how many. */
  deleteWhere(app: string, match: (value: T) => boolean): number {
    this.pending?.();
    let removed = 0;
    for (const [id, item] of this.items) {
      if (item.app === app && match(item.value)) {
        this.items.delete(id);
        this.changes++;
        removed++;
      }
    }
    return removed;
  }

  /** How many records `app` owns. */
  countOf(app: string): number {
    this.pending?.();
    let count = 0;
    for (const item of this.items.values()) if (item.app === app) count++;
    return count;
  }

  /** Forgets the oldest records (first set) that `evictable` allows, until at most `max` remain. */
  evictOldest(max: number, evictable: (value: T) => boolean = () => true): void {
    this.pending?.();
    if (this.items.size <= max) return;
    for (const [id, item] of this.items) {
      if (this.items.size <= max) return;
      if (evictable(item.value)) {
        this.items.delete(id);
        this.changes++;
      }
    }
  }

  /** Every record with its owner, in insertion order (for snapshots and the admin API). */
  entries(): { id: string; app: string; value: T }[] {
    this.pending?.();
    return [...this.items].map(([id, item]) => ({ id, app: item.app, value: item.value }));
  }

  get size(): number {
    this.pending?.();
    return this.items.size;
  }

  clear(): void {
    this.pending?.();
    this.changes++;
    this.items.clear();
  }
}
