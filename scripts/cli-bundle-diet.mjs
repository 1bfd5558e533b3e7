// What the CLI bundle leaves out of its JavaScript. V8 reads and parses every byte of a chunk when
// the chunk loads, so large data a cold `serve` never needs costs it time on every start:
// - zod's 40-odd locales (~260 KB): lean-mock's messages are English, and zod configures English
//   from its own import of locales/en.js; only the `locales` namespace (unused here) lists the rest.
// - iconv-lite's code-page tables (~480 KB) and its generated single-byte data (~57 KB): body-parser
//   loads iconv-lite, and iconv-lite loads its codecs only when a body is decoded, its CJK tables
//   only when one of those charsets is asked for. Left as files beside the bundle (`vendor/`), they
//   are read by `require` at that moment, as from node_modules.
// - mime-db's database (~200 KB of JSON): required at start by mime-types, but `require` of a .json
//   file is one JSON.parse, far cheaper than compiling the same data as JavaScript. Only what
//   mime-types reads is kept (types with extensions or a charset; their extensions, charset and
//   source), so it parses and walks a third of it with the same answers
//   (test/cli/bundle-diet.test.ts compares every type and extension).
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';

/** A module a package requires by a relative path, served from `vendor/<package>/` beside the bundle instead. */
const VENDORED = [
  { importer: /[\\/]node_modules[\\/]iconv-lite[\\/]encodings[\\/]/, request: /^\.\/tables\/[\w-]+\.json$/, pkg: 'iconv-lite' },
  { importer: /[\\/]node_modules[\\/]iconv-lite[\\/]encodings[\\/]/, request: /^\.\/sbcs-data-generated$/, pkg: 'iconv-lite', ext: '.cjs' },
  { importer: /[\\/]node_modules[\\/]mime-db[\\/]/, request: /^\.\/db\.json$/, pkg: 'mime-db', transform: trimMimeDb },
];
const ZOD_LOCALES_INDEX = /[\\/]node_modules[\\/]zod[\\/]v4[\\/]locales[\\/]index\.js$/;

/** An esbuild plugin for a bundle written to `out`; every file of the bundle must sit directly in `out`. */
export function cliBundleDiet({ out }) {
  const vendor = join(out, 'vendor');
  return {
    name: 'cli-bundle-diet',
    setup(plugin) {
      plugin.onStart(() => rmSync(vendor, { recursive: true, force: true }));
      plugin.onLoad({ filter: ZOD_LOCALES_INDEX }, () => ({ contents: 'export { default as en } from "./en.js";', loader: 'js' }));
      plugin.onResolve({ filter: /^\.\// }, (args) => {
        const rule = VENDORED.find((r) => r.importer.test(args.importer) && r.request.test(args.path));
        if (!rule) return undefined;
        const source = vendoredFile(args.path, args.resolveDir);
        // .cjs: a copied CommonJS module must not be read as ESM under dist/'s "type": "module".
        const name = rule.ext ? `${basename(source).replace(/\.js$/, '')}${rule.ext}` : basename(source);
        mkdirSync(join(vendor, rule.pkg), { recursive: true });
        if (rule.transform) writeFileSync(join(vendor, rule.pkg, name), rule.transform(readFileSync(source, 'utf8')));
        else copyFileSync(source, join(vendor, rule.pkg, name));
        return { path: `./vendor/${rule.pkg}/${name}`, external: true };
      });
    },
  };
}

/** The file a package's relative `require` names: as written for .json, else with `.js` (the VENDORED requests). */
function vendoredFile(request, dir) {
  const path = join(dir, request);
  return /\.json$/.test(path) ? path : `${path}.js`;
}

/** mime-db's JSON with only what mime-types 3 reads: `charset`, and `extensions` with their `source` (its preference between types). */
export function trimMimeDb(json) {
  const kept = {};
  for (const [type, entry] of Object.entries(JSON.parse(json))) {
    if (!entry.extensions?.length && !entry.charset) continue;
    kept[type] = {
      ...(entry.source === undefined ? {} : { source: entry.source }),
      ...(entry.charset === undefined ? {} : { charset: entry.charset }),
      ...(entry.extensions === undefined ? {} : { extensions: entry.extensions }),
    };
  }
  return JSON.stringify(kept);
}
