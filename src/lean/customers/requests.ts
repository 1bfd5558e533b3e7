import { z } from 'zod';
import { leanId, pageNumber, pageSize } from '../../app/validation.js';
import { GOVERNMENT_ID_TYPES } from './schemas.js';

/**
 * What the customer endpoints accept. Unknown body fields are ignored rather than refused, as
 * Lean's Spring services do by default.
 */

const governmentIdentifier = z.object({
  type: z.enum(GOVERNMENT_ID_TYPES),
  // Lean's pattern `^(?!\s*$).+`: anything but blank.
  value: z.string().regex(/^(?!\s*$).+/),
});

export const createCustomerBody = z.object({
  app_user_id: z.string().min(1).max(255),
  // null is Jackson's "not given".
  government_identifiers: z.array(governmentIdentifier).nullish().transform((ids) => ids ?? undefined),
});

export const updateCustomerBody = z.object({
  government_identifiers: z.array(governmentIdentifier),
});

export const customerIdParams = z.object({ customer_id: leanId });

export const appUserIdParams = z.object({ app_user_id: z.string().min(1).max(255) });

/** Lean marks both required; absent they default to the first page of 50, as Lean's own example. */
export const listCustomersQuery = z.object({
  page_number: pageNumber.default(0),
  page_size: pageSize.default(50),
});
