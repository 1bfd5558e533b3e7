// The `lean-mock` command as one minified ESM bundle with code splitting, written over tsc's
// dist/cli/main.js (the package's bin). A cold `lean-mock serve` used to spend most of its start
// resolving, reading and compiling ~450 module files (ours, zod's, express's); from the bundle it
// loads about twenty. Lazy `import()`s stay lazy: each becomes a chunk loaded on first use, so a
// command still loads its own code and no other command's. The X.509 and PKCS#12 libraries, jose
// and yaml stay packages, imported (lazily) from node_modules: `serve --certs` never loads them
// (and esbuild's chunk for a lazily imported CommonJS package such as yaml exports only `default`,
// where Node's import() also gives the named exports the code destructures).
// The rest of dist/ stays tsc's output, for library users; nothing there imports dist/cli/main.js.
import { readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { cliBundleDiet } from './cli-bundle-diet.mjs';
import { esmTwinUrl } from './esm-twin-url.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = join(root, 'dist');
const out = join(dist, 'cli');
const LAZY_PACKAGES = ['@peculiar/x509', '@peculiar/asn1-schema', '@peculiar/asn1-x509', 'node-forge', 'jose', 'yaml'];
/** Which sources each file of the bundle holds: test/cli/lazy-imports.test.ts maps loaded files back to modules. Not packed. */
const BUNDLE_MAP = 'bundle-map.json';

// A rebuild over an old bundle must not leave stale chunks beside the new ones.
for (const file of readdirSync(out)) if (/-[A-Z0-9]{8}\.js$/.test(file)) rmSync(join(out, file));

const result = await build({
  entryPoints: { main: join(root, 'src', 'cli', 'main.ts') },
  outdir: out,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  minify: true,
  external: LAZY_PACKAGES,
  // Every file sits in dist/cli/, so each module's import.meta.url becomes its twin's, from there.
  plugins: [cliBundleDiet({ out }), esmTwinUrl({ root, dist, out, urlOf: (fromOut) => `new URL(${JSON.stringify(fromOut)}, import.meta.url).href` })],
  // express and its dependencies are CommonJS: their require() of Node's modules needs a real one.
  banner: { js: "import{createRequire as __leanMockRequire}from'node:module';const require=__leanMockRequire(import.meta.url);" },
  metafile: true,
  absWorkingDir: root,
  logLevel: 'warning',
});

const map = {};
for (const [file, output] of Object.entries(result.metafile.outputs)) {
  map[relative(out, join(root, file)).split(sep).join('/')] = Object.keys(output.inputs).map((input) =>
    input.replace(/^(\.\.\/)+[^ ]*?node_modules\//, 'node_modules/'),
  );
}
writeFileSync(join(out, BUNDLE_MAP), `${JSON.stringify(map, null, 1)}\n`);
