import type { SandboxStore } from '../../sandbox/store/store.js';

/**
 * The serialised tails of data pages (see `v2OkTail`), kept while the sandbox is unchanged: the
 * whole cache is dropped as soon as any collection's revision moves (a write anywhere, a reset),
 * so a page never outlives the records it was built from. Building a page scans and sorts the
 * account's records, views them and serialises tens of kilobytes; serving it again is a copy.
 */
export class PageCache {
  private readonly pages = new Map<string, Buffer>();
  private revision = -1;

  constructor(
    private readonly store: SandboxStore,
    /** Pages kept at most: the oldest goes first (a client paging through everything). */
    private readonly capacity = 256,
  ) {}

  bytes(key: string, build: () => Buffer): Buffer {
    const now = this.store.revision;
    if (now !== this.revision) {
      this.pages.clear();
      this.revision = now;
    }
    const hit = this.pages.get(key);
    if (hit) return hit;
    const built = build();
    // Building reads only; a reader that wrote (a collection created is not a write) would
    // have moved the revision, and the page is then not kept.
    if (this.store.revision !== now) return built;
    if (this.pages.size >= this.capacity) this.pages.delete(this.pages.keys().next().value!);
    this.pages.set(key, built);
    return built;
  }
}
