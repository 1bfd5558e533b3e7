import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { AppIdentity } from '../../src/pki/lean-pki.js';
import { CustomerSchema } from '../../src/lean/customers/schemas.js';
import {
  AccountSchema,
  BalanceSchema,
  TransactionSchema,
  V2PendingSchema,
  v2DataSchema,
  v2OkSchema,
} from '../../src/lean/data/schemas.js';
import { EntitiesSchema, EntitySchema } from '../../src/lean/entities/schemas.js';
import {
  PaymentCreatedPayloadSchema,
  PaymentIntentSchema,
  PaymentSchema,
  PaymentUpdatedPayloadSchema,
} from '../../src/lean/payments/schemas.js';
import { WebhookDeliverySchema, WebhookEnvelopeSchema } from '../../src/sandbox/webhooks/schemas.js';
import { startLeanMock, type LeanMock } from '../../src/server/lean-mock.js';
import { verifyWebhookSignature } from '../../src/webhook-signature.js';
import { call, presented, type Reply } from '../support/mock-client.js';
import { startWebhookReceiver, type ReceivedWebhook, type WebhookReceiver } from '../support/webhook-receiver.js';

/**
 * Lean's own integration flow, scripted the way a customer's backend walks it: over real mutual
 * TLS with the app's certificate, an OAuth bearer token on every call, webhooks to a real HTTP
 * receiver that checks their signatures. The admin API plays the person in the LinkSDK and the
 * bank. Each `it` is one step; they run in order and share the state below.
 */

const AccountsReplySchema = v2OkSchema('accounts', v2DataSchema('accounts', 'accounts', AccountSchema));
const BalancesReplySchema = v2OkSchema('balances', v2DataSchema('balances', 'balances', BalanceSchema));
const TransactionsReplySchema = v2OkSchema('transactions', v2DataSchema('transactions', 'transactions', TransactionSchema));
const TokenReplySchema = z.strictObject({
  access_token: z.string().regex(/^[\w-]+\.[\w-]+\.[\w-]+$/),
  scope: z.literal('api'),
  token_type: z.literal('Bearer'),
  expires_in: z.literal(3599),
});
const EntityCreatedPayloadSchema = z.strictObject({
  id: z.string(),
  app_user_id: z.string().nullable(),
  customer_id: z.string(),
  permissions: z.array(z.string()),
  bank_details: z.looseObject({ identifier: z.string() }),
});

type Ok = Extract<Reply, { ok: true }>;
type Envelope = z.infer<typeof WebhookEnvelopeSchema>;
type Balance = z.infer<typeof BalanceSchema>;
type Transaction = z.infer<typeof TransactionSchema>;

/** A Lean amount (positive, with its indicator) as signed fils, so running balances add up exactly. */
const signedFils = (amount: number, indicator: string): number => Math.round(amount * 100) * (indicator === 'DEBIT' ? -1 : 1);
const DAY = 86_400_000;

