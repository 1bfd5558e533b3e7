import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createPaymentsRouter } from '../../src/lean/payments/router.js';
import { CustomerPaymentDestinationSchema, PaymentDestinationSchema } from '../../src/lean/payments/schemas.js';
import { PAYMENT_COLLECTIONS } from '../../src/sandbox/payments/records.js';
import { seedPayments } from '../../src/sandbox/payments/seed.js';
import { COLLECTIONS, type Customer } from '../../src/sandbox/store/records.js';
import type { SandboxEvent } from '../../src/sandbox/store/store.js';
import { sandboxApp, testStore } from '../support/sandbox-app.js';

const CUSTOMER = 'c0000000-0000-4000-8000-000000000001';
const OTHER_APPS_CUSTOMER = 'c0000000-0000-4000-8000-000000000002';
const UNKNOWN = 'f0000000-0000-4000-8000-000000000000';

function setup() {
  const store = testStore();
  store.addSeeder('payments', seedPayments);
  const customers = store.collection<Customer>(COLLECTIONS.customers);
  customers.set('my_app', CUSTOMER, { customer_id: CUSTOMER, app_user_id: 'user-1', created_at: '2026-03-01T00:00:00.000Z' });
  customers.set('other_app', OTHER_APPS_CUSTOMER, { customer_id: OTHER_APPS_CUSTOMER, app_user_id: 'user-1', created_at: '2026-03-01T00:00:00.000Z' });
  const events: SandboxEvent[] = [];
  store.on('event', (event) => events.push(event));
  return { store, events, app: sandboxApp(createPaymentsRouter({ store })) };
}

/** Lean's own request example (payments.yml), minus the Open Finance extras. */
const EXAMPLE = {
  branch_address: '45 Lansing Street, Dubai, United Arab Emirates',
  name: 'Fulani Al Fulani',
  iban: 'AE760260001015000000601',
  display_name: 'Al Fulani',
  address: '1234 Sky Bldg.',
  city: 'Abu Dhabi',
  country: 'ARE',
  swift_code: 'EBILAEADXXX',
  account_number: '1015000000601',
};

describe('POST /payments/v1/destinations', () => {
  it('creates a destination, answering Lean’s PaymentDestination with status ACTIVE and default false', async () => {
    const { app } = setup();
    const res = await request(app).post('/payments/v1/destinations').send(EXAMPLE).expect(200);
    const destination = PaymentDestinationSchema.parse(res.body);
    expect(destination).toEqual({ id: '00000000-0000-4000-8000-000000000001', status: 'ACTIVE', default: false, ...EXAMPLE });
    expect(Object.keys(res.body)).toEqual([
      'id', 'status', 'default', 'branch_address', 'name', 'iban', 'display_name', 'address', 'city', 'country', 'swift_code', 'account_number',
    ]);
    const again = await request(app).get(`/payments/v1/destinations/${destination.id}`).expect(200);
    expect(again.body).toEqual(res.body);
  });

  it('takes the Open Finance fields (bank_type, government_identifier) and a customer as owner', async () => {
    const { app } = setup();
    const res = await request(app)
      .post('/payments/v1/destinations')
      .send({ ...EXAMPLE, bank_type: 'SME', government_identifier: { type: 'TRADE_LICENSE_NUMBER', value: 'CN-2947664' }, customer_id: CUSTOMER.toUpperCase() })
      .expect(200);
    expect(PaymentDestinationSchema.parse(res.body).customer_id).toBe(CUSTOMER);
  });

  it('normalises the IBAN and trims the names', async () => {
    const { app } = setup();
    const res = await request(app)
      .post('/payments/v1/destinations')
      .send({ ...EXAMPLE, iban: 'ae76 0260 0010 1500 0000 601', name: '  Fulani Al Fulani  ' })
      .expect(200);
    expect(res.body).toMatchObject({ iban: 'AE760260001015000000601', name: 'Fulani Al Fulani' });
  });

  it('needs no IBAN for a US destination, and an IBAN for every other country', async () => {
    const { app } = setup();
    const { iban: _iban, ...withoutIban } = EXAMPLE;
    await request(app).post('/payments/v1/destinations').send({ ...withoutIban, country: 'USA', routing_number: '021000021' }).expect(200);
    const res = await request(app).post('/payments/v1/destinations').send(withoutIban).expect(400);
    expect(res.body).toMatchObject({ status: 'MISSING_PARAMETERS', message: expect.stringContaining('field: iban') });
  });

  const refusals: [string, Record<string, unknown>, number, string, string][] = [
    ['a wrong IBAN check digit', { iban: 'AE770260001015000000601' }, 400, 'INVALID_IBAN', 'iban'],
    ['a short IBAN', { iban: 'AE7602600010150000006' }, 400, 'INVALID_IBAN', 'iban'],
    ['an empty name', { name: ' ' }, 400, 'INVALID_NAME', 'name'],
    ['markup in the display name', { display_name: '<b>Al Fulani</b>' }, 400, 'INVALID_NAME', 'display_name'],
    ['a name that is not a string', { name: 42 }, 400, 'INVALID_PARAMETERS', 'name'],
    ['no name', { name: undefined }, 400, 'MISSING_PARAMETERS', 'name'],
    ['no display name', { display_name: undefined }, 400, 'MISSING_PARAMETERS', 'display_name'],
    ['no address', { address: undefined }, 400, 'MISSING_PARAMETERS', 'address'],
    ['no city', { city: undefined }, 400, 'MISSING_PARAMETERS', 'city'],
    ['no country', { country: undefined }, 400, 'MISSING_PARAMETERS', 'country'],
    ['no account number', { account_number: undefined }, 400, 'MISSING_PARAMETERS', 'account_number'],
    ['a two-letter country', { country: 'AE' }, 400, 'INVALID_PARAMETERS', 'country'],
    ['a malformed SWIFT code', { swift_code: 'EBIL' }, 400, 'INVALID_PARAMETERS', 'swift_code'],
    ['a malformed customer id', { customer_id: 'me' }, 400, 'INVALID_PARAMETERS', 'customer_id'],
    ['an unknown bank type', { bank_type: 'HEDGE_FUND' }, 400, 'INVALID_PARAMETERS', 'bank_type'],
    ['an unknown customer', { customer_id: UNKNOWN }, 404, 'UNKNOWN_CUSTOMER', ''],
    ['another app’s customer', { customer_id: OTHER_APPS_CUSTOMER }, 404, 'UNKNOWN_CUSTOMER', ''],
  ];
  for (const [what, change, http, status, field] of refusals) {
    it(`refuses ${what} with ${http} ${status}, storing nothing`, async () => {
      const { app, store } = setup();
      const before = await request(app).get('/payments/v1/destinations').expect(200);
      const res = await request(app).post('/payments/v1/destinations').send({ ...EXAMPLE, ...change }).expect(http);
      expect(res.body).toMatchObject({ status, metadata: null, ...(field ? { message: expect.stringContaining(`field: ${field}`) } : {}) });
      expect(res.body.message).toEqual(expect.any(String));
      expect((await request(app).get('/payments/v1/destinations')).body).toEqual(before.body);
      expect(store.collection(PAYMENT_COLLECTIONS.destinations).size).toBe(2);
    });
  }

  it('refuses a body that is not JSON', async () => {
    const { app } = setup();
    const res = await request(app).post('/payments/v1/destinations').set('content-type', 'application/json').send('{"name":').expect(400);
    expect(res.body.status).toBe('INVALID_PARAMETERS');
  });
});

