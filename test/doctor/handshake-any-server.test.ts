import { once } from 'node:events';
import { createServer as createHttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createTcpServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diagnose, type DoctorOptions, type DoctorReport } from '../../src/doctor/index.js';
import { CertificateAuthority } from '../../src/pki/authority.js';
import { certificateAndChain, createLeanPki, type LeanPki } from '../../src/pki/lean-pki.js';
import { failedChecks, findingOf, identity } from './fixture.js';

// `--url` is not lean-mock specific: a bare Node mTLS server, and the ways a connection fails before TLS.

let pki: LeanPki;
const servers: Server[] = [];
const sockets = new Set<Socket>();
let bare: string;
let wrongName: string;
let silent: string;
let plainHttp: string;
let closedPort: number;

async function listen(server: Server): Promise<string> {
  servers.push(server);
  server.on('connection', (socket: Socket) => sockets.add(socket.on('close', () => sockets.delete(socket))));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

beforeAll(async () => {
  pki = await createLeanPki();
  const mtls = { ca: pki.chainPem, requestCert: true, rejectUnauthorized: true };
  const hello = (_req: unknown, res: import('node:http').ServerResponse): void => {
    res.writeHead(200, { 'content-type': 'text/plain' }).end('hello mTLS\n');
  };
  const intermediate = await CertificateAuthority.load(pki.intermediate.certificatePem, pki.intermediate.privateKeyPem, 'ec');
  const otherName = await intermediate.issue({ commonName: 'other.example', purpose: 'server', hosts: ['other.example'] });
  bare = await listen(createHttpsServer({ ...mtls, key: pki.server.privateKeyPem, cert: certificateAndChain(pki, pki.server) }, hello));
  wrongName = await listen(createHttpsServer({ ...mtls, key: otherName.privateKeyPem, cert: certificateAndChain(pki, otherName) }, hello));
  silent = await listen(createTcpServer(() => undefined));
  plainHttp = await listen(createHttpServer(hello));
  const probe = createTcpServer().listen(0, '127.0.0.1');
  await once(probe, 'listening');
  closedPort = (probe.address() as AddressInfo).port;
  await new Promise((resolve) => probe.close(resolve));
});
afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
});

function against(url: string, who: string, extra: Partial<DoctorOptions> = {}): Promise<DoctorReport> {
  return diagnose({ url, ca: { data: pki.chainPem, name: 'lean_public_cert_chain.pem' }, ...identity(pki, who), ...extra });
}

describe('a bare https.createServer with requestCert and rejectUnauthorized', () => {
  it('passes the good app certificate over TLS 1.2 and 1.3 and reports its answer', async () => {
    const report = await against(bare, 'my_app');
    expect(report.ok).toBe(true);
    expect(findingOf(report, 'handshake_tls1_2').status).toBe('pass');
    expect(findingOf(report, 'handshake_tls1_3').status).toBe('pass');
    expect(findingOf(report, 'banks_request').message).toBe('GET /banks/v1 answered 200 with 11 bytes of text/plain');
  });

  it("explains its silent refusal of an expired certificate from the offline finding", async () => {
    const report = await against(bare, 'expired');
    expect(failedChecks(report)).toEqual(['validity', 'handshake_tls1_2', 'handshake_tls1_3']);
    expect(findingOf(report, 'handshake_tls1_2')).toMatchObject({ variant: 'expired', message: expect.stringMatching(/refused the certificate without saying why; the offline checks say why \(validity\): certificate expired on/) });
  });

  it('names the names a server certificate covers when the URL uses another', async () => {
    const report = await against(wrongName, 'my_app');
    expect(findingOf(report, 'handshake_tls1_2')).toMatchObject({ status: 'fail', message: "the server's certificate is for DNS:other.example, not for 127.0.0.1" });
  });
});

describe('connections that fail before TLS', () => {
  it('says nothing listens on a closed port, and does not try TLS 1.3 as well', async () => {
    const report = await against(`https://127.0.0.1:${closedPort}`, 'my_app');
    expect(findingOf(report, 'handshake_tls1_2')).toMatchObject({ status: 'fail', message: `connection refused: nothing listens on 127.0.0.1:${closedPort}` });
    expect(findingOf(report, 'handshake_tls1_3')).toMatchObject({ status: 'skip', message: expect.stringContaining('could not be reached') });
    expect(findingOf(report, 'banks_request').status).toBe('skip');
  });

  // The silent server never answers: without the 0.3 s limit this test would hit its own timeout.
  it('gives up on a server that never answers the handshake, within the timeout', async () => {
    const report = await against(silent, 'my_app', { timeoutMs: 300 });
    expect(findingOf(report, 'handshake_tls1_2').message).toMatch(/^connected to 127\.0\.0\.1:\d+, but the TLS handshake did not finish within 0\.3 s$/);
    expect(findingOf(report, 'handshake_tls1_3').status).toBe('fail');
  });

  it('recognises plain HTTP on the port', async () => {
    const report = await against(plainHttp, 'my_app');
    expect(findingOf(report, 'handshake_tls1_2').message).toMatch(/does not speak TLS \(plain HTTP on this port\?\)/);
  });
});