describe('a Lean customer’s backend, end to end over mTLS', () => {
  let mock: LeanMock;
  let receiver: WebhookReceiver;
  let app: AppIdentity;
  let token: string | undefined;
  /** Every Lean call of the flow, in order, as the journal should show it. */
  const flow: { method: string; path: string; status: number; correlation_id: string }[] = [];

  let customerId: string;
  let appUserId: string;
  let entityId: string;
  let accounts: z.infer<typeof AccountSchema>[];
  let intentId: string;
  let paymentId: string;
  let bankReference: string;

  beforeAll(async () => {
    receiver = await startWebhookReceiver();
    mock = await startLeanMock({ webhookUrl: receiver.url, webhookTimeScale: 0.001 });
    app = mock.pki.apps[0]!;
  });

  afterAll(async () => {
    await mock?.close();
    await receiver?.close();
  });

  /** One call to Lean's API over a fresh mTLS connection with my_app's certificate (and the bearer token once there is one). */
  async function lean(method: string, path: string, body?: { json: unknown } | { form: Record<string, string> }): Promise<Ok> {
    const headers: Record<string, string> = {};
    if (token) headers.authorization = `Bearer ${token}`;
    let payload: string | undefined;
    if (body && 'json' in body) {
      headers['content-type'] = 'application/json';
      payload = JSON.stringify(body.json);
    } else if (body) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      payload = new URLSearchParams(body.form).toString();
    }
    const reply = await call(mock.url, mock.pki, presented(mock.pki, app.name), { method, path, headers, body: payload });
    if (!reply.ok) throw new Error(`${method} ${path}: no HTTP reply (${reply.code} ${reply.message})`);
    flow.push({ method, path: path.split('?')[0]!, status: reply.status, correlation_id: String(reply.headers['lean-correlation-id']) });
    return reply;
  }

  /** The admin API (plain HTTP on loopback): what the customer does in the LinkSDK, and the bank. */
  async function admin(method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown }> {
    const response = await fetch(`${mock.adminUrl}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, json: await response.json() };
  }

  /** The first webhook of `type` whose payload passes `match`, its signature checked against my_app's secret. */
  async function webhook(type: string, match: (payload: Record<string, unknown>) => boolean): Promise<{ raw: ReceivedWebhook; event: Envelope }> {
    const raw = await receiver.waitFor((w) => {
      const event = w.json as Partial<Envelope> | undefined;
      return event?.type === type && event.payload !== undefined && match(event.payload);
    });
    expect(verifyWebhookSignature(raw.rawBody, raw.headers['lean-signature'] as string | undefined, app.webhookSecret)).toBe(true);
    return { raw, event: WebhookEnvelopeSchema.parse(raw.json) };
  }

  /**
   * Resolves once the journal holds `count` requests (bounded). The journal records a request when
   * its reply has been flushed, which can come a tick after the client has read it all.
   */
  function journaled(count: number, timeoutMs = 2000): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        if (mock.journal.requests().length < count) return;
        clearTimeout(timer);
        mock.journal.off('request', check);
        resolve();
      };
      const timer = setTimeout(() => {
        mock.journal.off('request', check);
        reject(new Error(`the journal holds ${mock.journal.requests().length} requests, not ${count}, after ${timeoutMs} ms`));
      }, timeoutMs);
      mock.journal.on('request', check);
      check();
    });
  }

  it('1. starts with the mock’s webhooks pointed at the receiver', async () => {
    expect(mock.adminUrl).not.toBeNull();
    const urls = await admin('GET', '/admin/v1/webhooks/url');
    expect(urls.status).toBe(200);
    expect(urls.json).toEqual({ urls: mock.pki.apps.map((a) => ({ app: a.name, url: receiver.url })) });
    expect(receiver.received).toEqual([]);
  });

  it('2. gets an OAuth access token with the client credentials', async () => {
    const reply = await lean('POST', '/oauth2/token', {
      form: { client_id: app.appToken, client_secret: app.clientSecret, grant_type: 'client_credentials', scope: 'api' },
    });
    expect(reply.status).toBe(200);
    expect(reply.headers['cache-control']).toBe('no-store');
    token = TokenReplySchema.parse(reply.json).access_token;
  });

  it('3. creates a customer for its own user', async () => {
    appUserId = `e2e-${randomUUID()}`;
    const reply = await lean('POST', '/customers/v1', { json: { app_user_id: appUserId } });
    expect(reply.status).toBe(200);
    const customer = CustomerSchema.parse(reply.json);
    expect(customer.app_user_id).toBe(appUserId);
    customerId = customer.customer_id;
  });

  it('4. the customer connects a bank (LinkSDK, through the admin API) and the backend sees the entity', async () => {
    const connected = await admin('POST', `/admin/v1/customers/${customerId}/entities`, {});
    expect(connected.status).toBe(201);
    const entity = EntitySchema.parse(connected.json);
    expect(entity).toMatchObject({ customer_id: customerId, bank_identifier: 'LEAN_OF_RETAIL_UAE' });
    entityId = entity.id;

    const listed = await lean('GET', `/customers/v1/${customerId}/entities`);
    expect(listed.status).toBe(200);
    expect(EntitiesSchema.parse(listed.json)).toEqual([entity]);
  });

  it('5. receives entity.created, signed with the app’s webhook secret', async () => {
    const { raw, event } = await webhook('entity.created', (payload) => payload.id === entityId);
    expect(raw.method).toBe('POST');
    expect(raw.path).toBe('/lean/webhooks');
    expect(raw.headers['content-type']).toBe('application/json');
    expect(event.message).toBe('An entity object has been created.');
    const payload = EntityCreatedPayloadSchema.parse(event.payload);
    expect(payload).toMatchObject({ id: entityId, customer_id: customerId, app_user_id: appUserId });
    expect(payload.bank_details.identifier).toBe('LEAN_OF_RETAIL_UAE');
    expect(payload.permissions).toEqual(expect.arrayContaining(['accounts', 'balance', 'transactions']));

    // The check has teeth: another app's secret, a forged header and one changed byte all fail it.
    const header = raw.headers['lean-signature'] as string;
    const other = mock.pki.apps.find((a) => a.name !== app.name)!;
    expect(other.webhookSecret).not.toBe(app.webhookSecret);
    expect(verifyWebhookSignature(raw.rawBody, header, other.webhookSecret)).toBe(false);
    expect(verifyWebhookSignature(raw.rawBody, `sha512=${'0'.repeat(128)}`, app.webhookSecret)).toBe(false);
    const tampered = Buffer.from(raw.rawBody.toString('utf8').replace(customerId, randomUUID()));
    expect(verifyWebhookSignature(tampered, header, app.webhookSecret)).toBe(false);
  });

  it('6. reads nine accounts, and the current account’s transactions add up to its balances', async () => {
    const accountsReply = await lean('GET', `/data/v2/accounts?entity_id=${entityId}`);
    expect(accountsReply.status).toBe(200);
    const accountsBody = AccountsReplySchema.parse(accountsReply.json);
    accounts = accountsBody.data.accounts;
    expect(accounts).toHaveLength(9);
    expect(accountsBody.data.page).toMatchObject({ number: 0, total_elements: 9, total_pages: 1 });
    expect(accounts.every((a) => a.entity_id === entityId)).toBe(true);
    expect(new Set(accounts.map((a) => a.account_sub_type)).size).toBe(9);
    const current = accounts.find((a) => a.account_sub_type === 'CURRENT')!;
    expect(current).toBeDefined();
    const base = `/data/v2/accounts/${current.account_id}`;

    const balancesReply = await lean('GET', `${base}/balances?entity_id=${entityId}`);
    expect(balancesReply.status).toBe(200);
    const balances = BalancesReplySchema.parse(balancesReply.json).data.balances;
    expect(balances.map((b) => b.type).sort()).toEqual(['CLOSING_AVAILABLE', 'OPENING_AVAILABLE']);
    const closing = balances.find((b) => b.type === 'CLOSING_AVAILABLE')!;
    const opening = balances.find((b) => b.type === 'OPENING_AVAILABLE')!;
    expect(balances.every((b) => b.account_id === current.account_id && b.amount.currency === current.currency)).toBe(true);
    // The closing balance is the connection's moment; the opening one, midnight (UTC) before it.
    const asOf = Date.parse(closing.date_time!);
    expect(Date.parse(opening.date_time!)).toBe(Math.floor(asOf / DAY) * DAY);

    const endDate = closing.date_time!.slice(0, 10);
    const startDate = new Date(asOf - 30 * DAY).toISOString().slice(0, 10);
    const txReply = await lean('GET', `${base}/transactions?entity_id=${entityId}&start_date=${startDate}&end_date=${endDate}&page=0&size=50`);
    expect(txReply.status).toBe(200);
    const { transactions, page } = TransactionsReplySchema.parse(txReply.json).data;
    expect(transactions.length).toBeGreaterThan(1);
    expect(page).toMatchObject({ number: 0, size: 50, total_elements: expect.any(Number) });
    expect(transactions).toHaveLength(Math.min(page.total_elements, 50));
    for (const t of transactions) {
      expect(t).toMatchObject({ entity_id: entityId, account_id: current.account_id });
      expect(t.booking_date_time.slice(0, 10) >= startDate && t.booking_date_time.slice(0, 10) <= endDate).toBe(true);
    }
    // The range ends today, so the page opens the statement: indices 0, 1, 2 … newest first.
    expect(transactions.map((t) => t.index)).toEqual(transactions.map((_, i) => i));
    const times = transactions.map((t) => Date.parse(t.booking_date_time));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(Math.max(...times)).toBeLessThanOrEqual(asOf);

    const running = (t: Transaction): number => signedFils(t.balance.amount.amount, t.balance.credit_debit_indicator);
    const signed = (b: Balance): number => signedFils(b.amount.amount, b.credit_debit_indicator);
    // The newest transaction's running balance is the closing balance, indicator and currency included.
    const newest = transactions[0]!;
    expect(newest.balance).toEqual({ type: 'CLOSING_AVAILABLE', credit_debit_indicator: closing.credit_debit_indicator, amount: closing.amount });
    // Every running balance is the one before it plus or minus its own amount.
    for (let i = 0; i + 1 < transactions.length; i++) {
      const t = transactions[i]!;
      expect(running(t), `transaction ${t.index}`).toBe(running(transactions[i + 1]!) + signedFils(t.amount.amount, t.credit_debit_indicator));
    }
    // The opening balance is where the statement stood at midnight: the newest entry before it.
    const beforeToday = transactions.find((t) => Date.parse(t.booking_date_time) < Date.parse(opening.date_time!));
    expect(beforeToday).toBeDefined();
    expect(running(beforeToday!)).toBe(signed(opening));
  });

  it('7. asks for accounts asynchronously and collects them after results.ready', async () => {
    const pendingReply = await lean('GET', `/data/v2/accounts?entity_id=${entityId}&async=true`);
    expect(pendingReply.status).toBe(202);
    const resultsId = V2PendingSchema.parse(pendingReply.json).results_id;

    const { event } = await webhook('results.ready', (payload) => payload.id === resultsId);
    expect(event.payload).toEqual({ id: resultsId });

    const readyReply = await lean('GET', `/data/v2/results/${resultsId}`);
    expect(readyReply.status).toBe(200);
    const ready = AccountsReplySchema.parse(readyReply.json);
    expect(ready.results_id).toBe(resultsId);
    expect(ready.data.accounts).toEqual(accounts);
  });

  it('8a. creates a payment intent of AED 250 for the customer', async () => {
    const reply = await lean('POST', '/payments/v1/intents', { json: { customer_id: customerId, amount: 250, currency: 'AED' } });
    expect(reply.status).toBe(200);
    const intent = PaymentIntentSchema.parse(reply.json);
    expect(intent).toMatchObject({ customer_id: customerId, amount: 250, currency: 'AED', payments: [] });
    intentId = intent.payment_intent_id;
  });

  it('8b. the customer pays (LinkSDK): PENDING_WITH_BANK and payment.created', async () => {
    const paid = await admin('POST', `/admin/v1/payment-intents/${intentId}/payments`, {});
    expect(paid.status).toBe(201);
    const payment = PaymentSchema.parse(paid.json);
    expect(payment).toMatchObject({ payment_intent_id: intentId, amount: 250, currency: 'AED', status: 'PENDING_WITH_BANK', bank_transaction_reference: null });
    paymentId = payment.id;

    const { event } = await webhook('payment.created', (payload) => payload.id === paymentId);
    expect(PaymentCreatedPayloadSchema.parse(event.payload)).toMatchObject({
      id: paymentId,
      intent_id: intentId,
      customer_id: customerId,
      amount: 250,
      currency: 'AED',
      status: 'PENDING_WITH_BANK',
      bank_transaction_reference: null,
    });
  });

  it('8c. the bank accepts it: payment.updated with ACCEPTED_BY_BANK', async () => {
    const advanced = await admin('POST', `/admin/v1/payments/${paymentId}/advance`, { status: 'ACCEPTED_BY_BANK' });
    expect(advanced.status).toBe(200);
    expect(PaymentSchema.parse(advanced.json).status).toBe('ACCEPTED_BY_BANK');

    const { event } = await webhook('payment.updated', (payload) => payload.id === paymentId && payload.status === 'ACCEPTED_BY_BANK');
    const payload = PaymentUpdatedPayloadSchema.parse(event.payload);
    expect(payload).toMatchObject({ id: paymentId, intent_id: intentId, customer_id: customerId, amount: 250, status: 'ACCEPTED_BY_BANK' });
    expect(payload.bank_transaction_reference).toEqual(expect.any(String));
    bankReference = payload.bank_transaction_reference!;
  });

  it('8d. reads the payment: ACCEPTED_BY_BANK with the bank’s reference', async () => {
    const reply = await lean('GET', `/payments/v1/${paymentId}`);
    expect(reply.status).toBe(200);
    const payment = PaymentSchema.parse(reply.json);
    expect(payment).toMatchObject({ id: paymentId, payment_intent_id: intentId, amount: 250, status: 'ACCEPTED_BY_BANK' });
    expect(payment.bank_transaction_reference).toBe(bankReference);
  });

  it('9. the journal shows every call as an accepted my_app handshake, and every webhook was delivered', async () => {
    expect(flow.length).toBe(10);
    await journaled(flow.length);
    const requests = mock.journal.requests().reverse();
    expect(requests.map(({ method, path, status, correlation_id }) => ({ method, path, status, correlation_id }))).toEqual(flow);

    const handshakes = new Map(mock.journal.handshakes().map((h) => [h.id, h]));
    expect(handshakes.size).toBe(flow.length); // one fresh connection per call, and nothing else
    for (const request of requests) {
      expect(request).toMatchObject({ app: app.name, reason: null, client_fingerprint: app.credential.fingerprint256 });
      expect(handshakes.get(request.handshake_id!)).toMatchObject({
        verdict: 'accepted',
        reason: null,
        app: app.name,
        client: { fingerprint256: app.credential.fingerprint256, serial: app.credential.serialNumber },
      });
    }
    expect(new Set(requests.map((r) => r.handshake_id)).size).toBe(flow.length);
    expect(JSON.stringify([mock.journal.requests(), mock.journal.handshakes()])).not.toContain(token!);

    // Each webhook arrived exactly once; wait (bounded) for the mock to log its 200 before reading the log.
    const eventIds = receiver.received.map((w) => WebhookEnvelopeSchema.parse(w.json).event_id);
    expect(new Set(eventIds).size).toBe(eventIds.length);
    await Promise.all(eventIds.map((id) => mock.webhooks.waitFor((d) => d.event_id === id && d.status === 'delivered')));
    const listed = await admin('GET', '/admin/v1/webhooks');
    expect(listed.status).toBe(200);
    const deliveries = z.array(WebhookDeliverySchema).parse(listed.json);
    expect(deliveries.map((d) => d.event_id).sort()).toEqual([...eventIds].sort());
    for (const delivery of deliveries) {
      expect(delivery).toMatchObject({ app: app.name, url: receiver.url, status: 'delivered', next_attempt_at: null });
      expect(delivery.attempts).toEqual([expect.objectContaining({ status_code: 200, error: null })]);
    }
    expect(deliveries.map((d) => d.type)).toEqual(
      expect.arrayContaining(['entity.created', 'results.ready', 'payment_intent.created', 'payment.created', 'payment.updated']),
    );
  });
});
