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
    // Workers stay at vitest's default (cores − 1: one on 2 cores). Two on 2 cores overlap the
    // waits on child processes on an idle machine, but beside other load they gained nothing
    // (210 s vs 215 s) and pushed CPU-heavy tests past their timeouts; `--maxWorkers=2` opts in.
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
