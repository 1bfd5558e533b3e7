import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../src/sandbox/random.js';
import { seedDemo } from '../../src/sandbox/connections.js';
import { SandboxStore } from '../../src/sandbox/store/store.js';

const clock = () => new Date('2026-01-01T00:00:00Z');

describe('the sandbox store', () => {
  it('scopes records to their app: another app sees nothing and cannot delete them', () => {
    const store = new SandboxStore({ apps: ['a', 'b'], clock });
    const things = store.collection<{ n: number }>('things');
    things.set('a', 'x', { n: 1 });
    expect(things.get('a', 'x')).toEqual({ n: 1 });
    expect(things.get('b', 'x')).toBeUndefined();
    expect(things.delete('b', 'x')).toBe(false);
    expect(things.list('b')).toEqual([]);
    expect(things.ownerOf('x')).toBe('a');
  });

  it('re-runs seeders from the same random state on reset, dropping what callers added', () => {
    const store = new SandboxStore({ seed: 42, apps: ['a'], clock });
    store.addSeeder('numbers', (s, random) => {
      s.collection<number>('numbers').set('a', 'seeded', random.int(0, 1_000_000));
    });
    const seeded = store.snapshot();
    store.collection<number>('numbers').set('a', 'added', 5);
    expect(store.snapshot()).not.toBe(seeded);
    store.reset();
    expect(store.snapshot()).toBe(seeded);
  });

  it('gives the same seeded data for the same seed and different data for another', () => {
    const build = (seed: number) => {
      const store = new SandboxStore({ seed, apps: ['a'], clock });
      store.addSeeder('ids', (s, random) => s.collection<string>('ids').set('a', 'one', random.uuid()));
      return store.snapshot();
    };
    expect(build(1)).toBe(build(1));
    expect(build(1)).not.toBe(build(2));
  });

  it('forks independent random streams by label, unaffected by draws elsewhere', () => {
    const random = seededRandom(9);
    const before = random.fork('payments').uuid();
    random.next();
    random.next();
    expect(random.fork('payments').uuid()).toBe(before);
    expect(random.fork('demo').uuid()).not.toBe(before);
    expect(before).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('tells subscribers about published events', () => {
    const store = new SandboxStore({ apps: ['a'], clock });
    const seen: string[] = [];
    store.on('event', (event) => seen.push(`${event.app} ${event.type}`));
    store.publish({ app: 'a', type: 'entity.created', payload: {}, message: 'x' });
    expect(seen).toEqual(['a entity.created']);
  });
});

describe('seeded data over time', () => {
  const seeded = (at: string, asOf?: string): string => {
    const store = new SandboxStore({ seed: 3, apps: ['my_app'], clock: () => new Date(at), asOf });
    store.addSeeder('demo', seedDemo);
    return store.snapshot();
  };

  it('is byte-identical for two starts on the same day, whatever the hour', () => {
    expect(seeded('2026-05-01T08:00:00Z')).toBe(seeded('2026-05-01T21:30:12.345Z'));
  });

  it('follows the day, unless pinned with asOf', () => {
    expect(seeded('2026-05-01T08:00:00Z')).not.toBe(seeded('2026-05-02T08:00:00Z'));
    expect(seeded('2026-05-01T08:00:00Z', '2026-04-01')).toBe(seeded('2026-09-09T08:00:00Z', '2026-04-01'));
    expect(() => seeded('2026-05-01T08:00:00Z', 'yesterday')).toThrow(/YYYY-MM-DD/);
  });
});
