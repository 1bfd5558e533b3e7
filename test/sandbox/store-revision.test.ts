import { describe, expect, it } from 'vitest';
import { Collection } from '../../src/sandbox/store/collection.js';
import { testStore } from '../support/sandbox-app.js';

/**
 * Revisions are what caches of derived replies (data pages, insights, the banks list) compare:
 * every change to what a collection holds must move them, and nothing else may.
 */
describe('revisions', () => {
  it('move when evictOldest forgets records, as for any other removal', () => {
    const collection = new Collection<{ n: number }>();
    for (let n = 0; n < 5; n++) collection.set('my_app', `id-${n}`, { n });
    const before = collection.revision;
    collection.evictOldest(2);
    expect(collection.size).toBe(2);
    expect(collection.revision).toBeGreaterThan(before);
  });

  it("of the store move with a write to any collection and not with reads", () => {
    const store = testStore();
    const a = store.collection<{ n: number }>('a');
    let revision = store.revision;
    for (const change of [
      () => a.set('my_app', 'x', { n: 1 }),
      () => store.collection<{ n: number }>('b').set('other_app', 'y', { n: 2 }),
      () => a.delete('my_app', 'x'),
      () => store.collection('b').deleteWhere('other_app', () => true),
      () => store.reset(),
    ]) {
      change();
      expect(store.revision).toBeGreaterThan(revision);
      revision = store.revision;
      a.list('my_app');
      a.get('my_app', 'x');
      store.collection('never-written');
      expect(store.revision).toBe(revision);
    }
  });
});
