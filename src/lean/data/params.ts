import { z } from 'zod';
import { LeanError } from '../../app/errors.js';
import { isoDate, leanId, pageNumber, parseInput } from '../../app/validation.js';
import type { DateRange } from '../../sandbox/data-access.js';
import type { Meta } from './envelopes.js';

/**
 * The data API's inputs: the v2 query (`entity_id`, `page`, `size`, `async`, `meta`), the
 * transaction date range and the v1 bodies. Every problem is a Lean 400 naming the field.
 */

/** data.yml's SizeParameter: 1–100, default 50. */
export const dataPageSize = z.coerce.number().int().min(1).max(100);

/** A boolean in a query string: `true`/`false`, any case. */
const queryBoolean = z
  .string()
  .regex(/^(true|false)$/i)
  .transform((value) => value.toLowerCase() === 'true');

const v2Query = z.object({
  entity_id: leanId,
  page: pageNumber.default(0),
  size: dataPageSize.default(50),
  async: queryBoolean.default(false),
});

export interface V2Query {
  entity_id: string;
  page: number;
  size: number;
  async: boolean;
  meta: Meta;
}

export function parseV2Query(query: unknown): V2Query {
  const parsed = parseInput(v2Query, query);
  return { ...parsed, meta: parseMeta((query as Record<string, unknown> | undefined)?.meta) };
}

/**
 * `meta`: a JSON object of strings (`?meta={"foo":"val"}`), or, with an extended query parser,
 * `meta[foo]=val`. Lean echoes it in the reply.
 */
export function parseMeta(raw: unknown): Meta {
  if (raw === undefined) return null;
  let value: unknown = raw;
  if (typeof raw === 'string') {
    try {
      value = JSON.parse(raw);
    } catch {
      throw LeanError.invalidParameter('meta', raw);
    }
  }
  const isStringRecord =
    typeof value === 'object' && value !== null && !Array.isArray(value) && Object.values(value).every((v) => typeof v === 'string');
  if (!isStringRecord) throw LeanError.invalidParameter('meta', raw);
  return value as Record<string, string>;
}

const dateRange = z.object({ start_date: isoDate.optional(), end_date: isoDate.optional() });

/** `start_date`/`end_date` (`YYYY-MM-DD`, inclusive); a start after the end names `start_date`. */
export function parseDateRange(input: unknown): DateRange {
  const { start_date: start, end_date: end } = parseInput(dateRange, input);
  if (start && end && start > end) throw LeanError.invalidParameter('start_date', start);
  return { start, end };
}

// One schema per path field, built once: zod compiles a fast path per schema instance, and
// rebuilding it on every request cost more than the rest of the validation.
const pathIdSchemas = new Map<string, z.ZodType<Record<string, string>>>();

export function parsePathId<Field extends string>(field: Field, params: unknown): string {
  let schema = pathIdSchemas.get(field);
  if (!schema) {
    schema = z.object({ [field]: leanId }) as unknown as z.ZodType<Record<string, string>>;
    pathIdSchemas.set(field, schema);
  }
  return parseInput(schema, params)[field] as string;
}

/**
 * A JSON body: only the documented keys (Lean answers an unknown key with INVALID_PARAMETERS),
 * then the schema.
 */
export function parseBody<Schema extends z.ZodObject>(schema: Schema, body: unknown): z.infer<Schema> {
  if (typeof body === 'object' && body !== null && !Array.isArray(body)) {
    for (const [key, value] of Object.entries(body)) {
      // Own keys only: `in` would accept `toString`, `constructor` and `__proto__`.
      if (!Object.hasOwn(schema.shape, key)) throw LeanError.invalidParameter(key, value);
    }
  }
  return parseInput(schema, body);
}

export const v1EntityBody = z.object({ entity_id: leanId, async: z.boolean().optional() });
export const v1AccountBody = v1EntityBody.extend({ account_id: leanId });
export const v1TransactionsBody = v1AccountBody.extend({
  start_date: isoDate.optional(),
  end_date: isoDate.optional(),
  insights: z.boolean().optional(),
});

