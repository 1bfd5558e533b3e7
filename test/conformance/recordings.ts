import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Lean's recorded requests and responses (its public Postman collections, UAE and KSA, secrets
 * redacted), copied into test/fixtures/lean-recorded so no test reads outside the repository.
 */

export const RECORDED_DIR = fileURLToPath(new URL('../fixtures/lean-recorded/', import.meta.url));

export interface RecordedExample {
  name: string;
  /** null where Lean's collection left the code out. */
  code: number | null;
  request_body: unknown;
  body: unknown;
}

export interface Recording {
  /** e.g. `UAE/customers/create-customer.json` */
  file: string;
  region: 'UAE' | 'KSA';
  name: string;
  method: string;
  url: string;
  request_headers: Record<string, string>;
  request_body: unknown;
  recorded: RecordedExample[];
  /** `GET /customers/v1/{customer_id}/entities`: the route, host and query dropped, variables named alike. */
  route: string;
}

function* jsonFiles(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* jsonFiles(path);
    else if (entry.name.endsWith('.json')) yield path;
  }
}

/** Postman writes a path variable three ways (`{{id}}`, `:id`, and once the bare word `customer_id`). */
export function routeOf(method: string, url: string): string {
  const path = url
    .replace(/^\{\{\w+\}\}/, '')
    .replace(/^https?:\/\/[^/]+/, '')
    .split('?')[0]!
    .split('/')
    .filter((segment) => segment !== '')
    .map((segment) => segment.replace(/^\{\{(\w+)\}\}$/, '{$1}').replace(/^:(\w+)$/, '{$1}').replace(/^customer_id$/, '{customer_id}'))
    .join('/');
  return `${method} /${path}`;
}

export function loadRecordings(): Recording[] {
  const recordings: Recording[] = [];
  for (const path of jsonFiles(RECORDED_DIR)) {
    const raw = JSON.parse(readFileSync(path, 'utf8')) as Omit<Recording, 'file' | 'route'>;
    const file = relative(RECORDED_DIR, path).split('\\').join('/');
    recordings.push({ ...raw, file, route: routeOf(raw.method, raw.url) });
  }
  return recordings.sort((a, b) => a.file.localeCompare(b.file));
}
