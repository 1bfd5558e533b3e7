import { open, type FileHandle } from 'node:fs/promises';
import { DoctorInputError, MAX_INPUT_BYTES, type DoctorSource } from '../types.js';

/** The bytes of a source and the name messages call it by. */
export interface SourceBytes {
  readonly name: string;
  readonly bytes: Buffer;
}

const CHUNK_BYTES = 64 * 1024;

/** What messages call a source: its path, or the name given to in-memory data. */
export function sourceName(source: DoctorSource, role: string): string {
  return source.name ?? ('path' in source ? source.path : `(${role} given in memory)`);
}

/**
 * Reads a file (or takes in-memory data). A file that cannot be read, or is larger than
 * {@link MAX_INPUT_BYTES}, is an input error, not a finding. Files are read no further than the
 * limit, so `--cert /dev/zero` or a pipe that never ends is refused rather than filling memory.
 */
export async function readSource(source: DoctorSource, role: string): Promise<SourceBytes> {
  const name = sourceName(source, role);
  if ('data' in source) {
    const bytes = typeof source.data === 'string' ? Buffer.from(source.data, 'utf8') : Buffer.from(source.data);
    if (bytes.length > MAX_INPUT_BYTES) throw tooLarge(role, name, bytes.length);
    return { name, bytes };
  }
  let handle: FileHandle | undefined;
  try {
    handle = await open(source.path, 'r');
    const stats = await handle.stat();
    if (stats.isFile() && stats.size > MAX_INPUT_BYTES) throw tooLarge(role, name, stats.size);
    return { name, bytes: await readAtMostTheLimit(handle, role, name) };
  } catch (error) {
    if (error instanceof DoctorInputError) throw error;
    throw new DoctorInputError(`cannot read ${role} ${name}: ${whyUnreadable(error)}`);
  } finally {
    await handle?.close();
  }
}

async function readAtMostTheLimit(handle: FileHandle, role: string, name: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for (;;) {
    const chunk = Buffer.allocUnsafe(CHUNK_BYTES);
    const { bytesRead } = await handle.read(chunk, 0, CHUNK_BYTES, null);
    if (bytesRead === 0) return Buffer.concat(chunks, total);
    chunks.push(chunk.subarray(0, bytesRead));
    total += bytesRead;
    if (total > MAX_INPUT_BYTES) throw tooLarge(role, name, null);
  }
}

function tooLarge(role: string, name: string, size: number | null): DoctorInputError {
  const limit = `${MAX_INPUT_BYTES / (1024 * 1024)} MiB`;
  const what = size === null ? `is over the doctor's ${limit} limit` : `is ${size} bytes, over the doctor's ${limit} limit`;
  return new DoctorInputError(`${role} ${name} ${what}: no certificate, key, CA bundle or CRL is that large; is it the right file?`);
}

function whyUnreadable(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'it is a folder';
  return code ?? String(error);
}
