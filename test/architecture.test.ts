import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The house rules DESIGN.md §1 and §4 state, held by the source itself: no import cycles (type
 * imports included: a cycle of types is still two modules that cannot be read apart), and the
 * sandbox never imports the Lean routers.
 */
const SRC = join(dirname(fileURLToPath(import.meta.url)), '..', 'src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sourceFiles(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : [],
  );
}

/** Relative modules a file imports or re-exports, statically or with `import()`, as src-relative paths. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specifiers = [
    ...text.matchAll(/^(?:import|export)\s[^;]*?from\s+'(\.[^']+)'/gm),
    ...text.matchAll(/import\(\s*'(\.[^']+)'\s*\)/g),
  ].map((match) => match[1]!);
  return specifiers.map((specifier) => relative(SRC, normalize(join(dirname(file), specifier.replace(/\.js$/, '.ts')))));
}

const graph = new Map(sourceFiles(SRC).map((file) => [relative(SRC, file), importsOf(file)]));

describe('the source layout', () => {
  it('has modules to check (the walk found the source)', () => {
    expect(graph.size).toBeGreaterThan(100);
    expect(graph.get('index.ts')?.length).toBeGreaterThan(5);
  });

  it('has no import cycles', () => {
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const visit = (module: string, path: string[]): void => {
      state.set(module, 'open');
      for (const next of graph.get(module) ?? []) {
        if (!graph.has(next)) continue;
        if (state.get(next) === 'open') cycles.push([...path.slice(path.indexOf(next)), next].join(' → '));
        else if (!state.has(next)) visit(next, [...path, next]);
      }
      state.set(module, 'done');
    };
    for (const module of graph.keys()) if (!state.has(module)) visit(module, [module]);
    expect(cycles).toEqual([]);
  });

  it('keeps the sandbox free of the Lean routers', () => {
    const crossings = [...graph].flatMap(([module, imports]) =>
      module.startsWith('sandbox/') ? imports.filter((target) => target.startsWith('lean/')).map((target) => `${module} → ${target}`) : [],
    );
    expect(crossings).toEqual([]);
  });
});
