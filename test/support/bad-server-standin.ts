import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import type { IssuedCertificate } from '../../src/pki/describe.js';
import type { LeanPki } from '../../src/pki/lean-pki.js';
import { joinPem } from '../../src/pki/pem.js';
import type { ClientVerdict, ServerVariant } from './server-variant-clients.js';

/**
 * A stand-in for lean-mock's per-variant listeners (issue 16 item 2), so the client programs can
 * be proved before those exist: one https server per bad server certificate on 127.0.0.1,
 * each requiring my_app's client certificate like the real gateway, and journaling per connection
 * whether the client refused the handshake (with the alert it sent) or completed it and sent a
 * request (an insecure client).
 */

interface VariantCertificate {
  name: string;
  mustRefuse: boolean;
  leaf: IssuedCertificate;
  /** Issuers sent after the leaf. */
  chainPems: readonly string[];
}

/** The catalogue's own certificates (src/pki/server-variants): only the listening is stood in for. */
async function variantCertificates(pki: LeanPki): Promise<VariantCertificate[]> {
  return (await pki.serverVariants()).map((variant) => ({
    name: variant.name,
    mustRefuse: variant.mustRefuse,
    leaf: variant.credential,
    chainPems: variant.chainPems,
  }));
}

export interface BadServerStandIn {
  readonly variants: readonly ServerVariant[];
  /** A listener with the good server certificate: proves a client's setup before it is trusted to refuse. */
  readonly goodUrl: string;
  /** Every connection so far, oldest first. */
  verdicts(): readonly ClientVerdict[];
  /** Resolves once `count` connections have a verdict (a hang fails by the caller's timeout). */
  waitForVerdicts(count: number): Promise<readonly ClientVerdict[]>;
  close(): Promise<void>;
}

export async function startBadServerStandIn(pki: LeanPki): Promise<BadServerStandIn> {
  const journal: ClientVerdict[] = [];
  const waiters = new Set<() => void>();
  const record = (verdict: ClientVerdict): void => {
    journal.push(verdict);
    for (const waiter of waiters) waiter();
  };
  const servers: https.Server[] = [];
  const variants: ServerVariant[] = [];
  const good: VariantCertificate = { name: 'good', mustRefuse: false, leaf: pki.server, chainPems: [pki.intermediate.certificatePem] };
  for (const certificate of [good, ...(await variantCertificates(pki))]) {
    const server = https.createServer({
      cert: joinPem([certificate.leaf.certificatePem, ...certificate.chainPems]),
      key: certificate.leaf.privateKeyPem,
      ca: pki.chainPem,
      requestCert: true,
      rejectUnauthorized: true,
      // Node's own OpenSSL will not even load a SHA-1-signed certificate at its default level.
      ...(certificate.name === 'sha1_signature' ? { ciphers: 'DEFAULT:@SECLEVEL=0' } : {}),
    });
    const accepted = new WeakSet<TLSSocket>();
    const alertOf = (error: Error & { reason?: string }): string | null => /alert (.+)$/.exec(error.reason ?? '')?.[1] ?? null;
    server.on('tlsClientError', (error: Error & { reason?: string }, socket: TLSSocket) => {
      // OpenSSL names an alert the peer sent "<version> alert <description>"; a bare close has none.
      record({ variant: certificate.name, verdict: 'refused', alert: alertOf(error), tlsVersion: socket.getProtocol?.() ?? null });
    });
    // Some clients check the certificate (or the host name) only once the handshake is over, then
    // close without a request: refused all the same.
    server.on('secureConnection', (socket: TLSSocket) => {
      let alert: string | null = null;
      const tlsVersion = socket.getProtocol();
      socket.on('error', (error: Error & { reason?: string }) => (alert ??= alertOf(error)));
      socket.on('close', () => {
        if (!accepted.has(socket)) record({ variant: certificate.name, verdict: 'refused', alert, tlsVersion });
      });
    });
    server.on('request', (request, reply) => {
      const socket = request.socket as TLSSocket;
      if (!accepted.has(socket)) {
        accepted.add(socket);
        record({ variant: certificate.name, verdict: 'accepted', alert: null, tlsVersion: socket.getProtocol() });
      }
      const insecure = certificate.name !== 'good';
      reply.writeHead(insecure ? 421 : 200, { 'content-type': 'application/json', connection: 'close' });
      reply.end(JSON.stringify(insecure ? { status: 'INSECURE_CLIENT', message: `this server presents a ${certificate.name} certificate` } : { status: 'OK' }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    servers.push(server);
    variants.push({ name: certificate.name, mustRefuse: certificate.mustRefuse, url: `https://127.0.0.1:${(server.address() as AddressInfo).port}/` });
  }
  return {
    variants: variants.slice(1),
    goodUrl: variants[0]!.url,
    verdicts: () => [...journal],
    waitForVerdicts(count) {
      return new Promise((resolve) => {
        const check = (): void => {
          if (journal.length < count) return;
          waiters.delete(check);
          resolve([...journal]);
        };
        waiters.add(check);
        check();
      });
    },
    async close() {
      await Promise.all(
        servers.map((server) => new Promise<void>((resolve) => {
          server.closeAllConnections();
          server.close(() => resolve());
        })),
      );
    },
  };
}
