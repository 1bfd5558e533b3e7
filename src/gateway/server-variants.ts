import { once } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import { createServer as createNetServer, type AddressInfo, type Server as NetServer, type Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import type { LeanPki } from '../pki/lean-pki.js';
import type { ServerVariant } from '../pki/server-variants/build.js';
import { SERVER_CATALOGUE, type ServerVariantName } from '../pki/server-variants/catalogue.js';
import type { HandshakeRecord, Journal } from './journal.js';
import { receivedAlert } from './tls-alerts.js';
import { DEFAULT_HANDSHAKE_TIMEOUT_MS, type TlsVersion } from './tls-server.js';
import { describeClient } from './verdict.js';

/** The status an insecure client's request gets: the server it reached is not the one it meant (RFC 9110 §15.5.20). */
export const INSECURE_CLIENT_STATUS = 421;

/** How long a connection may sit idle after its handshake before it is closed (and judged). */
const IDLE_MS = 10_000;

export interface ServerVariantListenerOptions {
  pki: LeanPki;
  journal: Journal;
  clock: () => Date;
  /** Loopback only. Default 127.0.0.1. */
  host?: '127.0.0.1' | '::1';
  tlsMin?: TlsVersion;
  tlsMax?: TlsVersion;
  handshakeTimeoutMs?: number;
  /** The app a client certificate (by SHA-256 fingerprint) is bound to. */
  appOf(fingerprint256: string): string | null;
}

/** One listener, as `GET /admin/v1/server-variants` shows it. */
export interface ServerVariantStatus {
  name: ServerVariantName;
  url: string;
  must_refuse: boolean;
  description: string;
  expected_client_error: { message: string; code: string; node_code: string | null; alert: string | null };
  refused: number;
  accepted: number;
}

export interface ServerVariantListeners {
  /** `{ expired: 'https://127.0.0.1:PORT', … }` */
  readonly urls: Readonly<Record<ServerVariantName, string>>;
  status(): ServerVariantStatus[];
  /** Counts back to zero (with the journal, on reset). */
  resetCounts(): void;
  close(): Promise<void>;
}

interface SocketState {
  readonly remote: string;
  judged: boolean;
  secured: boolean;
}

/**
 * One loopback listener per bad server certificate (DESIGN.md §2.5). Binding is all a start costs:
 * the certificates are built, and the TLS servers made, on the first connection to any of them.
 * Each connection is journaled once, with what the client did: `refused` (it aborted the
 * handshake, or closed without sending a byte) or `accepted` (it sent data: an insecure client).
 */
export async function openServerVariantListeners(options: ServerVariantListenerOptions): Promise<ServerVariantListeners> {
  const host = options.host ?? '127.0.0.1';
  const counts = new Map<ServerVariantName, { refused: number; accepted: number }>();
  const sockets = new Set<Socket>();
  let tlsServers: Promise<Map<ServerVariantName, HttpsServer>> | undefined;
  const serversFor = (): Promise<Map<ServerVariantName, HttpsServer>> => {
    tlsServers ??= options.pki.serverVariants().then(
      (variants) => new Map(variants.map((variant) => [variant.name, tlsServerFor(variant)])),
      (error: unknown) => {
        tlsServers = undefined; // the next connection tries again
        throw error;
      },
    );
    return tlsServers;
  };

  const judge = (variant: ServerVariantName, socket: TLSSocket, state: SocketState, verdict: 'refused' | 'accepted', detail: { alert?: string | null; rawCode?: string | null } = {}): HandshakeRecord | undefined => {
    if (state.judged) return undefined;
    state.judged = true;
    const count = counts.get(variant)!;
    count[verdict] += 1;
    const peer = state.secured ? socket.getPeerCertificate() : null;
    const client = describeClient(peer?.raw ? peer : null);
    return options.journal.recordHandshake({
      remote: state.remote,
      tls_version: state.secured ? (socket.getProtocol() ?? null) : null,
      verdict: state.secured ? 'accepted' : 'rejected',
      reason: state.secured ? null : 'handshake_failed',
      raw_code: detail.rawCode ?? null,
      client,
      app: client ? options.appOf(client.fingerprint256) : null,
      server_variant: variant,
      client_verdict: verdict,
      client_alert: detail.alert ?? null,
    });
  };

  const states = new WeakMap<TLSSocket, SocketState>();
  const stateOf = (socket: TLSSocket): SocketState => {
    let state = states.get(socket);
    if (!state) {
      state = { remote: remoteOf(socket), judged: false, secured: false };
      states.set(socket, state);
    }
    return state;
  };

  function tlsServerFor(variant: ServerVariant): HttpsServer {
    const server = createHttpsServer(
      {
        key: variant.credential.privateKeyPem,
        cert: [variant.credential.certificatePem, ...variant.chainPems].join(''),
        // Asked for as Lean's host asks, so a client behaves as it would in production; never refused here.
        ca: [options.pki.intermediate.certificatePem, options.pki.root.certificatePem],
        requestCert: true,
        rejectUnauthorized: false,
        minVersion: `TLSv${options.tlsMin ?? '1.2'}`,
        maxVersion: `TLSv${options.tlsMax ?? '1.3'}`,
        handshakeTimeout: options.handshakeTimeoutMs ?? DEFAULT_HANDSHAKE_TIMEOUT_MS,
        // OpenSSL's default security level refuses to even load a SHA-1-signed certificate.
        ...(variant.name === 'sha1_signature' ? { ciphers: 'DEFAULT:@SECLEVEL=0' } : {}),
      },
      (req: IncomingMessage, res: ServerResponse) => {
        const socket = req.socket as TLSSocket;
        const record = judge(variant.name, socket, stateOf(socket), 'accepted');
        answerInsecure(res, variant, record?.id ?? null, options.clock);
      },
    );
    server.prependListener('tlsClientError', (error: NodeJS.ErrnoException, socket: TLSSocket) => {
      judge(variant.name, socket, stateOf(socket), 'refused', { alert: receivedAlert(error), rawCode: error.code ?? null });
      socket.destroy();
    });
    server.on('secureConnection', (socket: TLSSocket) => {
      const state = stateOf(socket);
      state.secured = true;
      socket.setTimeout(IDLE_MS, () => socket.destroy());
      // A client that checks the certificate after the handshake (hostnames, Node) closes without a byte.
      socket.once('close', () => judge(variant.name, socket, state, socket.bytesRead > 0 ? 'accepted' : 'refused'));
    });
    // Bytes that are not HTTP, after a completed handshake: the client trusted the server all the same.
    server.on('clientError', (_error: Error, socket: TLSSocket) => {
      const state = states.get(socket);
      if (state?.secured) judge(variant.name, socket, state, 'accepted');
      socket.destroy();
    });
    return server;
  }

  const listeners = await Promise.all(
    SERVER_CATALOGUE.map(async (description): Promise<[ServerVariantName, NetServer, string]> => {
      counts.set(description.name, { refused: 0, accepted: 0 });
      // Paused, so no byte is read before the TLS server, built on demand, takes the socket over.
      const raw = createNetServer({ pauseOnConnect: true }, (socket) => {
        sockets.add(socket);
        socket.once('close', () => sockets.delete(socket));
        socket.on('error', () => socket.destroy());
        serversFor().then(
          (servers) => {
            if (!socket.destroyed) servers.get(description.name)!.emit('connection', socket);
          },
          () => socket.destroy(),
        );
      });
      raw.listen(0, host);
      await once(raw, 'listening');
      const port = (raw.address() as AddressInfo).port;
      return [description.name, raw, `https://${host.includes(':') ? `[${host}]` : host}:${port}`];
    }),
  );
  const urls = Object.fromEntries(listeners.map(([name, , url]) => [name, url])) as Record<ServerVariantName, string>;

  return {
    urls,
    status: () =>
      SERVER_CATALOGUE.map((description) => ({
        name: description.name,
        url: urls[description.name],
        must_refuse: description.mustRefuse,
        description: description.description,
        expected_client_error: wireError(description.expectedClientError),
        ...counts.get(description.name)!,
      })),
    resetCounts: () => {
      for (const count of counts.values()) Object.assign(count, { refused: 0, accepted: 0 });
    },
    close: async () => {
      const closed = Promise.all(listeners.map(([, raw]) => new Promise<void>((resolve) => raw.close(() => resolve()))));
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}

function wireError(error: ServerVariant['expectedClientError']): ServerVariantStatus['expected_client_error'] {
  return { message: error.message, code: error.code, node_code: error.nodeCode, alert: error.alert };
}

/** 421 INSECURE_CLIENT in Lean's envelope; the connection closes after it. */
function answerInsecure(res: ServerResponse, variant: ServerVariant, handshakeId: number | null, clock: () => Date): void {
  const body = JSON.stringify({
    status: 'INSECURE_CLIENT',
    message:
      `Your client accepted a server certificate it must refuse (${variant.name}: ${variant.description}) ` +
      'It does not verify the server it talks to, so anyone on the path can read and change its traffic. ' +
      "Turn server verification back on and trust lean_public_cert_chain.pem.",
    metadata: { server_variant: variant.name, must_refuse: variant.mustRefuse, handshake_id: handshakeId },
    timestamp: clock().toISOString(),
  });
  res.writeHead(INSECURE_CLIENT_STATUS, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
    connection: 'close',
  });
  res.end(body);
}

function remoteOf(socket: Socket): string {
  const address = socket.remoteAddress ?? '?';
  return `${address.includes(':') ? `[${address}]` : address}:${socket.remotePort ?? '?'}`;
}
