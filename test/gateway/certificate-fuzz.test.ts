import { createPrivateKey } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HandshakeRecord } from '../../src/gateway/journal.js';
import { explainHandshake } from '../../src/inspector/explain.js';
import { createLeanPki, type LeanPki } from '../../src/pki/lean-pki.js';
import { TLS_REJECTION_REASONS } from '../../src/reasons.js';
import { seededRandom } from '../../src/sandbox/random.js';
import { startLeanMock, type LeanMock } from '../../src/server/lean-mock.js';
import { drawCertificate, makeFuzzKeys, type FuzzKeys } from '../support/certificate-fuzz.js';
import { fuzzRuns } from '../support/fuzz-runs.js';
import { present } from '../support/hostile-certificates.js';

/**
 * Hundreds of hostile client certificates per run, each over real TLS 1.2 and 1.3 to one running
 * mock: the server never dies, never throws, and journals one verdict from the known set for
 * every handshake. Deterministic from the seed; replay a failure with LEAN_FUZZ_SEED=<seed>.
 */

const SEED = Number(process.env.LEAN_FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 32));
const COUNT = Number(process.env.LEAN_FUZZ_CERTIFICATES ?? fuzzRuns(200, 500));
const KNOWN = new Set<string | null>([...TLS_REJECTION_REASONS, 'handshake_failed', null]);

let pki: LeanPki;
let mock: LeanMock;
let keys: FuzzKeys;
const unhandled: unknown[] = [];
const onUnhandled = (error: unknown): void => void unhandled.push(error);

beforeAll(async () => {
  process.on('uncaughtException', onUnhandled);
  process.on('unhandledRejection', onUnhandled);
  [pki, keys] = await Promise.all([createLeanPki(), Promise.resolve().then(makeFuzzKeys)]);
  mock = await startLeanMock({ pki, adminPort: 'off' });
});

afterAll(async () => {
  await mock?.close();
  process.off('uncaughtException', onUnhandled);
  process.off('unhandledRejection', onUnhandled);
});

describe(`the certificate fuzz (seed ${SEED}; replay with LEAN_FUZZ_SEED=${SEED})`, () => {
  it(`journals a known verdict for each of ${COUNT} hostile certificates over TLS 1.2 and 1.3, and stays up`, { timeout: 600_000 }, async () => {
    console.log(`certificate fuzz: seed ${SEED}, ${COUNT} certificates (replay with LEAN_FUZZ_SEED=${SEED})`);
    const random = seededRandom(SEED);
    const reasons = new Map<string, number>();
    const wrong: string[] = [];
    for (let index = 0; index < COUNT; index++) {
      const certificate = drawCertificate(random, keys, pki);
      for (const tls of ['1.2', '1.3'] as const) {
        let record: HandshakeRecord;
        try {
          record = await present(mock.url, mock.journal, certificate, { tls, ca: pki.chainPem });
        } catch (error) {
          wrong.push(`#${index} TLS ${tls} (${certificate.description}): ${error instanceof Error ? error.message : String(error)}`);
          continue;
        }
        reasons.set(record.reason ?? 'accepted', (reasons.get(record.reason ?? 'accepted') ?? 0) + 1);
        if (!KNOWN.has(record.reason)) wrong.push(`#${index} TLS ${tls} (${certificate.description}): reason ${record.reason}`);
        // The inspector must be able to explain whatever the journal holds.
        explainHandshake(record, { now: new Date(), defaultApp: 'my_app' });
      }
      if (unhandled.length > 0) {
        wrong.push(`#${index} (${certificate.description}) crashed the server: ${String(unhandled[0])}`);
        break;
      }
    }
    console.log(`certificate fuzz verdicts: ${JSON.stringify(Object.fromEntries(reasons))}`);
    expect(wrong.slice(0, 10), `seed ${SEED} (replay with LEAN_FUZZ_SEED=${SEED})`).toEqual([]);
    expect(unhandled).toEqual([]);
    const app = pki.apps[0]!.credential;
    const alive = await present(mock.url, mock.journal, { certificatePem: app.certificatePem, key: createPrivateKey(app.privateKeyPem) }, { tls: '1.3', ca: pki.chainPem });
    expect(alive).toMatchObject({ verdict: 'accepted', app: 'my_app' });
  });
});
