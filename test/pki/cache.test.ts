import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadOrCreatePki } from '../../src/pki/cache.js';
import { writePkiFolder } from '../../src/pki/folder.js';
import { createLeanPki } from '../../src/pki/lean-pki.js';
import { withFolderLock } from '../../src/pki/safe-files.js';

const DAY_MS = 86_400_000;

describe('the PKI cache serve starts from', () => {
  let parent: string;
  let dir: string;
  beforeEach(() => {
    parent = mkdtempSync(join(tmpdir(), 'lean-mock-cache-'));
    dir = join(parent, '.lean-mock', 'certs');
  });
  afterEach(() => rmSync(parent, { recursive: true, force: true }));

  const appToken = (): string => JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')).apps[0].app_token;

  it('creates the folder, parents included, on first use', async () => {
    const first = await loadOrCreatePki(dir);
    expect(first.reused).toBe(false);
    expect(appToken()).toBe(first.pki.apps[0]!.appToken);
  });

  it('reuses the folder while its certificates stay valid for more than a day', async () => {
    const first = await loadOrCreatePki(dir);
    const later = new Date(first.pki.validUntil.getTime() - 2 * DAY_MS);
    const second = await loadOrCreatePki(dir, { now: later });
    expect(second.reused).toBe(true);
    // serverVariants is a (lazy) method: compare the data beside it.
    const { serverVariants: _second, ...secondData } = second.pki;
    const { serverVariants: _first, ...firstData } = first.pki;
    expect(secondData).toEqual(firstData);
  });

  it('serves what another process wrote while it waited for the lock, even when that was made after its call began', async () => {
    // The race of two `serve` runs on one folder: B starts (its clock reads t), A holds the lock and
    // writes a PKI made at t + 20 ms. B must judge that folder by the clock once it holds the lock,
    // not by the moment it was called, or it regenerates and A serves a PKI no longer on disk.
    let waiting: Promise<Awaited<ReturnType<typeof loadOrCreatePki>>> | undefined;
    mkdirSync(dirname(dir), { recursive: true });
    const written = await withFolderLock(dir, async () => {
      waiting = loadOrCreatePki(dir);
      const madeAt = new Date(Date.now() + 20);
      const pki = await createLeanPki({ now: madeAt });
      await writePkiFolder(pki, dir, { force: true });
      while (Date.now() <= madeAt.getTime()) await new Promise((resolve) => setImmediate(resolve));
      return pki;
    });
    const served = await waiting!;
    expect(served.reused).toBe(true);
    expect(served.pki.apps[0]!.appToken).toBe(written.apps[0]!.appToken);
    expect(appToken()).toBe(written.apps[0]!.appToken);
  });

  it('regenerates when less than a day of validity is left', async () => {
    const first = await loadOrCreatePki(dir);
    const nearlyStale = new Date(first.pki.validUntil.getTime() - 12 * 60 * 60 * 1000);
    const second = await loadOrCreatePki(dir, { now: nearlyStale });
    expect(second.reused).toBe(false);
    expect(second.pki.apps[0]!.appToken).not.toBe(first.pki.apps[0]!.appToken);
    expect(appToken()).toBe(second.pki.apps[0]!.appToken);
  });

  it('regenerates when asked for another key type or a host the server certificate lacks', async () => {
    await loadOrCreatePki(dir);
    expect((await loadOrCreatePki(dir, { keyType: 'rsa' })).reused).toBe(false);
    expect((await loadOrCreatePki(dir, { keyType: 'rsa' })).reused).toBe(true);
    expect((await loadOrCreatePki(dir, { keyType: 'rsa', hosts: ['mock.internal'] })).reused).toBe(false);
    expect((await loadOrCreatePki(dir, { keyType: 'rsa', hosts: ['localhost'] })).reused).toBe(true);
  });

  it('regenerates a folder that is damaged, and leaves no staging folders behind', async () => {
    await loadOrCreatePki(dir);
    writeFileSync(join(dir, 'manifest.json'), '{"truncated":');
    const repaired = await loadOrCreatePki(dir);
    expect(repaired.reused).toBe(false);
    expect(readdirSync(join(parent, '.lean-mock'))).toEqual(['certs']);
    expect((await loadOrCreatePki(dir)).reused).toBe(true);
  });
});
