/**
 * mockttp, the in-process reference: the peers suite times its start against startLeanMock's and
 * its keep-alive rate against lean-mock's, both in this process. mockttp cannot request or verify
 * client certificates, so it serves plain (server-only) TLS: it is a reference for what an
 * in-process HTTPS mock costs, not a peer in mutual TLS.
 *
 * Its certificate: mockttp issues its own server certificate for the SNI name from a CA it is
 * given, and imports that CA's key as RSA only, so lean-mock's EC PKI cannot be handed to it. It
 * gets a CA from its own generateCACertificate() (RSA-2048), made once before timing, as
 * lean-mock's timed starts get a PKI made once; the leaf key pair mockttp shares across a process
 * is made at the first start, which is a warm-up.
 */
import { createSecureContext, type SecureContext } from 'node:tls';
import { BODY, BODY_BYTES, PROBE_PATH, type Running } from './peer-servers.js';
import { importPeer } from './peer-install.js';
import { getOnce } from './tls-load.js';

/** The part of mockttp's API used here (it is installed in bench/peers/, out of the type checker's reach). */
interface Mockttp {
  generateCACertificate(): Promise<{ key: string; cert: string }>;
  getLocal(options: { https: { key: string; cert: string } }): MockttpServer;
}
interface MockttpServer {
  readonly port: number;
  start(port: number): Promise<void>;
  stop(): Promise<void>;
  forGet(path: string): { thenReply(status: number, body: string, headers: Record<string, string>): Promise<unknown> };
}


export interface MockttpReference {
  /** One timed start: getLocal({ https }) + start(0) + the rule, until a client has its first 200 with the bank list. */
  start(): Promise<Running>;
  /** Trusts mockttp's CA; holds no client certificate, since mockttp asks for none. */
  clientContext: SecureContext;
  /** mockttp's CA, for the process that serves it to the load client (bench/servers/mockttp.mjs). */
  ca: { key: string; cert: string };
}

export async function loadMockttp(): Promise<MockttpReference> {
  const mockttp = await importPeer<Mockttp>('mockttp');
  const ca = await mockttp.generateCACertificate();
  // A content-length, as lean-mock sends: the keep-alive reader counts replies by it.
  const headers = { 'content-type': 'application/json; charset=utf-8', 'content-length': String(BODY_BYTES) };
  const start = async (): Promise<Running> => {
    const server = mockttp.getLocal({ https: { key: ca.key, cert: ca.cert } });
    // Port 0, the OS's ephemeral port as lean-mock uses, rather than start()'s default probe from 8000 up.
    // mockttp takes no host, so it listens on every interface; only loopback is ever dialled.
    await server.start(0);
    try {
      await server.forGet(PROBE_PATH).thenReply(200, BODY, headers);
      const reply = await getOnce({ port: server.port, path: PROBE_PATH, ca: ca.cert });
      if (reply.status !== 200 || reply.body !== BODY) throw new Error(`mockttp answered ${reply.status}, not the bank list`);
      return { port: server.port, pid: process.pid, stop: () => server.stop() };
    } catch (error) {
      await server.stop();
      throw error;
    }
  };
  return { start, clientContext: createSecureContext({ ca: ca.cert }), ca };
}
