import request from 'supertest';
import { createBanksRouter, loadBanks, type Bank } from '../../src/lean/banks.js';
import { createDataRouters } from '../../src/lean/data/index.js';
import { createInsightsRouter } from '../../src/lean/insights/router.js';
import { createPaymentsRouter } from '../../src/lean/payments/router.js';
import { createAvailabilityAdminRouter } from '../../src/sandbox/availability/admin-router.js';
import { seedBankAvailability } from '../../src/sandbox/availability/availability.js';
import { seedDemo } from '../../src/sandbox/connections.js';
import { createPaymentsAdminRouter } from '../../src/sandbox/payments-admin.js';
import { seedPayments } from '../../src/sandbox/payments/seed.js';
import { COLLECTIONS, type Customer, type Entity } from '../../src/sandbox/store/records.js';
import type { SandboxEvent } from '../../src/sandbox/store/store.js';
import { sandboxApp, testStore } from './sandbox-app.js';

/**
 * A sandbox as src/server/sandbox.ts builds it for bank availability: the demo customer of each
 * app connected to LEAN_OF_RETAIL_UAE, the banks list, the data, insights and payments APIs, and
 * the admin routes that toggle a bank and make the customer pay. Every event is kept.
 */
export function availabilityFixture() {
  const store = testStore();
  store.addSeeder('demo', seedDemo);
  store.addSeeder('payments', seedPayments);
  const banks = loadBanks();
  store.addSeeder('bank availability', seedBankAvailability(banks));
  const events: SandboxEvent[] = [];
  store.on('event', (event) => events.push(event));
  const app = sandboxApp([
    createBanksRouter({ banks, store }),
    ...createDataRouters({ store, resultDelayMs: 10 }),
    createInsightsRouter({ store, resultDelayMs: 10 }),
    createPaymentsRouter({ store }),
    createPaymentsAdminRouter({ store }),
    createAvailabilityAdminRouter({ store }),
  ]);
  const demo = (caller: string) => {
    const entity = store.collection<Entity>(COLLECTIONS.entities).list(caller)[0]!;
    const customer = store.collection<Customer>(COLLECTIONS.customers).get(caller, entity.customer_id)!;
    return { entity, customer };
  };
  const toggle = (identifier: string, body: Record<string, unknown>) => request(app).post(`/admin/v1/banks/${identifier}/availability`).send(body);
  const bankOf = async (identifier: string, caller = 'my_app') => {
    const list = (await request(app).get('/banks/v1').set('x-test-app', caller).expect(200)).body as Bank[];
    const bank = list.find((each) => each.identifier === identifier);
    if (!bank) throw new Error(`${identifier} is not on the banks list`);
    return bank;
  };
  /** The demo customer pays a fresh intent from a new source at the default bank. */
  const pay = async (caller = 'my_app') => {
    const { customer } = demo(caller);
    const intent = await request(app)
      .post('/payments/v1/intents')
      .set('x-test-app', caller)
      .send({ customer_id: customer.customer_id, amount: 25, currency: 'AED', description: 'availability' })
      .expect(200);
    return (await request(app).post(`/admin/v1/payment-intents/${intent.body.payment_intent_id}/payments`).send({ app: caller }).expect(201)).body;
  };
  return { store, banks, events, app, demo, toggle, bankOf, pay };
}
