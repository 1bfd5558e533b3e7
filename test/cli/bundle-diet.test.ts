import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { compileFunction } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { BIN } from '../support/cli.js';

/**
 * The CLI bundle reads mime-db's data from a trimmed copy beside it (scripts/cli-bundle-diet.mjs).
 * express answers with mime-types over that copy, so mime-types must answer exactly as over the
 * package's own database: every type and every extension it knows is asked here, of both.
 */

const require = createRequire(import.meta.url);
const MIME_TYPES = require.resolve('mime-types');
const FULL_DB = require.resolve('mime-db/db.json');
const TRIMMED_DB = join(BIN, '..', 'vendor', 'mime-db', 'db.json');

interface MimeTypes {
  lookup(path: string): string | false;
  contentType(str: string): string | false;
  extension(type: string): string | false;
  charset(type: string): string | false;
  types: Record<string, string>;
  extensions: Record<string, string[]>;
}

/** A fresh mime-types, its `require('mime-db')` answered with the database at `dbPath`. */
function mimeTypesOver(dbPath: string): MimeTypes {
  const db: unknown = JSON.parse(readFileSync(dbPath, 'utf8'));
  const localRequire = createRequire(MIME_TYPES);
  const module = { exports: {} as MimeTypes };
  const load = compileFunction(readFileSync(MIME_TYPES, 'utf8'), ['exports', 'require', 'module'], { filename: MIME_TYPES });
  load(module.exports, (id: string) => (id === 'mime-db' ? db : localRequire(id)), module);
  return module.exports;
}

describe('the CLI bundle\'s trimmed mime-db', () => {
  const full = mimeTypesOver(FULL_DB);
  const trimmed = mimeTypesOver(TRIMMED_DB);
  const allTypes = Object.keys(JSON.parse(readFileSync(FULL_DB, 'utf8')) as Record<string, unknown>);
  const allExtensions = Object.keys(full.types);

  it('is much smaller than the package\'s, yet asked about every type, mime-types answers the same', () => {
    expect(readFileSync(TRIMMED_DB).length).toBeLessThan(readFileSync(FULL_DB).length / 2);
    expect(allTypes.length).toBeGreaterThan(2000);
    const ask = (mime: MimeTypes) =>
      allTypes.flatMap((type) => [mime.charset(type), mime.contentType(type), mime.extension(type), mime.charset(`${type}; q=1`), mime.contentType(type.toUpperCase())]);
    expect(ask(trimmed)).toEqual(ask(full));
  });

  it('maps every extension, and every type to its extensions, as the full database does', () => {
    expect(allExtensions.length).toBeGreaterThan(1000);
    const ask = (mime: MimeTypes) => allExtensions.flatMap((ext) => [mime.lookup(ext), mime.lookup(`file.${ext}`), mime.contentType(ext)]);
    expect(ask(trimmed)).toEqual(ask(full));
    expect(trimmed.types).toEqual(full.types);
    expect(trimmed.extensions).toEqual(full.extensions);
  });
});
