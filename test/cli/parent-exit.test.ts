import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import { connect } from 'node:net';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, removeTempDirs, tempDir } from '../support/cli.js';

// `npx lean-mock serve` runs npm → sh -c → node (measured with npm 11: npm forwards SIGTERM to the
// sh, which dies without passing it on). A parent that stops npx — Python's
// Popen(['npx', …]).terminate() or .kill() — must not leave node holding the ports.

const hasNpx = spawnSync('npx', ['--version'], { encoding: 'utf8' }).status === 0;

/** A project with lean-mock installed the way npm links a bin, so `npx lean-mock` runs it offline. */
function consumerProject(): string {
  const dir = tempDir();
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }));
  fs.mkdirSync(path.join(dir, 'node_modules', '.bin'), { recursive: true });
  const bin = path.join(dir, 'node_modules', '.bin', 'lean-mock');
  fs.writeFileSync(bin, `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} "$@"\n`, { mode: 0o755 });
  return dir;
}

/** Pids of the processes working in `dir` (Linux): whatever a failed run left behind. */
function processesIn(dir: string): number[] {
  if (process.platform !== 'linux') return [];
  return fs.readdirSync('/proc').filter((name) => /^\d+$/.test(name)).map(Number).filter((pid) => {
    try {
      return fs.readlinkSync(`/proc/${pid}/cwd`) === dir;
    } catch {
      return false;
    }
  });
}

/** Resolves with the port of the ready line `npx` relays from serve. */
function readyPort(child: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      const ready = /^lean-mock ready https:\/\/127\.0\.0\.1:(\d+) /m.exec(out);
      if (ready) resolve(Number(ready[1]));
    });
    child.once('exit', (code) => reject(new Error(`npx exited with ${code} before serve was ready: ${err}`)));
  });
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Connects until the port refuses (the test's timeout bounds the wait). */
async function untilClosed(port: number): Promise<void> {
  while (await accepts(port)) await new Promise((resolve) => setTimeout(resolve, 50));
}

let project: string | undefined;
afterEach(() => {
  for (const pid of project ? processesIn(project) : []) process.kill(pid, 'SIGKILL');
  project = undefined;
  removeTempDirs();
});

describe.skipIf(!hasNpx)('serve started through npx', () => {
  it.each(['SIGTERM', 'SIGKILL'] as const)('lets go of its port when npx is stopped with %s', async (signal) => {
    project = consumerProject();
    const npx = spawn('npx', ['--offline', 'lean-mock', 'serve', '--port', '0', '--admin-port', 'off'], {
      cwd: project,
      env: { ...process.env, npm_config_update_notifier: 'false', npm_config_fund: 'false' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const port = await readyPort(npx);
    expect(await accepts(port)).toBe(true);
    npx.kill(signal);
    await untilClosed(port);
    expect(await accepts(port)).toBe(false);
  }, 30_000);
});
