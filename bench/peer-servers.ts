/**
 * Servers that answer GET /banks/v1 with the same bank-list bytes over HTTPS with required client
 * certificates from one lean-mock PKI, each started until its first mTLS 200: lean-mock (its CLI
 * as a process, or in process), the bare https and bare express floors as processes, mountebank
 * (an https imposter with mutualAuth) and WireMock (the npm package's standalone jar under java).
 * The peers and memory suites drive them; every process is started through bench/processes.ts.
 */
import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { loadBanks } from '../src/lean/banks.js';
import { writePkiFolder } from '../src/pki/folder.js';
import { certificateAndChain, defaultApp, type LeanPki } from '../src/pki/lean-pki.js';
import { toPkcs12 } from '../src/pki/pkcs12.js';
import { startLeanMock } from '../src/server/lean-mock.js';
import { PEER_MODULES } from './peer-install.js';
import { freePort, launch, readyPort, stopChild, until, type Launched } from './processes.js';
import { bareServerOptions, fetchOnce, getOnce } from './tls-load.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const CLI_PATH = join(ROOT, 'dist/cli/main.js');
const MB_PATH = join(PEER_MODULES, 'mountebank/bin/mb');
const WIREMOCK_DIR = join(PEER_MODULES, 'wiremock/build');
const BARE_HTTPS_PATH = fileURLToPath(new URL('./servers/bare-https.mjs', import.meta.url));
const MOCKTTP_PATH = fileURLToPath(new URL('./servers/mockttp.mjs', import.meta.url));
const BARE_EXPRESS_PATH = fileURLToPath(new URL('./servers/bare-express.mjs', import.meta.url));
export const PROBE_PATH = '/banks/v1';
export const BODY = JSON.stringify(loadBanks());
export const BODY_BYTES = Buffer.byteLength(BODY);
/** WireMock wants this password on its trust store; the key store uses it too, for simplicity. */
const STORE_PASSWORD = 'password';

/** A server answering on `port` (mTLS), stopped by `stop()`. */
export interface Running {
  port: number;
  /** The process serving: a child's pid, or this process's for a server started in it. */
  pid: number;
  stop(): Promise<void>;
}

/** One mTLS GET /banks/v1 with the default app's certificate: true for a 200 with the bank list. */
export async function answers(pki: LeanPki, port: number): Promise<boolean> {
  const reply = await fetchOnce(port, pki, defaultApp(pki), PROBE_PATH);
  return reply.status === 200 && JSON.stringify(JSON.parse(reply.body)) === BODY;
}

/** Refused without a client certificate: what "required client certificates" means, checked once per peer. */
export function refusesAnonymous(pki: LeanPki, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path: PROBE_PATH, servername: 'localhost', ca: pki.chainPem, agent: false }, (res) => {
      res.resume();
      resolve(false);
    });
    req.on('error', () => resolve(true));
    req.setTimeout(10_000, () => req.destroy(new Error('timeout')));
    req.end();
  });
}

async function postJson(url: string, body: unknown): Promise<void> {
  const reply = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!reply.ok) throw new Error(`POST ${url} answered ${reply.status}: ${(await reply.text()).slice(0, 200)}`);
  await reply.arrayBuffer();
}

/** Files the servers read, built once per suite (untimed): a PEM folder, PKCS#12 stores for WireMock, the process floors' setup. */
export interface Material {
  dir: string;
  pki: LeanPki;
  certsDir: string;
  keystore: string;
  truststore: string;
  bareSetup: string;
  /** PEM files for the load client (bench/load-client.ts): the default app's certificate and key, the chain it trusts. */
  client: { cert: string; key: string; ca: string; token: string };
}

