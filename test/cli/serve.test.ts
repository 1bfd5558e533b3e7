import { SERVER_VARIANT_NAMES } from '../../src/pki/server-variants/catalogue.js';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readPkiFolder } from '../../src/pki/folder.js';
import { call, presented } from '../support/mock-client.js';
import { expectOneErrorLine, leanMock, removeTempDirs, startServe, tempDir, type RunningServe } from '../support/cli.js';

const READY = /^lean-mock ready (https:\/\/127\.0\.0\.1:\d+) admin (http:\/\/127\.0\.0\.1:\d+|off) certs (\S+)$/;

let running: RunningServe | undefined;
afterEach(async () => {
  await running?.stop('SIGKILL');
  running = undefined;
  removeTempDirs();
});

const tokenOf = (certs: string): string => JSON.parse(readFileSync(join(certs, 'manifest.json'), 'utf8')).apps[0].app_token;

describe('lean-mock serve', () => {
  it('generates a PKI under ./.lean-mock/certs, prints the ready line and serves GET /banks/v1 over mTLS', async () => {
    const cwd = tempDir();
    running = await startServe(['--port', '0', '--admin-port', '0'], cwd);
    const [, url, adminUrl, certs] = READY.exec(running.readyLine) ?? [];
    expect(certs).toBe(join(cwd, '.lean-mock', 'certs'));
    const { pki } = await readPkiFolder(certs!);
    const reply = await call(url!, pki, presented(pki, 'my_app'), { headers: { 'lean-app-token': tokenOf(certs!) } });
    expect(reply.ok && reply.status).toBe(200);
    const handshakes = (await (await fetch(`${adminUrl}/admin/v1/handshakes`)).json()) as { verdict: string }[];
    expect(handshakes[0]).toMatchObject({ verdict: 'accepted' });
  });

  it('stops cleanly on SIGTERM and SIGINT, and reuses its PKI on the next start', async () => {
    const cwd = tempDir();
    const first = await startServe(['--port', '0', '--admin-port', 'off'], cwd);
    const certs = READY.exec(first.readyLine)![3]!;
    const token = tokenOf(certs);
    expect(await first.stop('SIGTERM')).toMatchObject({ code: 0, stderr: expect.stringContaining('stopped (SIGTERM)') });
    const second = await startServe(['--port', '0', '--admin-port', 'off'], cwd);
    expect(tokenOf(certs)).toBe(token);
    expect(await second.stop('SIGINT')).toMatchObject({ code: 0 });
  });

  it('prints one JSON object with --json, and serves a folder from lean-mock certs with --certs', async () => {
    const cwd = tempDir();
    expect(leanMock(['certs', '--out', 'mine'], cwd).code).toBe(0);
    running = await startServe(['--certs', 'mine', '--port', '0', '--admin-port', 'off', '--json'], cwd);
    const ready = JSON.parse(running.readyLine) as Record<string, unknown>;
    const variantUrls = Object.fromEntries(SERVER_VARIANT_NAMES.map((name) => [name, expect.stringMatching(/^https:\/\/127\.0\.0\.1:\d+$/)]));
    expect(ready).toEqual({
      url: expect.stringMatching(/^https:\/\/127\.0\.0\.1:\d+$/),
      adminUrl: null,
      certs: join(cwd, 'mine'),
      appToken: tokenOf(join(cwd, 'mine')),
      serverVariants: variantUrls,
    });
  });

  it('opens no bad-server-certificate listener with --server-variants off', async () => {
    const cwd = tempDir();
    running = await startServe(['--port', '0', '--admin-port', 'off', '--server-variants', 'off', '--json'], cwd);
    expect(JSON.parse(running.readyLine)).toMatchObject({ serverVariants: {} });
  });

  it('writes an env file with the URL, credentials and certificate paths for suites in other languages', async () => {
    const cwd = tempDir();
    running = await startServe(['--port', '0', '--admin-port', '0', '--write-env', 'lean.env'], cwd);
    const [, url, adminUrl, certs] = READY.exec(running.readyLine)!;
    const env = Object.fromEntries(
      readFileSync(join(cwd, 'lean.env'), 'utf8').trim().split('\n').map((line) => line.split(/=(.*)/s).slice(0, 2) as [string, string]),
    );
    expect(env).toMatchObject({ LEAN_MOCK_URL: url, LEAN_MOCK_ADMIN_URL: adminUrl, LEAN_MOCK_CERTS: certs, LEAN_APP_TOKEN: tokenOf(certs!) });
    expect(statSync(join(cwd, 'lean.env')).mode & 0o777).toBe(0o600);
    const { pki } = await readPkiFolder(certs!);
    const identity = { cert: readFileSync(env.LEAN_CERT!, 'utf8'), key: readFileSync(env.LEAN_KEY!, 'utf8') };
    const reply = await call(url!, pki, identity, { ca: readFileSync(env.LEAN_CA!, 'utf8'), headers: { 'lean-app-token': env.LEAN_APP_TOKEN! } });
    expect(reply.ok && reply.status).toBe(200);
  });

  it('serves token-only without a client certificate under --no-mtls', async () => {
    const cwd = tempDir();
    running = await startServe(['--port', '0', '--admin-port', 'off', '--no-mtls'], cwd);
    const [, url, , certs] = READY.exec(running.readyLine)!;
    const { pki } = await readPkiFolder(certs!);
    const reply = await call(url!, pki, {}, { headers: { 'lean-app-token': tokenOf(certs!) } });
    expect(reply.ok && reply.status).toBe(200);
  });

  it('answers a bad certificate with 403 and its reason under --reject http', async () => {
    const cwd = tempDir();
    running = await startServe(['--port', '0', '--admin-port', 'off', '--reject', 'http'], cwd);
    const [, url, , certs] = READY.exec(running.readyLine)!;
    const { pki } = await readPkiFolder(certs!);
    const reply = await call(url!, pki, presented(pki, 'not_yet_valid'), { headers: { 'lean-app-token': tokenOf(certs!) } });
    expect(reply.ok && reply.json).toMatchObject({ status: 'INVALID_CERTIFICATE', metadata: { reason: 'not_yet_valid' } });
  });

  it('fails with one line when the port is taken or the certificate folder is not one', async () => {
    const cwd = tempDir();
    running = await startServe(['--port', '0', '--admin-port', 'off'], cwd);
    const port = new URL(READY.exec(running.readyLine)![1]!).port;
    expect(expectOneErrorLine(leanMock(['serve', '--port', port, '--admin-port', 'off'], cwd), 1)).toMatch(/port \d+ is in use/);
    expect(expectOneErrorLine(leanMock(['serve', '--certs', cwd, '--port', '0'], cwd), 1)).toMatch(/not a lean-mock certificate folder/);
  });

  it.each([
    [['--port', 'http'], /--port/],
    [['--admin-port', '70000'], /--admin-port/],
    [['--reject', 'politely'], /--reject/],
    [['--tls-min', '1.1'], /--tls-min/],
    [['--tls-min', '1.3', '--tls-max', '1.2'], /above/],
    [['--frobnicate'], /unknown option/],
    [['--seed', '-1'], /--seed/],
    [['--seed', 'abc'], /--seed/],
    [['--webhook-url', 'ftp://x'], /--webhook-url/],
    [['--as-of', '2026-13-45'], /--as-of/],
  ])('refuses %j as a usage error', (args, message) => {
    expect(expectOneErrorLine(leanMock(['serve', ...args], tempDir()), 2)).toMatch(message);
  });
});
