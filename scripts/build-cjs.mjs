// The CommonJS build, for consumers that `require('lean-mock')` (NestJS, ts-jest's default config)
// on Node versions without require(esm). One esbuild bundle holds both entry points, so `lean-mock`
// and `lean-mock/testing` share one copy of every module (one instance per format); jose, which
// ships ESM only, is bundled in, every other dependency stays a `require`. Lazy `import()`s stay
// lazy: esbuild defers those modules' evaluation until first use.
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { declarationGraph } from './declaration-graph.mjs';
import { esmTwinUrl } from './esm-twin-url.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = join(root, 'dist');
const out = join(dist, 'cjs');
const { dependencies } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const ESM_ONLY = new Set(['jose']);

// Each module's `import.meta.url` becomes the URL of its ESM twin in dist/ (see esm-twin-url.mjs).
const importMetaUrl = esmTwinUrl({
  root,
  dist,
  out,
  urlOf: (fromBundle) => `require("node:url").pathToFileURL(require("node:path").join(__dirname, ${JSON.stringify(fromBundle)})).href`,
});

await build({
  stdin: {
    contents: "export * as main from './src/index.ts';\nexport * as testing from './src/testing/index.ts';\n",
    resolveDir: root,
    sourcefile: 'lean-mock-cjs.ts',
    loader: 'ts',
  },
  outfile: join(out, 'lean-mock.js'),
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  external: Object.keys(dependencies).filter((name) => !ESM_ONLY.has(name)),
  plugins: [importMetaUrl],
  logLevel: 'warning',
  legalComments: 'inline',
});

const write = (file, text) => {
  mkdirSync(dirname(join(out, file)), { recursive: true });
  writeFileSync(join(out, file), text);
};
// dist/ is "type": "module" through the package; this folder is CommonJS.
write('package.json', '{ "type": "commonjs" }\n');
write('index.js', "'use strict';\nmodule.exports = require('./lean-mock.js').main;\n");
write('testing/index.js', "'use strict';\nmodule.exports = require('../lean-mock.js').testing;\n");

// The same declarations, read as CommonJS because they sit under this folder's package.json:
// TypeScript's node16/nodenext resolution then lets a CommonJS file import them.
const entries = ['index.d.ts', 'testing/index.d.ts'];
for (const file of declarationGraph(dist, entries).files) {
  mkdirSync(dirname(join(out, file)), { recursive: true });
  copyFileSync(join(dist, file), join(out, file));
}
