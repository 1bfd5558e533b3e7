import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { AppIdentity } from '../../src/pki/lean-pki.js';
import { CustomerSchema } from '../../src/lean/customers/schemas.js';
import {
  AccountSchema,
  BalanceSchema,
  BeneficiarySchema,
  DirectDebitSchema,
  IdentitySchema,
  RefreshListSchema,
  RefreshStatusSchema,
  ScheduledPaymentSchema,
  StandingOrderSchema,
  TransactionSchema,
  TriggerRefreshSchema,
  V2PendingSchema,
  v2DataSchema,
  v2OkSchema,
} from '../../src/lean/data/schemas.js';
import { EntitiesSchema, EntitySchema } from '../../src/lean/entities/schemas.js';
import { isValidIban } from '../../src/sandbox/bank-data/iban.js';
import { startLeanMock, type LeanMock } from '../../src/server/lean-mock.js';
import { call, presented, type Reply } from '../support/mock-client.js';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.js';
import { KSA_RECORDED_KEYS } from './ksa-recorded-keys.js';

/**
 * Lean's KSA core flow (its Postman collection's order) against a KSA entity, over real mutual
 * TLS on KSA's own host names: the token from `auth.sandbox.sa.leantech.me`, everything else on
 * `mtls.sandbox.sa.leantech.me`, each checked against the server certificate as a client would.
 * Every reply must hold the keys Lean recorded for the same call in its KSA sandbox, carry SAR
 * and never AED. Each `it` is one step; they run in order and share the state below.
 */

const AUTH_HOST = 'auth.sandbox.sa.leantech.me';
const API_HOST = 'mtls.sandbox.sa.leantech.me';
const BANK = 'LEA1_SAMAOB_SAU';

/**
 * Recorded key paths a reply may lack, each with its reason. Checked as prefixes of the recorded
 * paths, so listing an object covers its fields.
 */
const ALLOWED_GAPS: readonly { path: RegExp; why: string }[] = [
  // Owned by the shape-parity work on the views every region shares (issue 12, part 3): the
  // same keys are missing from UAE replies, and that branch adds them for both regions at once.
  { path: /^(data\.)?page\.sort$/, why: 'page.sort: shape parity (shared view)' },
  { path: /^data\.account_id$/, why: 'data.account_id of /identity: shape parity (shared view)' },
  { path: /^data\.type$/, why: 'standing orders data.type: shape parity (shared view)' },
  { path: /^data\.\w+\.\[\]\.creditor_agent\.scheme_name$/, why: 'scheduled payments and standing orders name the agent scheme identification_type: shape parity' },
  { path: /^data\.identities\.\[\]\.address\.post_code$/, why: 'identity address post_code: shape parity' },
  { path: /^data\.beneficiaries\.\[\]\.creditor_agent\.postal_address\.(department|sub_department|country_sub_division)$/, why: 'OBPostalAddress nulls: shape parity' },
  // Deliberate: Lean's random sample fills objects our data leaves null or empty where they do
  // not apply. A current account with no overdraft has no credit line; only a charged payment
  // (a transfer abroad) has charge_amount, and it may not be on the page.
  { path: /^data\.balances\.\[\]\.credit_line\.\[\]\./, why: 'no credit line on a current account' },
  { path: /^data\.transactions\.\[\]\.charge_amount\./, why: 'charge_amount only on charged payments' },
];

/** The key paths of a value, into nested objects and every element of arrays (a field null on one element may be filled on another). */
function keyPaths(value: unknown, prefix = '', into = new Set<string>()): Set<string> {
  if (Array.isArray(value)) {
    for (const element of value) keyPaths(element, `${prefix}[].`, into);
  } else if (value !== null && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      into.add(`${prefix}${key}`);
      keyPaths(inner, `${prefix}${key}.`, into);
    }
  }
  return into;
}

/** The recorded key paths of a call that our reply lacks, less the allowed gaps. */
function missingKeys(call: string, body: unknown): string[] {
  const ours = keyPaths(body);
  return KSA_RECORDED_KEYS[call]!.filter((path) => !ours.has(path) && !ALLOWED_GAPS.some((gap) => gap.path.test(path)));
}

const list = <T extends z.ZodType>(type: string, key: string, item: T) => v2OkSchema(type, v2DataSchema(type, key, item));
const AccountsReplySchema = v2OkSchema('accounts', v2DataSchema('accounts', 'accounts', AccountSchema));
const IdentityReplySchema = v2OkSchema('identity', v2DataSchema('identity', 'identities', IdentitySchema));

