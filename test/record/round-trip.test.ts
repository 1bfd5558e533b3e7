import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readPkiFolder } from '../../src/pki/folder.js';
import type { LeanPki } from '../../src/pki/lean-pki.js';
import { startLeanMock, type LeanMock } from '../../src/server/lean-mock.js';
import { BIN, removeTempDirs, startServe, tempDir } from '../support/cli.js';
import { call, presented, type Reply } from '../support/mock-client.js';

/**
 * The whole issue-17 story through the built CLI, over real mTLS on both legs: a client with
 * lean-mock's PKI → `lean-mock record` → an upstream lean-mock with its own PKI and seed (standing
 * in for Lean's sandbox); then `serve --replay` answers the same calls offline; then `drift`
 * compares the upstream with a fresh mock. Child processes are spawned asynchronously: the
 * upstream runs in this process and must keep answering.
 */

interface Child {
  firstLine: Promise<string>;
  stop(): Promise<{ code: number | null; stdout: string; stderr: string }>;
  exited: Promise<{ code: number | null; stdout: string; stderr: string }>;
}

function spawnCli(args: readonly string[], cwd: string, env: NodeJS.ProcessEnv): Child {
  const child = spawn(process.execPath, [BIN, ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  let onLine: ((line: string) => void) | undefined;
  const firstLine = new Promise<string>((resolve) => (onLine = resolve));
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    if (stdout.includes('\n')) onLine?.(stdout.split('\n')[0]!);
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.once('exit', (code) => {
      onLine?.(`(exited ${code}) ${stderr}`);
      resolve({ code, stdout, stderr });
    }),
  );
  return {
    firstLine,
    exited,
    stop: () => {
      child.kill('SIGTERM');
      return exited;
    },
  };
}

let work: string;
let upstream: LeanMock;
let env: NodeJS.ProcessEnv;
let identityFlags: string[];

beforeAll(async () => {
  work = tempDir();
  upstream = await startLeanMock({ seed: 1, adminPort: 0 });
  const user = upstream.pki.apps[0]!;
  mkdirSync(join(work, 'lean'));
  writeFileSync(join(work, 'lean', 'my_app_cert.crt'), user.credential.certificatePem);
  writeFileSync(join(work, 'lean', 'my_app_private_key.pem'), user.credential.privateKeyPem, { mode: 0o600 });
  writeFileSync(join(work, 'lean', 'lean_public_cert_chain.pem'), upstream.pki.chainPem);
  identityFlags = ['--upstream-cert', 'lean/my_app_cert.crt', '--upstream-key', 'lean/my_app_private_key.pem', '--upstream-ca', 'lean/lean_public_cert_chain.pem'];
  env = { ...process.env, LEAN_APP_TOKEN: user.appToken, LEAN_CLIENT_ID: '', LEAN_CLIENT_SECRET: '' };
  const certs = spawnSync(process.execPath, [BIN, 'certs', '--out', 'mock-certs'], { cwd: work, encoding: 'utf8' });
  expect(certs.status).toBe(0);
});
afterAll(async () => {
  await upstream?.close();
  removeTempDirs();
});

describe('record → replay → drift through the CLI, mTLS on both legs', () => {
  it('replays offline exactly what was recorded, and finds no drift until the upstream changes', { timeout: 180_000 }, async () => {
    const pki: LeanPki = (await readPkiFolder(join(work, 'mock-certs'))).pki;
    const token = pki.apps[0]!.appToken;
    const json = { 'lean-app-token': token, 'content-type': 'application/json' };
    const flow = async (url: string): Promise<Reply[]> => {
      const banks = await call(url, pki, presented(pki, 'my_app'), { headers: { 'lean-app-token': token } });
      const created = await call(url, pki, presented(pki, 'my_app'), { method: 'POST', path: '/customers/v1', body: '{"app_user_id":"round-trip"}', headers: json });
      const id = (created as { json: { customer_id: string } }).json.customer_id;
      const fetched = await call(url, pki, presented(pki, 'my_app'), { path: `/customers/v1/${id}`, headers: { 'lean-app-token': token } });
      return [banks, created, fetched];
    };

    // 1. record
    const recorder = spawnCli(['record', '--upstream', upstream.url, ...identityFlags, '--out', 'exchanges', '--certs', 'mock-certs', '--port', '0', '--admin-port', 'off', '--json'], work, env);
    const ready = JSON.parse(await recorder.firstLine) as { url: string; upstream: string; out: string };
    expect(ready.upstream).toBe(upstream.url);
    const recorded = await flow(ready.url);
    expect(recorded.map((reply) => reply.ok && reply.status)).toEqual([200, 200, 200]);
    const stopped = await recorder.stop();
    expect(stopped.code).toBe(0);
    expect(stopped.stdout.split('\n').slice(1, 4).map((line) => (JSON.parse(line) as { recorded: string }).recorded)).toEqual(readdirSync(join(work, 'exchanges')).sort());
    expect(readdirSync(join(work, 'exchanges')).sort()).toEqual(['0001-GET-banks-v1.json', '0002-POST-customers-v1.json', expect.stringMatching(/^0003-GET-customers-v1-[0-9a-f-]{36}\.json$/)]);
    expect(upstream.journal.requests().filter((record) => record.app === 'my_app')).toHaveLength(3);

    // 2. replay: a mock with another seed answers the recorded calls byte for byte
    const replaying = await startServe(['--certs', 'mock-certs', '--port', '0', '--admin-port', '0', '--replay', 'exchanges', '--seed', '7', '--json'], work);
    try {
      const { url, adminUrl } = JSON.parse(replaying.readyLine) as { url: string; adminUrl: string };
      const replayed = await flow(url);
      expect(replayed.map((reply) => reply.ok && reply.body)).toEqual(recorded.map((reply) => reply.ok && reply.body));
      const unrecorded = await call(url, pki, presented(pki, 'my_app'), { path: '/customers/v1?page_size=1', headers: { 'lean-app-token': token } });
      expect(unrecorded.ok && unrecorded.status).toBe(200);
      const journal = (await (await fetch(`${adminUrl}/admin/v1/requests`)).json()) as { path: string; replayed?: string }[];
      expect(journal.map((record) => record.replayed ?? null)).toEqual([null, expect.stringMatching(/^0003-/), '0002-POST-customers-v1.json', '0001-GET-banks-v1.json']);
    } finally {
      await replaying.stop();
    }

    // 3. drift: none against the unchanged upstream …
    const driftArgs = ['drift', '--upstream', upstream.url, ...identityFlags, '--upstream-admin', upstream.adminUrl!];
    const same = await spawnCli([...driftArgs, '--json'], work, env).exited;
    expect(same.stderr).toBe('');
    expect(same.code).toBe(0);
    expect((JSON.parse(same.stdout) as { summary: { drifted: number; same: number } }).summary).toMatchObject({ drifted: 0, same: 24 });

    // … and a table naming the change once the upstream's banks list changes shape
    upstream.faults.add({ match: { method: 'GET', path: '/banks/v1' }, count: null, fault: { status: 200, body: [{ identifier: 'NEW_BANK', name: 'New', logo: null, country_code: 784 }] } });
    try {
      const drifted = await spawnCli(driftArgs, work, env).exited;
      expect(drifted.code).toBe(1);
      expect(drifted.stdout).toMatch(/^✗ banks\.list +GET \/banks\/v1 +200 +200$/m);
      expect(drifted.stdout).toContain('    $[].country_code: upstream number, mock string');
      expect(drifted.stderr).toBe('error: drift: 1 of 24 probes differ (23 same, 0 skipped, 0 failed)\n');
    } finally {
      upstream.faults.clear();
    }
  });
});

describe('record, replay and drift usage errors: exit 2, one line', () => {
  const run = (args: readonly string[], extraEnv: NodeJS.ProcessEnv = {}) =>
    spawnSync(process.execPath, [BIN, ...args], { cwd: work, encoding: 'utf8', env: { ...process.env, LEAN_APP_TOKEN: '', LEAN_CLIENT_ID: '', LEAN_CLIENT_SECRET: '', ...extraEnv } });

  it.each([
    [['record', '--upstream', 'https://x.test', '--upstream-cert', 'lean/my_app_cert.crt', '--upstream-key', 'lean/my_app_private_key.pem', '--out', 'o'], {}, /no upstream credentials: set LEAN_APP_TOKEN, or LEAN_CLIENT_ID and LEAN_CLIENT_SECRET/],
    [['record', '--upstream', 'http://x.test', '--upstream-cert', 'a', '--upstream-key', 'b', '--out', 'o'], { LEAN_APP_TOKEN: 't' }, /--upstream must be an https:\/\/ URL/],
    [['record', '--upstream', 'https://x.test', '--upstream-cert', 'missing.crt', '--upstream-key', 'b', '--out', 'o'], { LEAN_APP_TOKEN: 't' }, /cannot read --upstream-cert missing\.crt: ENOENT/],
    [['record', '--upstream', 'https://x.test', '--upstream-cert', 'lean/my_app_cert.crt', '--upstream-key', 'lean/lean_public_cert_chain.pem', '--out', 'o'], { LEAN_APP_TOKEN: 't' }, /cannot be used .*lean-mock doctor --cert/],
    [['drift', '--upstream', 'https://x.test', '--upstream-cert', 'a', '--upstream-key', 'b', '--customer-id', 'c'], { LEAN_APP_TOKEN: 't' }, /--customer-id and --entity-id go together/],
    [['drift', '--upstream', 'https://x.test', '--upstream-cert', 'lean/my_app_cert.crt', '--upstream-key', 'lean/my_app_private_key.pem'], { LEAN_APP_TOKEN: 't', LEAN_CLIENT_ID: 'i' }, /set either LEAN_APP_TOKEN or LEAN_CLIENT_ID \+ LEAN_CLIENT_SECRET, not both/],
  ] as const)('%j', (args, extraEnv, message) => {
    const result = run(args, extraEnv);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^error: [^\n]+\n$/);
    expect(result.stderr).toMatch(message);
    expect(result.status).toBe(2);
  });

  it('serve --replay with a bad exchange file names the file and the JSON path', () => {
    mkdirSync(join(work, 'bad-exchanges'), { recursive: true });
    writeFileSync(join(work, 'bad-exchanges', '0001-GET-banks-v1.json'), JSON.stringify({ lean_mock_exchange: 1, request: { method: 'GET', path: '/banks/v1', query: {} }, response: { status: 'OK' } }));
    const result = run(['serve', '--certs', 'mock-certs', '--port', '0', '--admin-port', 'off', '--replay', 'bad-exchanges']);
    expect(result.stderr).toBe(`error: --replay: ${join(work, 'bad-exchanges', '0001-GET-banks-v1.json')}: $.response.status: must be an HTTP status from 100 to 599\n`);
    expect(result.status).toBe(2);
  });
});
