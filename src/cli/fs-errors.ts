import { access, constants, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { UsageError } from './io.js';

const WORDS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOENT: 'no such file or folder',
  ENOTDIR: 'a part of the path is a file, not a folder',
  EISDIR: 'it is a folder, not a file',
  ENOSPC: 'no space left on the device',
  EEXIST: 'it already exists',
};

/** A file-system error in words, for a one-line CLI error (Node's own message repeats the syscall and path). */
export function describeFsError(error: NodeJS.ErrnoException): string {
  const words = error.code !== undefined ? WORDS[error.code] : undefined;
  return words ?? error.message;
}

/**
 * Refuses, before anything starts, a `flag` path that cannot be written as a file: empty or a
 * folder (usage errors), or in a folder that is missing or not writable (exit 1).
 */
export async function checkWritableFile(flag: string, target: string, given: string): Promise<void> {
  if (given.trim() === '') throw new UsageError(`${flag} needs a file path, e.g. ${flag} lean.env`);
  const existing = await stat(target).catch(() => undefined);
  if (existing?.isDirectory()) throw new UsageError(`${flag} ${target} is a folder: give a file path, e.g. ${flag} lean.env`);
  const folder = dirname(target);
  const parent = await stat(folder).catch((error: NodeJS.ErrnoException) => error);
  if (parent instanceof Error) throw new Error(`cannot write ${flag} ${target}: the folder ${folder} does not exist (${describeFsError(parent)})`);
  if (!parent.isDirectory()) throw new Error(`cannot write ${flag} ${target}: ${folder} is a file, not a folder`);
  await access(folder, constants.W_OK).catch((error: NodeJS.ErrnoException) => {
    throw new Error(`cannot write ${flag} ${target}: ${describeFsError(error)} in ${folder}`);
  });
}
