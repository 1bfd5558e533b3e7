import { randomBytes, randomUUID } from 'node:crypto';
import { buildCatalogue, type CatalogueVariant } from './catalogue.js';
import type { IssuedCertificate } from './describe.js';
import type { KeyType } from './key-types.js';
import { joinPem } from './pem.js';
import type { ServerVariant, ServerVariantMaterials } from './server-variants/build.js';

const DAY_MS = 24 * 60 * 60 * 1000;
/** How long the good certificates and the CRLs last; `not_yet_valid` starts when they end. */
const LIFETIME_DAYS = 365;

/**
 * Names Lean's own hosts answer to, so clients configured for Lean reach the mock unchanged: the
 * API, mTLS and OAuth hosts of both regions (UAE, and KSA's `.sa` ones; the sandbox's region data
 * lists the same names, and a test keeps the two in step).
 */
export const DEFAULT_SERVER_HOSTS: readonly string[] = [
  'localhost',
  '127.0.0.1',
  '::1',
  'mtls.sandbox.leantech.me',
  'sandbox.leantech.me',
  'auth.sandbox.leantech.me',
  'mtls.sandbox.sa.leantech.me',
  'sandbox.sa.leantech.me',
  'auth.sandbox.sa.leantech.me',
];

export const DEFAULT_P12_PASSWORD = 'lean-mock';

export interface AppRequest {
  /** Folder-safe name: letters, digits, `_` and `-`. */
  name: string;
  /** Lean's application id, which is also the app token and the OAuth client id. Default: a UUID. */
  appToken?: string;
  clientSecret?: string;
  webhookSecret?: string;
}

export interface LeanPkiOptions {
  /** `ec` (P-256, default) or `rsa` (2048). */
  keyType?: KeyType;
  /** Extra names and addresses for the server certificate, beside {@link DEFAULT_SERVER_HOSTS}. */
  hosts?: readonly string[];
  /** The apps to issue client certificates for; the first is the default app. Default: my_app, other_app. */
  apps?: readonly AppRequest[];
  p12Password?: string;
  /** The moment the PKI is built at (default: the clock). */
  now?: Date;
}

/** A CA certificate with its key and the CRL it publishes. */
export interface AuthorityMaterial {
  readonly certificatePem: string;
  readonly privateKeyPem: string;
  readonly crlPem: string;
}

/** One Lean application: its credentials and the client certificate bound to it. */
export interface AppIdentity {
  readonly name: string;
  readonly appToken: string;
  /** Equal to `appToken`, as at Lean. */
  readonly clientId: string;
  readonly clientSecret: string;
  readonly webhookSecret: string;
  readonly credential: IssuedCertificate;
}

/** The whole Lean-shaped PKI, in memory, as PEM text. */
export interface LeanPki {
  readonly keyType: KeyType;
  readonly createdAt: Date;
  /** Until when every certificate keeps its intended behaviour (good ones valid, bad ones bad). */
  readonly validUntil: Date;
  readonly p12Password: string;
  readonly root: AuthorityMaterial;
  readonly intermediate: AuthorityMaterial;
  /** Under the same root, but never held by the server (see the `incomplete_chain` variant). */
  readonly partnerIntermediate: AuthorityMaterial;
  /** Not trusted by the server (see the `unknown_ca` variant). */
  readonly rogueRootPem: string;
  /** Intermediate + root: `lean_public_cert_chain.pem`, what clients trust. */
  readonly chainPem: string;
  /** Every CRL the server loads: root, intermediate and partner intermediate. */
  readonly crlsPem: string;
  readonly server: IssuedCertificate & { readonly hosts: readonly string[] };
  /** The first app is the default one (`my_app_*` files). */
  readonly apps: readonly AppIdentity[];
  /**
   * The bad client certificates. Issued on the first read (a few milliseconds, synchronously),
   * since most users of a PKI never present one; the CRLs list `revoked` from the start.
   */
  readonly variants: readonly CatalogueVariant[];
  /**
   * The bad server certificates (DESIGN.md §2.5), built on the first call and memoised: they are
   * never on the path of building a PKI or starting a server.
   */
  serverVariants(): Promise<readonly ServerVariant[]>;
}

