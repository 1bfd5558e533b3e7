#!/usr/bin/env node
import { fileURLToPath } from 'node:url';
import { loadCachedBundle } from './compile-cache.js';

// The package's bin (dist/cli/main.js, rebuilt as one small file by scripts/build-cli.mjs): the
// whole command is one CommonJS bundle beside it, compiled from V8's code cache when one fits.
const { runProcess } = loadCachedBundle(fileURLToPath(new URL('./lean-mock.cjs', import.meta.url))) as { runProcess: () => Promise<void> };
await runProcess();
