import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { leanMock, removeTempDirs, startServe, tempDir, type RunningServe } from '../support/cli.js';

// `lean-mock certs`, then `lean-mock serve`, then the README's curl: one folder for both commands.

const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

/** The Quick start's curl block, as the README prints it. */
function readmeCurl(): string {
  const block = /```sh\n(C=lean-mock-certs\n[\s\S]*?)```/.exec(README.slice(README.indexOf('## Quick start')));
  if (!block) throw new Error('the README Quick start has no curl block starting with C=lean-mock-certs');
  return block[1]!;
}

let running: RunningServe | undefined;
afterEach(async () => {
  await running?.stop('SIGKILL');
  running = undefined;
  removeTempDirs();
});

const tokenIn = (dir: string): string => (JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { apps: { app_token: string }[] }).apps[0]!.app_token;

describe('one certificate folder for certs and serve', () => {
  it.skipIf(spawnSync('curl', ['--version']).status !== 0)("serves what `lean-mock certs` wrote, so the README's curl works", async () => {
    const cwd = tempDir();
    expect(leanMock(['certs'], cwd).code).toBe(0);
    const written = tokenIn(join(cwd, 'lean-mock-certs'));
    running = await startServe(['--port', '0', '--admin-port', '0'], cwd);
    const [, port, certs] = /^lean-mock ready https:\/\/127\.0\.0\.1:(\d+) admin \S+ certs (\S+)$/.exec(running.readyLine)!;
    expect(certs).toBe(join(cwd, 'lean-mock-certs'));
    expect(tokenIn(certs!)).toBe(written);

    const curl = spawnSync('sh', ['-c', readmeCurl().replaceAll(':8443', `:${port}`)], { cwd, encoding: 'utf8', timeout: 30_000 });
    // curl prints its progress meter on stderr when that is not a terminal: the status says how it went.
    expect(curl.status, curl.stderr).toBe(0);
    expect(JSON.parse(curl.stdout)).toEqual(expect.arrayContaining([expect.objectContaining({ identifier: expect.any(String) })]));
  });

  it('keeps the key type `certs --key-type rsa` chose when it reuses the folder', async () => {
    const cwd = tempDir();
    expect(leanMock(['certs', '--key-type', 'rsa'], cwd).code).toBe(0);
    const written = tokenIn(join(cwd, 'lean-mock-certs'));
    running = await startServe(['--port', '0', '--admin-port', 'off'], cwd);
    expect(tokenIn(join(cwd, 'lean-mock-certs'))).toBe(written);
  });
});
