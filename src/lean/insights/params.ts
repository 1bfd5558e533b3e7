import { z } from 'zod';
import { LeanError } from '../../app/errors.js';
import { isoDate, leanId, parseInput } from '../../app/validation.js';
import { monthsBefore } from '../../sandbox/insights/calendar.js';
import { INCOME_TYPES, type IncomeType } from '../../sandbox/insights/income.js';
import { parseBody, parseMeta } from '../data/params.js';
import type { Meta } from '../data/envelopes.js';

/**
 * Insights' inputs, as Lean's collections send them: the GET routes take `entity_id`,
 * `start_date` and `async` in the query; income takes a JSON body `{entity_id, income_type}`
 * (plus `start_date` and `async`). Every problem is a Lean 400 naming the field.
 */

export interface InsightParams {
  entityId: string;
  startDate: string | undefined;
  async: boolean;
  meta: Meta;
  incomeType?: IncomeType;
}

const queryBoolean = z
  .string()
  .regex(/^(true|false)$/i)
  .transform((value) => value.toLowerCase() === 'true');

const query = z.object({ entity_id: leanId, start_date: isoDate.optional(), async: queryBoolean.default(false) });

const incomeBody = z.object({
  entity_id: leanId,
  income_type: z.enum(INCOME_TYPES).default('ALL'),
  start_date: isoDate.optional(),
  async: z.boolean().default(false),
});

/** How far back a window may start: twice the year of history a consent gives, and a bound on the work per request. */
export const MAX_WINDOW_MONTHS = 24;

/** A start after today asks for a window that has not happened; one over 24 months back, for more than any bank shares. */
function checkStart(startDate: string | undefined, today: string): void {
  if (startDate !== undefined && (startDate > today || startDate < monthsBefore(today, MAX_WINDOW_MONTHS))) {
    throw LeanError.invalidParameter('start_date', startDate);
  }
}

export function parseInsightQuery(input: unknown, today: string): InsightParams {
  const parsed = parseInput(query, input);
  checkStart(parsed.start_date, today);
  return { entityId: parsed.entity_id, startDate: parsed.start_date, async: parsed.async, meta: parseMeta((input as Record<string, unknown> | undefined)?.meta) };
}

export function parseIncomeBody(input: unknown, today: string): InsightParams {
  const parsed = parseBody(incomeBody, input);
  checkStart(parsed.start_date, today);
  return { entityId: parsed.entity_id, startDate: parsed.start_date, async: parsed.async, meta: null, incomeType: parsed.income_type };
}
