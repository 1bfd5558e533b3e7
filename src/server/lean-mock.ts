import { once } from 'node:events';
import { createServer as createHttpServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { createTokenAuthority } from '../app/auth/tokens.js';
import { attachContext, type RequestContext } from '../app/context.js';
import { correlationIdFor, newCorrelationId, rawLeanErrorReply, setLeanHeaders } from '../app/conventions.js';
import { createLeanApp } from '../app/create-app.js';
import { LeanError } from '../app/errors.js';
import { journalWhenDone } from '../app/request-log.js';
import { systemClock, type Clock } from '../app/routing.js';
import { Journal } from '../gateway/journal.js';
import { createGateway, type Connection, type RejectionStyle, type TlsVersion } from '../gateway/tls-server.js';
import { createBanksRouter, loadBanks } from '../lean/banks.js';
import { createCustomersRouter } from '../lean/customers/router.js';
import { createEntitiesRouter } from '../lean/entities/router.js';
import { createOAuthRouter } from '../lean/oauth.js';
import { CertificateAuthority } from '../pki/authority.js';
import { createLeanPki, type LeanPki } from '../pki/lean-pki.js';
import { RevocationList } from '../pki/revocation.js';
import { createAdminApp } from '../sandbox/admin.js';
import { SandboxStore } from '../sandbox/store/store.js';

export interface LeanMockOptions {
  /** The PKI to serve with. Default: a fresh EC PKI in memory (tens of ms). */
  pki?: LeanPki;
  /** Default 127.0.0.1. Anything but loopback must be asked for explicitly. */
  host?: string;
  /** Default 0: an ephemeral port. */
  port?: number;
  /** The admin API's port (always bound to loopback); `'off'` for none. Default 0. */
  adminPort?: number | 'off';
  rejection?: RejectionStyle;
  tlsMin?: TlsVersion;
  tlsMax?: TlsVersion;
  requireClientChain?: boolean;
  /** false: token only, like Lean's plain sandbox host. Default true. */
  mtls?: boolean;
  /** Seed of the sandbox data: the same seed gives the same data. Default 1. */
  seed?: number;
  /** Handshakes and requests kept by the journal (each). Default 1000. */
  journalCapacity?: number;
  clock?: Clock;
}

export interface LeanMock {
  /** `https://HOST:PORT` */
  readonly url: string;
  /** `http://127.0.0.1:PORT`, or null when the admin API is off. */
  readonly adminUrl: string | null;
  readonly port: number;
  readonly pki: LeanPki;
  readonly journal: Journal;
  /** The sandbox's state (customers, entities, payments …). */
  readonly store: SandboxStore;
  /** Revokes a certificate (by serial) for every new connection. */
  revoke(serialNumber: string): Promise<{ serial: string; issuer: string }>;
  /** Back to the seeded state: sandbox re-seeded, journal cleared, run-time revocations undone. */
  reset(): void;
  /** Stops accepting, closes every connection, and resolves when both ports are closed. */
  close(): Promise<void>;
}

/**
 * Starts lean-mock: PKI → mTLS gate → HTTP app → Lean routers, with the admin API beside it.
 *
 * @example
 * const mock = await startLeanMock();
 * // mock.url, mock.pki.apps[0].appToken, mock.journal.handshakes()
 * await mock.close();
 */
export async function startLeanMock(options: LeanMockOptions = {}): Promise<LeanMock> {
  const pki = options.pki ?? (await createLeanPki());
  const clock = options.clock ?? systemClock;
  const mtls = options.mtls ?? true;
  const journal = new Journal({ capacity: options.journalCapacity, clock });
  const tokens = createTokenAuthority({ apps: pki.apps, clock });
  const apps = pki.apps.map((app) => ({ name: app.name, appToken: app.appToken }));
  const appByFingerprint = new Map(pki.apps.map((app) => [app.credential.fingerprint256, app.name]));
  const store = new SandboxStore({ seed: options.seed, apps: pki.apps.map((app) => app.name), clock });

  const app = createLeanApp({
    apps,
    tokens,
    clock,
    publicRouters: [createOAuthRouter({ tokens })],
    routers: [createBanksRouter({ banks: loadBanks() }), createEntitiesRouter({ store }), createCustomersRouter({ store })],
  });

  const contextFor = (req: IncomingMessage, connection: Connection): RequestContext => ({
    mtls,
    handshakeId: connection.handshakeId,
    client: connection.client,
    certificateApp: connection.app,
    app: null,
    customerId: null,
    rejection: null,
    correlationId: correlationIdFor(req),
    startedAt: performance.now(),
  });

  const gateway = createGateway({
    pki,
    journal,
    mtls,
    rejection: options.rejection,
    tlsMin: options.tlsMin,
    tlsMax: options.tlsMax,
    requireClientChain: options.requireClientChain,
    appOf: (fingerprint) => appByFingerprint.get(fingerprint) ?? null,
    onAccepted: (req, res, connection) => {
      const context = contextFor(req, connection);
      attachContext(req, context);
      journalWhenDone(journal, req, res, context);
      app(req, res);
    },
    onRejected: (req, res, connection) => refuseCertificate(req, res, { ...contextFor(req, connection), rejection: null }, connection),
  });

  function refuseCertificate(req: IncomingMessage, res: ServerResponse, context: RequestContext, connection: Connection): void {
    const reason = connection.verdict.reason === 'handshake_failed' ? null : connection.verdict.reason;
    context.rejection = reason;
    journalWhenDone(journal, req, res, context);
    setLeanHeaders(res, context.correlationId);
    const error = LeanError.of('INVALID_CERTIFICATE', undefined, {
      reason,
      raw_code: connection.verdict.rawCode,
      handshake_id: connection.handshakeId,
    });
    const body = JSON.stringify(error.body(clock()));
    // The connection is done for: nothing more may travel on it.
    res.writeHead(403, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body), connection: 'close' });
    res.end(body);
  }

  const revocations = await revocationState(pki);
  const revoke = async (serialNumber: string): Promise<{ serial: string; issuer: string }> => {
    const serial = serialNumber.toUpperCase();
    const issuer = issuerOf(pki, serial);
    await revocations[issuer].revoke(serial, clock());
    gateway.setCrls([pki.root.crlPem, revocations.intermediate.pem, revocations.partner_intermediate.pem]);
    return { serial, issuer };
  };
  const reset = (): void => {
    store.reset();
    journal.clear();
    revocations.intermediate.reset();
    revocations.partner_intermediate.reset();
    gateway.setCrls([pki.root.crlPem, revocations.intermediate.pem, revocations.partner_intermediate.pem]);
  };

  const host = options.host ?? '127.0.0.1';
  const server = gateway.server;
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => refuseUnparsable(error, socket));

  /** Node's HTTP parser refused the request before any handler could see it: still a Lean reply. */
  function refuseUnparsable(error: NodeJS.ErrnoException, socket: Duplex): void {
    if (!socket.writable || error.code === 'ECONNRESET') {
      socket.destroy();
      return;
    }
    const [http, phrase, lean] = PARSER_ERRORS[error.code ?? ''] ?? DEFAULT_PARSER_ERROR;
    const correlationId = newCorrelationId();
    socket.end(rawLeanErrorReply(http, phrase, lean.body(clock()), correlationId));
    journal.recordRequest({
      method: '?',
      path: '?',
      status: http,
      app: null,
      client_fingerprint: null,
      duration_ms: 0,
      handshake_id: null,
      reason: null,
      correlation_id: correlationId,
    });
  }
  server.listen(options.port ?? 0, host);
  await once(server, 'listening');
  const port = (server.address() as AddressInfo).port;

  let admin: HttpServer | undefined;
  if (options.adminPort !== 'off') {
    const adminApp = createAdminApp({
      journal,
      clock,
      reset,
      revoke,
      revokedSerials: () => [...revocations.intermediate.serials(), ...revocations.partner_intermediate.serials()],
    });
    admin = createHttpServer(adminApp);
    // The admin API steers the mock: it never listens beyond loopback.
    admin.listen(options.adminPort ?? 0, host === '::1' ? '::1' : '127.0.0.1');
    try {
      await once(admin, 'listening');
    } catch (error) {
      server.close();
      throw error;
    }
  }
  const adminAddress = admin?.address() as AddressInfo | undefined;

  return {
    url: `https://${formatHost(host)}:${port}`,
    adminUrl: adminAddress ? `http://${formatHost(adminAddress.address)}:${adminAddress.port}` : null,
    port,
    pki,
    journal,
    store,
    revoke,
    reset,
    close: async () => {
      const closing = [server, admin].filter((s): s is NonNullable<typeof s> => s !== undefined && s.listening);
      const closed = Promise.all(closing.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
      for (const s of closing) s.closeAllConnections();
      await closed;
    },
  };
}

