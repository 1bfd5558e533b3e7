import { once } from 'node:events';
import type { Router } from 'express';
import { createServer as createHttpServer, type IncomingMessage, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createTokenAuthority } from '../app/auth/tokens.js';
import { attachContext, type RequestContext } from '../app/context.js';
import { correlationIdFor } from '../app/conventions.js';
import { refuseCertificate, refuseConnectMethod, refuseUnparsable } from '../app/refusals.js';
import { createLeanApp } from '../app/create-app.js';
import { createFastReads, type FastReads } from '../app/fast-reads.js';
import { journalWhenDone, redactBodiesWith } from '../app/request-log.js';
import { systemClock, type Clock } from '../app/clock.js';
import { Journal } from '../gateway/journal.js';
import { openServerVariantListeners, type ServerVariantListeners } from '../gateway/server-variants.js';
import { createGateway, type Connection, type RejectionStyle, type TlsVersion } from '../gateway/tls-server.js';
import { createInspector } from '../inspector/router.js';
import { Redactor } from '../inspector/redact.js';
import { createOAuthRouter } from '../lean/oauth.js';
import { createLeanPki, type LeanPki } from '../pki/lean-pki.js';
import type { RevocationIssuer } from '../pki/serial.js';
import { createAdminApp } from '../sandbox/admin.js';
import type { FaultRegistry } from '../sandbox/faults/registry.js';
import { compileRequestFilter, listedRequest, type ListedRequest, type RequestFilter } from '../sandbox/request-filter.js';
import type { ScenarioControls } from '../sandbox/scenarios/controller.js';
import { resolveScenario } from '../sandbox/scenarios/load.js';
import type { ScenarioInput } from '../sandbox/scenarios/schema.js';
import type { SandboxStore } from '../sandbox/store/store.js';
import type { WebhookDispatcher } from '../sandbox/webhooks/dispatcher.js';
import { createRevocations } from './revocations.js';
import { createSandbox } from './sandbox.js';
import { createServerVariantsAdminRouter } from './server-variants-admin.js';
import type { ServerVariantName } from '../pki/server-variants/catalogue.js';

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
  /** Longest a TLS handshake may take before its connection is closed. Default 10 s. */
  handshakeTimeoutMs?: number;
  /** false: token only, like Lean's plain sandbox host. Default true. */
  mtls?: boolean;
  /** Seed of the sandbox data: the same seed gives the same data. Default 1. */
  seed?: number;
  /** The day seeded data is dated up to (`YYYY-MM-DD`); default today (UTC). Same seed + same day = same bytes. */
  asOf?: string;
  /** Where webhooks go (absent: nowhere until set with `PUT /admin/v1/webhooks/url`). */
  webhookUrl?: string;
  /** Multiplies Lean's webhook retry schedule; e.g. 0.001 turns minutes into 60 ms. Default 1. */
  webhookTimeScale?: number;
  /** Handshakes and requests kept by the journal (each). Default 1000. */
  journalCapacity?: number;
  /**
   * One loopback listener per bad server certificate (DESIGN.md §2.5), to test that clients verify
   * the server. Default true; binding them is all it costs until a client connects.
   */
  serverVariants?: boolean;
  clock?: Clock;
  /**
   * Customers, accounts, balances, transactions, payment sources and destinations and canned
   * replies to preload, applied on start and after every reset: the object, or a JSON/YAML file's
   * path. A bad one rejects with a `ScenarioError` naming its JSON path, before anything listens.
   */
  scenario?: ScenarioInput | string;
  /** A folder of exchanges from `lean-mock record`: matching requests are answered from it, the rest by the sandbox. */
  replay?: string;
}

/**
 * Wiring for lean-mock's own modes, kept out of the public options (and out of the published
 * declarations: it names express, whose types a consumer need not have).
 * @internal
 */
