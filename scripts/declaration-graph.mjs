// The declaration files a consumer's compiler reads when it imports the public entry points, and
// the packages they name. The build copies this graph for CommonJS consumers, and
// test/package/ checks it names no package whose types a consumer would lack.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import ts from 'typescript';

/**
 * @param {string} dist the folder holding the declarations
 * @param {readonly string[]} entries declaration files relative to `dist`
 * @returns {{ files: string[], packages: Map<string, string[]> }} files relative to `dist`;
 *   each package with the files that name it
 */
export function declarationGraph(dist, entries) {
  const files = new Set();
  const packages = new Map();
  const visit = (file) => {
    if (files.has(file)) return;
    files.add(file);
    const { importedFiles } = ts.preProcessFile(readFileSync(join(dist, file), 'utf8'), true, true);
    for (const { fileName: specifier } of importedFiles) {
      if (specifier.startsWith('.')) {
        const target = join(dirname(file), specifier.replace(/\.js$/, '.d.ts'));
        if (!existsSync(join(dist, target))) throw new Error(`${file} imports ${specifier}: ${target} is missing`);
        visit(target);
      } else {
        const name = specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0];
        packages.set(name, [...(packages.get(name) ?? []), file]);
      }
    }
  };
  for (const entry of entries) visit(entry);
  return { files: [...files].map((file) => relative('.', file)).sort(), packages };
}
