import { spawnSync } from 'node:child_process';

export interface ProcessResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the real `openssl` binary; never throws on a non-zero exit, so tests can assert on it. */
export function openssl(args: readonly string[], input?: string): ProcessResult {
  const result = spawnSync('openssl', args, { encoding: 'utf8', input, timeout: 20_000 });
  if (result.error) throw result.error;
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}
