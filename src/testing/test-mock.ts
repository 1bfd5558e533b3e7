import type { Agent } from 'node:https';
import type { HandshakeRecord, Journal } from '../gateway/journal.js';
import { loadOrCreatePki } from '../pki/cache.js';
import { createLeanPki, defaultApp, type LeanPki } from '../pki/lean-pki.js';
import { startLeanMock, type LeanMock, type LeanMockOptions } from '../server/lean-mock.js';
import { AgentPool, type ConnectOptions } from './agents.js';
import { expectRejected, type ExpectRejectedOptions } from './expect-rejected.js';
import { fetchThrough, type TestFetchInit } from './fetch.js';
import { TempPkiFolder, type PkiFiles } from './files.js';
import { identitiesOf, identityNamed, type Identities, type IdentityName } from './identities.js';
import { OverrideSet, type Override } from './overrides.js';
import type { ListedRequest, RequestFilter } from '../sandbox/request-filter.js';
import { expectClientRefusesServer, type ClientRefusal, type ExpectClientRefusesOptions } from './server-variants.js';
import type { ServerVariantName } from '../pki/server-variants/catalogue.js';

export interface TestMockOptions
  extends Pick<
    LeanMockOptions,
    | 'seed'
    | 'asOf'
    | 'clock'
    | 'rejection'
    | 'tlsMin'
    | 'tlsMax'
    | 'requireClientChain'
    | 'webhookUrl'
    | 'webhookTimeScale'
    | 'journalCapacity'
    | 'scenario'
    | 'serverVariants'
    | 'replay'
  > {
  /** Serve with this PKI (e.g. one built in a global setup and shared by every suite). */
  pki?: LeanPki;
  /** Reuse the certificate folder in this directory (`loadOrCreatePki`), creating it when missing or stale. */
  certsCache?: string;
}

/** One app's credentials, as its `manifest.json` entry holds them. */
export interface AppCredentials {
  readonly name: string;
  /** The `lean-app-token` header; also the OAuth `client_id`. */
  readonly appToken: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** Keys the `lean-signature` HMAC of this app's webhooks. */
  readonly webhookSecret: string;
}

/**
 * A lean-mock for one test suite: its server, its identities and helpers to call it.
 *
 * @example
 * const mock = await startTestMock();
 * const res = await mock.fetch('/banks/v1', { headers: mock.headers() });         // 200
 * const refused = await mock.expectRejected(() => mock.fetch('/banks/v1', { identity: 'expired' }));
 * refused.reason;                                                                 // 'expired'
 * await mock.close();
 */
export interface TestMock extends AppCredentials {
  /** `https://127.0.0.1:PORT`: Lean's API behind the mTLS gate. */
  readonly url: string;
  /** `http://127.0.0.1:PORT`: the admin API. */
  readonly adminUrl: string;
  readonly pki: LeanPki;
  /** Every app's credentials, the default app (the one spread onto the mock) first. */
  readonly apps: readonly AppCredentials[];
  /** Client certificate, key and trusted chain of each app, bad-certificate variant and `incomplete_chain+chain`. */
  readonly identities: Identities;
  /** Every handshake and request the server saw. */
  readonly journal: Journal;
  /** `{ expired: 'https://127.0.0.1:PORT', … }`: listeners presenting bad server certificates (empty with `serverVariants: false`). */
  readonly serverVariants: LeanMock['serverVariants'];
  /** The server underneath, for the rest (`store`, `webhooks`, `faults`, `revoke`). */
  readonly lean: LeanMock;

  /**
   * The certificate folder, written to a temporary directory on first call and removed by `close()`.
   *
   * @example
   * const { dir, manifest } = await mock.files();
   * spawn('python', ['client.py'], { env: { CERTS: dir, LEAN_URL: mock.url } });
   */
  files(): Promise<PkiFiles>;

  /**
   * A keep-alive `https.Agent` presenting `identity` (default: the default app) and trusting the
   * mock, the same one on every call. Throws for `key_mismatch`: Node refuses to load the pair.
   *
   * @example
   * https.get(`${mock.url}/banks/v1`, { agent: mock.agent(), headers: mock.headers() }, onReply);
   * axios.create({ baseURL: mock.url, httpsAgent: mock.agent('other_app', { tls: '1.2' }) });
   */
  agent(identity?: IdentityName, options?: ConnectOptions): Agent;

  /**
   * `fetch` with a client certificate, answering a WHATWG `Response`. Adds no credentials: pass
   * `headers: mock.headers()`. `path` is resolved against `url`.
   *
   * @example
   * const res = await mock.fetch('/customers/v1', { method: 'POST', headers: { ...mock.headers(), 'content-type': 'application/json' }, body: '{"app_user_id":"u1"}' });
   */
  fetch(path: string, init?: TestFetchInit): Promise<Response>;

  /**
   * `{ 'lean-app-token': … }` of the app whose certificate `identity` is; a bad-certificate
   * variant gets the default app's, so the certificate is the only thing wrong with the call.
   */
  headers(identity?: IdentityName): { 'lean-app-token': string };

