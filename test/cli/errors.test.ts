import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { createServer, type Server } from 'node:net';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, expectOneErrorLine, leanMock, removeTempDirs, tempDir, type CliResult } from '../support/cli.js';

// Every way the CLI can fail on the user's machine says what to change in one line.

let blocker: Server | undefined;
afterEach(async () => {
  await new Promise<void>((resolve) => (blocker ? blocker.close(() => resolve()) : resolve()));
  blocker = undefined;
  removeTempDirs();
});

/** A port some other program holds. */
async function takenPort(): Promise<number> {
  blocker = createServer();
  await new Promise<void>((resolve) => blocker!.listen(0, '127.0.0.1', resolve));
  return (blocker.address() as { port: number }).port;
}

const isRoot = process.getuid?.() === 0;
const canDropRoot = isRoot && spawnSync('setpriv', ['--version']).status === 0;

/** Runs the CLI as a user a read-only folder refuses: ourselves, or `nobody` when we are root (root writes anywhere). */
function asUnprivileged(args: readonly string[], cwd: string): CliResult {
  const command = isRoot ? ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, BIN, ...args] : [process.execPath, BIN, ...args];
  const result = spawnSync(command[0]!, command.slice(1), { cwd, encoding: 'utf8', timeout: 60_000 });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr, timedOut: false };
}

/** A folder nobody may write in (readable and searchable by all, so the CLI can start in it). */
function readOnlyFolder(): string {
  const dir = tempDir();
  fs.chmodSync(dir, 0o555);
  return dir;
}

describe('lean-mock serve: ports', () => {
  it('names --admin-port when the admin port is taken, and --port when the API port is', async () => {
    const port = await takenPort();
    expect(expectOneErrorLine(leanMock(['serve', '--port', '0', '--admin-port', String(port)], tempDir()), 1)).toBe(
      `error: --admin-port ${port}: the port is in use (use --admin-port 0 for an ephemeral port)\n`,
    );
    expect(expectOneErrorLine(leanMock(['serve', '--port', String(port), '--admin-port', '0'], tempDir()), 1)).toBe(
      `error: --port ${port}: the port is in use (use --port 0 for an ephemeral port)\n`,
    );
  });

  it('refuses the same port for both as a usage error', () => {
    expect(expectOneErrorLine(leanMock(['serve', '--port', '18443', '--admin-port', '18443'], tempDir()), 2)).toMatch(/--port and --admin-port are both 18443/);
  });
});

describe('lean-mock serve --write-env', () => {
  const cases: [string, (cwd: string) => string, 1 | 2, RegExp][] = [
    ['nothing', () => '', 2, /--write-env needs a file path/],
    ['a folder', (cwd: string) => cwd, 2, /is a folder: give a file path/],
    ['a missing folder', () => 'no/such/lean.env', 1, /cannot write --write-env .*no\/such\/lean\.env: the folder .*no\/such does not exist/],
    ['a path through a file', (cwd: string) => (fs.writeFileSync(path.join(cwd, 'plain'), ''), 'plain/lean.env'), 1, /cannot write --write-env .*plain\/lean\.env/],
  ];
  it.each(cases)('given %s fails in one line before anything listens', (_case, target, code, message) => {
    const cwd = tempDir();
    expect(expectOneErrorLine(leanMock(['serve', '--port', '0', '--admin-port', '0', '--write-env', target(cwd)], cwd), code)).toMatch(message);
  });

  it.skipIf(isRoot && !canDropRoot)('in a read-only folder fails in one line', () => {
    const dir = readOnlyFolder();
    expect(expectOneErrorLine(asUnprivileged(['serve', '--port', '0', '--admin-port', '0', '--certs', '/nonexistent', '--write-env', path.join(dir, 'lean.env')], tempDir()), 1)).toMatch(
      /^error: cannot write --write-env .*lean\.env: permission denied in /,
    );
  });
});

describe.skipIf(isRoot && !canDropRoot)('unwritable certificate folders', () => {
  it('serve without --certs in a read-only folder says which folder and what to do', () => {
    const cwd = readOnlyFolder();
    expect(expectOneErrorLine(asUnprivileged(['serve', '--port', '0', '--admin-port', '0'], cwd), 1)).toBe(
      `error: cannot write the certificate folder ${path.join(cwd, 'lean-mock-certs')}: permission denied (or pass --certs DIR)\n`,
    );
  });

  it('certs --out in a read-only folder fails in one line and writes nothing', () => {
    const parent = readOnlyFolder();
    expect(expectOneErrorLine(asUnprivileged(['certs', '--out', path.join(parent, 'certs')], tempDir()), 1)).toMatch(/^error: cannot write .*certs: permission denied/);
    expect(fs.readdirSync(parent)).toEqual([]);
  });
});

describe('--help', () => {
  it.each([[[]], [['certs']], [['serve']], [['doctor']]])('of %j ends with examples of lean-mock commands', (command) => {
    const result = leanMock([...command, '--help'], tempDir());
    expect(result.code).toBe(0);
    const examples = result.stdout.split('\nExamples:\n')[1];
    expect(examples, result.stdout).toBeDefined();
    const lines = examples!.trimEnd().split('\n');
    expect(lines.length).toBeGreaterThanOrEqual(2);
    for (const line of lines) expect(line).toMatch(/^ {2}(\S+=\S+ )?lean-mock /);
  });
});
