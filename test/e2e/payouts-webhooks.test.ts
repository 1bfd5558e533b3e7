import { EventEmitter, once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestMock, type TestMock } from '../../src/testing/index.js';
import { WebhookEnvelopeSchema } from '../../src/sandbox/webhooks/schemas.js';
import { verifyWebhookSignature } from '../../src/webhook-signature.js';

/**
 * A payout's webhooks over the real path: Lean's API over mTLS, the admin API playing the bank,
 * and `payment.*` webhooks POSTed to a real endpoint, signed with the app's secret and retried
 * after a failure exactly as a payment's are (the same event id, again).
 */

interface Arrival {
  raw: Buffer;
  signature: string | undefined;
  answered: number;
}

let mock: TestMock;
let server: Server;
const arrivals: Arrival[] = [];
const arrived = new EventEmitter<{ arrival: [] }>();

/** Resolves once `predicate` holds over what arrived (a hang fails by the test's own timeout). */
async function until(predicate: () => boolean): Promise<void> {
  while (!predicate()) await once(arrived, 'arrival');
}

beforeAll(async () => {
  // The endpoint refuses the first delivery of each event (500) and takes every later one.
  const seen = new Set<string>();
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const eventId = String((JSON.parse(raw.toString('utf8')) as { event_id?: unknown }).event_id);
      const answered = seen.has(eventId) ? 200 : 500;
      seen.add(eventId);
      arrivals.push({ raw, signature: req.headers['lean-signature'] as string | undefined, answered });
      res.writeHead(answered).end();
      arrived.emit('arrival');
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  // 1 minute of Lean's retry schedule becomes 6 ms.
  mock = await startTestMock({ webhookUrl: `http://127.0.0.1:${port}/lean/webhooks`, webhookTimeScale: 0.0001 });
}, 60_000);

afterAll(async () => {
  await mock?.close();
  server?.closeAllConnections();
  await new Promise<void>((resolve) => server?.close(() => resolve()) ?? resolve());
});

async function lean(method: string, path: string, body: unknown): Promise<unknown> {
  const response = await mock.fetch(path, { method, headers: { ...mock.headers(), 'content-type': 'application/json' }, body: JSON.stringify(body) });
  expect(response.status, `${method} ${path}`).toBe(200);
  return response.json();
}

async function admin(path: string, body: unknown): Promise<Record<string, unknown>> {
  const response = await fetch(`${mock.adminUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  expect(response.ok, path).toBe(true);
  return (await response.json()) as Record<string, unknown>;
}

describe('payout webhooks, end to end', () => {
  it('sends payment.created and payment.updated for a payout, signed, and retries a refused delivery', async () => {
    const customer = (await lean('POST', '/customers/v1', { app_user_id: 'payouts-webhooks' })) as { customer_id: string };
    const source = await admin(`/admin/v1/customers/${customer.customer_id}/payment-sources`, {});
    const accountId = (source.accounts as { account_id: string }[])[0]!.account_id;
    const [destination] = (await lean('POST', '/payouts/v1/payment/destinations', [
      { name: 'Santiago Keebler', display_name: 'ABC CORP', iban: 'AE680030012312312312123', account_number: '12312312312123', address: 'Dubai', city: 'Dubai', country: 'ARE' },
    ])) as { destination_id: string }[];
    const created = (await lean('POST', '/payouts/v1/payment', {
      payment_details: [{ account_id: accountId, currency: 'AED', destination_details: [{ payment_destination_id: destination!.destination_id, amount: 16, authorize_payment: true }] }],
    })) as { payouts_payment_details: { payment_intent_id: string }[] };
    const intentId = created.payouts_payment_details[0]!.payment_intent_id;
    const payout = (await (await mock.fetch(`/payouts/v1/intents/${intentId}`, { headers: mock.headers() })).json()) as { payment: { id: string } };
    await admin(`/admin/v1/payouts/${payout.payment.id}/advance`, { status: 'ACCEPTED_BY_BANK' });

    const events = () => arrivals.map((a) => ({ ...a, event: WebhookEnvelopeSchema.parse(JSON.parse(a.raw.toString('utf8'))) })).filter((a) => a.event.payload.id === payout.payment.id);
    // Each of the two events: refused once, then delivered again.
    await until(() => events().filter((a) => a.answered === 200).length === 2);
    const secret = mock.apps[0]!.webhookSecret;
    for (const arrival of events()) expect(verifyWebhookSignature(arrival.raw, arrival.signature, secret)).toBe(true);
    const delivered = events().filter((a) => a.answered === 200).map((a) => a.event);
    expect(delivered.map((e) => [e.type, e.payload.status])).toEqual([
      ['payment.created', 'PENDING_WITH_BANK'],
      ['payment.updated', 'ACCEPTED_BY_BANK'],
    ]);
    for (const event of delivered) {
      const attempts = events().filter((a) => a.event.event_id === event.event_id);
      expect(attempts.map((a) => a.answered)).toEqual([500, 200]);
    }
    expect(delivered[1]!.payload).toMatchObject({ intent_id: intentId, payment_destination_id: destination!.destination_id, bank_transaction_reference: expect.stringMatching(/^\d{9}$/) });
  });
});
