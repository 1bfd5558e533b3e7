// The `lean-mock` command as one minified CommonJS bundle, dist/cli/lean-mock.cjs, and the bin
// that runs it, written over tsc's dist/cli/main.js. A cold `lean-mock serve` used to spend most of
// its start resolving, reading and compiling ~450 module files (ours, zod's, express's); it now
// reads two, and compiles the bundle from V8's code cache when one fits (src/cli/compile-cache.ts).
// The code cache needs a classic script, hence CommonJS: ESM cannot be compiled from a cache on
// Node 20. Lazy `import()`s become lazy `require()`s: esbuild evaluates a lazily imported module on
// first use, so a command still runs its own code and no other command's.
// The X.509 and PKCS#12 libraries and yaml stay packages, required (lazily) from node_modules:
// `serve --certs` never loads them. jose ships ESM only, so it is bundled (evaluated on the first
// OAuth token).
// The rest of dist/ stays tsc's output, for library users; nothing there imports the CLI's files.
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { cliBundleDiet } from './cli-bundle-diet.mjs';
import { esmTwinUrl } from './esm-twin-url.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = join(root, 'dist');
const out = join(dist, 'cli');
const BUNDLE = 'lean-mock.cjs';
const LAZY_PACKAGES = ['@peculiar/x509', '@peculiar/asn1-schema', '@peculiar/asn1-x509', 'node-forge', 'yaml'];
/** Which sources the bundle holds: test/cli/lazy-imports.test.ts names what a run evaluated by them. Not packed. */
const BUNDLE_MAP = 'bundle-map.json';

// An older build's chunks (the ESM bundle had many files) must not linger beside the new bundle.
for (const file of readdirSync(out)) if (/-[A-Z0-9]{8}\.js$/.test(file)) rmSync(join(out, file));

const result = await build({
  entryPoints: [join(root, 'src', 'cli', 'process-main.ts')],
  outfile: join(out, BUNDLE),
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  // A script compiled with vm cannot import(): every lazy import becomes a require().
  supported: { 'dynamic-import': false },
  minify: true,
  external: LAZY_PACKAGES,
  // The bundle sits in dist/cli/, so each module's import.meta.url becomes its twin's, from there.
  plugins: [
    cliBundleDiet({ out }),
    esmTwinUrl({ root, dist, out, urlOf: (fromOut) => `require("node:url").pathToFileURL(require("node:path").join(__dirname, ${JSON.stringify(fromOut)})).href` }),
  ],
  metafile: true,
  absWorkingDir: root,
  logLevel: 'warning',
});

// The bin: the loader, in one small ESM file (the package is "type": "module").
await build({
  entryPoints: [join(root, 'src', 'cli', 'main.ts')],
  outfile: join(out, 'main.js'),
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  minify: true,
  absWorkingDir: root,
  logLevel: 'warning',
});

const bundleText = readFileSync(join(out, BUNDLE), 'utf8');
if (/\bimport\(/.test(bundleText)) throw new Error(`${BUNDLE} still calls import(), which a vm-compiled script cannot`);
// The loader reads the bundle as latin1, exact for ASCII; one other character also makes V8 hold
// the whole megabyte as a two-byte string. esbuild escapes strings, not every regular expression.
const nonAscii = /[^\x00-\x7f]/.exec(bundleText);
if (nonAscii) throw new Error(`${BUNDLE} has a non-ASCII character near ${JSON.stringify(bundleText.slice(nonAscii.index - 40, nonAscii.index + 10))}: escape it in the source`);

const map = {};
for (const [file, output] of Object.entries(result.metafile.outputs)) {
  map[relative(out, join(root, file)).split(sep).join('/')] = Object.keys(output.inputs).map((input) =>
    input.replace(/^(\.\.\/)+[^ ]*?node_modules\//, 'node_modules/'),
  );
}
writeFileSync(join(out, BUNDLE_MAP), `${JSON.stringify(map, null, 1)}\n`);