describe('GET /payments/v1/destinations', () => {
  it('lists the app’s destinations, its seeded default first', async () => {
    const { app } = setup();
    await request(app).post('/payments/v1/destinations').send(EXAMPLE).expect(200);
    const res = await request(app).get('/payments/v1/destinations/').expect(200);
    const list = z.array(PaymentDestinationSchema).parse(res.body);
    expect(list.map((d) => [d.default, d.name])).toEqual([[true, 'Sandbox Merchant LLC'], [false, 'Fulani Al Fulani']]);
  });

  it('keeps apps apart: another app neither lists nor reads my destinations', async () => {
    const { app } = setup();
    const mine = await request(app).post('/payments/v1/destinations').send(EXAMPLE).expect(200);
    const theirs = await request(app).get('/payments/v1/destinations').set('x-test-app', 'other_app').expect(200);
    expect(theirs.body).toHaveLength(1);
    expect(theirs.body[0].id).not.toBe(mine.body.id);
    const res = await request(app).get(`/payments/v1/destinations/${mine.body.id}`).set('x-test-app', 'other_app').expect(404);
    expect(res.body).toMatchObject({ status: 'UNKNOWN_PAYMENT_DESTINATION', metadata: null });
  });
});

describe('GET /payments/v1/destinations/{payment_destination_id}', () => {
  it('answers 404 UNKNOWN_PAYMENT_DESTINATION for an unknown id, 400 for a malformed one', async () => {
    const { app } = setup();
    const unknown = await request(app).get(`/payments/v1/destinations/${UNKNOWN}`).expect(404);
    expect(unknown.body).toEqual({ timestamp: '2026-03-15T09:30:00.000Z', status: 'UNKNOWN_PAYMENT_DESTINATION', message: expect.stringContaining(UNKNOWN), metadata: null });
    const malformed = await request(app).get('/payments/v1/destinations/not-a-uuid').expect(400);
    expect(malformed.body).toMatchObject({ status: 'INVALID_PARAMETERS', message: expect.stringContaining('field: payment_destination_id') });
  });

  it('answers 405 for a method the path does not serve', async () => {
    const { app } = setup();
    await request(app).delete(`/payments/v1/destinations/${UNKNOWN}`).expect(405);
    const res = await request(app).put('/payments/v1/destinations').send({}).expect(405);
    expect(res.body.status).toBe('INVALID_HTTP_METHOD');
  });
});

describe('GET /customers/v1/{customer_id}/destinations', () => {
  it('lists only the customer’s own destinations, in Lean’s CustomerPaymentDestination shape', async () => {
    const { app } = setup();
    await request(app).post('/payments/v1/destinations').send(EXAMPLE).expect(200);
    const owned = await request(app).post('/payments/v1/destinations').send({ ...EXAMPLE, customer_id: CUSTOMER }).expect(200);
    const res = await request(app).get(`/customers/v1/${CUSTOMER}/destinations`).expect(200);
    const list = z.array(CustomerPaymentDestinationSchema).parse(res.body);
    expect(list).toEqual([
      {
        id: owned.body.id, customer_id: CUSTOMER, bank_identifier: 'ENBD_UAE', status: 'ACTIVE', default: false, name: EXAMPLE.name, iban: EXAMPLE.iban,
        display_name: EXAMPLE.display_name, address: EXAMPLE.address, city: EXAMPLE.city, country: 'ARE', swift_code: EXAMPLE.swift_code, account_number: EXAMPLE.account_number,
      },
    ]);
  });

  it('answers an empty list for a customer without destinations, 404 for an unknown or another app’s customer', async () => {
    const { app } = setup();
    expect((await request(app).get(`/customers/v1/${CUSTOMER}/destinations`).expect(200)).body).toEqual([]);
    for (const id of [UNKNOWN, OTHER_APPS_CUSTOMER]) {
      const res = await request(app).get(`/customers/v1/${id}/destinations`).expect(404);
      expect(res.body.status).toBe('UNKNOWN_CUSTOMER');
    }
  });
});
