import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Router } from 'express';
import { createBanksRouter, loadBanks } from '../../src/lean/banks.js';
import { createConsentsRouter } from '../../src/lean/consents/router.js';
import { createCustomersRouter } from '../../src/lean/customers/router.js';
import { createDataRouters } from '../../src/lean/data/index.js';
import { createEntitiesRouter } from '../../src/lean/entities/router.js';
import { createEventsRouter } from '../../src/lean/events.js';
import { createInsightsRouter } from '../../src/lean/insights/router.js';
import { createPaymentsRouter } from '../../src/lean/payments/router.js';
import { createPayoutsRouter } from '../../src/lean/payouts/router.js';
import { createVerificationsRouter } from '../../src/lean/verifications/router.js';
import { seedBankAvailability } from '../../src/sandbox/availability/availability.js';
import { seedDemo } from '../../src/sandbox/connections.js';
import { createEventLog } from '../../src/sandbox/events/log.js';
import { createConsent, getConsent, moveConsent, consentedAccount } from '../../src/sandbox/consents/consents.js';
import { createCustomer } from '../../src/sandbox/customers.js';
import { faultInjector } from '../../src/sandbox/faults/injector.js';
import { FaultRegistry } from '../../src/sandbox/faults/registry.js';
import { createIntent } from '../../src/sandbox/payments/intents.js';
import { advancePayment, simulatePayment } from '../../src/sandbox/payments/payments.js';
import { createSource } from '../../src/sandbox/payments/sources.js';
import { createPayoutDestinations } from '../../src/sandbox/payouts/destinations.js';
import { createPayouts } from '../../src/sandbox/payouts/payouts.js';
import { createRefunds } from '../../src/sandbox/payouts/refunds.js';
import { PAYMENT_COLLECTIONS, type PaymentDestinationRecord } from '../../src/sandbox/payments/records.js';
import { seedPayments } from '../../src/sandbox/payments/seed.js';
import { seededRandom } from '../../src/sandbox/random.js';
import { COLLECTIONS, type Account, type Customer, type Entity } from '../../src/sandbox/store/records.js';
import { SandboxStore } from '../../src/sandbox/store/store.js';
import type { IdKind } from './route-table.js';
import { SANDBOX_NOW, sandboxApp } from './sandbox-app.js';

/**
 * The sandbox the bad-input fuzz runs against: the routers of src/server/sandbox.ts over a seeded
 * store, on a real socket, with a raw HTTP client that sends exactly the bytes it is given.
 */

/** The sandbox's async results and refreshes must not finish mid-fuzz (setTimeout's maximum). */
const NEVER_MS = 2 ** 31 - 1;

/** One real id of each kind, for one app. */
export type Ids = Record<IdKind, string>;

export interface Reply {
  status: number;
  contentType: string;
  text: string;
}

export interface RawRequest {
  method: string;
  /** Path and query exactly as sent (already percent-encoded where it should be). */
  url: string;
  headers: Record<string, string>;
  body: Buffer | null;
  /** What was done to the valid request, for failure messages. */
  notes: string[];
}

export interface Sandbox {
  /** The seed the store (and the fuzz of it) was made from. */
  seed: number;
  store: SandboxStore;
  send(request: RawRequest, app?: string): Promise<Reply>;
  close(): Promise<void>;
}

