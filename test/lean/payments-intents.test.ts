import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createPaymentsRouter } from '../../src/lean/payments/router.js';
import { PaymentIntentCreatedPayloadSchema, PaymentIntentPageSchema, PaymentIntentSchema } from '../../src/lean/payments/schemas.js';
import { PAYMENT_COLLECTIONS } from '../../src/sandbox/payments/records.js';
import { CUSTOMER, OTHER_APPS_CUSTOMER, paymentsFixture, SECOND_CUSTOMER, UNKNOWN } from '../support/payments-fixture.js';
import { SANDBOX_NOW } from '../support/sandbox-app.js';

function setup(clock?: () => Date) {
  return paymentsFixture({ clock, routers: (store) => createPaymentsRouter({ store }) });
}

const DESTINATION = {
  name: 'Acme Corp.', display_name: 'Acme', iban: 'AE670350001234567890123', address: 'Acme Towers, 51st Floor', city: 'Dubai', country: 'ARE', account_number: '1234567890123',
};

describe('POST /payments/v1/intents', () => {
  it('creates an intent into the app’s default destination, in Lean’s PaymentIntent shape', async () => {
    const { app } = setup();
    const [seeded] = (await request(app).get('/payments/v1/destinations')).body;
    const res = await request(app).post('/payments/v1/intents').send({ customer_id: CUSTOMER, amount: 61.4, currency: 'AED' }).expect(200);
    const intent = PaymentIntentSchema.parse(res.body);
    expect(Object.keys(res.body)).toEqual(['payment_intent_id', 'customer_id', 'amount', 'currency', 'description', 'payments', 'payment_destination', 'created_at', 'updated_at']);
    expect(intent).toMatchObject({
      customer_id: CUSTOMER,
      amount: 61.4,
      currency: 'AED',
      // Lean's default reference: the intent's id without hyphens.
      description: intent.payment_intent_id.replaceAll('-', ''),
      payments: [],
      created_at: SANDBOX_NOW.toISOString(),
      updated_at: SANDBOX_NOW.toISOString(),
    });
    expect(intent.payment_destination).toEqual({
      id: seeded.id, bank_identifier: 'ENBD_UAE', name: seeded.name, iban: seeded.iban, display_name: seeded.display_name, account_number: seeded.account_number,
      swift_code: seeded.swift_code, status: 'ACTIVE', address: seeded.address, country: 'ARE', city: 'Dubai', default: true, owner_type: 'APPLICATION',
      // Lean's recorded intents name these too, null where the destination has none.
      ifsc: null, sort_code: null, routing_number: null, transit_code: null, branch_address: seeded.branch_address ?? null, currency_iso_code: 'AED',
      postal_code: null, confirmation_of_payee_status: null, bank_type: seeded.bank_type ?? null,
    });
  });

  it('pays into a named destination, with the description given', async () => {
    const { app } = setup();
    const destination = await request(app).post('/payments/v1/destinations').send(DESTINATION).expect(200);
    const res = await request(app)
      .post('/payments/v1/intents')
      .send({ customer_id: CUSTOMER, amount: 100, currency: 'AED', payment_destination_id: destination.body.id, description: 'Invoice 42', purpose_code: 'GDS' })
      .expect(200);
    expect(PaymentIntentSchema.parse(res.body)).toMatchObject({ description: 'Invoice 42', payment_destination: { id: destination.body.id, bank_identifier: 'FAB_UAE', default: false, owner_type: 'APPLICATION' } });
  });

  it('pays into the customer’s own destination, marked as owned by the customer', async () => {
    const { app } = setup();
    const destination = await request(app).post('/payments/v1/destinations').send({ ...DESTINATION, customer_id: CUSTOMER }).expect(200);
    const res = await request(app).post('/payments/v1/intents').send({ customer_id: CUSTOMER, amount: 100, currency: 'AED', payment_destination_id: destination.body.id }).expect(200);
    expect(res.body.payment_destination).toMatchObject({ customer_id: CUSTOMER, owner_type: 'CUSTOMER' });
  });

  it('publishes payment_intent.created shaped like Lean’s sample', async () => {
    const { app, events } = setup();
    const res = await request(app).post('/payments/v1/intents').send({ customer_id: CUSTOMER, amount: 10, currency: 'AED', description: 'testing' }).expect(200);
    expect(events).toHaveLength(1);
    const [event] = events;
    expect(event).toMatchObject({ app: 'my_app', type: 'payment_intent.created', message: 'Payment intent created' });
    expect(PaymentIntentCreatedPayloadSchema.parse(event!.payload)).toEqual({
      amount: 10, reason: 'testing', status: 'INTENT_CREATED', currency: 'AED', metadata: null, intent_id: res.body.payment_intent_id,
    });
  });

  describe('amount limits (AED 10 to 1,000,000)', () => {
    const cases: [unknown, number, string | null][] = [
      [9.99, 400, 'AMOUNT_UNDER_MIN_VALUE'],
      [10, 200, null],
      [1_000_000, 200, null],
      [1_000_000.01, 400, 'AMOUNT_OVER_MAX_VALUE'],
      [0, 400, 'INVALID_AMOUNT'],
      [-5, 400, 'INVALID_AMOUNT'],
      ['10', 400, 'INVALID_AMOUNT'],
      [10.001, 400, 'INVALID_AMOUNT'],
      [null, 400, 'INVALID_AMOUNT'],
      [undefined, 400, 'MISSING_PARAMETERS'],
    ];
    for (const [amount, http, status] of cases) {
      it(`${JSON.stringify(amount) ?? 'no amount'} → ${http} ${status ?? 'OK'}`, async () => {
        const { app, events, store } = setup();
        const res = await request(app).post('/payments/v1/intents').send({ customer_id: CUSTOMER, amount, currency: 'AED' }).expect(http);
        if (status === null) {
          expect(res.body.amount).toBe(amount);
          expect(events).toHaveLength(1);
          return;
        }
        expect(res.body).toMatchObject({ status, message: expect.stringContaining('field: amount') });
        expect(events).toEqual([]);
        expect(store.collection(PAYMENT_COLLECTIONS.intents).size).toBe(0);
      });
    }
  });

  const refusals: [string, Record<string, unknown>, number, string, string | null][] = [
    ['no customer', { customer_id: undefined }, 400, 'MISSING_PARAMETERS', 'customer_id'],
    ['a malformed customer id', { customer_id: '42' }, 400, 'INVALID_PARAMETERS', 'customer_id'],
    ['no currency', { currency: undefined }, 400, 'MISSING_PARAMETERS', 'currency'],
    ['a lower-case currency', { currency: 'aed' }, 400, 'INVALID_PARAMETERS', 'currency'],
    ['a currency other than AED', { currency: 'USD' }, 400, 'INVALID_PARAMETERS', 'currency'],
    ['an empty description', { description: '' }, 400, 'INVALID_PARAMETERS', 'description'],
    ['an unknown purpose code', { purpose_code: 'XXX' }, 400, 'INVALID_PARAMETERS', 'purpose_code'],
    ['a malformed destination id', { payment_destination_id: 'acme' }, 400, 'INVALID_PARAMETERS', 'payment_destination_id'],
    ['an unknown customer', { customer_id: UNKNOWN }, 404, 'UNKNOWN_CUSTOMER', null],
    ['another app’s customer', { customer_id: OTHER_APPS_CUSTOMER }, 404, 'UNKNOWN_CUSTOMER', null],
    ['an unknown destination', { payment_destination_id: UNKNOWN }, 404, 'UNKNOWN_PAYMENT_DESTINATION', null],
  ];
  for (const [what, change, http, status, field] of refusals) {
    it(`refuses ${what} with ${http} ${status}, creating nothing and publishing nothing`, async () => {
      const { app, events, store } = setup();
      const res = await request(app).post('/payments/v1/intents').send({ customer_id: CUSTOMER, amount: 50, currency: 'AED', ...change }).expect(http);
      expect(res.body).toMatchObject({ status, metadata: null, ...(field === null ? {} : { message: expect.stringContaining(`field: ${field}`) }) });
      expect(events).toEqual([]);
      expect(store.collection(PAYMENT_COLLECTIONS.intents).size).toBe(0);
    });
  }

  it('refuses another app’s destination, and another customer’s, as unknown', async () => {
    const { app, events } = setup();
    const [theirs] = (await request(app).get('/payments/v1/destinations').set('x-test-app', 'other_app')).body;
    const owned = await request(app).post('/payments/v1/destinations').send({ ...DESTINATION, customer_id: SECOND_CUSTOMER }).expect(200);
    for (const id of [theirs.id, owned.body.id]) {
      const res = await request(app).post('/payments/v1/intents').send({ customer_id: CUSTOMER, amount: 50, currency: 'AED', payment_destination_id: id }).expect(404);
      expect(res.body.status).toBe('UNKNOWN_PAYMENT_DESTINATION');
    }
    expect(events).toEqual([]);
  });
});