export interface LeanMockWiring {
  /** Record mode (src/record): this router answers every authenticated request in place of the sandbox's. */
  forward?: Router;
  /** Hands over the fast reads' switch (tests compare them with express's answers). */
  fastReads?: (reads: FastReads) => void;
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
  /** Webhook deliveries: `mock.webhooks.setUrl(app, url)`, `mock.webhooks.waitFor(…)`. */
  readonly webhooks: WebhookDispatcher;
  /** Injected failures: `mock.faults.add(…)`. */
  readonly faults: FaultRegistry;
  /** The active scenario: `mock.scenarios.load(…)` replaces it, `mock.scenarios.state()` shows what it created. */
  readonly scenarios: ScenarioControls;
  /** `{ expired: 'https://127.0.0.1:PORT', … }`: the bad-server-certificate listeners; empty when off. */
  readonly serverVariants: Readonly<Partial<Record<ServerVariantName, string>>>;
  /**
   * Revokes a certificate (by serial) for every new connection, on the CRL of the CA that issued
   * it. `issuer` is needed only for a certificate the PKI did not issue itself (e.g. one a test
   * signed with the intermediate's key). Throws a `RevocationRefusal` for a malformed or unknown
   * serial, changing nothing.
   */
  revoke(serialNumber: string, issuer?: RevocationIssuer): Promise<{ serial: string; issuer: RevocationIssuer }>;
  /**
   * The journaled requests matching `filter`, newest first, each with its body redacted (JSON
   * parsed into `body.json`). Throws a `RequestFilterError` for a malformed filter.
   *
   * @example
   * const sent = mock.requests({ method: 'POST', path: '/customers/v1' });
   * expect(sent).toHaveLength(1);
   * expect(sent[0].body?.json).toEqual({ app_user_id: 'alice' });
   */
  requests<TJson = unknown>(filter?: RequestFilter): ListedRequest<TJson>[];
  /** TCP connections open on the API port, in any TLS state: what a storm of sockets leaves behind. */
  connections(): Promise<number>;
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
export async function startLeanMock(options?: LeanMockOptions): Promise<LeanMock>;
/** @internal record mode (src/record) puts its forwarder in place of the sandbox's routers. */
export async function startLeanMock(options: LeanMockOptions, wiring: LeanMockWiring): Promise<LeanMock>;
export async function startLeanMock(options: LeanMockOptions = {}, wiring: LeanMockWiring = {}): Promise<LeanMock> {
  const scenario = options.scenario === undefined ? undefined : await resolveScenario(options.scenario);
  const pki = options.pki ?? (await createLeanPki());
  // Loaded lazily: a plain `serve` never pays for it. A bad folder refuses to start, naming the file.
  const replay = options.replay === undefined ? null : await import('../replay/index.js').then(async (m) => m.createReplayRouter(await m.loadReplayFolder(options.replay!)));
  const clock = options.clock ?? systemClock;
  const mtls = options.mtls ?? true;
  const journal = new Journal({ capacity: options.journalCapacity, clock });
  const redactor = new Redactor(pki.apps.flatMap((app) => [app.appToken, app.clientSecret, app.webhookSecret]));
  redactBodiesWith(journal, redactor);
  const tokens = createTokenAuthority({ apps: pki.apps, clock });
  const apps = pki.apps.map((app) => ({ name: app.name, appToken: app.appToken }));
  const appByFingerprint = new Map(pki.apps.map((app) => [app.credential.fingerprint256, app.name]));
  // Filled as each port starts listening: webhooks sent there would loop back into the mock.
  const ownPorts: number[] = [];
  const ownHosts = [options.host ?? '127.0.0.1'];
  // An armed fault or override takes requests over in the routers: express must see them all then.
  const fastReads = createFastReads({ appNames: new Map(apps.map((a) => [a.appToken, a.name])), blocked: () => sandbox.faults.size > 0 });
  wiring.fastReads?.(fastReads);
  const sandbox = createSandbox({
    fast: fastReads,
    pki,
    clock,
    seed: options.seed,
    asOf: options.asOf,
    webhookUrl: options.webhookUrl,
    webhookTimeScale: options.webhookTimeScale,
    self: () => ({ ports: ownPorts, hosts: ownHosts }),
    scenario,
  });

  // The inspector lives on the admin port: without one, nothing is captured for it.
  const inspector =
    options.adminPort === 'off'
      ? undefined
      : createInspector({ journal, store: sandbox.store, clock, apps: pki.apps, capacity: options.journalCapacity });

  const app = createLeanApp({
    apps,
    tokens,
    clock,
    publicRouters: [createOAuthRouter({ tokens })],
    routers: wiring.forward ? [wiring.forward] : replay ? [replay, ...sandbox.apiRouters] : sandbox.apiRouters,
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
    handshakeTimeoutMs: options.handshakeTimeoutMs,
    appOf: (fingerprint) => appByFingerprint.get(fingerprint) ?? null,
    onAccepted: (req, res, connection) => {
      const context = contextFor(req, connection);
      attachContext(req, context);
      journalWhenDone(journal, req, res, context);
      // Replay and record answer from elsewhere than the sandbox: only express knows their routes.
      if (!replay && !wiring.forward && fastReads.answer(req, res, context)) return;
      app(req, res);
    },
    onRejected: (req, res, connection) => refuseCertificate(journal, clock, req, res, contextFor(req, connection), connection),
    onConnectMethod: (req, res, connection) => refuseConnectMethod(journal, clock, req, res, contextFor(req, connection)),
  });



  const revocations = await createRevocations(pki);
  const revoke = async (
    serialNumber: string,
    issuer?: RevocationIssuer,
  ): Promise<{ serial: string; issuer: RevocationIssuer }> => {
    const revoked = await revocations.revoke(serialNumber, clock(), issuer);
    gateway.setCrls(revocations.crls());
    return revoked;
  };
  // Loopback only, whatever the API's host: they exist to catch the client under test.
  const variantListeners: ServerVariantListeners | undefined =
    options.serverVariants === false
      ? undefined
      : await openServerVariantListeners({
          pki,
          journal,
          clock,
          host: options.host === '::1' ? '::1' : '127.0.0.1',
          tlsMin: options.tlsMin,
          tlsMax: options.tlsMax,
          handshakeTimeoutMs: options.handshakeTimeoutMs,
          appOf: (fingerprint) => appByFingerprint.get(fingerprint) ?? null,
        });
  const reset = (): void => {
    sandbox.reset();
    journal.clear();
    variantListeners?.resetCounts();
    inspector?.reset();
    revocations.reset();
    gateway.setCrls(revocations.crls());
  };

  const host = options.host ?? '127.0.0.1';
  const server = gateway.server;
  server.on('clientError', refuseUnparsable(journal, clock));


  server.listen(options.port ?? 0, host);
  try {
    await once(server, 'listening');
  } catch (error) {
    await variantListeners?.close();
    throw error;
  }
  const port = (server.address() as AddressInfo).port;
  ownPorts.push(port);

  let admin: HttpServer | undefined;
  if (options.adminPort !== 'off') {
    const adminApp = createAdminApp({
      journal,
      clock,
      reset,
      revoke,
      revokedSerials: () => revocations.serials(),
      redactPath: inspector ? (path) => inspector.redactor.url(path) : undefined,
      routers: [
        ...(inspector ? [inspector.router] : []),
        ...sandbox.adminRouters,
        createServerVariantsAdminRouter(variantListeners),
      ],
    });
    admin = createHttpServer(adminApp);
    // The admin API steers the mock: it never listens beyond loopback.
    admin.listen(options.adminPort ?? 0, host === '::1' ? '::1' : '127.0.0.1');
    try {
      await once(admin, 'listening');
    } catch (error) {
      inspector?.close();
      server.close();
      await variantListeners?.close();
      throw error;
    }
  }
  const adminAddress = admin?.address() as AddressInfo | undefined;
  if (adminAddress) ownPorts.push(adminAddress.port);

  return {
    url: `https://${formatHost(host)}:${port}`,
    adminUrl: adminAddress ? `http://${formatHost(adminAddress.address)}:${adminAddress.port}` : null,
    port,
    pki,
    journal,
    store: sandbox.store,
    webhooks: sandbox.webhooks,
    faults: sandbox.faults,
    scenarios: sandbox.scenarios,
    serverVariants: variantListeners?.urls ?? {},
    revoke,
    reset,
    requests: <TJson>(filter: RequestFilter = {}) => {
      const matches = compileRequestFilter(filter);
      return journal.requests().filter(matches).map((record) => listedRequest<TJson>(record, (path) => redactor.url(path)));
    },
    connections: () => new Promise((resolve, reject) => server.getConnections((error, count) => (error ? reject(error) : resolve(count)))),
    close: async () => {
      sandbox.close();
      inspector?.close();
      const closing = [server, admin].filter((s): s is NonNullable<typeof s> => s !== undefined && s.listening);
      const closed = Promise.all(closing.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
      for (const s of closing) s.closeAllConnections();
      await Promise.all([closed, variantListeners?.close()]);
    },
  };
}

function formatHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

