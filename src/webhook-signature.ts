import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Lean's webhook signature: header `lean-signature: sha512=<hex>`, the HMAC-SHA512 of the raw
 * request body keyed with the app's webhook secret. Verify it over the bytes exactly as received:
 * a body parsed and re-serialised may differ by a single space and no longer match.
 *
 * @example
 * // An express receiver: keep the raw body (a Buffer) for the check, parse it afterwards.
 * import express from 'express';
 * import { verifyWebhookSignature } from 'lean-mock';
 *
 * app.post('/lean/webhooks', express.raw({ type: 'application/json' }), (req, res) => {
 *   if (!verifyWebhookSignature(req.body, req.get('lean-signature'), process.env.LEAN_WEBHOOK_SECRET!)) {
 *     res.sendStatus(401);
 *     return;
 *   }
 *   const event = JSON.parse(req.body.toString('utf8'));
 *   // … handle event.type / event.payload, deduplicating on event.event_id (retries resend it)
 *   res.sendStatus(200);
 * });
 */
export function signWebhook(rawBody: string | Buffer, secret: string): string {
  return `sha512=${hmacHex(rawBody, secret)}`;
}

const SIGNATURE = /^sha512=([0-9a-fA-F]{128})$/;

/**
 * Whether `header` is the signature of `rawBody` under `secret`. Compares in constant time;
 * answers false (never throws) for a missing, malformed or wrong header.
 */
export function verifyWebhookSignature(rawBody: string | Buffer, header: string | undefined, secret: string): boolean {
  if (typeof header !== 'string') return false;
  const match = SIGNATURE.exec(header.trim());
  if (!match || (typeof rawBody !== 'string' && !Buffer.isBuffer(rawBody)) || typeof secret !== 'string') return false;
  const expected = Buffer.from(hmacHex(rawBody, secret), 'hex');
  const given = Buffer.from(match[1]!, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function hmacHex(rawBody: string | Buffer, secret: string): string {
  return createHmac('sha512', secret).update(rawBody).digest('hex');
}
