import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';

/**
 * README "As a library" shows the whole public API (DESIGN.md §4: small enough to show whole).
 * It is only true while the copy is the file itself, so every new export lands in both.
 */
it("README's copy of src/index.ts is the file itself", () => {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const index = readFileSync(new URL('../../src/index.ts', import.meta.url), 'utf8');
  const section = readme.slice(readme.indexOf('The whole public API, `src/index.ts`'));
  const shown = /```ts\n([\s\S]*?)```\n/.exec(section)?.[1];
  expect(shown).toBe(index);
});
