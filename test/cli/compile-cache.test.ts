import { spawnSync } from 'node:child_process';
import { chmodSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cacheFileFor, compileCacheFolder } from '../../src/cli/compile-cache.js';
import { BIN, removeTempDirs, tempDir } from '../support/cli.js';

/**
 * The bin compiles its bundle from V8's code cache when one fits. The cache must never change what
 * the command does: a missing, refused or damaged cache only costs compile time, and compiled code
 * is only ever read from a folder no one else can write to.
 */

const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

afterAll(() => removeTempDirs());

/** `lean-mock --version` with the given environment; it must succeed exactly as without a cache. */
function runVersion(env: NodeJS.ProcessEnv): void {
  const result = spawnSync(process.execPath, [BIN, '--version'], { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 60_000 });
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  expect(result.stdout.trim()).toBe(version);
}

const cacheFiles = (folder: string): string[] => readdirSync(folder).filter((name) => name.endsWith('.v8cache'));

describe('the bin\'s compile cache', () => {
  it('writes the compiled bundle to a private folder on a first run, and the next run uses it as it is', () => {
    const folder = join(tempDir(), 'cache');
    runVersion({ LEAN_MOCK_COMPILE_CACHE: folder });
    expect(statSync(folder).mode & 0o777).toBe(0o700);
    const [name] = cacheFiles(folder);
    expect(cacheFiles(folder)).toHaveLength(1);
    const file = join(folder, name!);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const written = readFileSync(file);
    expect(written.length).toBeGreaterThan(1000);

    // V8 took the cache: a refused one would have been written again.
    const before = statSync(file).mtimeMs;
    runVersion({ LEAN_MOCK_COMPILE_CACHE: folder });
    expect(statSync(file).mtimeMs).toBe(before);
    expect(readFileSync(file).equals(written)).toBe(true);
    expect(cacheFiles(folder)).toEqual([name]);
  });

  it('replaces a damaged cache instead of trusting it', () => {
    const folder = join(tempDir(), 'cache');
    runVersion({ LEAN_MOCK_COMPILE_CACHE: folder });
    const file = join(folder, cacheFiles(folder)[0]!);
    const good = readFileSync(file);
    for (const damaged of [Buffer.alloc(good.length, 0x5a), good.subarray(0, 64), Buffer.alloc(0)]) {
      writeFileSync(file, damaged);
      runVersion({ LEAN_MOCK_COMPILE_CACHE: folder });
      expect(readFileSync(file).length).toBeGreaterThan(1000);
      expect(readFileSync(file).equals(damaged)).toBe(false);
    }
    expect(cacheFiles(folder)).toHaveLength(1);
  });

  it.skipIf(process.platform === 'win32')('neither reads nor writes a cache in a folder others can write to', () => {
    const folder = join(tempDir(), 'shared');
    runVersion({ LEAN_MOCK_COMPILE_CACHE: folder });
    const file = join(folder, cacheFiles(folder)[0]!);
    writeFileSync(file, Buffer.alloc(4096, 0x5a));
    chmodSync(folder, 0o777);
    runVersion({ LEAN_MOCK_COMPILE_CACHE: folder });
    // Not rewritten: the folder was judged unsafe before the file was read.
    expect(readFileSync(file).equals(Buffer.alloc(4096, 0x5a))).toBe(true);
    expect(cacheFiles(folder)).toHaveLength(1);
  });

  it('is off with LEAN_MOCK_COMPILE_CACHE=off or NODE_DISABLE_COMPILE_CACHE=1: nothing written, the default folder included', () => {
    for (const env of [{ LEAN_MOCK_COMPILE_CACHE: 'off' }, { NODE_DISABLE_COMPILE_CACHE: '1' }]) {
      const tmp = tempDir();
      runVersion({ ...env, TMPDIR: tmp });
      expect(readdirSync(tmp)).toEqual([]);
    }
  });
});

describe('where the cache lives', () => {
  it('defaults to a folder of the user\'s own in the temporary folder; a path chooses another; off turns it off', () => {
    expect(compileCacheFolder({})).toBe(join(tmpdir(), `lean-mock-compile-cache-${process.getuid?.() ?? 'user'}`));
    expect(compileCacheFolder({ LEAN_MOCK_COMPILE_CACHE: 'on' })).toBe(compileCacheFolder({}));
    expect(compileCacheFolder({ LEAN_MOCK_COMPILE_CACHE: '/tmp/x' })).toBe('/tmp/x');
    for (const off of ['off', '0', 'false', ' off ']) expect(compileCacheFolder({ LEAN_MOCK_COMPILE_CACHE: off })).toBeNull();
    expect(compileCacheFolder({ NODE_DISABLE_COMPILE_CACHE: '1', LEAN_MOCK_COMPILE_CACHE: '/tmp/x' })).toBeNull();
  });

  it('keys each cache by the bundle\'s exact text, the command and the Node that compiled it', () => {
    const a = cacheFileFor('/c', 'module.exports = 1;', ['serve', '--port', '0']);
    expect(cacheFileFor('/c', 'module.exports = 1;', ['serve'])).toBe(a);
    expect(cacheFileFor('/c', 'module.exports = 2;', ['serve'])).not.toBe(a);
    expect(a).toMatch(new RegExp(`^/c/[0-9a-f]{32}-serve-${process.version}-${process.arch}\\.v8cache$`));
    expect(cacheFileFor('/c', 'x', ['--version'])).toContain('-other-');
    expect(cacheFileFor('/c', 'x', ['../../etc/passwd'])).toContain('-other-');
    expect(cacheFileFor('/c', 'x', ['doctor', '--json'])).toContain('-doctor-');
  });
});