describe('GET /payments/v1/intents/{payment_intent_id}', () => {
  it('answers the intent as created', async () => {
    const { app } = setup();
    const created = await request(app).post('/payments/v1/intents').send({ customer_id: CUSTOMER, amount: 20, currency: 'AED' }).expect(200);
    const res = await request(app).get(`/payments/v1/intents/${created.body.payment_intent_id.toUpperCase()}`).expect(200);
    expect(res.body).toEqual(created.body);
  });

  it('answers 404 UNKNOWN_PAYMENT_INTENT for an unknown id or another app’s, 400 for a malformed one', async () => {
    const { app } = setup();
    const created = await request(app).post('/payments/v1/intents').send({ customer_id: CUSTOMER, amount: 20, currency: 'AED' }).expect(200);
    for (const [id, caller] of [[UNKNOWN, 'my_app'], [created.body.payment_intent_id, 'other_app']] as const) {
      const res = await request(app).get(`/payments/v1/intents/${id}`).set('x-test-app', caller).expect(404);
      expect(res.body).toMatchObject({ status: 'UNKNOWN_PAYMENT_INTENT', message: expect.stringContaining(id), metadata: null });
    }
    const malformed = await request(app).get('/payments/v1/intents/xyz').expect(400);
    expect(malformed.body).toMatchObject({ status: 'INVALID_PARAMETERS', message: expect.stringContaining('field: payment_intent_id') });
    await request(app).delete(`/payments/v1/intents/${UNKNOWN}`).expect(405);
  });
});

