import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { filesNeedingIsolation } from './support/isolation.js';

/**
 * vitest.config.ts runs most test files in one shared worker process and the rest in a process
 * each. Which file goes where is read from the files themselves: these are the rules.
 */
const root = mkdtempSync(join(tmpdir(), 'lean-mock-isolation-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function write(path: string, source: string): void {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), source);
}

describe('which test files get a process of their own', () => {
  write('test/support/spies.ts', "import { vi } from 'vitest';\nexport const spy = vi.spyOn(Object.prototype, 'toString');\n");
  write('test/support/counts.ts', "export { spy } from './spies.js';\nimport { spy } from './spies.js';\n");
  write('test/support/plain.ts', 'export const answer = 42;\n');
  const cases: [string, string, string[]][] = [
    ['test/a/servers.test.ts', "import { answer } from '../support/plain.js';\n", []],
    ['test/a/mocks.test.ts', "vi.mock(import('jose'), () => ({}));\n", ['mocks a module']],
    ['test/a/restores.test.ts', 'afterEach(() => vi.restoreAllMocks());\n', ['spies on or restores shared objects']],
    ['test/a/timers.test.ts', "vi.useFakeTimers({ toFake: ['setTimeout'] });\n", ['fakes timers']],
    ['test/a/handles.test.ts', 'const n = process.getActiveResourcesInfo().length;\n', ['counts process-wide handles, descriptors or heap']],
    ['test/a/fds.test.ts', "readdirSync('/proc/self/fd');\n", ['counts process-wide handles, descriptors or heap']],
    ['test/a/crashes.test.ts', "process.on('uncaughtException', onUnhandled);\n", ['listens for process-wide crashes or warnings']],
    ['test/a/through.test.ts', "import { spy } from '../support/spies.js';\n", ['spies on or restores shared objects (through support/spies.ts)']],
    ['test/a/transitive.test.ts', "import { spy } from '../support/counts.js';\n", ['spies on or restores shared objects (through support/spies.ts)']],
  ];
  for (const [path, source] of cases) write(path, source);
  const found = filesNeedingIsolation(root);

  for (const [path, , reasons] of cases) {
    it(`${path.replace('test/a/', '')}: ${reasons.length > 0 ? reasons.join('; ') : 'shares the worker'}`, () => {
      expect(found.get(path) ?? []).toEqual(reasons);
    });
  }

  it('in this repository, puts the module mock (test/app/tokens.test.ts) and the store spies (test/lean/bad-input.test.ts) apart', () => {
    const repo = filesNeedingIsolation(join(import.meta.dirname, '..'));
    expect([...repo.keys()]).toEqual(expect.arrayContaining(['test/app/tokens.test.ts', 'test/lean/bad-input.test.ts']));
    expect(repo.has('test/e2e/lean-flow.test.ts')).toBe(false);
  });
});
