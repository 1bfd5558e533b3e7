import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writePkiFolder } from '../src/pki/folder.js';
import { generateKeyPair, type KeyType } from '../src/pki/keys.js';
import { createLeanPki } from '../src/pki/lean-pki.js';
import { interleave, summarize, timed, type BenchResult, type BenchSuite, type Task } from './suite.js';

/** createLeanPki makes 6 keys (root, intermediate, partner, rogue, server, catalogue leaf) + one per default app (2). */
const KEYS_PER_PKI = 8;

/** The targets for the in-memory set; RSA counts on parallel key generation. */
const TARGET_MS: Record<KeyType, number> = { ec: 100, rsa: 1000 };

/** RSA prime search is slow and erratic, so it gets fewer but still paired runs. */
const ROUNDS: Record<KeyType, { full: { runs: number; warmup: number }; quick: { runs: number; warmup: number } }> = {
  ec: { full: { runs: 25, warmup: 3 }, quick: { runs: 5, warmup: 1 } },
  rsa: { full: { runs: 7, warmup: 2 }, quick: { runs: 3, warmup: 1 } },
};

const writeToTempFolder =
  (keyType: KeyType): Task =>
  async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lean-mock-bench-'));
    try {
      return await timed(async () => writePkiFolder(await createLeanPki({ keyType }), join(dir, 'pki')));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  };

async function measure(keyType: KeyType, quick: boolean): Promise<BenchResult[]> {
  const label = keyType === 'ec' ? 'EC P-256' : 'RSA-2048';
  const samples = await interleave(
    {
      floor: () => timed(() => Promise.all(Array.from({ length: KEYS_PER_PKI }, () => generateKeyPair(keyType)))),
      memory: () => timed(() => createLeanPki({ keyType })),
      folder: writeToTempFolder(keyType),
    },
    ROUNDS[keyType][quick ? 'quick' : 'full'],
  );
  const floorName = `${label}: keygen floor, ${KEYS_PER_PKI} pairs in parallel`;
  const baseline = { name: floorName, samples: samples.floor };
  return [
    summarize(`${label}: createLeanPki (memory)`, samples.memory, {
      baseline,
      target: { op: '<', value: TARGET_MS[keyType], unit: 'ms' },
    }),
    summarize(`${label}: createLeanPki + writePkiFolder`, samples.folder, { baseline }),
    summarize(floorName, samples.floor),
  ];
}

export const pkiSuite: BenchSuite = {
  name: 'pki',
  method:
    `Per key type, rounds interleave three timed tasks in rotating order: createLeanPki({ keyType }) in memory; ` +
    `createLeanPki + writePkiFolder into a fresh temp folder (PKCS#12 included; mkdtemp and removal untimed); and the ` +
    `floor, ${KEYS_PER_PKI} WebCrypto generateKeyPair calls in parallel (the keys the PKI needs). Ratios are medians of ` +
    `per-round ratios to the floor. EC: ${ROUNDS.ec.full.runs} runs after ${ROUNDS.ec.full.warmup} warm-ups; ` +
    `RSA: ${ROUNDS.rsa.full.runs} after ${ROUNDS.rsa.full.warmup} (--quick: ${ROUNDS.ec.quick.runs} and ${ROUNDS.rsa.quick.runs}).`,
  async run({ quick }) {
    return [...(await measure('ec', quick)), ...(await measure('rsa', quick))];
  },
};
