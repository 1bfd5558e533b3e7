/**
 * Child processes the peers and memory suites start: launched with their output kept for error
 * messages, polled until ready within a time limit, and always stopped, however a suite ends.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';

/** Bounds on a child: to be ready, and to exit after SIGTERM before SIGKILL. */
const START_LIMIT_MS = 60_000;
const STOP_LIMIT_MS = 5_000;

/** Every child started here and still running, so a failure anywhere still stops them all. */
const children = new Set<ChildProcess>();

/** A port free on 127.0.0.1 a moment ago, for peers that must be told their port. */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export interface Launched {
  child: ChildProcess;
  /** The first 8,000 characters of stdout and stderr together. */
  output(): string;
}

export function launch(command: string, args: string[], cwd: string): Launched {
  const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  child.once('exit', () => children.delete(child));
  let output = '';
  const keep = (chunk: Buffer): void => {
    if (output.length < 8_000) output += chunk.toString('utf8');
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  child.once('error', (error) => (output += `\n${error.message}`));
  return { child, output: () => output };
}

/** SIGTERM, then SIGKILL past the limit; resolves once the child has exited. */
export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_LIMIT_MS);
  await exited;
  clearTimeout(timer);
}

/** Stops every child still running: the last line of defence in a suite's `finally`. */
export async function stopAllChildren(): Promise<void> {
  await Promise.all([...children].map((child) => stopChild(child)));
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const lastLine = (text: string): string => text.trim().split('\n').filter(Boolean).slice(-1)[0]?.slice(0, 200) ?? '(no output)';

export const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error)).replace(/\s+/g, ' ').slice(0, 240);

/** Polls `attempt` every 10 ms until it returns true, the child dies, or the start limit passes. */
export async function until({ child, output }: Launched, what: string, attempt: () => Promise<boolean>): Promise<void> {
  const deadline = performance.now() + START_LIMIT_MS;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`exited (${child.exitCode ?? child.signalCode}) before ${what}: ${lastLine(output())}`);
    }
    if (await attempt().catch(() => false)) return;
    if (performance.now() > deadline) throw new Error(`no ${what} within ${START_LIMIT_MS / 1000} s: ${lastLine(output())}`);
    await sleep(10);
  }
}

/** The port in the JSON ready line (`{"url":"https://127.0.0.1:PORT", …}`) that lean-mock's CLI and bench/servers print. */
export async function readyPort(launched: Launched): Promise<number> {
  let port = 0;
  await until(launched, 'ready line', async () => {
    const line = launched.output().split('\n').find((l) => l.startsWith('{'));
    if (line) port = Number(new URL((JSON.parse(line) as { url: string }).url).port);
    return port > 0;
  });
  return port;
}
