import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { declarationGraph } from '../../scripts/declaration-graph.mjs';

/**
 * The package as a consumer gets it: one `npm pack` of the built repo, one `npm install` of the
 * tarball into a fresh CommonJS project (test/package/consumer), then the README's first example
 * run as ESM, as CommonJS, under jest with ts-jest's default config, and compiled by strict
 * TypeScript with skipLibCheck off. The install is the slow part (npm's cache first; ts-jest and
 * what npm lacks come from the registry), so everything shares it.
 */
const root = join(import.meta.dirname, '..', '..');
const dist = join(root, 'dist');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(command: string, args: string[], cwd: string): Promise<Run> {
  // The parent is a vitest worker: its VITEST* variables would confuse jest and npm's children.
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('VITEST')));
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env: { ...env, NO_COLOR: '1', FORCE_COLOR: '0', CI: 'true' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

interface PackedFile {
  path: string;
}

let work: string;
let consumer: string;
let packed: string[];
let install: Run;

beforeAll(async () => {
  expect(existsSync(join(dist, 'cjs', 'lean-mock.js')), 'dist/ is missing or stale: run `npm run build` first').toBe(true);
  work = mkdtempSync(join(tmpdir(), 'lean-mock-package-'));
  // --ignore-scripts: the suite must not rebuild dist/ under tests that are running it.
  const pack = await run(npm, ['pack', '--ignore-scripts', '--json', '--pack-destination', work], root);
  expect(pack, pack.stderr).toMatchObject({ code: 0 });
  const [report] = JSON.parse(pack.stdout) as [{ filename: string; files: PackedFile[] }];
  packed = report.files.map((file) => file.path);

  consumer = join(work, 'consumer');
  cpSync(join(import.meta.dirname, 'consumer'), consumer, { recursive: true });
  install = await run(
    npm,
    ['install', '--prefer-offline', '--no-audit', '--no-fund', join(work, report.filename), '@types/node@20', 'jest@29', 'ts-jest@29'],
    consumer,
  );
  expect(install, install.stderr).toMatchObject({ code: 0 });
}, 240_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

const filesUnder = (dir: string): string[] =>
  readdirSync(join(root, dir), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(root, join(entry.parentPath, entry.name)));

describe('the packed tarball', () => {
  it('holds everything the runtime reads', () => {
    const needed = [
      'package.json',
      'README.md',
      'LICENSE',
      'dist/index.js',
      'dist/testing/index.js',
      'dist/cli/main.js',
      'dist/cli/lean-mock.cjs',
      ...filesUnder('dist/cli/vendor'),
      'dist/cjs/package.json',
      'dist/cjs/lean-mock.js',
      'dist/cjs/index.js',
      'dist/cjs/testing/index.js',
      ...filesUnder('fixtures'),
      ...filesUnder('src/inspector/page').map((file) => file.replace(/^src\//, 'dist/')),
      ...declarationGraph(dist, ['index.d.ts', 'testing/index.d.ts']).files.flatMap((file) => [
        `dist/${file}`,
        `dist/cjs/${file}`,
      ]),
    ];
    expect(needed.filter((file) => !packed.includes(file))).toEqual([]);
  });

  it('has public declarations that name no package but node and zod (a consumer has their types)', () => {
    const { packages } = declarationGraph(dist, ['index.d.ts', 'testing/index.d.ts']);
    const foreign = [...packages].filter(([name]) => !name.startsWith('node:') && name !== 'zod');
    expect(Object.fromEntries(foreign)).toEqual({});
  });

  it('holds no tests, benches, sources or source maps', () => {
    const stray = packed.filter(
      (file) => /^(src|test|bench|soak|examples|scripts|docs|\.ci)\//.test(file) || file.endsWith('.map') || /(?<!\.d)\.ts$/.test(file),
    );
    expect(stray).toEqual([]);
  });

  it('installs into a fresh project without a warning about lean-mock', () => {
    expect((install.stdout + install.stderr).split('\n').filter((line) => /warn/i.test(line) && /lean-mock/.test(line))).toEqual([]);
  });
});

describe("the README's first example, in a project that installed the tarball", () => {
  const expected = { banks: 200, reason: 'expired', known: true, page: 200, html: true, css: 200, stack: { missing: [] } };
  // The four consumers start together: each mostly waits on its own process, and the slowest
  // (tsc reading zod's and node's declarations in full) sets the wall time instead of the sum.
  let runs: Record<'esm' | 'cjs' | 'jest' | 'tsc' | 'cli' | 'serve', Promise<Run>>;
  beforeAll(() => {
    const jest = join(consumer, 'node_modules', 'jest', 'bin', 'jest.js');
    const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
    runs = {
      // --enable-source-maps: a map shipped beside dist/ would point stack traces at src/, which does not ship.
      esm: run(process.execPath, ['--enable-source-maps', 'first-example.mjs'], consumer),
      cjs: run(process.execPath, ['--enable-source-maps', 'first-example.cjs'], consumer),
      jest: run(process.execPath, [jest, '--rootDir', 'jest', '--config', 'jest/jest.config.js'], consumer),
      tsc: run(process.execPath, [tsc, '-p', 'tsconfig.json'], consumer),
      cli: run(join(consumer, 'node_modules', '.bin', 'lean-mock'), ['--version'], consumer),
      serve: run(process.execPath, ['serve-example.mjs'], consumer),
    };
  });

  it('runs as ESM (import), its stack traces naming files that ship', { timeout: 120_000 }, async () => {
    const result = await runs.esm;
    expect(result, result.stderr).toMatchObject({ code: 0 });
    expect(JSON.parse(result.stdout)).toMatchObject(expected);
    expect(JSON.parse(result.stdout).stack.named).toBeGreaterThan(0);
  });

  it('runs as CommonJS (require), finding its fixtures and inspector page from dist/cjs', { timeout: 120_000 }, async () => {
    const result = await runs.cjs;
    expect(result, result.stderr).toMatchObject({ code: 0 });
    expect(JSON.parse(result.stdout)).toMatchObject(expected);
    expect(JSON.parse(result.stdout).stack.named).toBeGreaterThan(0);
  });

  it('passes under jest with ts-jest default config (CommonJS, type-checked)', { timeout: 120_000 }, async () => {
    const result = await runs.jest;
    expect(result, result.stdout + result.stderr).toMatchObject({ code: 0 });
    expect(result.stderr).toMatch(/Tests:\s+3 passed, 3 total/);
  });

  it('compiles in strict TypeScript with skipLibCheck off and only @types/node', { timeout: 120_000 }, async () => {
    const result = await runs.tsc;
    expect(result.stdout + result.stderr).toBe('');
    expect(result.code).toBe(0);
  });

  it('installs the lean-mock command', { timeout: 120_000 }, async () => {
    const result = await runs.cli;
    const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
    expect(result, result.stderr).toMatchObject({ code: 0, stdout: `${version}\n` });
  });

  it('serves from the installed command (a bundle): its certificate folder, the bank list over mTLS, the inspector page', { timeout: 120_000 }, async () => {
    const result = await runs.serve;
    expect(result, result.stderr).toMatchObject({ code: 0 });
    expect(JSON.parse(result.stdout)).toEqual({ banks: 200, count: expect.any(Number), page: 200, html: true, css: 200, exit: 0 });
    expect(JSON.parse(result.stdout).count).toBeGreaterThan(0);
  });
});
