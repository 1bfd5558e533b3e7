import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createPaymentsRouter } from '../../src/lean/payments/router.js';
import { REGIONS } from '../../src/sandbox/bank-data/regions.js';
import { buildIban } from '../../src/sandbox/payments/iban.js';
import { PAYMENT_COLLECTIONS } from '../../src/sandbox/payments/records.js';
import { seedPayments } from '../../src/sandbox/payments/seed.js';
import { COLLECTIONS, type Customer } from '../../src/sandbox/store/records.js';
import type { SandboxEvent } from '../../src/sandbox/store/store.js';
import { sandboxApp, testStore } from '../support/sandbox-app.js';

/** Lean's payments exist in the UAE only: every way of reaching a KSA account is refused up front. */

const CUSTOMER = 'c0000000-0000-4000-8000-000000000001';

function setup() {
  const store = testStore();
  store.addSeeder('payments', seedPayments);
  store.collection<Customer>(COLLECTIONS.customers).set('my_app', CUSTOMER, { customer_id: CUSTOMER, app_user_id: 'u', created_at: '2026-03-01T00:00:00.000Z' });
  const events: SandboxEvent[] = [];
  store.on('event', (event) => events.push(event));
  return { store, events, app: sandboxApp(createPaymentsRouter({ store })) };
}

const UAE_DESTINATION = {
  name: 'Fulani Al Fulani', display_name: 'Al Fulani', address: '1234 Sky Bldg.', city: 'Abu Dhabi', country: 'ARE',
  iban: 'AE760260001015000000601', account_number: '1015000000601',
};
const SA_IBAN = buildIban('SA', `80${'000000608010167519'}`);
const UAE_ONLY = /payments are available in UAE only, not in KSA/;

describe('payments outside the UAE', () => {
  it('follows the region records: the UAE has payments, KSA has none', () => {
    expect(REGIONS.map((region) => [region.name, region.payments !== null])).toEqual([['UAE', true], ['KSA', false]]);
  });

  const destinations: [string, Record<string, unknown>, string, string][] = [
    ['in Saudi Arabia (country SAU)', { country: 'SAU' }, 'country', 'SAU'],
    ['with a Saudi IBAN', { iban: SA_IBAN }, 'iban', SA_IBAN],
    ['in riyals (currency SAR)', { currency: 'SAR' }, 'currency', 'SAR'],
  ];
  for (const [what, change, field, value] of destinations) {
    it(`refuses a destination ${what} with 400 INVALID_PARAMETERS naming ${field}, storing nothing`, async () => {
      const { app, store, events } = setup();
      const before = store.collection(PAYMENT_COLLECTIONS.destinations).size;
      const res = await request(app).post('/payments/v1/destinations').send({ ...UAE_DESTINATION, ...change }).expect(400);
      expect(res.body).toMatchObject({ status: 'INVALID_PARAMETERS', metadata: null, message: expect.stringMatching(UAE_ONLY) });
      expect(res.body.message).toContain(`field: ${field}, value: ${value}.`);
      expect(store.collection(PAYMENT_COLLECTIONS.destinations).size).toBe(before);
      expect(events).toEqual([]);
    });
  }

  it('refuses an intent in SAR with 400 INVALID_PARAMETERS naming currency, storing nothing', async () => {
    const { app, store, events } = setup();
    const res = await request(app).post('/payments/v1/intents').send({ customer_id: CUSTOMER, amount: 50, currency: 'SAR' }).expect(400);
    expect(res.body).toMatchObject({ status: 'INVALID_PARAMETERS', metadata: null, message: expect.stringMatching(UAE_ONLY) });
    expect(res.body.message).toContain('field: currency, value: SAR.');
    expect(store.collection(PAYMENT_COLLECTIONS.intents).size).toBe(0);
    expect(events).toEqual([]);
  });

  it('still takes international destinations outside Lean’s regions (a UK account in GBP)', async () => {
    const { app } = setup();
    const uk = { ...UAE_DESTINATION, country: 'GBR', iban: 'GB82WEST12345698765432', currency: 'GBP', account_number: '98765432' };
    await request(app).post('/payments/v1/destinations').send(uk).expect(200);
  });
});
