import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { declareMissingClient } from '../support/missing-client.js';
import { writePkiFolder } from '../../src/pki/folder.js';
import { createLeanPki, type LeanPki } from '../../src/pki/lean-pki.js';
import { startLeanMockVariants } from '../support/lean-mock-variants.js';
import { variantStacks, type ClientFiles, type VariantStack } from '../support/server-variant-clients.js';
import { MODES, TLS_VERSIONS, runStacks, type Case, type StackRun, type VariantsUnderTest } from './server-variants-matrix.js';
import { comparable, measuredWith, outcomeTable, readmeBlock, replaceReadmeBlock } from './server-variants-table.js';

/*
 * The client's half of mTLS, proved with real clients (issue 16 item 5): curl, Python requests,
 * Node https/undici/axios, Go net/http, Ruby Net::HTTP and Java HttpClient, each with its default
 * settings (only the CA file and the client certificate set, as the README snippets do), refuse
 * every bad server certificate that must be refused, on TLS 1.2 and 1.3 — and each stack's
 * insecure setting is caught: the listener journals `accepted`. One process per stack runs all of
 * its targets; stacks run a few at a time, each against listeners of its own.
 */

const README = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'README.md');
/** Two cores, shared: three client processes at a time keep the listeners (this process) responsive. */
const LANES = 3;

/** `CLIENT_STACKS=go,ruby` runs only the stacks whose names contain one of these (while working on one). */
const only = (process.env.CLIENT_STACKS ?? '').split(',').map((word) => word.trim()).filter(Boolean);
const probes = (await variantStacks()).filter((probe) => only.length === 0 || only.some((word) => probe.name.includes(word)));
const allStacks = only.length === 0;
for (const probe of probes) {
  if (!probe.available) declareMissingClient('the server-variant client matrix', { name: probe.name, reason: probe.reason, install: `apt-get install ${probe.debianPackage}` });
}
const stacks: VariantStack[] = probes.flatMap((probe) => (probe.available ? [probe.stack] : []));

let folder: string;
let pki: LeanPki;
let files: ClientFiles;
let runs: Map<VariantStack['name'], StackRun | Error>;
let matrixMs = 0;

/** Each stack gets a mock of its own, so every verdict in its journal is that stack's. */
const startListeners = (): Promise<VariantsUnderTest> => startLeanMockVariants(pki);

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'lean-mock-server-variants-'));
  pki = await createLeanPki();
  const manifest = await writePkiFolder(pki, folder);
  const app = manifest.apps[0]!;
  files = {
    ca: join(folder, manifest.trust.chain),
    certLeaf: join(folder, app.cert),
    certAndChain: join(folder, app.cert_and_chain),
    key: join(folder, app.key),
    p12: join(folder, app.p12),
    p12Password: manifest.p12_password,
  };
  const started = performance.now();
  runs = await runStacks(stacks, files, startListeners, LANES);
  matrixMs = performance.now() - started;
}, 240_000);

afterAll(async () => {
  if (folder) await rm(folder, { recursive: true, force: true });
  const timings = [...(runs?.entries() ?? [])].map(([name, run]) =>
    run instanceof Error ? `${name}: FAILED (${run.message})` : `${name}: ${run.cases.length + run.controls.length} targets in ${(run.clientMs / 1000).toFixed(1)} s`,
  );
  console.log(`server variants — matrix in ${(matrixMs / 1000).toFixed(1)} s, ${LANES} stacks at a time: ${timings.join(' | ')}`);
});

function runOf(name: VariantStack['name']): StackRun {
  const run = runs.get(name);
  if (run instanceof Error) throw run;
  if (!run) throw new Error(`${name} did not run`);
  return run;
}

/** The client's words and the listener's verdict, for a failure message. */
const told = (entry: Case): string =>
  `client: ${entry.outcome.ok ? `HTTP ${entry.outcome.status}` : entry.outcome.error}; listener: ${entry.verdict ? `${entry.verdict.verdict} (alert ${entry.verdict.alert})` : 'no verdict paired (a retry or a lost connection)'}`;

describe.each(stacks.map((stack) => [stack.name, stack] as const))('%s', (name) => {
  const cases = (tls: string, mode: string, mustRefuse: boolean): Case[] =>
    runOf(name).cases.filter((entry) => entry.tls === tls && entry.mode === mode && entry.mustRefuse === mustRefuse);

  describe.each(TLS_VERSIONS)('TLS %s', (tls) => {
    it.each(MODES)('reaches the good server in %s mode (its setup works, so a refusal is about the certificate)', (mode) => {
      const control = runOf(name).controls.find((entry) => entry.tls === tls && entry.mode === mode)!;
      expect(control.outcome, told(control)).toMatchObject({ ok: true, status: expect.any(Number) });
      expect(control.verdict?.verdict, told(control)).toBe('accepted');
    });

    it('with default settings refuses every must-refuse variant: it reports an error and the listener journals refused', () => {
      const safe = cases(tls, 'safe', true);
      expect(safe.length).toBeGreaterThanOrEqual(7);
      for (const entry of safe) {
        expect(entry.outcome.ok, `${entry.variant}: ${told(entry)}`).toBe(false);
        expect(entry.outcome.error, entry.variant).toBeTruthy();
        expect(entry.verdict?.verdict, `${entry.variant}: ${told(entry)}`).toBe('refused');
        if (entry.verdict?.tlsVersion) expect(entry.verdict.tlsVersion).toBe(`TLSv${tls}`);
      }
    });

    it('with its insecure setting is caught on every must-refuse variant: the listener journals accepted', () => {
      const insecure = cases(tls, 'insecure', true);
      expect(insecure.length).toBeGreaterThanOrEqual(7);
      for (const entry of insecure) {
        expect(entry.outcome.ok, `${entry.variant}: ${told(entry)}`).toBe(true);
        expect(entry.verdict?.verdict, `${entry.variant}: ${told(entry)}`).toBe('accepted');
        if (entry.verdict?.tlsVersion) expect(entry.verdict.tlsVersion).toBe(`TLSv${tls}`);
      }
    });

    it('on informational variants, says what the listener saw: an error exactly when it journals refused', () => {
      for (const entry of [...cases(tls, 'safe', false), ...cases(tls, 'insecure', false)]) {
        expect(entry.verdict, `${entry.variant}: ${told(entry)}`).toBeDefined();
        expect(entry.verdict!.verdict, `${entry.variant}: ${told(entry)}`).toBe(entry.outcome.ok ? 'accepted' : 'refused');
      }
    });
  });
});

describe('README "What each client stack does"', () => {
  it.runIf(allStacks && stacks.length === probes.length)('is the table this run measured (UPDATE_CLIENT_TABLE=1 rewrites it)', async () => {
    const measured = [...runs.values()].filter((run): run is StackRun => !(run instanceof Error));
    expect(measured, 'every stack ran').toHaveLength(probes.length);
    const ordered = probes.map((probe) => measured.find((run) => run.stack.name === probe.name)!);
    const table = outcomeTable(ordered);
    const readme = await readFile(README, 'utf8');
    if (process.env.UPDATE_CLIENT_TABLE === '1') {
      await writeFile(README, replaceReadmeBlock(readme, `\n${table}\n\n${measuredWith(ordered)}\n`));
      return;
    }
    const block = readmeBlock(readme);
    expect(block, 'README.md has the generated block').not.toBeNull();
    // The "Measured with" line names patch versions, and alerts may race a close: both left out.
    expect(comparable(block!.replace(/\nMeasured with: .*\n/, '\n')).trim()).toBe(comparable(table).trim());
  });
});
