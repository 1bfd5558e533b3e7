import { readFileSync } from 'node:fs';
import { watchLauncher } from './launcher.js';
import { runCli } from './program.js';

/**
 * The `lean-mock` process: runs the command line against this process's streams, signals and
 * launcher, and sets its exit code. The entry of the command's bundle (scripts/build-cli.mjs),
 * which the bin (./main.ts) loads with V8's code cache.
 */
export async function runProcess(): Promise<void> {
  // Read first: once the launcher is gone, process.ppid already names someone else.
  const launcher = process.ppid;

  const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

  process.exitCode = await runCli(process.argv.slice(2), {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    version,
    cwd: process.cwd(),
    waitForShutdown: () =>
      new Promise((resolve) => {
        for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => resolve(signal));
        watchLauncher(launcher, (why) => resolve(why));
      }),
  });
}