  /**
   * Checks that `call` was refused for its client certificate, on TLS 1.2 or 1.3, in either
   * rejection style, and resolves with the server's journal entry saying why.
   *
   * @example
   * const refused = await mock.expectRejected(() => myLeanClient.listBanks());
   * expect(refused.reason).toBe('expired');
   */
  expectRejected(call: () => Promise<unknown>, options?: ExpectRejectedOptions): Promise<HandshakeRecord>;

  /**
   * Checks that your client refuses a server presenting the `variant` certificate: resolves with the
   * alert it sent, rejects naming the variant when it accepted (it does not verify the server).
   *
   * @example
   * const refusal = await mock.expectClientRefusesServer('expired', (url) => myLeanClient({ baseUrl: url }).listBanks());
   */
  expectClientRefusesServer(
    variant: ServerVariantName,
    call: (url: string) => Promise<unknown>,
    options?: ExpectClientRefusesOptions,
  ): Promise<ClientRefusal>;

  /**
   * Canned replies and faults for matching requests until `resetOverrides()`, `reset()` or the
   * returned disposer; the latest `use()` wins where several match.
   *
   * @example
   * mock.use({ path: '/data/v2/accounts', status: 503 }, { path: '/banks/v1', delay_ms: 1500 });
   */
  use(...overrides: Override[]): () => void;
  /**
   * What your client sent: the journaled requests matching `filter`, newest first, bodies redacted
   * (JSON parsed into `body.json`). Throws a `RequestFilterError` for a malformed filter.
   *
   * @example
   * const sent = mock.requests({ method: 'POST', path: '/payments/v1/intents' });
   * expect(sent).toHaveLength(1);
   * expect(sent[0].body?.json).toMatchObject({ amount: 100, currency: 'AED' });
   */
  requests<TJson = unknown>(filter?: RequestFilter): ListedRequest<TJson>[];
  /** Removes every override `use()` added. */
  resetOverrides(): void;
  /** Back to the seeded state: sandbox, journal, revocations and overrides (and any other fault). */
  reset(): void;
  /** Closes the server, the pooled connections and the temporary files. Safe to call twice. */
  close(): Promise<void>;
}

/**
 * Starts a lean-mock on loopback ephemeral ports for a test suite, in tens of milliseconds with a
 * fresh EC PKI (less with `pki` or a warm `certsCache`).
 *
 * @example
 * let mock: TestMock;
 * beforeAll(async () => { mock = await startTestMock(); });
 * afterAll(() => mock.close());
 */
export async function startTestMock(options: TestMockOptions = {}): Promise<TestMock> {
  const { pki: givenPki, certsCache, ...serverOptions } = options;
  if (givenPki && certsCache !== undefined) throw new TypeError('lean-mock/testing: pass either pki or certsCache, not both');
  const pki = givenPki ?? (certsCache !== undefined ? (await loadOrCreatePki(certsCache)).pki : await createLeanPki());
  const lean = await startLeanMock({ ...serverOptions, pki, host: '127.0.0.1', port: 0, adminPort: 0 });

  const identities = identitiesOf(pki);
  const agents = new AgentPool(identities);
  const folder = new TempPkiFolder(pki);
  const overrides = new OverrideSet(lean.faults);
  const main = defaultApp(pki);
  const apps = pki.apps.map(({ name, appToken, clientId, clientSecret, webhookSecret }) =>
    Object.freeze({ name, appToken, clientId, clientSecret, webhookSecret }),
  );
  let closing: Promise<void> | undefined;

  return {
    ...apps[0]!,
    url: lean.url,
    adminUrl: lean.adminUrl!,
    pki,
    apps,
    identities,
    journal: lean.journal,
    serverVariants: lean.serverVariants,
    lean,
    files: () => folder.get(),
    agent: (identity = main.name, connect) => agents.get(identity, connect),
    fetch: (path, init = {}) => {
      const { identity = main.name, tls, ...rest } = init;
      // Inside the promise, so an unknown identity or key_mismatch rejects as fetch would.
      return Promise.resolve().then(() => fetchThrough(agents.get(identity, { tls }), new URL(path, lean.url), rest));
    },
    headers: (identity = main.name) => {
      identityNamed(identities, identity); // a typo throws rather than quietly calling as the default app
      const app = pki.apps.find((candidate) => candidate.name === identity) ?? main;
      return { 'lean-app-token': app.appToken };
    },
    expectRejected: (call, expectOptions) => expectRejected(lean.journal, call, expectOptions),
    requests: (filter) => lean.requests(filter),
    expectClientRefusesServer: (variant, call, refuseOptions) => expectClientRefusesServer(lean, variant, call, refuseOptions),
    use: (...added) => overrides.use(added),
    resetOverrides: () => overrides.clear(),
    reset: () => {
      lean.reset(); // clears every fault, overrides included
      overrides.forget();
    },
    close: () => {
      closing ??= (async () => {
        agents.destroy();
        await Promise.all([lean.close(), folder.remove()]);
      })();
      return closing;
    },
  };
}
