import { z } from 'zod';

/**
 * `bank.availability.updated`'s payload as Lean's KSA samples carry it, strict so a stray or
 * missing field fails a test (test/fixtures/lean-webhooks/KSA-bank.availability.updated-*.json).
 */
const ProductSwitchesSchema = z.strictObject({ payments: z.boolean(), data: z.boolean() });

export const AvailabilitySchema = z.strictObject({ active: ProductSwitchesSchema, enabled: ProductSwitchesSchema });

export const BankAvailabilityUpdatedPayloadSchema = z.strictObject({
  identifier: z.string().regex(/^[A-Z0-9_]+$/),
  availability: AvailabilitySchema,
});
