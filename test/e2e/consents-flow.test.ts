import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestMock, type TestMock } from '../../src/testing/index.js';
import type { SandboxEvent } from '../../src/sandbox/store/store.js';
import { CONSENT_COLLECTIONS } from '../../src/sandbox/consents/records.js';
import { verifyWebhookSignature } from '../../src/webhook-signature.js';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.js';

/**
 * Account on file end to end, as a client meets it: mutual TLS, the app's token, the admin API
 * playing the customer and the bank, and signed webhooks at a real receiver. The retried payment
 * is fired 20 times at once over separate connections.
 */

let mock: TestMock;
let receiver: WebhookReceiver;
const events: SandboxEvent[] = [];

async function lean(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; text: string; json: Record<string, unknown> }> {
  const response = await mock.fetch(path, {
    method,
    headers: { ...mock.headers(), ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, text, json: JSON.parse(text) as Record<string, unknown> };
}

async function admin(path: string, body: unknown = {}): Promise<Record<string, unknown>> {
  const response = await fetch(`${mock.adminUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  expect(response.status, path).toBe(200);
  return (await response.json()) as Record<string, unknown>;
}

/** The webhook of `type` whose payload passes `match`, its signature checked against the app's secret. */
async function webhook(type: string, match: (payload: Record<string, unknown>) => boolean) {
  const raw = await receiver.waitFor((w) => {
    const json = w.json as { type?: string; payload?: Record<string, unknown> } | undefined;
    return json?.type === type && json.payload !== undefined && match(json.payload);
  }, 20_000);
  expect(verifyWebhookSignature(raw.rawBody, raw.headers['lean-signature'] as string | undefined, mock.webhookSecret)).toBe(true);
  return (raw.json as { payload: Record<string, unknown> }).payload;
}

beforeAll(async () => {
  receiver = await startWebhookReceiver();
  mock = await startTestMock({ webhookUrl: receiver.url, webhookTimeScale: 0.001 });
  mock.lean.store.on('event', (event) => events.push(event));
}, 60_000);

afterAll(async () => {
  await mock?.close();
  await receiver?.close();
});

describe('account on file over mTLS: call, simulate, webhook', () => {
  let consentId: string;
  let customerId: string;

  it('creates a consent (consent.created, signed) and the customer authorises it (consent.updated AUTHORISED)', async () => {
    customerId = String((await lean('POST', '/customers/v1', { app_user_id: 'aof-e2e' })).json.customer_id);
    const [destination] = JSON.parse((await lean('GET', '/payments/v1/destinations')).text) as { id: string }[];
    const created = await lean('POST', '/consents/account-on-file', {
      customer_id: customerId, destination_account_id: destination!.id, currency: 'AED', reference: 'GYM-2026', purpose: 'GDS',
      control_parameters: { period_type: 'Month', max_individual_amount: 300, max_cumulative_number_of_payments: 12 },
    });
    expect(created.status).toBe(200);
    consentId = String(created.json.id);
    expect(created.json.application_id).toBe(mock.appToken);
    expect(await webhook('consent.created', (p) => p.consent_id === consentId)).toMatchObject({ status: 'AWAITING_AUTHORISATION' });
    await admin(`/admin/v1/consents/${consentId}/authorise`);
    expect(await webhook('consent.updated', (p) => p.consent_id === consentId)).toMatchObject({ status: 'AUTHORISED', bank_identifier: 'LEAN_OF_RETAIL_UAE' });
  });

  it('20 simultaneous retries of one Idempotency-Key make exactly one payment, and all 20 answers are identical', async () => {
    const before = events.filter((e) => e.type === 'payment.created').length;
    const connectionsBefore = mock.journal.handshakes().length;
    const body = { consent_id: consentId, amount: 199.99, reference: 'GYM-MARCH', risk_details: { transaction_indicators: { channel: 'WEB' } } };
    const replies = await Promise.all(Array.from({ length: 20 }, () => lean('POST', '/payments/account-on-file', body, { 'Idempotency-Key': 'gym-2026-03' })));
    expect(replies.map((r) => r.status)).toEqual(Array(20).fill(200));
    expect(new Set(replies.map((r) => r.text)).size).toBe(1);
    // All in flight at once: the agent opened a connection for each request no idle one could take.
    expect(mock.journal.handshakes().length - connectionsBefore).toBeGreaterThanOrEqual(15);
    const stored = mock.lean.store.collection(CONSENT_COLLECTIONS.aofPayments).list('my_app');
    expect(stored).toHaveLength(1);
    expect(events.filter((e) => e.type === 'payment.created').length - before).toBe(1);
    expect(await webhook('payment.created', (p) => p.id === replies[0]!.json.id)).toMatchObject({ consent_id: consentId, type: 'ACCOUNT_ON_FILE', status: 'CREATED' });
  });

  it('the same key with another body is refused without a second payment', async () => {
    const refused = await lean('POST', '/payments/account-on-file', { consent_id: consentId, amount: 1, risk_details: {} }, { 'Idempotency-Key': 'gym-2026-03' });
    expect(refused.status).toBe(409);
    expect(refused.json).toMatchObject({ status: 'IDEMPOTENCY_KEY_REUSED', metadata: null });
    expect(mock.lean.store.collection(CONSENT_COLLECTIONS.aofPayments).list('my_app')).toHaveLength(1);
  });

  it('the bank processes it (payment.updated PROCESSED); the balance shows it; the customer revokes and payments stop', async () => {
    const [payment] = mock.lean.store.collection<{ id: string }>(CONSENT_COLLECTIONS.aofPayments).list('my_app');
    await admin(`/admin/v1/aof-payments/${payment!.id}/advance`, { status: 'PROCESSED' });
    expect(await webhook('payment.updated', (p) => p.id === payment!.id)).toMatchObject({ status: 'PROCESSED' });
    const balance = await lean('GET', `/consents/${consentId}/balance`);
    expect(balance.json).toMatchObject({ currency: 'AED', balance: 49800.01, remaining: { cumulative_number_of_payments: 11 } });
    await admin(`/admin/v1/consents/${consentId}/revoke`, { reason: 'END_USER_REQUESTED' });
    expect(await webhook('consent.updated', (p) => p.consent_id === consentId && p.status === 'REVOKED')).toBeDefined();
    const refused = await lean('POST', '/payments/account-on-file', { consent_id: consentId, amount: 10, risk_details: {} }, { 'Idempotency-Key': 'gym-2026-04' });
    expect([refused.status, refused.json.status]).toEqual([409, 'CONSENT_REVOKED']);
    const history = (await lean('GET', `/consents/${consentId}/history`)).json.data as { type: string }[];
    expect(history.map((h) => h.type)).toEqual(['CONSENT_CREATED', 'CONSENT_AUTHORISED', 'CONSENT_REVOKED']);
  });
});
