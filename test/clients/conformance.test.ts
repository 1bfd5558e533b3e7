import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { declareMissingClient } from '../support/missing-client.js';
import { CATALOGUE, type VariantName } from '../../src/pki/catalogue.js';
import type { LeanMock } from '../../src/server/lean-mock.js';
import type { TlsRejectionReason } from '../../src/reasons.js';
import { externalClients } from '../support/external.js';
import { clientStacks, type Stack, type StackName, type StackOutcome } from '../support/stacks.js';
import { identities, observe, onlyHandshake, startClientsFixture, type CaseIdentity, type ClientsFixture, type Identities } from './fixture.js';

/*
 * Real client stacks a Lean integrator writes (Ruby Net::HTTP, Go net/http, Java 17 HttpClient),
 * each pinned to TLS 1.2 and to TLS 1.3, calling GET /banks/v1 on an in-process mock that refuses
 * bad certificates in the TLS handshake. curl, python3 requests and openssl s_client run the same
 * catalogue in test/gateway/external-clients.test.ts (both rejection styles); this file adds the
 * stacks that need a compiler or a runtime of their own.
 */

const TLS_VERSIONS = ['1.2', '1.3'] as const;

/** Every variant the mock's TLS gate refuses, with the reason the catalogue gives it. */
const REFUSED_BY_SERVER = CATALOGUE.filter((variant) => variant.rejectedBy === 'server').map((variant) => ({
  name: variant.name,
  catalogueReason: variant.expected as TlsRejectionReason,
}));

/**
 * Go (tls.Config.Certificates) and Java (X509KeyManager) send a certificate only if its chain
 * reaches a CA the server names in its CertificateRequest; otherwise they send none at all, so the
 * server can only journal `no_certificate`. OpenSSL-based clients (Ruby) send what they are given.
 */
const SENDS_ONLY_TO_NAMED_CAS: ReadonlySet<StackName> = new Set(['go net/http', 'java HttpClient']);
/** The variants whose chain reaches no CA the default mock names (it names its root and intermediate). */
const NOT_UNDER_A_NAMED_CA: ReadonlySet<VariantName> = new Set(['unknown_ca', 'self_signed', 'incomplete_chain']);

function expectedReason(stack: StackName, variant: VariantName, catalogueReason: TlsRejectionReason): TlsRejectionReason {
  return SENDS_ONLY_TO_NAMED_CAS.has(stack) && NOT_UNDER_A_NAMED_CA.has(variant) ? 'no_certificate' : catalogueReason;
}

/** The form each README snippet uses: Ruby the leaf alone, Go the leaf + chain file, Java my_app.p12. */
const README_FORM: Record<StackName, keyof Pick<Identities, 'appLeafOnly' | 'appWithChain'>> = {
  'ruby Net::HTTP': 'appLeafOnly',
  'go net/http': 'appWithChain',
  'java HttpClient': 'appWithChain',
};
const OTHER_FORM = (stack: StackName): keyof Pick<Identities, 'appLeafOnly' | 'appWithChain'> =>
  README_FORM[stack] === 'appLeafOnly' ? 'appWithChain' : 'appLeafOnly';

/** How each stack says it refuses a key that is not its certificate's (the server never hears of it). */
const KEY_MISMATCH_ERROR: Partial<Record<StackName, RegExp>> = {
  'ruby Net::HTTP': /key values mismatch/,
  'go net/http': /^LoadX509KeyPair: tls: private key does not match public key/,
};

// ------------------------------------------------------------------------------------------------
// Which stacks can run here. Locally a missing one is skipped with the reason; in CI it fails.

const [probes, otherClients] = await Promise.all([clientStacks(), externalClients()]);
const ran = new Map<StackName, { calls: number; prepareMs: number; callsMs: number }>();

for (const probe of probes) {
  if (!probe.available) declareMissingClient('the client-stack conformance suite', { name: probe.name, reason: probe.reason, install: `apt-get install ${probe.debianPackage}` });
}
const stacks: Stack[] = probes.flatMap((probe) => (probe.available ? [probe.stack] : []));