describe('GET /payments/v1/intents', () => {
  async function threeIntents(app: ReturnType<typeof setup>['app']) {
    for (const [customer_id, amount] of [[CUSTOMER, 10], [SECOND_CUSTOMER, 20], [CUSTOMER, 30]] as const) {
      await request(app).post('/payments/v1/intents').send({ customer_id, amount, currency: 'AED' }).expect(200);
    }
  }

  it('pages with page and size, in Lean’s {data, page} envelope, oldest first', async () => {
    const { app } = setup();
    await threeIntents(app);
    const first = PaymentIntentPageSchema.parse((await request(app).get('/payments/v1/intents?page=0&size=2').expect(200)).body);
    expect(first.data.map((intent) => intent.amount)).toEqual([10, 20]);
    expect(first.page).toEqual({ number: 0, size: 2, total_elements: 3, total_pages: 2 });
    const second = PaymentIntentPageSchema.parse((await request(app).get('/payments/v1/intents?page=1&size=2').expect(200)).body);
    expect(second.data.map((intent) => intent.amount)).toEqual([30]);
    const beyond = (await request(app).get('/payments/v1/intents?page=5&size=2').expect(200)).body;
    expect(beyond).toEqual({ data: [], page: { number: 5, size: 2, total_elements: 3, total_pages: 2 } });
  });

  it('defaults to page 0 of 50', async () => {
    const { app } = setup();
    await threeIntents(app);
    const res = await request(app).get('/payments/v1/intents').expect(200);
    expect(res.body.page).toEqual({ number: 0, size: 50, total_elements: 3, total_pages: 1 });
  });

  it('filters by customer_id and by creation time (from, to)', async () => {
    let now = new Date('2026-03-15T09:00:00.000Z');
    const { app } = setup(() => now);
    for (const amount of [10, 20, 30]) {
      await request(app).post('/payments/v1/intents').send({ customer_id: amount === 20 ? SECOND_CUSTOMER : CUSTOMER, amount, currency: 'AED' }).expect(200);
      now = new Date(now.getTime() + 3_600_000);
    }
    const amounts = async (query: string) => (await request(app).get(`/payments/v1/intents?${query}`).expect(200)).body.data.map((i: { amount: number }) => i.amount);
    expect(await amounts(`customer_id=${CUSTOMER}`)).toEqual([10, 30]);
    expect(await amounts('from=2026-03-15T10:00:00Z')).toEqual([20, 30]);
    expect(await amounts('to=2026-03-15T10:00:00%2B00:00')).toEqual([10, 20]);
    expect(await amounts(`from=2026-03-15T09:30:00Z&to=2026-03-15T10:30:00Z&customer_id=${SECOND_CUSTOMER}`)).toEqual([20]);
    expect(await amounts('status=PENDING_WITH_BANK')).toEqual([]);
  });

  it('lists only the calling app’s intents', async () => {
    const { app } = setup();
    await threeIntents(app);
    const res = await request(app).get('/payments/v1/intents').set('x-test-app', 'other_app').expect(200);
    expect(res.body).toEqual({ data: [], page: { number: 0, size: 50, total_elements: 0, total_pages: 0 } });
  });

  it('answers INVALID_PARAMETERS naming the bad query field', async () => {
    const { app } = setup();
    for (const [query, field] of [['page=-1', 'page'], ['size=0', 'size'], ['size=abc', 'size'], ['customer_id=me', 'customer_id'], ['from=yesterday', 'from'], ['status=PAID', 'status']]) {
      const res = await request(app).get(`/payments/v1/intents?${query}`).expect(400);
      expect(res.body, query).toMatchObject({ status: 'INVALID_PARAMETERS', message: expect.stringContaining(`field: ${field}`) });
    }
  });
});
