import { spawn } from 'node:child_process';
import { request as httpsRequest } from 'node:https';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CertificateAuthority } from '../../src/pki/authority.js';
import { readPkiFolder } from '../../src/pki/folder.js';
import type { LeanPki } from '../../src/pki/lean-pki.js';
import { RevocationList } from '../../src/pki/revocation.js';
import { BIN, leanMock, removeTempDirs, tempDir } from '../support/cli.js';
import { appTokenOf, call, presented } from '../support/mock-client.js';

/**
 * `serve` with a certificate folder issues nothing, writes no PKCS#12 and runs no diagnosis: the
 * X.509 library and node-forge would only cost it start time and memory. Hooks in the served
 * process write down every module it resolves, `require` and `import` alike, so these tests see
 * exactly what was loaded, and when. The bin runs one CommonJS bundle (scripts/build-cli.mjs) that
 * requires the X.509 library, node-forge and yaml from node_modules on first use; the doctor, which
 * is bundled, needs both libraries as soon as it is evaluated, so their absence proves its absence.
 */

const HEAVY = {
  x509: /\/node_modules\/@peculiar\/x509\//,
  forge: /\/node_modules\/node-forge\//,
};

const DIST_CLI = join(BIN, '..');
/** Required by express as it loads: a log without it saw none of the bundle's requires. */
const MIME_DB = pathToFileURL(join(DIST_CLI, 'vendor', 'mime-db', 'db.json')).href;

let work: string;
let certs: string;
let pki: LeanPki;
let register: string;
let traceRequire: string;

beforeAll(async () => {
  work = tempDir();
  expect(leanMock(['certs', '--out', 'certs'], work).code).toBe(0);
  certs = join(work, 'certs');
  pki = (await readPkiFolder(certs)).pki;
  writeFileSync(
    join(work, 'hooks.mjs'),
    [
      "import { appendFileSync } from 'node:fs';",
      'let out;',
      'export function initialize(data) { out = data.out; }',
      'export async function resolve(specifier, context, next) {',
      '  const result = await next(specifier, context);',
      "  appendFileSync(out, result.url + '\\n');",
      '  return result;',
      '}',
    ].join('\n'),
  );
  register = join(work, 'register.mjs');
  writeFileSync(
    register,
    "import { register } from 'node:module';\n" +
      `register(${JSON.stringify(pathToFileURL(join(work, 'hooks.mjs')).href)}, { data: { out: process.env.LEAN_MOCK_MODULE_LOG } });\n`,
  );
  // require() does not pass through module.register's hooks on Node 20: its resolution is traced here.
  traceRequire = join(work, 'trace-require.cjs');
  writeFileSync(
    traceRequire,
    [
      "const Module = require('node:module');",
      "const { appendFileSync } = require('node:fs');",
      "const { pathToFileURL } = require('node:url');",
      'const resolve = Module._resolveFilename;',
      'Module._resolveFilename = function (...args) {',
      '  const filename = resolve.apply(this, args);',
      "  const url = Module.isBuiltin(filename) ? `node:${filename.replace(/^node:/, '')}` : pathToFileURL(filename).href;",
      "  appendFileSync(process.env.LEAN_MOCK_MODULE_LOG, url + '\\n');",
      '  return filename;',
      '};',
    ].join('\n'),
  );
});
afterAll(() => removeTempDirs());

interface Traced {
  url: string;
  adminUrl: string;
  serverVariants: Record<string, string>;
  /** Every module URL resolved so far, by `import` or `require` (Node's own as `node:…`). */
  modules(): string[];
  stderr(): string;
}

let stopping: (() => Promise<void>) | undefined;
afterEach(async () => {
  await stopping?.();
  stopping = undefined;
});

/** `lean-mock serve --certs DIR --json` on ephemeral ports, with the module hook loaded first. */
function serveTraced(certsDir: string): Promise<Traced> {
  const log = join(tempDir(), 'modules.txt');
  writeFileSync(log, '');
  const child = spawn(
    process.execPath,
    ['--require', traceRequire, '--import', pathToFileURL(register).href, BIN, 'serve', '--certs', certsDir, '--port', '0', '--admin-port', '0', '--json'],
    { cwd: work, env: { ...process.env, LEAN_MOCK_MODULE_LOG: log }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  stopping = async () => {
    child.kill('SIGKILL');
    await exited;
  };
  let stdout = '';
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    void exited.then(() => reject(new Error(`serve exited before it was ready: ${stderr}`)));
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      if (!stdout.includes('\n')) return;
      const ready = JSON.parse(stdout.split('\n')[0]!) as { url: string; adminUrl: string; serverVariants: Record<string, string> };
      resolve({
        ...ready,
        modules: () => readFileSync(log, 'utf8').split('\n').filter(Boolean),
        stderr: () => stderr,
      });
    });
  });
}

const loaded = (modules: readonly string[], pattern: RegExp): string[] => modules.filter((url) => pattern.test(url));

