import { constants, X509Certificate } from 'node:crypto';
import { ServerResponse, type IncomingMessage } from 'node:http';
import { createServer, type Server, type ServerOptions } from 'node:https';
import type { TLSSocket } from 'node:tls';
import { certificateAndChain, type LeanPki } from '../pki/lean-pki.js';
import { splitPem } from '../pki/pem.js';
import type { ClientCertificateInfo, Journal } from './journal.js';
import { PeerCertificateCache, type PeerCertificate } from './peer-certificates.js';
import type { ChainKnowledge, Verdict } from './verdict.js';

export type RejectionStyle = 'handshake' | 'http';
export type TlsVersion = '1.2' | '1.3';

/** What the gate hands to the HTTP layer about a connection: an identity, never a TLS object. */
export interface Connection {
  readonly handshakeId: number | null;
  readonly verdict: Verdict;
  readonly client: ClientCertificateInfo | null;
  /** The app the client certificate is bound to, if any. */
  readonly app: string | null;
  readonly tlsVersion: string | null;
}

export type ConnectionHandler = (req: IncomingMessage, res: ServerResponse, connection: Connection) => void;

export interface GatewayOptions {
  pki: LeanPki;
  journal: Journal;
  /** `handshake` (default) drops a bad certificate in the TLS handshake; `http` completes it and lets `onRejected` answer. */
  rejection?: RejectionStyle;
  tlsMin?: TlsVersion;
  tlsMax?: TlsVersion;
  /** Trust the root only, so clients must send the intermediate too (as Go clients do). */
  requireClientChain?: boolean;
  /** false: no client certificate asked for, like Lean's plain sandbox host. Default true. */
  mtls?: boolean;
  /** How long a connection may take to complete its TLS handshake before it is closed. Default 10 s, as for headers. */
  handshakeTimeoutMs?: number;
  /** Distinct client certificates whose parsed facts and verdicts are kept (PEER_CACHE_CAPACITY by default); 0 parses every handshake's. */
  peerCacheCapacity?: number;
  /** The app a client certificate (by SHA-256 fingerprint) is bound to. */
  appOf: (fingerprint256: string) => string | null;
  /** Requests on connections the gate accepted. */
  onAccepted: ConnectionHandler;
  /** Requests on connections the gate refused (only ever called in the `http` style). */
  onRejected: ConnectionHandler;
  /** `CONNECT` requests on accepted connections (never a tunnel: the mock proxies nothing). */
  onConnectMethod: ConnectionHandler;
}

export interface Gateway {
  readonly server: Server;
  /** Replaces the CRLs for new connections. Session tickets issued before stop working, so a revoked client cannot resume its way back in. */
  setCrls(crlPems: readonly string[]): void;
}

interface SocketState {
  peer: PeerCertificate | null;
  /** Read while the socket is alive: Node has torn it down by the time a rejection is decided. */
  remote: string;
  tlsVersion: string | null;
  connection?: Connection;
}

export const DEFAULT_HANDSHAKE_TIMEOUT_MS = 10_000;

const ACCEPTED: Verdict = Object.freeze({ verdict: 'accepted', reason: null, rawCode: null });

/** Options that keep slow or stuck clients from holding the server (hostile-input defaults). */
const HTTP_LIMITS = {
  headersTimeout: 10_000,
  requestTimeout: 30_000,
  keepAliveTimeout: 5_000,
  maxHeaderSize: 16_384,
  // Node enforces the two timeouts above only on this interval (30 s by default): a slowloris
  // would otherwise hold its socket for up to 40 s instead of 10.
  connectionsCheckingInterval: 1_000,
};

/**
 * The mTLS edge: an https server that asks for a client certificate, checks it against the PKI's
 * CAs and CRLs, journals one verdict per handshake and hands requests on accepted connections to
 * the HTTP layer with the connection's identity.
 *
 * How the peer certificate of a refused handshake is kept (DESIGN.md §3): Node destroys such a
 * socket before any public event carries the certificate, so on the server's `keylog` event (which
 * hands over the socket mid-handshake) a `'secure'` listener is prepended that reads it first.
 */
