import { z } from 'zod';
import { isoDate, leanId, pageNumber, pageSize } from '../../app/validation.js';

/** What the entity endpoints accept. */

export const customerIdParams = z.object({ customer_id: leanId });
export const entityParams = z.object({ customer_id: leanId, entity_id: leanId });

/**
 * Lean's schema makes `reason` required but nullable, and only ever USER_REQUESTED. The string
 * check comes first so that an absent reason reads as missing, not as a wrong value.
 */
export const deleteEntityInput = z.object({
  reason: z.string().nullable().pipe(z.literal('USER_REQUESTED').nullable()),
});

/** Lean's `PageNumberParameter` and `PageSizeParameter`: 0 and 100 by default, at most 100 a page. */
export const listEntitiesQuery = z.object({
  page_number: pageNumber.default(0),
  page_size: pageSize.max(100).default(100),
  start_date: isoDate,
  end_date: isoDate,
});