// ------------------------------------------------------------------------------------------------

let fixture: ClientsFixture;
let ids: Identities;

beforeAll(async () => {
  fixture = await startClientsFixture();
  ids = identities(fixture);
});

afterAll(async () => {
  await fixture?.close();
  const line = probes
    .map((probe) => {
      if (!probe.available) return `${probe.name}: NOT RUN (${probe.reason})`;
      const timing = ran.get(probe.name);
      const took = timing ? `${timing.calls} calls in ${(timing.callsMs / 1000).toFixed(1)} s, prepared in ${(timing.prepareMs / 1000).toFixed(1)} s` : 'no call made';
      return `${probe.name}: ran (${probe.stack.version}; ${took})`;
    })
    .concat(otherClients.map((client) => `${client.name}: ${client.available ? 'available' : 'MISSING'}, run by test/gateway/external-clients.test.ts`));
  console.log(`client stacks — ${line.join(' | ')}`);
});

it('stacks available: names the Debian package for every stack it cannot run', () => {
  for (const probe of probes) {
    if (probe.available) expect(probe.stack.version).toBeTruthy();
    else expect(['ruby', 'golang-go', 'default-jdk-headless']).toContain(probe.debianPackage);
  }
  expect(probes.map((probe) => probe.name)).toEqual(['ruby Net::HTTP', 'go net/http', 'java HttpClient']);
});

