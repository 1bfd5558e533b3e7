import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, leanMock, removeTempDirs, tempDir } from '../support/cli.js';

/*
 * Scenario files from Python (issue 15, item 4): a `requests` suite starts the built CLI with
 * `serve --scenario`, reads the scenario's customer, accounts, balances and transactions over
 * mutual TLS and asserts them against the file, then posts a YAML scenario to the admin API and
 * does the same. The assertions live in ./python/scenario_check.py, as a Python user would write them.
 */

const SCRIPT = fileURLToPath(new URL('./python/scenario_check.py', import.meta.url));
const SCENARIO = fileURLToPath(new URL('../../fixtures/scenarios/alice.json', import.meta.url));
const inCi = !['', '0', 'false'].includes((process.env.CI ?? '').toLowerCase());

/** The first python3 that imports `requests` (as test/support/external.ts looks for it). */
function findPython(): string | null {
  for (const python of ['python3', '/usr/bin/python3']) {
    const probe = spawnSync(python, ['-c', 'import requests'], { encoding: 'utf8' });
    if (probe.status === 0) return python;
  }
  return null;
}

const python = findPython();
let work: string;

beforeAll(() => {
  work = tempDir();
  expect(leanMock(['certs', '--out', 'certs'], work).code).toBe(0);
});
afterAll(() => removeTempDirs());

describe.skipIf(python === null && !inCi)('a Python requests suite', () => {
  it('reads the scenario it started serve with, and one it posted, over mTLS', () => {
    expect(python, 'CI runs the Python clients: no python3 can import requests').not.toBeNull();
    const result = spawnSync(python!, [SCRIPT, process.execPath, BIN, join(work, 'certs'), SCENARIO], { cwd: work, encoding: 'utf8', timeout: 120_000 });
    expect(result.status, `${result.stdout}\n${result.stderr}`).toBe(0);
    const { checks } = JSON.parse(result.stdout.trim().split('\n').pop()!) as { checks: number };
    expect(checks).toBeGreaterThan(20);
  }, 150_000);
});