export async function startSandbox(options: { seed: number }): Promise<Sandbox> {
  const ids = seededRandom(options.seed).fork('store ids');
  const store = new SandboxStore({ seed: options.seed, apps: ['my_app', 'other_app'], clock: () => SANDBOX_NOW, newId: () => ids.uuid() });
  store.addSeeder('demo', seedDemo);
  store.addSeeder('payments', seedPayments);
  const banks = loadBanks();
  store.addSeeder('bank availability', seedBankAvailability(banks));
  const app = sandboxApp([
    Router().use(faultInjector(new FaultRegistry({ apps: store.apps, clock: () => SANDBOX_NOW }))),
    createBanksRouter({ banks, store }),
    createEntitiesRouter({ store }),
    createCustomersRouter({ store }),
    createConsentsRouter({ store }),
    createPaymentsRouter({ store }),
    createPayoutsRouter({ store }),
    ...createDataRouters({ store, resultDelayMs: NEVER_MS, refreshDelayMs: NEVER_MS }),
    createVerificationsRouter({ store }),
    createInsightsRouter({ store, resultDelayMs: NEVER_MS }),
    createEventsRouter({ log: createEventLog({ store }) }),
  ]);
  // As the real app (src/app/create-app.ts): `a[b]=c` and `a[]=b` reach the routers as objects and arrays.
  app.set('query parser', 'extended');
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

  const send = (request: RawRequest, caller = 'my_app') =>
    new Promise<Reply>((resolve, reject) => {
      const headers: Record<string, string> = { ...request.headers, 'x-test-app': caller };
      if (request.body) headers['content-length'] = String(request.body.length);
      const outgoing = http.request({ host: '127.0.0.1', port, method: request.method, path: request.url, headers, agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, contentType: res.headers['content-type'] ?? '', text: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', reject);
      });
      outgoing.on('error', reject);
      outgoing.end(request.body ?? undefined);
    });

  return {
    seed: options.seed,
    store,
    send,
    close: async () => {
      agent.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const firstOf = <T>(store: SandboxStore, collection: string, app: string): T => {
  const record = store.collection<T>(collection).list(app)[0];
  if (record === undefined) throw new Error(`the seeded sandbox has no ${collection} for ${app}`);
  return record;
};

/** The seeded records of an app, and where the seed has none, records made as a client would. */
export async function realIds(sandbox: Sandbox, app: string, prepare: boolean): Promise<Ids> {
  const { store } = sandbox;
  const customer = firstOf<Customer>(store, COLLECTIONS.customers, app);
  const entity = firstOf<Entity>(store, COLLECTIONS.entities, app);
  const account = firstOf<Account>(store, COLLECTIONS.accounts, app);
  const destination = firstOf<PaymentDestinationRecord>(store, PAYMENT_COLLECTIONS.destinations, app);
  const unknown = seededRandom(sandbox.seed).fork(`unseeded ${app}`);
  const ids: Ids = {
    customer: customer.customer_id,
    entity: entity.id,
    account: account.account_id,
    destination: destination.id,
    intent: unknown.uuid(),
    payment: unknown.uuid(),
    source: unknown.uuid(),
    results: unknown.uuid(),
    refresh: unknown.uuid(),
    app_user: customer.app_user_id,
    payout: unknown.uuid(),
    payout_intent: unknown.uuid(),
    payout_destination: unknown.uuid(),
    payout_account: unknown.uuid(),
    refund: unknown.uuid(),
    consent: unknown.uuid(),
  };
  if (!prepare) return ids;
  // Both apps seed the same app_user_id: other_app gets one of its own to leak.
  ids.app_user = createCustomer(store, app, { app_user_id: `only-${app}` }).app_user_id;
  const intent = createIntent(store, app, { customer_id: customer.customer_id, amount: 250, currency: 'AED' });
  const payment = simulatePayment(store, app, `${app}-id`, intent.payment_intent_id, {});
  ids.intent = intent.payment_intent_id;
  ids.payment = payment.id;
  ids.source = payment.payment_source_id;
  // Accepted, so refunds of it can succeed; a refund of 1 AED leaves room for more.
  advancePayment(store, app, payment.id, { status: 'ACCEPTED_BY_BANK' });
  ids.refund = createRefunds(store, app, [{ payment_id: payment.id, amount: 1, currency: 'AED', reason_code: 'CUSTOMER_REQUEST' }])[0]!.refund_id;
  ids.payout_account = createSource(store, app, `${app}-id`, { customer_id: customer.customer_id }).accounts[0]!.account_id;
  const [payoutDestination] = createPayoutDestinations(store, app, [
    { name: 'Santiago Keebler', display_name: 'ABC CORP', iban: 'AE680030012312312312123', account_number: '12312312312123', address: 'Dubai', city: 'Dubai', country: 'ARE' },
  ]);
  ids.payout_destination = payoutDestination!.id;
  const [payout] = createPayouts(store, app, [
    { account_id: ids.payout_account, currency: 'AED', destination_details: [{ payment_destination_id: payoutDestination!.id, amount: 20, authorize_payment: true }] },
  ]);
  ids.payout = payout!.id;
  ids.payout_intent = payout!.payment_intent_id;
  // An AUTHORISED consent that pays up to 1,000 a time, as often as asked (the fuzz makes many payments).
  const consent = createConsent(store, app, `${app}-id`, {
    customer_id: customer.customer_id, destination_account_id: destination.id, currency: 'AED', reference: 'FUZZ', purpose: 'GDS',
    control_parameters: { period_type: 'Month', max_individual_amount: 1000, max_cumulative_amount: null, max_cumulative_number_of_payments: null, max_cumulative_amount_per_period: null, max_cumulative_number_of_payments_per_period: null },
  });
  moveConsent(store, app, getConsent(store, app, consent.consent_id), 'AUTHORISED', 'CUSTOMER', { account: consentedAccount(store, {}) });
  ids.consent = consent.consent_id;
  const asJson = (reply: Reply) => JSON.parse(reply.text) as Record<string, unknown>;
  const held = await sandbox.send(request('GET', `/data/v2/accounts?entity_id=${entity.id}&async=true`), app);
  ids.results = String(asJson(held).results_id);
  const refreshed = await sandbox.send(request('POST', '/data/v2/refreshes', { entity_id: entity.id }), app);
  ids.refresh = String(asJson(refreshed).refresh_id);
  return ids;
}

function request(method: string, url: string, body?: unknown): RawRequest {
  return {
    method,
    url,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? null : Buffer.from(JSON.stringify(body)),
    notes: ['setup'],
  };
}
