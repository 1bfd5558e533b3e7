import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { filesNeedingIsolation } from './test/support/isolation.js';

const root = fileURLToPath(new URL('.', import.meta.url));
const isolated = [...filesNeedingIsolation(root).keys()];

export default defineConfig({
  test: {
    // Real TLS handshakes and OpenSSL processes: generous but bounded.
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // expect.poll gives up after 1 s by default: on a loaded machine that is a timing assumption.
    // Polls wait almost as long as the test may run, so only a real hang fails them.
    expect: { poll: { timeout: 25_000 } },
    // Two workers at least: on 2 cores vitest's default is one, and the suite spends much of its
    // time waiting on child processes (the CLI, curl, Python, Go, Java), which a second worker
    // overlaps. Measured on a fresh clone, idle 2-core machine: 419 s with one, 268 s with two
    // (2,440 passed either way). Beside heavy load, CPU-bound tests then near their timeouts:
    // `--maxWorkers=1` is the setting for a machine busy with other work.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    projects: [
      {
        extends: true,
        // Most files only start servers and clients and close them: they share a worker process,
        // importing src/ once per worker instead of once per file (test/support/isolation.ts).
        test: { name: 'shared', include: ['test/**/*.test.ts'], exclude: isolated, isolate: false },
      },
      {
        extends: true,
        // Files that mock, spy, fake timers or count process-wide resources: a process each.
        test: { name: 'isolated', include: isolated.length > 0 ? isolated : ['no-such-file'], isolate: true },
      },
    ],
  },
});
