import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { lstatSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync, chmodSync } from 'node:fs';
import { connect } from 'node:tls';
import { join, relative } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readPkiFolder } from '../../src/pki/folder.js';
import { BIN, removeTempDirs, startServe, tempDir, type RunningServe } from '../support/cli.js';

const running: RunningServe[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((serve) => serve.stop('SIGKILL')));
  removeTempDirs();
});

/** `lean-mock ...args` under a shell that first runs `prefix` (a umask, a file-size limit). */
function shell(prefix: string, args: readonly string[], cwd: string): { code: number | null; stderr: string } {
  const quoted = [process.execPath, BIN, ...args].map((word) => `'${word.replace(/'/g, `'\\''`)}'`).join(' ');
  const result = spawnSync('sh', ['-c', `${prefix}; exec ${quoted}`], { cwd, encoding: 'utf8', timeout: 60_000 });
  return { code: result.status, stderr: result.stderr };
}

/** Every entry below `dir`, relative, with its type and permission bits, never following a link. */
function tree(dir: string): { path: string; kind: 'file' | 'folder' | 'link'; mode: number }[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    const stats = lstatSync(path);
    const entry = { path, kind: stats.isSymbolicLink() ? 'link' : stats.isDirectory() ? 'folder' : 'file', mode: stats.mode & 0o777 } as const;
    return entry.kind === 'folder' ? [entry, ...tree(path)] : [entry];
  });
}

function expectPrivate(certs: string): void {
  const manifest = JSON.parse(readFileSync(join(certs, 'manifest.json'), 'utf8')) as { files: { path: string; secret: boolean }[] };
  const secret = new Set(manifest.files.filter((file) => file.secret).map((file) => file.path));
  expect(statSync(certs).mode & 0o777).toBe(0o700);
  for (const entry of tree(certs)) {
    const path = relative(certs, entry.path);
    expect(entry.kind, path).not.toBe('link');
    const mode = entry.kind === 'folder' ? 0o700 : secret.has(path) || path === 'manifest.json' ? 0o600 : 0o644;
    expect(entry.mode.toString(8), path).toBe(mode.toString(8));
  }
}

describe('secrets on disk', () => {
  it('certs --force under umask 000 replaces planted symlinks instead of writing through them, and leaves keys 0600 and folders 0700', () => {
    const cwd = tempDir();
    const outside = join(cwd, 'outside');
    mkdirSync(outside);
    writeFileSync(join(outside, 'victim'), 'do not touch\n');
    mkdirSync(join(cwd, 'certs', 'ca'), { recursive: true });
    writeFileSync(join(cwd, 'certs', 'ca', 'root.key'), 'old, world-readable\n');
    chmodSync(join(cwd, 'certs', 'ca', 'root.key'), 0o644);
    symlinkSync(join(outside, 'victim'), join(cwd, 'certs', 'ca', 'intermediate.key'));
    symlinkSync(outside, join(cwd, 'certs', 'clients'));
    symlinkSync(outside, join(cwd, 'linked'));

    expect(shell('umask 000', ['certs', '--out', 'certs', '--force'], cwd)).toMatchObject({ code: 0 });
    expect(shell('umask 000', ['certs', '--out', 'linked', '--force'], cwd)).toMatchObject({ code: 0 });

    expect(readdirSync(outside)).toEqual(['victim']);
    expect(readFileSync(join(outside, 'victim'), 'utf8')).toBe('do not touch\n');
    expect(lstatSync(join(cwd, 'linked')).isDirectory()).toBe(true);
    expectPrivate(join(cwd, 'certs'));
    expectPrivate(join(cwd, 'linked'));
  });

  it('serve --write-env replaces a planted symlink and leaves the file 0600 under umask 000, even if it was 0644', async () => {
    const cwd = tempDir();
    writeFileSync(join(cwd, 'victim'), 'do not touch\n');
    symlinkSync(join(cwd, 'victim'), join(cwd, 'linked.env'));
    writeFileSync(join(cwd, 'open.env'), 'OLD=1\n', { mode: 0o644 });
    for (const target of ['linked.env', 'open.env']) {
      const serve = await serveUnder('umask 000', ['--port', '0', '--admin-port', 'off', '--write-env', target], cwd);
      serve.kill('SIGKILL');
      const stats = lstatSync(join(cwd, target));
      expect(stats.isFile()).toBe(true);
      expect((stats.mode & 0o777).toString(8)).toBe('600');
      expect(readFileSync(join(cwd, target), 'utf8')).toContain('LEAN_MOCK_URL=');
    }
    expect(readFileSync(join(cwd, 'victim'), 'utf8')).toBe('do not touch\n');
    expectPrivate(join(cwd, 'lean-mock-certs'));
  });

  it('a generation that fails halfway (file size limit) leaves no key anywhere', () => {
    const cwd = tempDir();
    const failed = shell('ulimit -f 2', ['certs', '--out', 'certs'], cwd);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/^error: cannot write .*certs/);
    expect(tree(cwd).filter((entry) => /key|\.p12|manifest/.test(entry.path))).toEqual([]);
  });

  it('two serve processes starting together on one cache folder both serve the PKI on disk', async () => {
    const cwd = tempDir();
    const args = ['--port', '0', '--admin-port', 'off', '--json'];
    const both = await Promise.all([startServe(args, cwd, 60_000), startServe(args, cwd, 60_000)]);
    running.push(...both);
    const { pki } = await readPkiFolder(join(cwd, 'lean-mock-certs'));
    for (const serve of both) {
      const { url } = JSON.parse(serve.readyLine) as { url: string };
      expect(await servedFingerprint(url)).toBe(pki.server.fingerprint256);
    }
  });
});

/** `lean-mock serve ...args` under `sh -c '<prefix>; exec node …'`, resolved once it printed its ready line. */
function serveUnder(prefix: string, args: readonly string[], cwd: string): Promise<ChildProcess> {
  const quoted = [process.execPath, BIN, 'serve', ...args].map((word) => `'${word}'`).join(' ');
  const child = spawn('sh', ['-c', `${prefix}; exec ${quoted}`], { cwd, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => chunk.includes('\n') && resolve(child));
    child.on('exit', (code) => reject(new Error(`serve exited with ${code} before it was ready`)));
  });
}

/** The fingerprint of the certificate the server at `url` presents (no client certificate needed to see it). */
function servedFingerprint(url: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port), rejectUnauthorized: false, servername: 'localhost' }, () => {
      resolve(socket.getPeerCertificate().fingerprint256);
      socket.destroy();
    });
    socket.on('error', reject);
  });
}
