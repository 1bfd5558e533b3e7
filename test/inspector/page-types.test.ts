import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));

// The page ships as hand-written ES modules (no bundler), so nothing else would type-check them.
describe('the inspector page scripts', () => {
  it('type-check strictly against the DOM (tsconfig.page.json)', async () => {
    const tsc = fileURLToPath(new URL('../../node_modules/typescript/bin/tsc', import.meta.url));
    const run = promisify(execFile)(process.execPath, [tsc, '-p', 'tsconfig.page.json'], { cwd: root });
    await expect(run).resolves.toMatchObject({ stdout: '' });
  }, 60_000);
});
