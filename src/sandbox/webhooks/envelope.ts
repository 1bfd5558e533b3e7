import type { SandboxEvent } from '../store/store.js';

/** The JSON Lean POSTs to an app's webhook URL (lean-api.md §6). */
export interface WebhookEnvelope {
  type: string;
  payload: Record<string, unknown>;
  message: string;
  timestamp: string;
  event_id: string;
}

/**
 * The raw body of a webhook. Built once per event and resent unchanged on every retry, so the
 * signature, `event_id` and `timestamp` stay the same and a receiver can deduplicate on
 * `event_id`. Field order follows Lean's KSA samples, which look like wire captures (the UAE
 * samples have their keys re-ordered by a database, shortest first).
 */
export function webhookBody(event: SandboxEvent, eventId: string, timestamp: Date): string {
  const envelope: WebhookEnvelope = {
    type: event.type,
    payload: event.payload,
    message: event.message,
    timestamp: timestamp.toISOString(),
    event_id: eventId,
  };
  return JSON.stringify(envelope);
}
