import { z } from 'zod';
import { leanId } from '../../app/validation.js';

/**
 * Shapes around webhooks, strict so a stray field fails a test: the envelope Lean POSTs (from
 * Lean's sample bodies) and the admin API's view of the delivery log.
 */

export const WebhookEnvelopeSchema = z.strictObject({
  type: z.string().regex(/^[a-z_]+(\.[a-z_]+)+$/),
  payload: z.record(z.string(), z.unknown()),
  message: z.string(),
  timestamp: z.iso.datetime(),
  event_id: leanId,
});

export const DeliveryAttemptSchema = z.strictObject({
  at: z.iso.datetime(),
  status_code: z.number().int().min(100).max(599).nullable(),
  error: z.string().min(1).nullable(),
  duration_ms: z.number().int().nonnegative(),
});

export const WebhookDeliverySchema = z.strictObject({
  id: z.number().int().positive(),
  event_id: z.string().min(1),
  app: z.string().min(1),
  type: z.string().min(1),
  url: z.url(),
  status: z.enum(['pending', 'delivered', 'failed', 'retrying', 'dropped']),
  attempts: z.array(DeliveryAttemptSchema),
  next_attempt_at: z.iso.datetime().nullable(),
});

export const WebhookUrlsSchema = z.strictObject({
  urls: z.array(z.strictObject({ app: z.string().min(1), url: z.url().nullable() })),
});
