import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { connect, createServer, type Server, type TLSSocket } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PeerCertificateCache, type PeerCertificate } from '../../src/gateway/peer-certificates.js';
import { classifyHandshake, describeClient, type ChainKnowledge, type Verdict } from '../../src/gateway/verdict.js';
import { createLeanPki, type LeanPki } from '../../src/pki/lean-pki.js';
import { seededRandom } from '../../src/sandbox/random.js';
import { startLeanMock, type LeanMock } from '../../src/server/lean-mock.js';
import { drawCertificate, makeFuzzKeys } from '../support/certificate-fuzz.js';
import * as der from '../support/der-builder.js';
import { present } from '../support/hostile-certificates.js';

/**
 * The gate keeps what it derives from a client certificate per DER (src/gateway/peer-certificates.ts).
 * These tests present real certificates over real TLS and hold the kept answers to the ones a
 * fresh read of the same connection gives: good, catalogue-bad, fuzzed and "twin" certificates
 * (same subject, issuer, serial and key, different bytes) in a random order with repeats.
 */

const SEED = Number(process.env.LEAN_FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 32));

interface Presentable {
  readonly description: string;
  readonly certificatePem: string;
  readonly key: KeyObject;
  readonly chainPem?: string;
}

let pki: LeanPki;
let chains: ChainKnowledge;

beforeAll(async () => {
  pki = await createLeanPki();
  chains = { knownIntermediates: [pki.intermediate, pki.partnerIntermediate].map((ca) => new X509Certificate(ca.certificatePem)) };
});

/**
 * Two certificates alike in everything a careless cache might key on (subject, issuer, serial,
 * public key, even the validity start) and different in what decides the verdict.
 */
function twins(): Presentable[] {
  const app = pki.apps[0]!.credential;
  const key = createPrivateKey(app.privateKeyPem);
  const signer = createPrivateKey(pki.intermediate.privateKeyPem);
  const base = {
    serial: der.integer(0x7e57n),
    notBefore: der.utcTime('250101000000Z'),
    subject: der.name([['CN', 'twin'], ['O', 'lean-mock tests']]),
    issuer: der.subjectNameOf(pki.intermediate.certificatePem),
    publicKey: new X509Certificate(app.certificatePem).publicKey,
  };
  const clientAuth = der.extension('2.5.29.37', der.seq(der.oid('1.3.6.1.5.5.7.3.2')));
  const serverAuth = der.extension('2.5.29.37', der.seq(der.oid('1.3.6.1.5.5.7.3.1')));
  const make = (description: string, notAfter: Buffer, extensions: Buffer[]): Presentable => ({
    description,
    certificatePem: der.buildCertificate({ ...base, notAfter, extensions }, signer).pem,
    key,
  });
  return [
    make('twin: valid', der.utcTime('491231235959Z'), [clientAuth]),
    make('twin: expired', der.utcTime('250102000000Z'), [clientAuth]),
    make('twin: serverAuth only', der.utcTime('491231235959Z'), [serverAuth]),
  ];
}

/** What one connection yielded: the kept read and verdict beside a fresh, unkept one. */
interface Observation {
  kept: PeerCertificate | null;
  fresh: PeerCertificate | null;
  keptVerdict: Verdict;
  freshVerdict: Verdict;
  direct: Verdict;
  directClient: ReturnType<typeof describeClient>;
}

/**
 * A TLS server asking for a client certificate and refusing none (so every certificate reaches
 * the cache), reading each connection through `cache` and through an unkept reader.
 */
async function observingServer(cache: PeerCertificateCache): Promise<{ server: Server; port: number; observed: Map<number, Observation> }> {
  const reference = new PeerCertificateCache(chains, 0);
  // By the client's port: a connection TLS refused leaves no entry, and no other connection's.
  const observed = new Map<number, Observation>();
  const server = createServer(
    {
      key: pki.server.privateKeyPem,
      cert: pki.server.certificatePem + pki.intermediate.certificatePem,
      ca: [pki.intermediate.certificatePem, pki.root.certificatePem],
      crl: [pki.root.crlPem, pki.intermediate.crlPem, pki.partnerIntermediate.crlPem],
      requestCert: true,
      rejectUnauthorized: false,
    },
    (socket: TLSSocket) => {
      const code = (socket.authorizationError as unknown as string | null) ?? null;
      const kept = cache.read(socket);
      const fresh = reference.read(socket);
      const peer = socket.getPeerCertificate();
      const captured = peer.raw ? { subject: peer.subject, issuer: peer.issuer, serialNumber: peer.serialNumber, fingerprint256: peer.fingerprint256, valid_from: peer.valid_from, valid_to: peer.valid_to, raw: peer.raw, ca: peer.ca } : null;
      observed.set(socket.remotePort!, {
        kept,
        fresh,
        keptVerdict: cache.verdict(kept, code),
        freshVerdict: reference.verdict(fresh, code),
        direct: classifyHandshake({ authorizationError: code, certificate: captured }, chains),
        directClient: describeClient(captured),
      });
      // Recorded before the close the client waits for.
      socket.destroy();
    },
  );
  server.on('tlsClientError', () => {});
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, port: (server.address() as AddressInfo).port, observed };
}

