/**
 * JSON shapes: what keys and value types a reply carries, merged over every example and every
 * element of every array, so "Lean's shape" is everything Lean was seen to send and "our shape"
 * is everything we send. `required` keeps the keys present in EVERY object merged, so a key we
 * send on some transactions only still counts as missing.
 */

export type JsonType = 'null' | 'string' | 'number' | 'boolean' | 'object' | 'array';

export interface Shape {
  types: Set<JsonType>;
  keys: Map<string, Shape>;
  /** Keys every merged object carried (meaningful when `types` has 'object'). */
  required: Set<string> | null;
  /** The merged elements of every array seen; null while every array was empty. */
  element: Shape | null;
}

const emptyShape = (): Shape => ({ types: new Set(), keys: new Map(), required: null, element: null });

function typeOf(value: unknown): JsonType {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return 'array';
  const t = typeof value;
  if (t === 'string' || t === 'number' || t === 'boolean') return t;
  return 'object';
}

/** Adds `value` to `shape` (in place) and returns it. */
export function addValue(shape: Shape, value: unknown): Shape {
  const type = typeOf(value);
  shape.types.add(type);
  if (type === 'array') {
    for (const item of value as unknown[]) shape.element = addValue(shape.element ?? emptyShape(), item);
  } else if (type === 'object') {
    const record = value as Record<string, unknown>;
    const present = new Set(Object.keys(record));
    shape.required = shape.required === null ? present : new Set([...shape.required].filter((key) => present.has(key)));
    for (const [key, child] of Object.entries(record)) shape.keys.set(key, addValue(shape.keys.get(key) ?? emptyShape(), child));
  }
  return shape;
}

export function shapeOf(...values: unknown[]): Shape {
  const shape = emptyShape();
  for (const value of values) addValue(shape, value);
  return shape;
}

const nonNull = (shape: Shape): JsonType[] => [...shape.types].filter((type) => type !== 'null');

/**
 * What `ours` lacks of `recorded`: every key Lean sent that we do not send on every object, a
 * value type that differs where both are non-null, an object or array of Lean's we only ever
 * answer with null or an empty array (so nothing under it could be checked). Paths like
 * `data.transactions[].merchant_details.merchant_name`.
 */
export function missingFrom(recorded: Shape, ours: Shape, path = '$'): string[] {
  const problems: string[] = [];
  const lean = nonNull(recorded);
  const mine = nonNull(ours);
  if (lean.length > 0 && mine.length === 0) {
    if (lean.includes('object') || lean.includes('array')) problems.push(`${path}: Lean sends ${lean.join('|')}, we only null`);
    return problems;
  }
  if (lean.length > 0 && !lean.some((type) => mine.includes(type))) {
    problems.push(`${path}: Lean sends ${lean.join('|')}, we send ${mine.join('|')}`);
    return problems;
  }
  if (lean.includes('object') && mine.includes('object')) {
    for (const [key, child] of recorded.keys) {
      const ourChild = ours.keys.get(key);
      if (!ourChild) {
        problems.push(`${path}.${key}: missing`);
        continue;
      }
      if (!ours.required?.has(key)) problems.push(`${path}.${key}: missing on some objects`);
      problems.push(...missingFrom(child, ourChild, `${path}.${key}`));
    }
  }
  if (lean.includes('array') && mine.includes('array') && recorded.element) {
    if (!ours.element) problems.push(`${path}[]: Lean sends items, ours are always empty`);
    else problems.push(...missingFrom(recorded.element, ours.element, `${path}[]`));
  }
  return problems;
}
