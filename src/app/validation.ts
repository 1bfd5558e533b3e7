import { z } from 'zod';
import { LeanError } from './errors.js';

/**
 * Validates client input (body, query or path) with a zod schema; the first problem becomes
 * Lean's MISSING_PARAMETERS (absent) or INVALID_PARAMETERS (present but wrong), naming the field.
 *
 * @example
 * const body = parseInput(createCustomerBody, req.body);
 */
export function parseInput<Schema extends z.ZodType>(schema: Schema | (() => Schema), input: unknown): z.infer<Schema> {
  const result = (typeof schema === 'function' ? schema() : schema).safeParse(input ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const field = issue.path.map(String).join('.') || 'body';
  const value = valueAt(input, issue.path);
  // Absent is "missing" whatever the schema expected (zod 4 reports a missing enum as a bad value).
  if (value === undefined && issue.code !== 'unrecognized_keys' && issue.code !== 'custom') throw LeanError.missingParameter(field);
  throw LeanError.invalidParameter(field, value);
}

/**
 * A schema built on its first use rather than at import: a product's request schemas cost a cold
 * `serve` milliseconds each, and most runs never receive most requests.
 *
 * @example
 * export const createCustomerBody = lazySchema(() => z.object({ app_user_id: z.string() }));
 * parseInput(createCustomerBody, req.body);
 */
export function lazySchema<Schema extends z.ZodType>(build: () => Schema): () => Schema {
  let built: Schema | undefined;
  return () => (built ??= build());
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let current: unknown = input;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

/** Lean's ids: lower-case UUIDs (upper case is accepted and compared lower-cased). */
export const leanId = z
  .string()
  .regex(/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/)
  .transform((id) => id.toLowerCase());

/** A non-negative page index from a query string. */
export const pageNumber = z.coerce.number().int().min(0).max(1_000_000);
/** A page size from a query string (Lean caps pages; 1–1000 here). */
export const pageSize = z.coerce.number().int().min(1).max(1000);

/** `YYYY-MM-DD`, a real calendar date. */
export const isoDate = z.iso.date();
