#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { watchLauncher } from './launcher.js';
import { runCli } from './program.js';

// Read first: once the launcher is gone, process.ppid already names someone else.
const launcher = process.ppid;

const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

const code = await runCli(process.argv.slice(2), {
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
process.exitCode = code;