describe.each(stacks.map((stack) => [stack.name, stack] as const))('%s', (name, stack) => {
  const timing = { calls: 0, prepareMs: 0, callsMs: 0 };
  let workDir: string;

  beforeAll(async () => {
    const started = performance.now();
    workDir = await mkdtemp(join(tmpdir(), 'lean-mock-stack-'));
    await stack.prepare(workDir);
    timing.prepareMs = performance.now() - started;
    ran.set(name, timing);
  }, 300_000);

  afterAll(async () => {
    await stack.close();
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  /** One GET /banks/v1 with the stack's form of `identity`, and what the mock journaled meanwhile. */
  const call = async (mock: LeanMock, identity: CaseIdentity, tls: '1.2' | '1.3', expectHandshake = true) => {
    const started = performance.now();
    const observed = await observe(
      mock,
      (): Promise<StackOutcome> =>
        stack.get({
          url: `https://127.0.0.1:${mock.port}/banks/v1`,
          caFile: join(fixture.folder, fixture.manifest.trust.chain),
          identity: stack.reads === 'pem' ? identity.pem : identity.pkcs12,
          token: fixture.manifest.apps[0]!.app_token,
          tls,
        }),
      expectHandshake,
    );
    timing.calls += 1;
    timing.callsMs += performance.now() - started;
    return observed;
  };

  const expectBanks = (outcome: StackOutcome): void => {
    expect(outcome.error).toBeNull();
    expect(outcome.status).toBe(200);
    expect(outcome.bodyPrefix).toMatch(/^\[\s*\{\s*"identifier"\s*:\s*"LEAN_OF_RETAIL_UAE"/);
  };

  const expectRefused = (outcome: StackOutcome): void => {
    expect(outcome.status, `an HTTP reply came through: ${outcome.bodyPrefix}`).toBeNull();
    expect(outcome.error).toBeTruthy();
    // Refused by the server, not a client that could not even load its files.
    expect(outcome.error).not.toMatch(/LoadX509KeyPair|No such file|FileNotFound|usage|expected URL|keystore password/i);
  };

  const fingerprintOf = (variant: VariantName): string | undefined =>
    fixture.manifest.variants.find((entry) => entry.name === variant)?.fingerprint256;

  describe.each(TLS_VERSIONS)('pinned to TLS %s', (tls) => {
    const journaled = `TLSv${tls}`;

    it(`gets 200 and the banks list with my_app's certificate as its README snippet loads it, journaled as accepted for my_app`, async () => {
      const observed = await call(fixture.mock, ids[README_FORM[name]], tls);

      expectBanks(observed.outcome);
      const handshake = onlyHandshake(fixture.mock, observed);
      expect(handshake).toMatchObject({ verdict: 'accepted', reason: null, app: 'my_app', tls_version: journaled });
      expect(handshake.client?.fingerprint256).toBe(fixture.manifest.apps[0]!.fingerprint256);
    });

    it('also gets 200 with the certificate in its other form (leaf-only or with its chain): the default mock trusts the intermediate', async () => {
      const observed = await call(fixture.mock, ids[OTHER_FORM(name)], tls);

      expectBanks(observed.outcome);
      expect(onlyHandshake(fixture.mock, observed)).toMatchObject({ verdict: 'accepted', app: 'my_app', tls_version: journaled });
    });

    it.each(REFUSED_BY_SERVER.map((variant) => ({ ...variant, reason: expectedReason(name, variant.name, variant.catalogueReason) })))(
      'is refused in the handshake with $name, and the journal says $reason',
      async ({ name: variant, reason }) => {
        const observed = await call(fixture.mock, ids.variant(variant), tls);

        expectRefused(observed.outcome);
        const handshake = onlyHandshake(fixture.mock, observed);
        expect(handshake).toMatchObject({ verdict: 'rejected', reason, app: null, tls_version: journaled });
        if (reason === 'no_certificate') expect(handshake.client, 'no certificate reached the server').toBeNull();
        else expect(handshake.client?.fingerprint256).toBe(fingerprintOf(variant));
      },
    );

    it('gets through TLS with incomplete_chain sent with its intermediate, then 401 CERTIFICATE_TOKEN_MISMATCH (the leaf is no app’s)', async () => {
      const observed = await call(fixture.mock, ids.variant('incomplete_chain+chain'), tls);

      expect(observed.outcome.error).toBeNull();
      expect(observed.outcome.status).toBe(401);
      expect(observed.outcome.bodyPrefix).toMatch(/"status"\s*:\s*"CERTIFICATE_TOKEN_MISMATCH"/);
      const handshake = onlyHandshake(fixture.mock, observed);
      expect(handshake).toMatchObject({ verdict: 'accepted', reason: null, app: null, tls_version: journaled });
      expect(handshake.client?.fingerprint256).toBe(fingerprintOf('incomplete_chain'));
    });

    const keyMismatch = KEY_MISMATCH_ERROR[name];
    if (keyMismatch) {
      it('refuses to load key_mismatch itself, so the mock journals no handshake', async () => {
        const observed = await call(fixture.mock, ids.variant('key_mismatch'), tls, false);

        expect(observed.outcome.status).toBeNull();
        expect(observed.outcome.error).toMatch(keyMismatch);
        expect(observed.handshakes).toEqual([]);
      });
    }

    describe('against a mock that requires the client chain (--require-client-chain: it trusts and names only the root)', () => {
      it('gets 200 with the leaf + chain form', async () => {
        const observed = await call(fixture.chainMock, ids.appWithChain, tls);

        expectBanks(observed.outcome);
        expect(onlyHandshake(fixture.chainMock, observed)).toMatchObject({ verdict: 'accepted', app: 'my_app', tls_version: journaled });
      });

      if (SENDS_ONLY_TO_NAMED_CAS.has(name)) {
        it('withholds a leaf-only certificate (its issuer is not a CA the server names) and is refused as no_certificate', async () => {
          const observed = await call(fixture.chainMock, ids.appLeafOnly, tls);

          expectRefused(observed.outcome);
          const handshake = onlyHandshake(fixture.chainMock, observed);
          expect(handshake).toMatchObject({ verdict: 'rejected', reason: 'no_certificate', client: null, tls_version: journaled });
        });
      } else {
        it('gets 200 with the leaf alone too: OpenSSL completes the chain from its CA file', async () => {
          const observed = await call(fixture.chainMock, ids.appLeafOnly, tls);

          expectBanks(observed.outcome);
          expect(onlyHandshake(fixture.chainMock, observed)).toMatchObject({ verdict: 'accepted', app: 'my_app', tls_version: journaled });
        });
      }
    });
  });
});
