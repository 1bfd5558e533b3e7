import { randomBytes } from 'node:crypto';
import { chmod, mkdir, open, readdir, readFile, rename, rm, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * Writing secrets without trusting what is already on disk: a file is written under a fresh name
 * (`wx`: never an existing file, never through a link) and renamed over the target, which replaces
 * a symlink there instead of following it; modes are set with chmod, so the umask never loosens them.
 */

/** Private keys and anything holding one (or a client secret): readable by the owner only. */
export const SECRET_MODE = 0o600;
export const PUBLIC_MODE = 0o644;
/** Folders holding secrets: only the owner may list or enter them. */
export const FOLDER_MODE = 0o700;

/** Writes `contents` to `target` atomically, with `mode` whatever the umask; a symlink at `target` is replaced, never followed. */
export async function writeFileSafely(target: string, contents: string | Uint8Array, mode: number): Promise<void> {
  const temporary = join(dirname(target), `.${basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const handle = await open(temporary, 'wx', mode);
  try {
    await handle.chmod(mode);
    await handle.writeFile(contents);
    await handle.close();
    await rename(temporary, target);
  } catch (error) {
    await handle.close().catch(() => undefined);
    await rm(temporary, { force: true });
    throw error;
  }
}

/** A new, private folder beside `dir` (same file system, so it can be renamed into place). */
export async function stagingFolderFor(dir: string): Promise<string> {
  const staging = join(dirname(dir), `.${basename(dir)}.${process.pid}.${randomBytes(4).toString('hex')}.staging`);
  await mkdir(staging, { mode: FOLDER_MODE });
  await chmod(staging, FOLDER_MODE);
  return staging;
}

/**
 * Puts `staging` where `dir` is, replacing whatever `dir` was (a folder, or a symlink, which is
 * moved aside itself: nothing is written through it). Fails with `EEXIST`/`ENOTEMPTY` when
 * `replace` is false and `dir` exists.
 */
export async function swapIntoPlace(staging: string, dir: string, replace: boolean): Promise<void> {
  if (replace) {
    const aside = join(dirname(dir), `.${basename(dir)}.${process.pid}.${randomBytes(4).toString('hex')}.old`);
    const moved = await rename(dir, aside).then(
      () => true,
      (error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return false;
        throw error;
      },
    );
    await rename(staging, dir);
    if (moved) await rm(aside, { recursive: true, force: true });
    return;
  }
  await rename(staging, dir);
}

/**
 * Removes staging folders and temporary files beside `dir` left by processes that no longer run
 * (killed mid-write), so an interrupted generation leaves no keys behind for long.
 */
export async function sweepAbandoned(dir: string): Promise<void> {
  const prefix = `.${basename(dir)}.`;
  const entries = await readdir(dirname(dir)).catch(() => [] as string[]);
  for (const entry of entries) {
    if (!entry.startsWith(prefix)) continue;
    const match = /^\.(?:.*)\.(\d+)\.[0-9a-f]{8}\.(?:staging|old|tmp)$/.exec(entry);
    if (!match || isRunning(Number(match[1]))) continue;
    await rm(join(dirname(dir), entry), { recursive: true, force: true });
  }
}

function isRunning(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Runs `work` holding an exclusive lock beside `dir` (a file created with `wx`), so concurrent
 * processes generating one cache folder take turns. A lock whose owner no longer runs is broken.
 */
export async function withFolderLock<T>(dir: string, work: () => Promise<T>): Promise<T> {
  const lock = join(dirname(dir), `.${basename(dir)}.lock`);
  for (;;) {
    try {
      const handle = await open(lock, 'wx', SECRET_MODE);
      await handle.writeFile(String(process.pid));
      await handle.close();
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = Number(await readFile(lock, 'utf8').catch(() => ''));
      // An empty file is a lock being written this instant: its owner runs.
      if (Number.isInteger(owner) && owner > 0 && !isRunning(owner)) await unlink(lock).catch(() => undefined);
      else await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }
  try {
    return await work();
  } finally {
    await unlink(lock).catch(() => undefined);
  }
}
