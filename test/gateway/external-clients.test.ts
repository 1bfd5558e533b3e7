import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { declareMissingClient } from '../support/missing-client.js';
import type { HandshakeRecord } from '../../src/gateway/journal.js';
import type { RejectionStyle, TlsVersion } from '../../src/gateway/tls-server.js';
import { CATALOGUE, VARIANT_NAMES, type VariantName } from '../../src/pki/catalogue.js';
import { writePkiFolder } from '../../src/pki/folder.js';
import { createLeanPki } from '../../src/pki/lean-pki.js';
import type { PkiManifest } from '../../src/pki/manifest.js';
import type { TlsRejectionReason } from '../../src/reasons.js';
import { startLeanMock, type LeanMock } from '../../src/server/lean-mock.js';
import {
  externalClients,
  observe as observeCall,
  type ClientIdentity,
  type ExternalClient,
  type ExternalOutcome,
  type Observed as ObservedCall,
} from '../support/external.js';

/*
 * The catalogue of bad client certificates, specified through real clients a Lean integrator
 * uses: curl, python3 `requests` and `openssl s_client`, each pinned to TLS 1.2 and to TLS 1.3,
 * against an in-process mock that refuses bad certificates in the TLS handshake or with a 403.
 * Every client reads the certificate folder exactly as `lean-mock certs` writes it.
 *
 * Calls are strictly sequential, so the one handshake journaled during a call is that call's.
 */

const TLS_VERSIONS: readonly TlsVersion[] = ['1.2', '1.3'];
const STYLES: readonly RejectionStyle[] = ['handshake', 'http'];

/** Every variant the mock's TLS gate must refuse, with the reason it must journal. */
const REFUSED_BY_SERVER = CATALOGUE.filter((variant) => variant.rejectedBy === 'server').map(
  (variant) => ({ name: variant.name, reason: variant.expected as TlsRejectionReason }),
);

// ------------------------------------------------------------------------------------------------
// Which clients can run here. Locally a missing one is skipped with the reason; in CI it fails.

const probes = await externalClients();
for (const probe of probes) {
  if (!probe.available) declareMissingClient('the external-client matrix', { name: probe.name, reason: probe.reason, install: 'apt-get: see .ci/run' });
}

const clients: ExternalClient[] = probes.flatMap((probe) => (probe.available ? [probe.client] : []));

// ------------------------------------------------------------------------------------------------
// One certificate folder, and one mock per rejection style, for the whole file.

let folder: string;
let manifest: PkiManifest;
const mocks = new Map<RejectionStyle, LeanMock>();

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'lean-mock-external-'));
  const pki = await createLeanPki();
  manifest = await writePkiFolder(pki, folder);
  for (const rejection of STYLES) {
    // Both versions allowed on the server: each client pins its own, and the journal must say which.
    mocks.set(rejection, await startLeanMock({ pki, rejection, tlsMin: '1.2', tlsMax: '1.3', adminPort: 'off' }));
  }
});

afterAll(async () => {
  await Promise.all([...mocks.values()].map((mock) => mock.close()));
  if (folder) await rm(folder, { recursive: true, force: true });
});

const file = (...path: string[]): string => join(folder, ...path);
const appToken = (): string => manifest.apps[0]!.app_token;
const appCertificate = (): ClientIdentity => ({ cert: file('my_app_cert.crt'), key: file('my_app_private_key.pem') });

/** The files a user of the folder would hand to their client for a bad variant (none for no_certificate). */
function variantIdentity(name: VariantName): ClientIdentity | null {
  if (name === 'no_certificate') return null;
  return { cert: file('bad', name, 'cert.crt'), key: file('bad', name, 'key.pem') };
}

/** incomplete_chain done right: the leaf followed by its intermediate. */
const incompleteChainWithChain = (): ClientIdentity => ({
  cert: file('bad', 'incomplete_chain', 'cert_and_chain.crt'),
  key: file('bad', 'incomplete_chain', 'key.pem'),
  chain: file('bad', 'incomplete_chain', 'chain.crt'),
});

const fingerprintOf = (name: VariantName): string | undefined => manifest.variants.find((variant) => variant.name === name)?.fingerprint256;

/** The journal's name for a pinned version. */
const journaled = (tls: TlsVersion): string => `TLSv${tls}`;
/** Every client connects from loopback. */
const LOOPBACK_PEER = /^127\.0\.0\.1:\d+$/;

type Observed = ObservedCall<ExternalOutcome>;

/** {@link observeCall} for an external client, whose hang shows as its failure. */
const observe = (mock: LeanMock, call: () => Promise<ExternalOutcome>, expectHandshake: boolean): Promise<Observed> =>
  observeCall(mock, call, expectHandshake, (outcome) => `${outcome.failure}`);

/** The single handshake journaled for a call. */
function onlyHandshake(observed: Observed): HandshakeRecord {
  expect(observed.handshakes, 'exactly one handshake journaled for this connection').toHaveLength(1);
  return observed.handshakes[0]!;
}

// ------------------------------------------------------------------------------------------------