const DEFAULT_PARSER_ERROR: [number, string, LeanError] = [
  400,
  'Bad Request',
  LeanError.of('INVALID_PARAMETERS', 'The request could not be parsed as HTTP/1.1.'),
];
const PARSER_ERRORS: Record<string, [number, string, LeanError]> = {
  HPE_HEADER_OVERFLOW: [431, 'Request Header Fields Too Large', new LeanError('INVALID_PARAMETERS', 431, 'The request headers are too large.')],
  HPE_INVALID_METHOD: [405, 'Method Not Allowed', LeanError.of('INVALID_HTTP_METHOD')],
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'Request Timeout', new LeanError('INVALID_PARAMETERS', 408, 'The request was not received in time.')],
};

type RevocableIssuer = 'intermediate' | 'partner_intermediate';

async function revocationState(pki: LeanPki): Promise<Record<RevocableIssuer, RevocationList>> {
  const load = async (material: LeanPki['intermediate']) =>
    RevocationList.fromCrl(await CertificateAuthority.load(material.certificatePem, material.privateKeyPem, pki.keyType), material.crlPem);
  const [intermediate, partner] = await Promise.all([load(pki.intermediate), load(pki.partnerIntermediate)]);
  return { intermediate, partner_intermediate: partner };
}

/** Which CA issued the certificate with this serial; the main intermediate when it is not one of the PKI's. */
function issuerOf(pki: LeanPki, serial: string): RevocableIssuer {
  const variant = pki.variants.find((entry) => entry.credential?.serialNumber === serial);
  return variant?.name === 'incomplete_chain' ? 'partner_intermediate' : 'intermediate';
}

function formatHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