export async function prepare(pki: LeanPki): Promise<Material> {
  const dir = await mkdtemp(join(tmpdir(), 'lean-mock-bench-peers-'));
  const certsDir = join(dir, 'certs');
  await writePkiFolder(pki, certsDir);
  const keystore = join(dir, 'server.p12');
  await writeFile(
    keystore,
    toPkcs12({
      keyPem: pki.server.privateKeyPem,
      certificatePems: [pki.server.certificatePem, pki.intermediate.certificatePem, pki.root.certificatePem],
      password: STORE_PASSWORD,
      friendlyName: 'server',
    }),
  );
  // A PKCS#12 trust store of certificate entries only: keytool writes what Java's TrustManager reads.
  const truststore = join(dir, 'trust.p12');
  const run = promisify(execFile);
  for (const [alias, pem] of [
    ['lean-mock-root', pki.root.certificatePem],
    ['lean-mock-intermediate', pki.intermediate.certificatePem],
  ] as const) {
    const file = join(dir, `${alias}.pem`);
    await writeFile(file, pem);
    await run('keytool', ['-importcert', '-noprompt', '-storetype', 'PKCS12', '-keystore', truststore, '-storepass', STORE_PASSWORD, '-alias', alias, '-file', file]);
  }
  // One setup for both process floors (bench/servers/serve-setup.mjs reads it).
  const bareSetup = join(dir, 'bare-setup.json');
  await writeFile(bareSetup, JSON.stringify({ options: bareServerOptions(pki), body: BODY }), { mode: 0o600 });
  const app = defaultApp(pki);
  const client = { cert: join(dir, 'client.crt'), key: join(dir, 'client.key'), ca: join(dir, 'client-ca.pem'), token: app.appToken };
  await writeFile(client.cert, app.credential.certificatePem);
  await writeFile(client.key, app.credential.privateKeyPem, { mode: 0o600 });
  await writeFile(client.ca, pki.chainPem);
  return { dir, pki, certsDir, keystore, truststore, bareSetup, client };
}

export const dispose = (m: Material): Promise<void> => rm(m.dir, { recursive: true, force: true });

/** Waits for a launched server's first mTLS 200, or stops it and rethrows. */
async function served(launched: Launched, pki: LeanPki, port: () => Promise<number>): Promise<Running> {
  try {
    const listening = await port();
    await until(launched, 'mTLS 200', () => answers(pki, listening));
    return { port: listening, pid: launched.child.pid ?? 0, stop: () => stopChild(launched.child) };
  } catch (error) {
    await stopChild(launched.child);
    throw error;
  }
}

