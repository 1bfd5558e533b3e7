import { createHash } from 'node:crypto';
import { lstatSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { Script } from 'node:vm';

/**
 * Runs the `lean-mock` command's CommonJS bundle with V8's code cache, as Node 22's
 * `module.enableCompileCache()` does for every module (Node 20 has no such switch). A cold `serve`
 * spent about a fifth of its start parsing and compiling the bundle; from the cache V8 reads the
 * compiled code instead, including the functions the last run compiled lazily. The cache is
 * written when a run found none (or V8 refused it: another Node, other flags), as that process
 * exits, so it holds what the run actually compiled; each command has its own, since `serve` and
 * `--version` compile very different parts of the bundle.
 *
 * `LEAN_MOCK_COMPILE_CACHE` chooses the folder (default: a private one per user in the temporary
 * folder); `off` (or `0`, or Node's own `NODE_DISABLE_COMPILE_CACHE=1`) compiles every time.
 */

/** The folder the cache lives in, or null when caching is off. */
export function compileCacheFolder(env: NodeJS.ProcessEnv = process.env): string | null {
  const setting = env.LEAN_MOCK_COMPILE_CACHE?.trim();
  if (env.NODE_DISABLE_COMPILE_CACHE === '1' || setting === 'off' || setting === '0' || setting === 'false') return null;
  if (setting && setting !== '1' && setting !== 'on') return resolve(setting);
  return join(tmpdir(), `lean-mock-compile-cache-${process.getuid?.() ?? 'user'}`);
}

/**
 * Makes the folder if needed and answers whether it is safe to read compiled code from: a real
 * folder (not a link), ours, writable by no one else. Code read from a folder another user can
 * write to would be theirs to choose.
 */
export function isPrivateFolder(folder: string): boolean {
  try {
    mkdirSync(folder, { recursive: true, mode: 0o700 });
    const stats = lstatSync(folder);
    if (!stats.isDirectory()) return false;
    if (process.platform === 'win32') return true;
    return stats.uid === process.getuid?.() && (stats.mode & 0o022) === 0;
  } catch {
    return false;
  }
}

/**
 * The cache file of one exact bundle text, one command and one Node: a changed bundle never meets
 * an old cache.
 */
export function cacheFileFor(folder: string, source: Uint8Array | string, argv: readonly string[] = process.argv.slice(2)): string {
  const digest = createHash('sha256').update(source).digest('hex').slice(0, 32);
  const command = argv.find((arg) => !arg.startsWith('-'));
  const label = command !== undefined && /^[a-z][a-z-]{0,31}$/.test(command) ? command : 'other';
  return join(folder, `${digest}-${label}-${process.version}-${process.arch}.v8cache`);
}

function readCache(file: string | null): Buffer | undefined {
  if (file === null) return undefined;
  try {
    return readFileSync(file);
  } catch {
    return undefined;
  }
}

/** Writes beside the target and renames: a concurrent reader sees the old file or the new, never half of one. */
function writeCache(file: string, data: Buffer): void {
  const partial = `${file}.${process.pid}.partial`;
  try {
    writeFileSync(partial, data, { mode: 0o600 });
    renameSync(partial, file);
  } catch {
    // A cache that cannot be written only costs the next start its compile time.
  }
}

/**
 * Loads `bundlePath` (a CommonJS file, ASCII only) as Node would, from the code cache when one fits, and
 * answers its exports.
 */
export function loadCachedBundle(bundlePath: string, env: NodeJS.ProcessEnv = process.env): Record<string, unknown> {
  const bytes = readFileSync(bundlePath);
  // The build keeps the bundle ASCII (scripts/build-cli.mjs), so latin1 reads it exactly, as a
  // one-byte string, without utf8's decoding pass over a megabyte.
  const source = bytes.toString('latin1');
  const folder = compileCacheFolder(env);
  const file = folder !== null && isPrivateFolder(folder) ? cacheFileFor(folder, bytes) : null;
  const cachedData = readCache(file);
  const wrapped = `(function (exports, require, module, __filename, __dirname) {${source}\n})`;
  const script = new Script(wrapped, { filename: bundlePath, ...(cachedData ? { cachedData } : {}) });
  if (file !== null && (cachedData === undefined || script.cachedDataRejected === true)) {
    process.once('exit', () => writeCache(file, script.createCachedData()));
  }
  const module = { exports: {} as Record<string, unknown> };
  const run = script.runInThisContext() as (...args: unknown[]) => void;
  run.call(module.exports, module.exports, createRequire(bundlePath), module, bundlePath, dirname(bundlePath));
  return module.exports;
}
