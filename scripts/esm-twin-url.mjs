// Modules find their files (fixtures, the inspector page, package.json) relative to
// `import.meta.url`. Inside a bundle every module shares the bundle file's URL, so both bundles
// (the CommonJS library build and the CLI) rewrite each module's `import.meta.url` into the URL of
// its ESM twin in dist/: every relative path then resolves exactly as it does for the unbundled
// modules, against files that ship.
import { readFileSync } from 'node:fs';
import { join, posix, relative, sep } from 'node:path';

/**
 * An esbuild plugin for sources under `<root>/src`. `urlOf(pathFromOut)` is the JavaScript
 * expression for the twin's URL, given the twin's path relative to the folder `out` the bundle's
 * files are written to (every file of the bundle must sit directly in `out`).
 */
export function esmTwinUrl({ root, dist, out, urlOf }) {
  return {
    name: 'import-meta-url-of-esm-twin',
    setup(plugin) {
      plugin.onLoad({ filter: /[\\/]src[\\/].*\.ts$/ }, (args) => {
        const source = readFileSync(args.path, 'utf8');
        if (!source.includes('import.meta.url')) return undefined;
        const twin = join(dist, relative(join(root, 'src'), args.path)).replace(/\.ts$/, '.js');
        const fromOut = relative(out, twin).split(sep).join(posix.sep);
        return { contents: source.replaceAll('import.meta.url', urlOf(fromOut)), loader: 'ts' };
      });
    },
  };
}
