/**
 * A fault's path: exact, or a glob where `*` stands for any run of characters, `/` included
 * (`/data/v2/accounts/*` covers everything under it). Compared case-insensitively and without a
 * trailing slash, as express routes (and Lean accepts `/customers/v1/` and `/customers/v1`).
 */
export function compilePathPattern(pattern: string): RegExp {
  const source = withoutTrailingSlash(pattern)
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${source}$`, 'i');
}

/** The path part of a request URL, in the form patterns are compared with. */
export function requestPath(url: string): string {
  const query = url.indexOf('?');
  return withoutTrailingSlash(query === -1 ? url : url.slice(0, query));
}

function withoutTrailingSlash(path: string): string {
  return path.replace(/\/+$/, '') || '/';
}
