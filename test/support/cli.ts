import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import type { ProcessResult } from './openssl.js';

/** The built bin (`npm run build` runs first, as the `pretest` script). */
export const BIN = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));

export interface CliResult extends ProcessResult {
  /** True if the process was killed because it outlived its timeout. */
  timedOut: boolean;
}

/** Runs `node dist/cli/main.js ...args` in `cwd`; never throws on a non-zero exit. */
export function leanMock(args: readonly string[], cwd: string, timeout = 60_000): CliResult {
  const result = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', timeout });
  const timedOut = (result.error as NodeJS.ErrnoException | undefined)?.code === 'ETIMEDOUT';
  if (result.error && !timedOut) throw result.error;
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr, timedOut };
}

/** Fresh (real-path) temporary folders, all removed by {@link removeTempDirs}. */
const created: string[] = [];

export function tempDir(): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'lean-mock-cli-')));
  created.push(dir);
  return dir;
}

export function removeTempDirs(): void {
  for (const dir of created.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}

/** The CLI failed with `code`, saying so in exactly one `error:` line and no stack trace. */
export function expectOneErrorLine(result: CliResult, code: 1 | 2): string {
  expect(result.timedOut).toBe(false);
  expect(result.stderr).not.toMatch(/^\s+at /m);
  expect(result.stderr).toMatch(/^error: [^\n]+\n$/);
  expect(result.code).toBe(code);
  expect(result.stdout).toBe('');
  return result.stderr;
}

/** A `lean-mock serve` running in the background, stopped with a signal. */
export interface RunningServe {
  /** The first stdout line: the ready line. */
  readyLine: string;
  stop(signal?: NodeJS.Signals): Promise<{ code: number | null; stderr: string }>;
}

/** Starts `lean-mock serve ...args` and resolves once it prints its ready line (or rejects with its error). */
export function startServe(args: readonly string[], cwd: string, timeoutMs = 20_000): Promise<RunningServe> {
  const child = spawn(process.execPath, [BIN, 'serve', ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`serve printed no ready line in ${timeoutMs} ms: ${stderr}`));
    }, timeoutMs);
    const onData = (): void => {
      if (!stdout.includes('\n')) return;
      clearTimeout(timer);
      child.stdout.off('data', onData);
      resolve({
        readyLine: stdout.split('\n')[0]!,
        stop: async (signal = 'SIGTERM') => {
          child.kill(signal);
          return { code: await exited, stderr };
        },
      });
    };
    child.stdout.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited with ${code} before it was ready: ${stderr}`));
    });
  });
}
