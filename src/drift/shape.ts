/**
 * A JSON value's shape: every path it has (`$.data.accounts[].currency`) with the JSON types seen
 * there. Arrays fold into `[]`, so an array's shape is the union of its elements' shapes, and two
 * replies with different numbers of items (or different data) have the same shape.
 */
export type JsonType = 'null' | 'boolean' | 'number' | 'string' | 'array' | 'object';

export type Shape = ReadonlyMap<string, ReadonlySet<JsonType>>;

/** Deeper paths are not compared: Lean's replies are a handful of levels deep. */
const MAX_DEPTH = 32;

export function shapeOf(value: unknown): Shape {
  const shape = new Map<string, Set<JsonType>>();
  const walk = (item: unknown, path: string, depth: number): void => {
    const type = typeOf(item);
    let types = shape.get(path);
    if (!types) shape.set(path, (types = new Set()));
    types.add(type);
    if (depth >= MAX_DEPTH) return;
    if (type === 'array') for (const element of item as unknown[]) walk(element, `${path}[]`, depth + 1);
    else if (type === 'object') for (const [key, child] of Object.entries(item as object)) walk(child, `${path}.${key}`, depth + 1);
  };
  walk(value, '$', 0);
  return shape;
}

function typeOf(value: unknown): JsonType {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  const type = typeof value;
  return type === 'boolean' || type === 'number' || type === 'string' ? type : 'object';
}

export interface ShapeDifference {
  readonly path: string;
  /** The types the upstream had there (`string|null`), or null when it lacks the path. */
  readonly upstream: string | null;
  readonly mock: string | null;
}

/**
 * Where two shapes disagree. Inside an array one side left empty nothing is compared: an empty
 * list says nothing about what its items look like.
 */
export function compareShapes(upstream: Shape, mock: Shape): ShapeDifference[] {
  const paths = [...new Set([...upstream.keys(), ...mock.keys()])].sort();
  const differences: ShapeDifference[] = [];
  for (const path of paths) {
    if (!bothHaveItems(path, upstream, mock)) continue;
    const a = upstream.get(path);
    const b = mock.get(path);
    // One sample cannot tell a nullable field from a wrong one: null agrees with every type.
    if (a && b && (nullOnly(a) || nullOnly(b) || describe(withoutNull(a)) === describe(withoutNull(b)))) continue;
    differences.push({ path, upstream: describe(a), mock: describe(b) });
  }
  // A missing object reports itself once, not once per field under it.
  return differences.filter((entry) => !differences.some((outer) => outer !== entry && coveredBy(entry, outer)));
}

function coveredBy(inner: ShapeDifference, outer: ShapeDifference): boolean {
  const missing = outer.upstream === null ? 'upstream' : outer.mock === null ? 'mock' : null;
  if (!missing || inner[missing] !== null) return false;
  return inner.path.startsWith(`${outer.path}.`) || inner.path.startsWith(`${outer.path}[]`);
}

/**
 * Whether one reply can say anything about `path` the other can be held to: not when an enclosing
 * array is empty on a side (no items to compare) or an enclosing value is only ever null there.
 */
function bothHaveItems(path: string, a: Shape, b: Shape): boolean {
  for (let at = 1; at < path.length; at++) {
    const isBoundary = path[at] === '.' || (path[at] === '[' && path[at + 1] === ']');
    if (!isBoundary) continue;
    const ancestor = path.slice(0, at);
    if (nullOnly(a.get(ancestor)) || nullOnly(b.get(ancestor))) return false;
    if (path[at] === '[' && at + 2 < path.length) {
      const items = path.slice(0, at + 2);
      if (!a.has(items) || !b.has(items)) return false;
    }
  }
  // The items path itself: compared only when both sides have items.
  if (path.endsWith('[]') && (!a.has(path) || !b.has(path))) return false;
  return true;
}

function nullOnly(types: ReadonlySet<JsonType> | undefined): boolean {
  return types !== undefined && types.size === 1 && types.has('null');
}

function withoutNull(types: ReadonlySet<JsonType>): ReadonlySet<JsonType> {
  return new Set([...types].filter((type) => type !== 'null'));
}

function describe(types: ReadonlySet<JsonType> | undefined): string | null {
  return types ? [...types].sort().join('|') : null;
}

/** 2xx, 4xx …: what a client branches on. */
export function statusClass(status: number): string {
  return `${Math.floor(status / 100)}xx`;
}
