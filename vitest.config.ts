import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Real TLS handshakes and OpenSSL processes: generous but bounded.
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // expect.poll gives up after 1 s by default: on a loaded machine that is a timing assumption.
    // Polls wait almost as long as the test may run, so only a real hang fails them.
    expect: { poll: { timeout: 25_000 } },
  },
});