/** mountebank: `mb` on a free port, then one https imposter with mutualAuth posted to its REST API. */
export async function startMountebank(m: Material): Promise<Running> {
  const [apiPort, port] = [await freePort(), await freePort()];
  const launched = launch(
    process.execPath,
    [MB_PATH, '--port', String(apiPort), '--localOnly', '--nologfile', '--loglevel', 'error', '--pidfile', join(m.dir, `mb-${apiPort}.pid`)],
    m.dir,
  );
  return served(launched, m.pki, async () => {
    await until(launched, 'REST API', async () => (await fetch(`http://127.0.0.1:${apiPort}/imposters`)).ok);
    await postJson(`http://127.0.0.1:${apiPort}/imposters`, {
      protocol: 'https',
      port,
      host: '127.0.0.1',
      key: m.pki.server.privateKeyPem,
      cert: certificateAndChain(m.pki, m.pki.server),
      mutualAuth: true,
      rejectUnauthorized: true,
      ca: [m.pki.intermediate.certificatePem, m.pki.root.certificatePem],
      recordRequests: false,
      stubs: [
        {
          predicates: [{ equals: { method: 'GET', path: PROBE_PATH } }],
          // mountebank answers Connection: close unless told otherwise.
          responses: [
            {
              is: {
                statusCode: 200,
                headers: { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': String(BODY_BYTES), Connection: 'keep-alive' },
                body: BODY,
              },
            },
          ],
        },
      ],
    });
    return port;
  });
}

/** WireMock's standalone jar from the npm package, if installed. */
export function wiremockJar(): string | undefined {
  const jar = existsSync(WIREMOCK_DIR) ? readdirSync(WIREMOCK_DIR).find((f) => f.endsWith('.jar')) : undefined;
  return jar && join(WIREMOCK_DIR, jar);
}

/** WireMock: the standalone jar with an HTTPS port requiring client certificates, the stub posted to its admin API. */
export async function startWireMock(m: Material, jar: string): Promise<Running> {
  const [adminPort, port] = [await freePort(), await freePort()];
  // prettier-ignore
  const launched = launch('java', [
    '-jar', jar,
    '--bind-address', '127.0.0.1',
    '--port', String(adminPort),
    '--https-port', String(port),
    '--https-keystore', m.keystore, '--keystore-type', 'PKCS12', '--keystore-password', STORE_PASSWORD, '--key-manager-password', STORE_PASSWORD,
    '--https-require-client-cert',
    '--https-truststore', m.truststore, '--truststore-type', 'PKCS12', '--truststore-password', STORE_PASSWORD,
    '--root-dir', m.dir,
    '--disable-banner', '--disable-request-logging', '--no-request-journal',
    '--use-chunked-encoding', 'never',
  ], m.dir);
  return served(launched, m.pki, async () => {
    await until(launched, 'admin API', async () => (await fetch(`http://127.0.0.1:${adminPort}/__admin/health`)).ok);
    await postJson(`http://127.0.0.1:${adminPort}/__admin/mappings`, {
      request: { method: 'GET', urlPath: PROBE_PATH },
      response: { status: 200, headers: { 'Content-Type': 'application/json; charset=utf-8' }, body: BODY },
    });
    return port;
  });
}

/** lean-mock as a process: `serve --certs` on the certificate folder (admin API off), its JSON ready line, the first 200. */
export function startLeanMockCli(m: Material): Promise<Running> {
  const launched = launch(process.execPath, [CLI_PATH, 'serve', '--port', '0', '--admin-port', 'off', '--json', '--certs', m.certsDir], m.dir);
  return served(launched, m.pki, () => readyPort(launched));
}

/** The bare https floor as a process (plain node on bench/servers/bare-https.mjs), the same options and body as in process. */
export function startBareHttpsProcess(m: Material): Promise<Running> {
  const launched = launch(process.execPath, [BARE_HTTPS_PATH, m.bareSetup], m.dir);
  return served(launched, m.pki, () => readyPort(launched));
}

/** The bare express 5 floor as a process (plain node on bench/servers/bare-express.mjs): the same options and body through one express route. */
export function startBareExpressProcess(m: Material): Promise<Running> {
  const launched = launch(process.execPath, [BARE_EXPRESS_PATH, m.bareSetup], m.dir);
  return served(launched, m.pki, () => readyPort(launched));
}

export async function startLeanMockInProcess(m: Material): Promise<Running> {
  const mock = await startLeanMock({ pki: m.pki, adminPort: 'off' });
  if (!(await answers(m.pki, mock.port))) {
    await mock.close();
    throw new Error('lean-mock did not answer the bank list');
  }
  return { port: mock.port, pid: process.pid, stop: () => mock.close() };
}


/**
 * mockttp as a process (bench/servers/mockttp.mjs), server-only TLS from its own RSA CA (`ca`),
 * checked to answer the bank list trusting that CA. Resolves with the PEM file of that CA too, for the load client.
 */
export async function startMockttpProcess(m: Material, ca: { key: string; cert: string }): Promise<Running & { caFile: string }> {
  const setup = join(m.dir, 'mockttp-setup.json');
  const caFile = join(m.dir, 'mockttp-ca.pem');
  await writeFile(setup, JSON.stringify({ ca, path: PROBE_PATH, body: BODY }), { mode: 0o600 });
  await writeFile(caFile, ca.cert);
  const launched = launch(process.execPath, [MOCKTTP_PATH, setup], m.dir);
  try {
    const port = await readyPort(launched);
    await until(launched, '200', async () => {
      const reply = await getOnce({ port, path: PROBE_PATH, ca: ca.cert });
      return reply.status === 200 && reply.body === BODY;
    });
    return { port, pid: launched.child.pid ?? 0, stop: () => stopChild(launched.child), caFile };
  } catch (error) {
    await stopChild(launched.child);
    throw error;
  }
}
