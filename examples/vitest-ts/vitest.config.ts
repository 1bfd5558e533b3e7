import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const here = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root: here,
  // Keep vitest's cache in the repository's node_modules, not a new one beside the example.
  cacheDir: fileURLToPath(new URL('../../node_modules/.vite/examples-vitest-ts', import.meta.url)),
  test: {
    include: ['*.test.ts'],
    // One mock for the whole run: every test file reaches it through inject('lean').
    globalSetup: ['./global-setup.ts'],
    testTimeout: 10_000,
  },
});
