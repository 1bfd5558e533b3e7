import { describe, expect, it } from 'vitest';

/** True under CI (`CI` set to anything but empty, 0 or false), where every client stack must be installed. */
export const inCi = !['', '0', 'false'].includes((process.env.CI ?? '').toLowerCase());

/**
 * Declares what happens to a suite whose client (curl, Python, Go, Java …) this machine lacks.
 * In CI it is a failing test: .ci/run installs every client, so a missing one is a broken CI.
 * Locally the suite is skipped, on purpose, with the reason and the install command printed: a
 * developer without, say, a JDK still gets a green run of everything else.
 */
export function declareMissingClient(suite: string, client: { name: string; reason: string; install: string }): void {
  const why = `${client.reason} (${client.install})`;
  if (inCi) {
    describe(client.name, () => {
      it(`is installed, since CI runs ${suite} (.ci/run installs it: ${client.install})`, () => {
        expect.fail(`${client.name} cannot run: ${why}`);
      });
    });
    return;
  }
  console.warn(`${suite}: ${client.name} SKIPPED locally (CI would fail): ${why}`);
  // The one deliberate skip of the suite: local only, never reached in CI (see above).
  describe.skip(`${client.name} — SKIPPED locally: ${why}`, () => {
    it(`runs ${suite}`, () => undefined);
  });
}