const DEFAULT_APPS: readonly AppRequest[] = [{ name: 'my_app' }, { name: 'other_app' }];

/**
 * Builds the full Lean-shaped PKI in one call: the CA chain, the server certificate, one client
 * certificate per app and the catalogue of bad client certificates.
 *
 * @example
 * const pki = await createLeanPki();                      // EC P-256
 * const rsa = await createLeanPki({ keyType: 'rsa', hosts: ['mock.internal'] });
 */
export async function createLeanPki(options: LeanPkiOptions = {}): Promise<LeanPki> {
  const keyType = options.keyType ?? 'ec';
  const now = options.now ?? new Date();
  const apps = (options.apps?.length ? options.apps : DEFAULT_APPS).map(resolveApp);
  const hosts = [...new Set([...DEFAULT_SERVER_HOSTS, ...(options.hosts ?? [])])];
  const until = new Date(now.getTime() + LIFETIME_DAYS * DAY_MS);
  // Loaded on the first build, not at import: serving a PKI read from a folder never issues, and
  // the X.509 library is most of a server's start time and memory.
  const [{ CertificateAuthority, issueSelfSignedLeafSync }, { generateKeyPair }, { issueCrl }] = await Promise.all([
    import('./authority.js'),
    import('./keys.js'),
    import('./revocation.js'),
  ]);

  // RSA key generation dominates: make every key at once, in the thread pool.
  const [rootKeys, intermediateKeys, partnerKeys, rogueKeys, serverKeys, leafKeys, ...appKeys] = await Promise.all(
    Array.from({ length: 6 + apps.length }, () => generateKeyPair(keyType)),
  );
  const root = await CertificateAuthority.createRoot({ keyType, now, keyPair: rootKeys, commonName: 'lean-mock Root CA' });
  const [intermediate, partnerIntermediate, rogueRoot] = await Promise.all([
    root.createIntermediate({ now, keyPair: intermediateKeys, commonName: 'lean-mock Issuing CA 1' }),
    root.createIntermediate({ now, keyPair: partnerKeys, commonName: 'lean-mock Issuing CA 2 (partner)' }),
    CertificateAuthority.createRoot({
      keyType,
      now,
      keyPair: rogueKeys,
      commonName: 'Rogue Root CA',
      organization: 'Not Lean (test only)',
    }),
  ]);

  // Signed synchronously (issueSync): the same certificates, without a thread-pool round trip
  // each on the way to a server's first request.
  const [server, appCredentials] = [
    intermediate.issueSync({
      commonName: 'mtls.sandbox.leantech.me',
      purpose: 'server',
      hosts,
      now,
      notAfter: until,
      keyPair: serverKeys!,
    }),
    apps.map((app, index) =>
      intermediate.issueSync({
        // The name, not the token: a certificate's subject is logged and shown everywhere,
        // and on the mTLS host the app token is the only credential.
        commonName: app.name,
        organizationalUnit: 'lean-mock sandbox app',
        organization: 'lean-mock sandbox application',
        now,
        notAfter: until,
        keyPair: appKeys[index]!,
      }),
    ),
  ] as const;
  const identities = apps.map((app, index) => ({ ...app, credential: appCredentials[index]! }));

  const revokedSerial = randomSerial();
  const crlDates = { thisUpdate: new Date(now.getTime() - DAY_MS), nextUpdate: until };
  const [rootCrl, intermediateCrl, partnerCrl] = await Promise.all([
    issueCrl(root, crlDates),
    issueCrl(intermediate, { ...crlDates, revoked: [{ serialNumber: revokedSerial, revokedAt: now }] }),
    issueCrl(partnerIntermediate, crlDates),
  ]);

  let variants: readonly CatalogueVariant[] | undefined;
  const catalogue = (): readonly CatalogueVariant[] =>
    (variants ??= buildCatalogue({
      keyType,
      now,
      intermediate,
      partnerIntermediate,
      rogueRoot,
      leafKeys: leafKeys!,
      foreignKeyPem: server.privateKeyPem,
      revokedSerial,
      selfSign: (request) => issueSelfSignedLeafSync(keyType, request),
    }));

  const pki: Omit<LeanPki, 'variants'> = {
    keyType,
    createdAt: now,
    validUntil: validUntil([server, ...appCredentials], until),
    p12Password: options.p12Password ?? DEFAULT_P12_PASSWORD,
    root: { certificatePem: root.certificatePem, privateKeyPem: root.privateKeyPem, crlPem: rootCrl },
    intermediate: {
      certificatePem: intermediate.certificatePem,
      privateKeyPem: intermediate.privateKeyPem,
      crlPem: intermediateCrl,
    },
    partnerIntermediate: {
      certificatePem: partnerIntermediate.certificatePem,
      privateKeyPem: partnerIntermediate.privateKeyPem,
      crlPem: partnerCrl,
    },
    rogueRootPem: rogueRoot.certificatePem,
    chainPem: joinPem([intermediate.certificatePem, root.certificatePem]),
    crlsPem: joinPem([rootCrl, intermediateCrl, partnerCrl]),
    server: { ...server, hosts },
    apps: identities,
    serverVariants: lazyServerVariants({
      keyType,
      createdAt: now,
      intermediate,
      partnerIntermediate,
      hosts,
    }),
  };
  // An own, enumerable property as before (spread, JSON and Object.keys see it), built on first read.
  return Object.defineProperty(pki, 'variants', { get: catalogue, enumerable: true }) as LeanPki;
}

