import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The examples under examples/ are what users copy: each must run in its own framework, against
 * the built package (`lean-mock/testing` resolves to dist/), and pass exactly the tests it has.
 */
const root = join(import.meta.dirname, '..');
const bin = (name: string): string => join(root, 'node_modules', '.bin', name);

interface Run {
  code: number | null;
  output: string;
}

function run(command: string, args: string[]): Promise<Run> {
  // The parent is a vitest worker: its VITEST* variables would confuse the nested vitest.
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('VITEST')));
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: root, env: { ...env, NO_COLOR: '1', FORCE_COLOR: '0', CI: 'true' } });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    // Strip colours anyway: some reporters ignore NO_COLOR.
    child.on('close', (code) => resolve({ code, output: output.replace(/\x1b\[[0-9;]*m/g, '') }));
  });
}

const examples: { name: string; command: string; args: string[]; passed: RegExp }[] = [
  {
    name: 'vitest (globalSetup + provide/inject, node https)',
    command: bin('vitest'),
    args: ['run', '--config', 'examples/vitest/vitest.config.js'],
    passed: /Tests\s+2 passed \(2\)/,
  },
  {
    name: 'node:test (global fetch + undici dispatcher)',
    command: process.execPath,
    args: ['--test', '--test-reporter=tap', 'examples/node-test/banks.test.js'],
    passed: /^# pass 2\n# fail 0$/m,
  },
  {
    name: 'jest (CommonJS, axios)',
    command: process.execPath,
    args: [join(root, 'node_modules', 'jest', 'bin', 'jest.js'), '--config', 'examples/jest/jest.config.cjs'],
    passed: /Tests:\s+2 passed, 2 total/,
  },
  {
    name: 'vitest in TypeScript (globalSetup typed through ProvidedContext)',
    command: bin('vitest'),
    args: ['run', '--config', 'examples/vitest-ts/vitest.config.ts'],
    passed: /Tests\s+2 passed \(2\)/,
  },
  {
    name: 'node:test in TypeScript (tsx, https with mock.agent())',
    command: process.execPath,
    args: ['--import', 'tsx', '--test', '--test-reporter=tap', 'examples/node-test-ts/banks.test.ts'],
    passed: /^# pass 2\n# fail 0$/m,
  },
  {
    // Not a suite: the TypeScript examples must compile (strict) against the built package's types.
    name: 'the TypeScript examples type-check (tsc, strict)',
    command: process.execPath,
    args: [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'examples/tsconfig.json'],
    passed: /^$/,
  },
  {
    name: 'mocha (https.request)',
    command: bin('mocha'),
    args: ['--config', 'examples/mocha/.mocharc.json'],
    passed: /^\s*2 passing\b/m,
  },
];

// One at a time: four frameworks each starting a mock at once, beside the rest of the suite, pushed
// the examples' own 10 s timeouts over on a loaded machine.
describe('the examples, each run by its own framework', () => {
  it('run against the built package', () => {
    expect(existsSync(join(root, 'dist', 'testing', 'index.js')), 'dist/testing is missing: run `npm run build` first').toBe(true);
  });

  for (const example of examples) {
    it(`${example.name} passes all its tests`, { timeout: 120_000 }, async () => {
      const { code, output } = await run(example.command, example.args);
      expect({ code, output }).toMatchObject({ code: 0 });
      expect(output).toMatch(example.passed);
      expect(output).not.toMatch(/fail(ed|ing)?:?\s+[1-9]/i);
    });
  }
});
