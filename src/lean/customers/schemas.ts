import { z } from 'zod';

/**
 * The customer API's reply shapes (Lean's `core-resources.yml`: `Customer`, `Pagination`), as
 * strict objects: a reply with a field Lean does not document fails to parse.
 */

const uuid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);

export const GOVERNMENT_ID_TYPES = ['EMIRATES_ID', 'TRADE_LICENSE_NUMBER'] as const;

/** `GovernmentIdentifierRequest`: a value that is not blank. */
export const GovernmentIdentifierSchema = z.strictObject({
  type: z.enum(GOVERNMENT_ID_TYPES),
  value: z.string().regex(/^(?!\s*$).+/),
});

export const CustomerSchema = z.strictObject({
  customer_id: uuid,
  app_user_id: z.string().min(1).max(255),
  government_identifiers: z.array(GovernmentIdentifierSchema).optional(),
});

/** Page metadata of list style B (`{data, page}`). */
export const PageSchema = z.strictObject({
  number: z.number().int().min(0),
  size: z.number().int().min(1),
  total_elements: z.number().int().min(0),
  total_pages: z.number().int().min(0),
  sort: z.null(),
});

export const CustomerPageSchema = z.strictObject({
  data: z.array(CustomerSchema),
  page: PageSchema,
});

export type CustomerReply = z.infer<typeof CustomerSchema>;
export type CustomerPageReply = z.infer<typeof CustomerPageSchema>;