/**
 * A memoised builder of the server variants from the PKI's CAs. A failed build is forgotten, so
 * the next caller tries again rather than inheriting a stale error.
 */
export function lazyServerVariants(materials: ServerVariantMaterials): () => Promise<readonly ServerVariant[]> {
  let built: Promise<readonly ServerVariant[]> | undefined;
  return () => {
    built ??= import('./server-variants/build.js')
      .then(({ buildServerVariants }) => buildServerVariants(materials))
      .catch((error: unknown) => {
        built = undefined;
        throw error;
      });
    return built;
  };
}

/** The default app: the one the `my_app_*` files belong to. */
export function defaultApp(pki: LeanPki): AppIdentity {
  const app = pki.apps[0];
  if (!app) throw new Error('a Lean PKI has at least one app');
  return app;
}

/** A leaf followed by the intermediate that issued it: what Go clients must send. */
export function certificateAndChain(pki: LeanPki, credential: IssuedCertificate): string {
  return joinPem([credential.certificatePem, pki.intermediate.certificatePem]);
}

function resolveApp(request: AppRequest): Omit<AppIdentity, 'credential'> {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(request.name)) {
    throw new Error(`app name "${request.name}" must be 1-64 letters, digits, "_" or "-"`);
  }
  const appToken = request.appToken ?? randomUUID();
  return {
    name: request.name,
    appToken,
    clientId: appToken,
    clientSecret: request.clientSecret ?? randomBytes(16).toString('hex'),
    webhookSecret: request.webhookSecret ?? randomBytes(16).toString('hex'),
  };
}

/**
 * The first moment any certificate would stop behaving as intended: a good one expiring or the
 * CRLs going stale. The catalogue's certificates keep behaving at least that long (they are
 * issued for the same lifetime from the same `now`, and `not_yet_valid` begins when it ends), so
 * the answer needs none of them built (test/pki/catalogue.test.ts holds the catalogue to it).
 */
function validUntil(good: readonly IssuedCertificate[], crlNextUpdate: Date): Date {
  return new Date(Math.min(crlNextUpdate.getTime(), ...good.map((credential) => credential.notAfter.getTime())));
}

/** A positive 128-bit serial, first byte never zero, in the canonical spelling (authority.ts makes them alike). */
function randomSerial(): string {
  const bytes = randomBytes(16);
  bytes[0] = ((bytes[0] ?? 1) & 0x7f) | 0x01;
  return bytes.toString('hex').toUpperCase();
}
