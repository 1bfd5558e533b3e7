import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';

/**
 * Which test files must run in a process of their own (vitest `isolate: true`), and which may
 * share one with other files (`isolate: false`, the modules of src/ imported once per worker
 * instead of once per file: about half the suite's CPU went to that import).
 *
 * Sharing a process is safe for a file that only starts servers and clients and closes them. It
 * is not for a file whose test reads process-wide state another file could have left behind or
 * changes module state another file reads. Such files are found from their source (and the
 * support modules they import), so a new file that mocks or counts gets isolated without
 * anyone remembering to list it.
 */
const NEEDS_OWN_PROCESS: readonly { why: string; pattern: RegExp }[] = [
  // A module mock replaces the module for everyone in the process that imported it after.
  { why: 'mocks a module', pattern: /\bvi\.(mock|doMock|hoisted|resetModules)\(/ },
  // Spies on shared prototypes; restoreAllMocks in one file would undo another file's spies.
  { why: 'spies on or restores shared objects', pattern: /\bvi\.(spyOn|restoreAllMocks|stubGlobal|stubEnv|unstubAllGlobals|unstubAllEnvs)\(/ },
  { why: 'fakes timers', pattern: /\bvi\.useFakeTimers\(/ },
  // Counts of handles, descriptors and heap are baselines of the whole process.
  { why: 'counts process-wide handles, descriptors or heap', pattern: /getActiveResourcesInfo|\/proc\/self\/fd|memoryUsage\(/ },
  // Listeners for crashes and warnings would catch what an earlier file left running.
  { why: 'listens for process-wide crashes or warnings', pattern: /\bprocess\.on\(\s*'(uncaughtException|unhandledRejection|warning)'/ },
];

/** Relative imports of TypeScript modules (`'./x.js'`, `'../support/x.js'`). */
const RELATIVE_IMPORT = /from\s+'(\.\.?\/[^']+)\.js'/g;

function testFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.test.ts'))
    .map((entry) => join(entry.parentPath, entry.name));
}

/** Each test file under `root/test` that needs its own process, with why (paths relative to `root`). */
export function filesNeedingIsolation(root: string): Map<string, string[]> {
  const support = join(root, 'test', 'support');
  const memo = new Map<string, string[]>();
  // A file's reasons, and those of the support modules it imports (they may spy or count at load).
  const reasonsOf = (file: string): string[] => {
    const known = memo.get(file);
    if (known) return known;
    memo.set(file, []); // a cycle adds nothing
    const source = readFileSync(file, 'utf8');
    const reasons = new Set(NEEDS_OWN_PROCESS.filter(({ pattern }) => pattern.test(source)).map(({ why }) => why));
    for (const [, specifier] of source.matchAll(RELATIVE_IMPORT)) {
      const imported = join(dirname(file), `${specifier!}.ts`);
      if (!imported.startsWith(support + sep) || !existsSync(imported)) continue;
      for (const why of reasonsOf(imported)) reasons.add(why.includes('(through') ? why : `${why} (through support/${relative(support, imported)})`);
    }
    memo.set(file, [...reasons]);
    return [...reasons];
  };
  const isolated = new Map<string, string[]>();
  for (const file of testFiles(join(root, 'test'))) {
    const reasons = reasonsOf(file);
    if (reasons.length > 0) isolated.set(relative(root, file), reasons);
  }
  return isolated;
}