export function createGateway(options: GatewayOptions): Gateway {
  const mtls = options.mtls ?? true;
  const style = options.rejection ?? 'handshake';
  const { pki, journal } = options;
  const states = new WeakMap<TLSSocket, SocketState>();
  // Parsed when a refused certificate first needs them (to tell a missing intermediate from a
  // foreign CA), not on every start.
  let intermediates: readonly X509Certificate[] | undefined;
  const chains: ChainKnowledge = {
    get knownIntermediates() {
      return (intermediates ??= [pki.intermediate, pki.partnerIntermediate].map((ca) => new X509Certificate(ca.certificatePem)));
    },
  };
  const peers = new PeerCertificateCache(chains, options.peerCacheCapacity);
  const contextOptions: ServerOptions = {
    key: pki.server.privateKeyPem,
    cert: certificateAndChain(pki, pki.server),
    ca: options.requireClientChain ? [pki.root.certificatePem] : [pki.intermediate.certificatePem, pki.root.certificatePem],
    // One PEM per entry: Node reads only the first CRL of a multi-CRL string.
    crl: [pki.root.crlPem, pki.intermediate.crlPem, pki.partnerIntermediate.crlPem],
    minVersion: `TLSv${options.tlsMin ?? '1.2'}`,
    maxVersion: `TLSv${options.tlsMax ?? '1.3'}`,
    // A TLS 1.2 client may otherwise renegotiate with another certificate and keep the first verdict.
    // Here, not in the server's options, so that every context setCrls builds refuses it too.
    secureOptions: constants.SSL_OP_NO_RENEGOTIATION,
  };

  const connectionOf = (req: IncomingMessage): Connection | undefined => states.get(req.socket as TLSSocket)?.connection;
  const dispatch = (req: IncomingMessage, res: ServerResponse): void => {
    const connection = connectionOf(req);
    if (connection?.verdict.verdict === 'accepted') {
      options.onAccepted(req, res, connection);
    } else if (connection && style === 'http') {
      options.onRejected(req, res, connection);
    } else {
      // Unreachable by design; if Node ever lets one through, refuse without a word.
      req.socket.destroy();
    }
  };

  const server = createServer(
    {
      ...contextOptions,
      ...HTTP_LIMITS,
      handshakeTimeout: options.handshakeTimeoutMs ?? DEFAULT_HANDSHAKE_TIMEOUT_MS,
      requestCert: mtls,
      // In the `http` style the handshake must complete so a 403 can be sent; the gate decides.
      rejectUnauthorized: mtls && style === 'handshake',
    },
    dispatch,
  );
  // Node answers 100 Continue by itself unless asked: a refused connection gets its 403 instead.
  server.on('checkContinue', (req: IncomingMessage, res: ServerResponse) => {
    if (connectionOf(req)?.verdict.verdict === 'accepted') res.writeContinue();
    dispatch(req, res);
  });
  // Node hands CONNECT over as a bare socket (and destroys it when nobody listens): give it a
  // response of its own so it is answered and journaled like any request. Nothing is tunnelled.
  server.on('connect', (req: IncomingMessage, socket: TLSSocket) => {
    const res = new ServerResponse(req);
    res.shouldKeepAlive = false;
    res.assignSocket(socket);
    // Destroyed once the reply is flushed: a client that never closes its side cannot hold it.
    res.once('finish', () => socket.destroySoon());
    const connection = connectionOf(req);
    if (connection?.verdict.verdict === 'accepted') options.onConnectMethod(req, res, connection);
    else dispatch(req, res);
  });

  const decide = (socket: TLSSocket, state: SocketState, handshakeErrorCode?: string): void => {
    if (state.connection) return;
    const verdict: Verdict = mtls
      ? peers.verdict(state.peer, socket.authorizationError as unknown as string | null, handshakeErrorCode)
      : handshakeErrorCode
        ? { verdict: 'rejected', reason: 'handshake_failed', rawCode: handshakeErrorCode }
        : ACCEPTED;
    const client = state.peer?.client ?? null;
    const app = client ? options.appOf(client.fingerprint256) : null;
    const tlsVersion = state.tlsVersion ?? socket.getProtocol?.() ?? null;
    const record = journal.recordHandshake({
      remote: state.remote,
      tls_version: tlsVersion,
      verdict: verdict.verdict,
      reason: verdict.reason,
      raw_code: verdict.rawCode,
      client,
      app,
    });
    state.connection = { handshakeId: record.id, verdict, client, app, tlsVersion };
  };

  // One pair of listeners for every socket, not two closures per connection.
  function capture(this: TLSSocket): void {
    const state = states.get(this)!;
    state.peer = mtls ? peers.read(this) : null;
    state.tlsVersion = this.getProtocol() ?? null;
  }
  function settle(this: TLSSocket): void {
    decide(this, states.get(this)!);
  }
  const watch = (socket: TLSSocket): SocketState => {
    const state: SocketState = { peer: null, remote: remoteOf(socket), tlsVersion: null };
    states.set(socket, state);
    socket.prependListener('secure', capture);
    // Runs after Node's own 'secure' listener has set authorized/authorizationError.
    socket.on('secure', settle);
    return state;
  };

  server.on('keylog', (_line, socket: TLSSocket) => {
    if (!states.has(socket)) watch(socket);
  });
  // Prepended: https turns this event into `clientError`, whose listener would otherwise keep the
  // socket (Node destroys it only when nobody listens) and answer it in HTTP it can never read.
  server.prependListener('tlsClientError', (error: NodeJS.ErrnoException, socket: TLSSocket) => {
    const state = states.get(socket);
    socket.destroy();
    // A client that hangs up before its handshake yields any key material presented nothing:
    // e.g. curl connects, then fails to load a mismatched key. Not a handshake worth a verdict.
    if (!state && (error.code === 'ECONNRESET' || error.code === 'EPIPE')) return;
    decide(socket, state ?? watch(socket), error.code ?? 'ERR_TLS_HANDSHAKE');
  });

  return {
    server,
    setCrls(crlPems) {
      // A fresh context also gets fresh ticket keys: old session tickets no longer resume.
      const crl = crlPems.flatMap((pem) => splitPem(pem));
      contextOptions.crl = crl;
      server.setSecureContext(contextOptions);
    },
  };
}

function remoteOf(socket: TLSSocket): string {
  const address = socket.remoteAddress ?? '?';
  return `${address.includes(':') ? `[${address}]` : address}:${socket.remotePort ?? '?'}`;
}