/** Presents `credential` and waits for the server to close; resolves with what it observed, or null when TLS itself refused the certificate. */
async function observe(port: number, observed: Map<number, Observation>, credential: Presentable): Promise<Observation | null> {
  let socket: TLSSocket;
  try {
    socket = connect({
      host: '127.0.0.1',
      port,
      ca: pki.chainPem,
      servername: 'localhost',
      cert: credential.chainPem ? credential.certificatePem + credential.chainPem : credential.certificatePem,
      key: credential.key.export({ type: 'pkcs8', format: 'pem' }),
    });
  } catch {
    return null; // the client's own OpenSSL refuses to load it (e.g. a key that is not the certificate's)
  }
  socket.on('error', () => {});
  let localPort: number | undefined;
  socket.once('connect', () => (localPort = socket.localPort));
  await once(socket, 'close');
  if (localPort === undefined) return null;
  const observation = observed.get(localPort) ?? null;
  observed.delete(localPort);
  return observation;
}

describe('the kept reading of client certificates', () => {
  it('reads a certificate presented again from its DER only once, and answers the same reading each time', async () => {
    const cache = new PeerCertificateCache(chains);
    const { server, port, observed } = await observingServer(cache);
    try {
      const app = pki.apps[0]!.credential;
      const credential = { description: 'app', certificatePem: app.certificatePem, key: createPrivateKey(app.privateKeyPem) };
      const seen: Observation[] = [];
      for (let i = 0; i < 5; i++) seen.push((await observe(port, observed, credential))!);
      expect(cache.parsed).toBe(1);
      for (const observation of seen) {
        expect(observation.kept).toBe(seen[0]!.kept);
        expect(observation.kept!.client).toEqual(observation.fresh!.client);
        expect(observation.keptVerdict).toEqual({ verdict: 'accepted', reason: null, rawCode: null });
      }
    } finally {
      server.close();
    }
  });

  it(`never confuses two certificates: good, bad, fuzzed and twin certificates in any order (seed ${SEED})`, { timeout: 120_000 }, async () => {
    const random = seededRandom(SEED);
    const keys = makeFuzzKeys();
    const pool: Presentable[] = [
      ...pki.apps.map((app) => ({ description: `app ${app.name}`, certificatePem: app.credential.certificatePem, key: createPrivateKey(app.credential.privateKeyPem) })),
      ...pki.variants
        .filter((variant) => variant.credential)
        .map((variant) => ({
          description: `catalogue ${variant.name}`,
          certificatePem: variant.credential!.certificatePem,
          key: createPrivateKey(variant.credential!.privateKeyPem),
          ...(variant.chainPems ? { chainPem: variant.chainPems.join('') } : {}),
        })),
      ...twins(),
      ...Array.from({ length: 24 }, () => drawCertificate(random, keys, pki)),
    ];
    // Small, so eviction and re-reading happen too.
    const cache = new PeerCertificateCache(chains, 4);
    const { server, port, observed } = await observingServer(cache);
    const wrong: string[] = [];
    let compared = 0;
    try {
      for (let i = 0; i < 120; i++) {
        // Twins often, back to back: where a cache keyed on anything less than the bytes would slip.
        const credential = random.next() < 0.3 ? pool[pool.length - 24 - 3 + random.int(0, 2)]! : random.pick(pool);
        const observation = await observe(port, observed, credential);
        if (!observation) continue;
        compared++;
        const { kept, fresh } = observation;
        const same = (what: string, a: unknown, b: unknown): void => {
          if (JSON.stringify(a) !== JSON.stringify(b)) wrong.push(`#${i} ${credential.description}: ${what} ${JSON.stringify(a)} ≠ ${JSON.stringify(b)}`);
        };
        same('verdict (kept vs fresh)', observation.keptVerdict, observation.freshVerdict);
        same('verdict (kept vs classifyHandshake)', observation.keptVerdict, observation.direct);
        same('client (kept vs describeClient)', kept?.client ?? null, observation.directClient);
        same('client (kept vs fresh)', kept?.client ?? null, fresh?.client ?? null);
        same('certificate', kept?.captured.raw.toString('base64') ?? null, fresh?.captured.raw.toString('base64') ?? null);
      }
    } finally {
      server.close();
    }
    expect(wrong.slice(0, 10), `seed ${SEED} (replay with LEAN_FUZZ_SEED=${SEED})`).toEqual([]);
    expect(compared).toBeGreaterThan(60);
  });
});

describe('the gate with kept readings', () => {
  let mock: LeanMock;
  beforeAll(async () => {
    mock = await startLeanMock({ pki, adminPort: 'off', serverVariants: false });
  });
  afterAll(async () => {
    await mock?.close();
  });

  it('journals each twin with its own verdict and dates, however they alternate', { timeout: 60_000 }, async () => {
    const [valid, expired, serverAuth] = twins() as [Presentable, Presentable, Presentable];
    const expected = new Map<Presentable, { verdict: string; reason: string | null; not_after: string; extended_key_usage: string[] }>([
      [valid, { verdict: 'accepted', reason: null, not_after: '2049-12-31T23:59:59.000Z', extended_key_usage: ['clientAuth'] }],
      [expired, { verdict: 'rejected', reason: 'expired', not_after: '2025-01-02T00:00:00.000Z', extended_key_usage: ['clientAuth'] }],
      [serverAuth, { verdict: 'rejected', reason: 'wrong_purpose', not_after: '2049-12-31T23:59:59.000Z', extended_key_usage: ['serverAuth'] }],
    ]);
    for (const credential of [valid, expired, valid, serverAuth, expired, serverAuth, valid, valid, expired]) {
      const record = await present(mock.url, mock.journal, credential, { tls: '1.3', ca: pki.chainPem });
      const want = expected.get(credential)!;
      expect(record, credential.description).toMatchObject({
        verdict: want.verdict,
        reason: want.reason,
        client: { subject: 'CN=twin, O=lean-mock tests', not_after: want.not_after, extended_key_usage: want.extended_key_usage },
      });
    }
  });
});
