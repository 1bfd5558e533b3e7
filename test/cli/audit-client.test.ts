import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SERVER_CATALOGUE } from '../../src/pki/server-variants/catalogue.js';
import { expectOneErrorLine, leanMock, removeTempDirs, tempDir } from '../support/cli.js';

/**
 * `lean-mock audit-client` judges the user's own client from what reached the server: a client
 * that verifies (curl --cacert) passes, one that does not (curl -k) fails, whatever their exit codes.
 */

let cwd: string;
beforeAll(() => {
  cwd = tempDir();
  expect(leanMock(['certs', '--out', 'certs'], cwd).code).toBe(0);
});
afterAll(() => removeTempDirs());

const CURL = ['curl', '-sS', '--cert', '{cert}', '--key', '{key}'];
const mustRefuse = SERVER_CATALOGUE.filter((variant) => variant.mustRefuse).map((variant) => variant.name);

describe('lean-mock audit-client', () => {
  it('passes a client that verifies the server (curl --cacert), naming the alert it sent for each variant', () => {
    const result = leanMock(['audit-client', '--certs', 'certs', '--', ...CURL, '--cacert', '{ca}', '{url}/banks/v1'], cwd, 180_000);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^expired\s+yes\s+refused \(alert certificate_expired\)$/m);
    expect(result.stdout).toMatch(/^wrong_host\s+yes\s+refused \(closed without an alert\)$/m);
    expect(result.stdout).toMatch(/^revoked\s+no\s+ACCEPTED$/m);
    expect(result.stdout).toContain(`PASS: the client refused all ${mustRefuse.length} must-refuse variants`);
  });

  it('fails an insecure client (curl -k) with exit 1, every must-refuse variant ACCEPTED, as JSON too', () => {
    const result = leanMock(['audit-client', '--certs', 'certs', '--json', '--tls', '1.2', '--', ...CURL, '-k', '{url}/banks/v1'], cwd, 180_000);
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as { pass: boolean; certs: string; variants: Array<{ name: string; verdict: string; exit_code: number }> };
    expect(report.pass).toBe(false);
    expect(report.certs).toBe(join(cwd, 'certs'));
    for (const name of mustRefuse) expect(report.variants.find((variant) => variant.name === name)).toMatchObject({ verdict: 'accepted', exit_code: 0 });
  });

  it('counts a command that never reaches the listener as a failure, not a refusal', () => {
    const result = leanMock(['audit-client', '--certs', 'certs', '--', 'node', '-e', 'process.exit(3)'], cwd, 180_000);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^expired\s+yes\s+NO CONNECTION/m);
    // The audit waits SETTLE_MS (2 s) per variant for a record that never comes: ~25 s by design,
    // so the test's own limit is the command's, not vitest's default 30 s.
  }, 180_000);

  it('is a usage error without a command, or with one that does not exist', () => {
    expectOneErrorLine(leanMock(['audit-client', '--certs', 'certs'], cwd), 2);
    expect(expectOneErrorLine(leanMock(['audit-client', '--certs', 'certs', '--', 'no-such-program-lean-mock'], cwd), 2)).toContain(
      'cannot run "no-such-program-lean-mock"',
    );
  });
});
