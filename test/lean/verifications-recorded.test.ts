import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createVerificationsRouter } from '../../src/lean/verifications/router.js';
import { seedDemo } from '../../src/sandbox/connections.js';
import { entityAccounts } from '../../src/sandbox/data-access.js';
import { COLLECTIONS, type Entity } from '../../src/sandbox/store/records.js';
import { sandboxApp, testStore } from '../support/sandbox-app.js';

/**
 * Every verification request of Lean's recorded collections (in-repo copies under
 * test/fixtures/lean-recorded, same layout as Lean's), sent to the sandbox: each reply has the
 * recorded status class and a superset of the recorded keys, recursively (objects, and the first
 * element of arrays). 401/403 examples are left to the authentication tests: this app has no gate.
 */

const ROOT = new URL('../fixtures/lean-recorded/', import.meta.url).pathname;

interface Recording {
  region: string;
  method: string;
  url: string;
  recorded: { name: string; code: number; request_body: unknown; body: unknown }[];
}

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : path.endsWith('.json') ? [path] : [];
  });
}

/** Paths (a.b[0].c) of the recorded keys our reply lacks. */
export function missingKeys(recorded: unknown, ours: unknown, at = '$'): string[] {
  if (recorded === null || typeof recorded !== 'object') return [];
  if (Array.isArray(recorded)) {
    if (recorded.length === 0) return [];
    if (!Array.isArray(ours) || ours.length === 0) return [`${at}[0] (an array with an element)`];
    return missingKeys(recorded[0], ours[0], `${at}[0]`);
  }
  if (ours === null || typeof ours !== 'object' || Array.isArray(ours)) return [`${at} (an object)`];
  return Object.entries(recorded).flatMap(([key, value]) =>
    Object.hasOwn(ours, key) ? missingKeys(value, (ours as Record<string, unknown>)[key], `${at}.${key}`) : [`${at}.${key}`],
  );
}

const recordings = files(ROOT)
  .filter((path) => path.includes('/verifications/'))
  .map((path) => ({ file: relative(ROOT, path), recording: JSON.parse(readFileSync(path, 'utf8')) as Recording }));

describe('verifications answer every recorded request with its status class and a superset of its keys', () => {
  it('has the recordings of both regions', () => {
    expect(recordings.filter((r) => r.file.startsWith('UAE/')).length).toBe(28);
    expect(recordings.filter((r) => r.file.startsWith('KSA/')).length).toBe(32);
  });

  for (const { file, recording } of recordings) {
    const examples = recording.recorded.filter((example) => example.code !== 401 && example.code !== 403);
    it.each(examples.map((example) => [example.name, example] as const))(`${file}: %s`, async (_name, example) => {
      const store = testStore();
      store.addSeeder('demo', seedDemo);
      const entity = store.collection<Entity>(COLLECTIONS.entities).list('my_app')[0]!;
      expect(entityAccounts(store, 'my_app', entity.id).length).toBeGreaterThan(0);
      const path = new URL(recording.url.replace('{{baseUrl}}', 'http://x')).pathname;
      const body = JSON.parse(JSON.stringify(example.request_body).replaceAll('{{entity_id}}', entity.id)) as object;
      const res = await request(sandboxApp(createVerificationsRouter({ store }))).post(path).send(body);
      expect(Math.floor(res.status / 100), JSON.stringify(res.body)).toBe(Math.floor(example.code / 100));
      expect(missingKeys(example.body, res.body)).toEqual([]);
    });
  }
});