describe('a Lean customer’s backend in KSA, end to end over mTLS on Lean’s KSA hosts', () => {
  let mock: LeanMock;
  let receiver: WebhookReceiver;
  let app: AppIdentity;
  let token: string | undefined;
  let customerId: string;
  let entityId: string;
  let accounts: z.infer<typeof AccountSchema>[];
  let refreshId: string;
  const bodies: string[] = [];

  beforeAll(async () => {
    receiver = await startWebhookReceiver();
    mock = await startLeanMock({ webhookUrl: receiver.url, webhookTimeScale: 0.001 });
    app = mock.pki.apps[0]!;
  });

  afterAll(async () => {
    await mock?.close();
    await receiver?.close();
  });

  async function lean(method: string, path: string, body?: { json: unknown } | { form: Record<string, string> }, host = API_HOST): Promise<Extract<Reply, { ok: true }>> {
    const headers: Record<string, string> = { host };
    if (token) headers.authorization = `Bearer ${token}`;
    let payload: string | undefined;
    if (body && 'json' in body) {
      headers['content-type'] = 'application/json';
      payload = JSON.stringify(body.json);
    } else if (body) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      payload = new URLSearchParams(body.form).toString();
    }
    const reply = await call(mock.url, mock.pki, presented(mock.pki, app.name), { method, path, headers, body: payload, servername: host });
    if (!reply.ok) throw new Error(`${method} ${path} on ${host}: no HTTP reply (${reply.code} ${reply.message})`);
    bodies.push(reply.body);
    return reply;
  }

  async function admin(method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown }> {
    const response = await fetch(`${mock.adminUrl}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, json: await response.json() };
  }

  it('1. gets an API token from KSA’s auth host', async () => {
    const reply = await lean('POST', '/oauth2/token', {
      form: { client_id: app.appToken, client_secret: app.clientSecret, grant_type: 'client_credentials', scope: 'api' },
    }, AUTH_HOST);
    expect(reply.status).toBe(200);
    token = z.object({ access_token: z.string().min(1), token_type: z.literal('Bearer') }).parse(reply.json).access_token;
  });

  it('1b. the UAE auth host, on the same certificate, issues tokens too', async () => {
    const form = { client_id: app.appToken, client_secret: app.clientSecret, grant_type: 'client_credentials', scope: 'api' };
    const saved = token;
    token = undefined;
    const reply = await lean('POST', '/oauth2/token', { form }, 'auth.sandbox.leantech.me');
    token = saved;
    expect(reply.status).toBe(200);
  });

  it('2. creates a customer', async () => {
    const reply = await lean('POST', '/customers/v1', { json: { app_user_id: `ksa-${randomUUID()}` } });
    expect(reply.status).toBe(200);
    customerId = CustomerSchema.parse(reply.json).customer_id;
  });

  it('3. the customer connects Lean’s SAMA mock bank; the entity carries the SAMA consent over every account', async () => {
    const connected = await admin('POST', `/admin/v1/customers/${customerId}/entities`, { bank_identifier: BANK });
    expect(connected.status).toBe(201);
    const entity = EntitySchema.parse(connected.json);
    expect(entity).toMatchObject({ customer_id: customerId, bank_identifier: BANK, bank_type: 'RETAIL' });
    entityId = entity.id;

    const one = await lean('GET', `/customers/v1/${customerId}/entities/${entityId}`);
    expect(one.status).toBe(200);
    expect(EntitySchema.parse(one.json)).toEqual(entity);
    expect(missingKeys('entity', one.json)).toEqual([]);
    const [consent] = entity.consents;
    expect(consent).toMatchObject({ consent_status: 'ACTIVE', bank_identifier: null, consent_type: null, standard_consent_status: null });
    expect(consent!.bank_consent_id).toMatch(/^\d+$/);
    const schemes = new Set(consent!.accounts!.map((a) => a.scheme_name));
    expect(schemes).toEqual(new Set(['IBAN', 'ACCOUNT_NUMBER', 'MASKED_PAN']));

    const listed = await lean('GET', `/customers/v1/${customerId}/entities`);
    expect(EntitiesSchema.parse(listed.json)).toEqual([entity]);
    const created = await receiver.waitFor((w) => (w.json as { payload?: { id?: string } } | undefined)?.payload?.id === entityId);
    expect((created.json as { payload: { bank_details: { identifier: string; swift_code: string } } }).payload.bank_details).toMatchObject({ identifier: BANK });
  });

  it('4. reads seven SAR accounts, each with a valid 24-character SA IBAN', async () => {
    const reply = await lean('GET', `/data/v2/accounts?entity_id=${entityId}&page=0&size=50`);
    expect(reply.status).toBe(200);
    accounts = AccountsReplySchema.parse(reply.json).data.accounts;
    expect(missingKeys('accounts', reply.json)).toEqual([]);
    expect(accounts.map((a) => a.account_sub_type).sort()).toEqual(['CHARGE_CARD', 'CREDIT', 'CURRENT', 'EMONEY', 'PREPAID', 'SAVINGS', 'UNSUPPORTED']);
    for (const account of accounts) {
      expect(account.currency).toBe('SAR');
      const ibanId = account.account.find((a) => a.scheme_name === 'IBAN')!.identification;
      expect(ibanId).toMatch(/^SA\d{2}99[0-9A-Z]{18}$/);
      expect(isValidIban(ibanId)).toBe(true);
    }
  });

  const ACCOUNT_CALLS = [
    ['balances', 'balances', BalanceSchema],
    ['transactions', 'transactions', TransactionSchema],
    ['beneficiaries', 'beneficiaries', BeneficiarySchema],
    ['identities', 'identities', IdentitySchema],
    ['direct-debits', 'direct_debits', DirectDebitSchema],
    ['scheduled-payments', 'scheduled_payments', ScheduledPaymentSchema],
    ['standing-orders', 'standing_orders', StandingOrderSchema],
  ] as const;

  it.each(ACCOUNT_CALLS)('5. reads the current account’s %s in the shape Lean records for KSA', async (path, key, item) => {
    const current = accounts.find((a) => a.account_sub_type === 'CURRENT')!;
    const reply = await lean('GET', `/data/v2/accounts/${current.account_id}/${path}?entity_id=${entityId}&page=0&size=100`);
    expect(reply.status).toBe(200);
    const parsed = list(path, key, item as z.ZodType).parse(reply.json) as { data: Record<string, unknown[]> };
    expect(parsed.data[key]!.length).toBeGreaterThan(0);
    expect(missingKeys(path, reply.json)).toEqual([]);
  });

  it('6. reads the identity: a Saudi mobile number and a national id or iqama number', async () => {
    const reply = await lean('GET', `/data/v2/identity?entity_id=${entityId}`);
    expect(reply.status).toBe(200);
    const [identity] = IdentityReplySchema.parse(reply.json).data.identities;
    expect(missingKeys('identity', reply.json)).toEqual([]);
    expect(identity!.mobile_number).toMatch(/^\+9665\d{8}$/);
    expect(identity!.national_id).toMatch(/^[12]\d{9}$/);
  });

  it('7. triggers a refresh, lists it and reads its status', async () => {
    const trigger = await lean('POST', '/data/v2/refreshes', { json: { entity_id: entityId } });
    expect(trigger.status).toBe(200);
    refreshId = TriggerRefreshSchema.parse(trigger.json).refresh_id;
    expect(missingKeys('refresh-trigger', trigger.json)).toEqual([]);

    const listed = await lean('GET', `/data/v2/refreshes?entity_id=${entityId}&page=0&size=50`);
    expect(listed.status).toBe(200);
    expect(RefreshListSchema.parse(listed.json).content.map((r) => r.refresh_id)).toContain(refreshId);
    expect(missingKeys('refresh-list', listed.json)).toEqual([]);

    const status = await lean('GET', `/data/v2/refreshes/${refreshId}?entity_id=${entityId}`);
    expect(status.status).toBe(200);
    expect(RefreshStatusSchema.parse(status.json).data_status.account_data).toHaveLength(accounts.length);
  });

  it('8. asks for accounts asynchronously and collects the results after results.ready', async () => {
    const pending = await lean('GET', `/data/v2/accounts?entity_id=${entityId}&async=true`);
    expect(pending.status).toBe(202);
    const resultsId = V2PendingSchema.parse(pending.json).results_id;
    await receiver.waitFor((w) => (w.json as { type?: string; payload?: { id?: string } } | undefined)?.payload?.id === resultsId);
    const ready = await lean('GET', `/data/v2/results/${resultsId}`);
    expect(ready.status).toBe(200);
    expect(AccountsReplySchema.parse(ready.json).data.accounts).toEqual(accounts);
  });

  it('9. never mentioned AED: every amount of the KSA entity is in SAR', () => {
    expect(bodies.length).toBeGreaterThan(10);
    for (const body of bodies) expect(body).not.toContain('AED');
    expect(bodies.filter((body) => body.includes('"SAR"')).length).toBeGreaterThanOrEqual(6);
  });
});