describe('the external-client matrix', () => {
  it('covers every catalogue variant: the server-side ones, incomplete_chain with its chain, and key_mismatch', () => {
    const covered = [...REFUSED_BY_SERVER.map((variant) => variant.name), 'key_mismatch'];
    expect([...covered].sort()).toEqual([...VARIANT_NAMES].sort());
    expect(REFUSED_BY_SERVER.map((variant) => variant.name).sort()).toEqual(
      ['ca_certificate', 'expired', 'incomplete_chain', 'no_certificate', 'not_yet_valid', 'revoked', 'self_signed', 'unknown_ca', 'wrong_purpose'],
    );
  });
});

describe.each(clients.map((client) => [client.name, client] as const))('%s', (_name, client) => {
  describe.each(TLS_VERSIONS)('pinned to TLS %s', (tls) => {
    const get = (mock: LeanMock, identity: ClientIdentity | null) => () =>
      client.get({
        port: mock.port,
        path: '/banks/v1',
        tls,
        caFile: file('lean_public_cert_chain.pem'),
        identity,
        headers: { 'lean-app-token': appToken() },
      });

    describe.each(STYLES)('against a mock refusing in the %s style', (style) => {
      const mock = (): LeanMock => mocks.get(style)!;

      it('gets 200 and the banks list with my_app_cert.crt and its app token, journaled as accepted for my_app', async () => {
        const observed = await observe(mock(), get(mock(), appCertificate()), true);

        expect(observed.outcome.failure).toBeNull();
        expect(observed.outcome.status).toBe(200);
        expect(Array.isArray(observed.outcome.json)).toBe(true);
        expect((observed.outcome.json as unknown[]).length).toBeGreaterThan(0);
        expect(observed.outcome.json).toContainEqual(expect.objectContaining({ identifier: 'LEAN_OF_RETAIL_UAE' }));

        const handshake = onlyHandshake(observed);
        expect(handshake).toMatchObject({ verdict: 'accepted', reason: null, app: 'my_app', tls_version: journaled(tls) });
        expect(handshake.remote).toMatch(LOOPBACK_PEER);
        expect(handshake.client?.fingerprint256).toBe(manifest.apps[0]!.fingerprint256);
      });

      it.each(REFUSED_BY_SERVER)('refuses $name and journals exactly the reason $reason', async ({ name, reason }) => {
        const observed = await observe(mock(), get(mock(), variantIdentity(name)), true);
        const handshake = onlyHandshake(observed);

        // The journal: one rejected handshake, for this very certificate, with the catalogue's reason.
        expect(handshake).toMatchObject({ verdict: 'rejected', reason, app: null });
        if (name === 'no_certificate') expect(handshake.client).toBeNull();
        else expect(handshake.client?.fingerprint256).toBe(fingerprintOf(name));
        // Also when Node has already torn the dropped socket down: the gate read both in time.
        expect(handshake.tls_version).toBe(journaled(tls));
        expect(handshake.remote).toMatch(LOOPBACK_PEER);

        if (style === 'handshake') {
          // The client fails: curl exits non-zero (35/52/56 vary run to run), requests raises, s_client gets no reply.
          expect(observed.outcome.status, `an HTTP reply came through: ${observed.outcome.body}`).toBeNull();
          expect(observed.outcome.failure).toBeTruthy();
          if (client.name !== 'python3 requests') expect(observed.outcome.exitCode).not.toBe(0);
        } else {
          expect(observed.outcome.failure).toBeNull();
          expect(observed.outcome.status).toBe(403);
          expect(observed.outcome.json).toMatchObject({
            status: 'INVALID_CERTIFICATE',
            metadata: { reason, handshake_id: handshake.id },
          });
        }
      });

      it('accepts incomplete_chain at TLS when sent with its chain, then answers 401 CERTIFICATE_TOKEN_MISMATCH (the leaf is no app’s)', async () => {
        const observed = await observe(mock(), get(mock(), incompleteChainWithChain()), true);

        const handshake = onlyHandshake(observed);
        expect(handshake).toMatchObject({ verdict: 'accepted', reason: null, app: null, tls_version: journaled(tls) });
        expect(handshake.client?.fingerprint256).toBe(fingerprintOf('incomplete_chain'));

        expect(observed.outcome.failure).toBeNull();
        expect(observed.outcome.status).toBe(401);
        expect(observed.outcome.json).toMatchObject({ status: 'CERTIFICATE_TOKEN_MISMATCH' });
      });

      it('refuses to load key_mismatch itself, so the mock never sees that certificate', async () => {
        const observed = await observe(mock(), get(mock(), variantIdentity('key_mismatch')), false);

        expect(observed.outcome.status).toBeNull();
        if (client.name === 'curl') {
          expect(observed.outcome.exitCode).toBe(58); // CURLE_SSL_CERTPROBLEM
          expect(observed.outcome.failure).toMatch(/unable to set private key file/);
        } else if (client.name === 'python3 requests') {
          expect(observed.outcome.failure).toMatch(/^SSLError: .*KEY_VALUES_MISMATCH/);
        } else {
          expect(observed.outcome.exitCode).not.toBe(0);
          expect(observed.outcome.failure).toMatch(/error setting private key[\s\S]*key values mismatch/);
        }

        // s_client loads the pair before it connects; curl and requests connect first, then hang
        // up before any ClientHello. Either way the server has nothing to judge and journals nothing.
        expect(observed.handshakes).toEqual([]);
      });
    });
  });
});