async function admin(served: Traced, path: string, body?: unknown): Promise<{ status: number; json: any }> {
  const response = await fetch(`${served.adminUrl}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  });
  return { status: response.status, json: await response.json() };
}

describe('lean-mock serve --certs', () => {
  it('loads neither @peculiar/x509, node-forge nor (so) the doctor to start and serve, and the X.509 library on the first revocation', async () => {
    const served = await serveTraced(certs);
    const reply = await call(served.url, pki, presented(pki, 'my_app'), { headers: appTokenOf(pki) });
    expect(reply.ok && reply.status).toBe(200);
    expect((await admin(served, '/admin/v1/handshakes')).status).toBe(200);

    const modules = served.modules();
    // The hooks saw the bundle's own requires (mime-db's data, for express): an empty log cannot pass for a lazy one.
    expect(modules).toContain(MIME_DB);
    expect(loaded(modules, HEAVY.x509)).toEqual([]);
    expect(loaded(modules, HEAVY.forge)).toEqual([]);

    const serial = pki.apps[0]!.credential.serialNumber;
    expect(await admin(served, '/admin/v1/revocations', { serial })).toMatchObject({ status: 201, json: { serial, issuer: 'intermediate' } });
    expect(loaded(served.modules(), HEAVY.x509)).not.toEqual([]);
    expect(loaded(served.modules(), HEAVY.forge)).toEqual([]);
    const refused = await call(served.url, pki, presented(pki, 'my_app'), { headers: appTokenOf(pki) });
    expect(refused.ok).toBe(false);
  });

  it('starts from the files in dist/cli/ and Node\'s own modules: no module of dist/ or node_modules read one by one', async () => {
    const served = await serveTraced(certs);
    const reply = await call(served.url, pki, presented(pki, 'my_app'), { headers: appTokenOf(pki) });
    expect(reply.ok && reply.status).toBe(200);
    const files = [...new Set(served.modules())];
    const cli = pathToFileURL(DIST_CLI).href + '/';
    // Resolving, reading and compiling some 420 files one by one was most of a cold start.
    expect(files.filter((url) => !url.startsWith('node:') && !url.startsWith(cli))).toEqual([]);
    expect(files.filter((url) => url.startsWith(cli)).length).toBeLessThan(10);
    expect(files).toContain(MIME_DB);
  });

  it('serves the bad server certificates from the folder\'s files, loading no X.509 library for them either', async () => {
    const served = await serveTraced(certs);
    const refused = await new Promise<string | undefined>((resolve) => {
      const req = httpsRequest(`${served.serverVariants.expired}/banks/v1`, { ca: pki.chainPem, agent: false }, (res) => resolve(`status ${res.statusCode}`));
      req.on('error', (error: NodeJS.ErrnoException) => resolve(error.code));
      req.end();
    });
    expect(refused).toBe('CERT_HAS_EXPIRED');
    expect(loaded(served.modules(), HEAVY.x509)).toEqual([]);
    expect(loaded(served.modules(), HEAVY.forge)).toEqual([]);
  });

  it('issues OAuth tokens from the bundle, jose included (it ships ESM only, so it is bundled, not required)', async () => {
    const served = await serveTraced(certs);
    const app = pki.apps[0]!;
    const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: app.clientId, client_secret: app.clientSecret, scope: 'api' });
    const token = await call(served.url, pki, presented(pki, 'my_app'), {
      method: 'POST',
      path: '/oauth2/token',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
    });
    expect(token.ok && token.status).toBe(200);
    const accessToken = token.ok ? (token.json as { access_token?: string }).access_token : undefined;
    expect(accessToken).toEqual(expect.any(String));
    const banks = await call(served.url, pki, presented(pki, 'my_app'), { headers: { authorization: `Bearer ${accessToken}` } });
    expect(banks.ok && banks.status).toBe(200);
    expect(served.modules().filter((url) => url.includes('/node_modules/'))).toEqual([]);
  });

  it('lists the serials of the folder\'s own CRLs before any revocation, as the CA\'s revocation lists read them', async () => {
    const served = await serveTraced(certs);
    const listed = async (material: LeanPki['intermediate']): Promise<string[]> =>
      RevocationList.fromCrl(await CertificateAuthority.load(material.certificatePem, material.privateKeyPem, pki.keyType), material.crlPem).serials();
    const expected = [...(await listed(pki.intermediate)), ...(await listed(pki.partnerIntermediate))];
    const revokedVariant = pki.variants.find((variant) => variant.name === 'revoked')!.credential!.serialNumber;
    expect(expected).toContain(revokedVariant);
    expect((await admin(served, '/admin/v1/revocations')).json).toEqual({ serials: expected });
    expect(loaded(served.modules(), HEAVY.x509)).toEqual([]);
  });

  it('keeps both of two revocations that arrive together before the revocation lists exist', async () => {
    const served = await serveTraced(certs);
    const serials = [pki.apps[0]!.credential.serialNumber, pki.apps[1]!.credential.serialNumber];
    const replies = await Promise.all(serials.map((serial) => admin(served, '/admin/v1/revocations', { serial })));
    expect(replies.map((reply) => reply.status)).toEqual([201, 201]);
    expect((await admin(served, '/admin/v1/revocations')).json.serials).toEqual(expect.arrayContaining(serials));
  });

  it('starts with a damaged intermediate CA key, and the first revocation fails with a Lean 500 naming the CA', async () => {
    const damaged = tempDir();
    expect(leanMock(['certs', '--out', damaged, '--force'], work).code).toBe(0);
    writeFileSync(join(damaged, 'ca', 'intermediate_key.pem'), '-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----\n');
    const served = await serveTraced(damaged);
    const { pki: damagedPki } = await readPkiFolder(damaged);
    const serial = damagedPki.apps[0]!.credential.serialNumber;
    for (const attempt of [1, 2]) {
      const failed = await admin(served, '/admin/v1/revocations', { serial });
      expect(failed, `attempt ${attempt}`).toMatchObject({ status: 500, json: { status: 'INTERNAL_SERVER_ERROR' } });
    }
    expect(served.stderr()).toContain('cannot revoke: the intermediate CA of this PKI cannot sign a new CRL');
    const reply = await call(served.url, damagedPki, presented(damagedPki, 'my_app'), { headers: appTokenOf(damagedPki) });
    expect(reply.ok && reply.status).toBe(200);
  });
});
