import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createPaymentsRouter } from '../../src/lean/payments/router.js';
import {
  BeneficiaryCreatedPayloadSchema,
  PaymentCreatedPayloadSchema,
  PaymentIntentSchema,
  PaymentSchema,
  PaymentSourceCreatedPayloadSchema,
  PaymentSourceSchema,
  PaymentUpdatedPayloadSchema,
} from '../../src/lean/payments/schemas.js';
import { createPaymentsAdminRouter } from '../../src/sandbox/payments-admin.js';
import { PAYMENT_COLLECTIONS } from '../../src/sandbox/payments/records.js';
import { CUSTOMER, OTHER_APPS_CUSTOMER, paymentsFixture, SECOND_CUSTOMER, UNKNOWN } from '../support/payments-fixture.js';

const WAITING = ['AWAITING_LOGIN_MFA', 'AWAITING_PAYMENT_MFA', 'AWAITING_APP_AUTH', 'PENDING_WITH_BANK'] as const;

function setup(clock?: () => Date) {
  const appIdOf = (app: string) => (app === 'my_app' ? 'a1b2c3d4e5f60718293a4b5c6d7e8f90' : 'other-app-id');
  const { store, events, app } = paymentsFixture({ clock, routers: (store) => [createPaymentsRouter({ store }), createPaymentsAdminRouter({ store, appIdOf })] });
  const intent = async (customer_id = CUSTOMER, caller = 'my_app'): Promise<string> =>
    (await request(app).post('/payments/v1/intents').set('x-test-app', caller).send({ customer_id, amount: 25, currency: 'AED', description: 'testing' }).expect(200)).body.payment_intent_id;
  const pay = (intentId: string, body: Record<string, unknown> = {}) => request(app).post(`/admin/v1/payment-intents/${intentId}/payments`).send(body);
  const advance = (paymentId: string, body: Record<string, unknown>) => request(app).post(`/admin/v1/payments/${paymentId}/advance`).send(body);
  return { store, events, app, intent, pay, advance };
}

/** Everything the store holds for the payments product, to show a refused call changed nothing. */
function snapshot(store: ReturnType<typeof setup>['store']): unknown {
  return Object.values(PAYMENT_COLLECTIONS).map((name) => ['my_app', 'other_app'].map((app) => structuredClone(store.collection(name).list(app))));
}

describe('POST /admin/v1/payment-intents/{id}/payments (the customer pays in the LinkSDK)', () => {
  it('creates a PENDING_WITH_BANK payment from a new payment source, linked in the intent', async () => {
    const { app, intent, pay } = setup();
    const intentId = await intent();
    const [destination] = (await request(app).get('/payments/v1/destinations')).body;
    const res = await pay(intentId).expect(201);
    const payment = PaymentSchema.parse(res.body);
    expect(payment).toMatchObject({
      payment_intent_id: intentId,
      amount: 25,
      currency: 'AED',
      description: 'testing',
      status: 'PENDING_WITH_BANK',
      bank_transaction_reference: null,
      recipient_details: { account_number: destination.account_number, iban: destination.iban, name: destination.name },
      sender_details: { name: 'John Doe' },
    });
    expect(payment.sender_details.iban).toMatch(/^AE\d{2}999/);

    const linked = PaymentIntentSchema.parse((await request(app).get(`/payments/v1/intents/${intentId}`).expect(200)).body);
    expect(linked.payments).toEqual([res.body]);
    expect((await request(app).get(`/payments/v1/${payment.id}`).expect(200)).body).toEqual(res.body);

    const [source] = (await request(app).get(`/customers/v1/${CUSTOMER}/payment-sources`).expect(200)).body;
    expect(PaymentSourceSchema.parse(source)).toMatchObject({
      id: payment.payment_source_id,
      customer_id: CUSTOMER,
      app_id: 'a1b2c3d4e5f60718293a4b5c6d7e8f90',
      bank_identifier: 'LEAN_OF_RETAIL_UAE',
      beneficiaries: [{ payment_destination_id: destination.id, status: 'ACTIVE' }],
    });
    expect(source.accounts[0]).toMatchObject({ iban: payment.sender_details.iban, account_number: payment.sender_details.account_number });
  });

  it('publishes payment_source.created, payment_source.beneficiary.created and payment.created, shaped like Lean’s samples', async () => {
    const { events, intent, pay } = setup();
    const intentId = await intent();
    events.length = 0;
    const payment = (await pay(intentId).expect(201)).body;
    expect(events.map((event) => [event.app, event.type])).toEqual([
      ['my_app', 'payment_source.created'],
      ['my_app', 'payment_source.beneficiary.created'],
      ['my_app', 'payment.created'],
    ]);
    const [sourceCreated, beneficiaryCreated, paymentCreated] = events;
    expect(PaymentSourceCreatedPayloadSchema.parse(sourceCreated!.payload)).toEqual({
      id: payment.payment_source_id, status: 'ACTIVE', bank_name: 'Lean Open Finance MockBank', customer_id: CUSTOMER, end_user_id: null, bank_identifier: 'LEAN_OF_RETAIL_UAE',
    });
    expect(BeneficiaryCreatedPayloadSchema.parse(beneficiaryCreated!.payload)).toMatchObject({
      customer_id: CUSTOMER, payment_source_id: payment.payment_source_id, payment_source_bank_identifier: 'LEAN_OF_RETAIL_UAE',
    });
    expect(paymentCreated!.message).toBe('A payment object has been created.');
    expect(PaymentCreatedPayloadSchema.parse(paymentCreated!.payload)).toEqual({
      id: payment.id, amount: 25, reason: 'testing', status: 'PENDING_WITH_BANK', currency: 'AED', metadata: null, intent_id: intentId,
      customer_id: CUSTOMER, payment_destination_id: beneficiaryCreated!.payload.payment_destination_id, bank_transaction_reference: null,
    });
  });

  it('pays from an existing source without announcing it again, and starts in the status asked for', async () => {
    const { app, events, intent, pay } = setup();
    const source = (await request(app).post(`/admin/v1/customers/${CUSTOMER}/payment-sources`).send({ holder_name: 'Dwight Schrute', bank_identifier: 'ENBD_UAE' }).expect(201)).body;
    const intentId = await intent();
    events.length = 0;
    const res = await pay(intentId, { payment_source_id: source.id, status: 'AWAITING_PAYMENT_MFA' }).expect(201);
    expect(res.body).toMatchObject({ payment_source_id: source.id, status: 'AWAITING_PAYMENT_MFA', sender_details: { name: 'Dwight Schrute', iban: source.accounts[0].iban } });
    // The source already has a beneficiary for the default destination: only the payment is new.
    expect(events.map((event) => event.type)).toEqual(['payment.created']);
  });

  it('adds a beneficiary to an existing source for a destination it does not know yet', async () => {
    const { app, events, pay } = setup();
    const source = (await request(app).post(`/admin/v1/customers/${CUSTOMER}/payment-sources`).send({}).expect(201)).body;
    const destination = (await request(app).post('/payments/v1/destinations').send({
      name: 'Acme Corp.', display_name: 'Acme', iban: 'AE540200001234567890123', address: 'Acme Towers', city: 'Dubai', country: 'ARE', account_number: '1234567890123',
    })).body;
    const intentId = (await request(app).post('/payments/v1/intents').send({ customer_id: CUSTOMER, amount: 99.5, currency: 'AED', payment_destination_id: destination.id })).body.payment_intent_id;
    events.length = 0;
    await pay(intentId, { payment_source_id: source.id }).expect(201);
    expect(events.map((event) => event.type)).toEqual(['payment_source.beneficiary.created', 'payment.created']);
    const after = (await request(app).get(`/customers/v1/${CUSTOMER}/payment-sources/${source.id}`).expect(200)).body;
    expect(after.beneficiaries.map((b: { payment_destination_id: string }) => b.payment_destination_id)).toEqual([source.beneficiaries[0].payment_destination_id, destination.id]);
  });

  it('touches the intent’s updated_at, and the intent is found by its payment’s status', async () => {
    let now = new Date('2026-03-15T09:00:00.000Z');
    const { app, intent, pay, advance } = setup(() => now);
    const intentId = await intent();
    await intent(SECOND_CUSTOMER);
    now = new Date('2026-03-15T09:05:00.000Z');
    const payment = (await pay(intentId).expect(201)).body;
    expect(payment).toMatchObject({ submission_timestamp: '2026-03-15T09:05:00.000Z', initiation_timestamp: '2026-03-15T09:05:00.000Z' });
    const found = (await request(app).get('/payments/v1/intents?status=PENDING_WITH_BANK').expect(200)).body;
    expect(found.data.map((i: { payment_intent_id: string }) => i.payment_intent_id)).toEqual([intentId]);
    expect(found.data[0]).toMatchObject({ created_at: '2026-03-15T09:00:00.000Z', updated_at: '2026-03-15T09:05:00.000Z' });
    now = new Date('2026-03-15T09:07:00.000Z');
    await advance(payment.id, { status: 'FAILED' }).expect(200);
    expect((await request(app).get('/payments/v1/intents?status=PENDING_WITH_BANK')).body.data).toEqual([]);
    const failed = (await request(app).get('/payments/v1/intents?status=FAILED')).body.data;
    expect(failed).toHaveLength(1);
    expect(failed[0].updated_at).toBe('2026-03-15T09:07:00.000Z');
  });

  it('takes a new payment only once the earlier one FAILED', async () => {
    const { intent, pay, advance } = setup();
    const intentId = await intent();
    const first = (await pay(intentId).expect(201)).body;
    const refused = await pay(intentId).expect(409);
    expect(refused.body).toMatchObject({ status: 'PAYMENT_ALREADY_EXISTS', metadata: { payment_id: first.id } });
    await advance(first.id, { status: 'FAILED' }).expect(200);
    const second = (await pay(intentId, { payment_source_id: first.payment_source_id }).expect(201)).body;
    await advance(second.id, { status: 'ACCEPTED_BY_BANK' }).expect(200);
    await pay(intentId).expect(409);
  });

  const refusals: [string, (ids: { intentId: string; foreignSource: string }) => [string, Record<string, unknown>], number, string][] = [
    ['an unknown intent', () => [UNKNOWN, {}], 404, 'UNKNOWN_PAYMENT_INTENT'],
    ['a malformed intent id', () => ['nope', {}], 400, 'INVALID_PARAMETERS'],
    ['an unknown payment source', ({ intentId }) => [intentId, { payment_source_id: UNKNOWN }], 404, 'UNKNOWN_PAYMENT_SOURCE'],
    ['another customer’s payment source', ({ intentId, foreignSource }) => [intentId, { payment_source_id: foreignSource }], 404, 'UNKNOWN_PAYMENT_SOURCE'],
    ['an unknown status', ({ intentId }) => [intentId, { status: 'PAID' }], 400, 'INVALID_PARAMETERS'],
    ['an unknown app', ({ intentId }) => [intentId, { app: 'nobody' }], 400, 'INVALID_PARAMETERS'],
    ['another app (which does not see the intent)', ({ intentId }) => [intentId, { app: 'other_app' }], 404, 'UNKNOWN_PAYMENT_INTENT'],
  ];
  for (const [what, make, http, status] of refusals) {
    it(`refuses ${what} with ${http} ${status}, changing nothing`, async () => {
      const { app, store, events, intent, pay } = setup();
      const intentId = await intent();
      const foreignSource = (await request(app).post(`/admin/v1/customers/${SECOND_CUSTOMER}/payment-sources`).send({}).expect(201)).body.id;
      const before = snapshot(store);
      events.length = 0;
      const [id, body] = make({ intentId, foreignSource });
      const res = await pay(id, body).expect(http);
      expect(res.body.status).toBe(status);
      expect(snapshot(store)).toEqual(before);
      expect(events).toEqual([]);
    });
  }

  it('works for the app named in the query, and keeps that app’s records apart', async () => {
    const { app, intent, events } = setup();
    const theirs = await intent(OTHER_APPS_CUSTOMER, 'other_app');
    events.length = 0;
    const payment = (await request(app).post(`/admin/v1/payment-intents/${theirs}/payments?app=other_app`).send({}).expect(201)).body;
    expect(events.every((event) => event.app === 'other_app')).toBe(true);
    await request(app).get(`/payments/v1/${payment.id}`).set('x-test-app', 'other_app').expect(200);
    const hidden = await request(app).get(`/payments/v1/${payment.id}`).expect(404);
    expect(hidden.body.status).toBe('UNKNOWN_PAYMENT');
    const [source] = (await request(app).get(`/customers/v1/${OTHER_APPS_CUSTOMER}/payment-sources`).set('x-test-app', 'other_app')).body;
    expect(source.app_id).toBe('other-app-id');
  });
});

describe('POST /admin/v1/payments/{id}/advance (the bank answers)', () => {
  for (const from of WAITING) {
    for (const to of ['ACCEPTED_BY_BANK', 'FAILED'] as const) {
      it(`moves a payment from ${from} to ${to} and publishes payment.updated`, async () => {
        const { app, events, intent, pay, advance } = setup();
        const payment = (await pay(await intent(), { status: from }).expect(201)).body;
        events.length = 0;
        const res = await advance(payment.id, { status: to }).expect(200);
        const moved = PaymentSchema.parse(res.body);
        expect(moved.status).toBe(to);
        if (to === 'ACCEPTED_BY_BANK') expect(moved.bank_transaction_reference).toMatch(/^payment-[0-9a-f-]{36}$/);
        else expect(moved.bank_transaction_reference).toBeNull();
        expect((await request(app).get(`/payments/v1/${payment.id}`)).body).toEqual(res.body);
        expect(events).toHaveLength(1);
        expect(events[0]).toMatchObject({ app: 'my_app', type: 'payment.updated', message: 'A payment object has been updated.' });
        expect(PaymentUpdatedPayloadSchema.parse(events[0]!.payload)).toMatchObject({ id: payment.id, status: to, amount: 25, bank_transaction_reference: moved.bank_transaction_reference });
      });
    }
  }

  it('keeps the failure reason of a FAILED payment', async () => {
    const { app, intent, pay, advance } = setup();
    const payment = (await pay(await intent()).expect(201)).body;
    await advance(payment.id, { status: 'FAILED', failure_reason: 'INSUFFICIENT_FUNDS' }).expect(200);
    const res = await request(app).get(`/payments/v1/${payment.id}`).expect(200);
    expect(PaymentSchema.parse(res.body)).toMatchObject({ status: 'FAILED', failure_reason: 'INSUFFICIENT_FUNDS' });
  });

  const illegal: [string, (typeof WAITING)[number] | 'ACCEPTED_BY_BANK' | 'FAILED', Record<string, unknown>, string][] = [
    ['an accepted payment', 'ACCEPTED_BY_BANK', { status: 'FAILED' }, 'INVALID_STATUS_TRANSITION'],
    ['an accepted payment to the same status', 'ACCEPTED_BY_BANK', { status: 'ACCEPTED_BY_BANK' }, 'INVALID_STATUS_TRANSITION'],
    ['a failed payment', 'FAILED', { status: 'ACCEPTED_BY_BANK' }, 'INVALID_STATUS_TRANSITION'],
    ['a pending payment back to waiting for MFA', 'PENDING_WITH_BANK', { status: 'AWAITING_LOGIN_MFA' }, 'INVALID_STATUS_TRANSITION'],
    ['a waiting payment to PENDING_WITH_BANK', 'AWAITING_APP_AUTH', { status: 'PENDING_WITH_BANK' }, 'INVALID_STATUS_TRANSITION'],
    ['a status Lean does not have', 'PENDING_WITH_BANK', { status: 'SETTLED' }, 'INVALID_PARAMETERS'],
    ['no status', 'PENDING_WITH_BANK', {}, 'MISSING_PARAMETERS'],
    ['a failure reason on an acceptance', 'PENDING_WITH_BANK', { status: 'ACCEPTED_BY_BANK', failure_reason: 'none' }, 'INVALID_PARAMETERS'],
  ];
  for (const [what, from, body, status] of illegal) {
    it(`refuses to move ${what} (400 ${status}), changing nothing`, async () => {
      const { store, events, intent, pay, advance } = setup();
      const payment = (await pay(await intent(), { status: from }).expect(201)).body;
      const before = snapshot(store);
      events.length = 0;
      const res = await advance(payment.id, body).expect(400);
      expect(res.body.status).toBe(status);
      expect(res.body.message).toMatch(status === 'INVALID_STATUS_TRANSITION' ? new RegExp(`cannot move from ${from} to ${body.status as string}`) : /status|failure_reason/);
      expect(snapshot(store)).toEqual(before);
      expect(events).toEqual([]);
    });
  }

  it('answers 404 UNKNOWN_PAYMENT for an unknown payment, or one of another app', async () => {
    const { intent, pay, advance } = setup();
    const payment = (await pay(await intent()).expect(201)).body;
    expect((await advance(UNKNOWN, { status: 'FAILED' }).expect(404)).body.status).toBe('UNKNOWN_PAYMENT');
    expect((await advance(payment.id, { status: 'FAILED', app: 'other_app' }).expect(404)).body.status).toBe('UNKNOWN_PAYMENT');
  });
});

describe('GET /payments/v1/{payment_id}', () => {
  it('answers 404 UNKNOWN_PAYMENT for an unknown id and 400 for a malformed one', async () => {
    const { app } = setup();
    const unknown = await request(app).get(`/payments/v1/${UNKNOWN}`).expect(404);
    expect(unknown.body).toEqual({ timestamp: '2026-03-15T09:30:00.000Z', status: 'UNKNOWN_PAYMENT', message: expect.stringContaining(UNKNOWN), metadata: null });
    const malformed = await request(app).get('/payments/v1/12345').expect(400);
    expect(malformed.body).toMatchObject({ status: 'INVALID_PARAMETERS', message: expect.stringContaining('field: payment_id') });
    await request(app).post(`/payments/v1/${UNKNOWN}`).send({}).expect(405);
  });
});

describe('POST /admin/v1/customers/{id}/payment-sources (the customer connects with payments)', () => {
  it('creates a source with a beneficiary for the app’s default destination, announced by webhook', async () => {
    const { app, events } = setup();
    events.length = 0;
    const res = await request(app).post(`/admin/v1/customers/${CUSTOMER}/payment-sources`).send({ bank_identifier: 'HSBC_UAE' }).expect(201);
    const source = PaymentSourceSchema.parse(res.body);
    const [destination] = (await request(app).get('/payments/v1/destinations')).body;
    expect(source).toMatchObject({ bank_identifier: 'HSBC_UAE', status: 'ACTIVE', beneficiaries: [{ payment_destination_id: destination.id }] });
    expect(source.accounts[0]!.iban).toMatch(/^AE\d{2}020/);
    expect(events.map((event) => event.type)).toEqual(['payment_source.created', 'payment_source.beneficiary.created']);
    expect(events[0]!.payload.bank_name).toBe('HSBC Bank Middle East');
  });

  it('refuses unknown customers, banks, destinations and bad names, creating nothing', async () => {
    const { app, store, events } = setup();
    const before = snapshot(store);
    events.length = 0;
    const post = (customer: string, body: Record<string, unknown>) => request(app).post(`/admin/v1/customers/${customer}/payment-sources`).send(body);
    expect((await post(UNKNOWN, {}).expect(404)).body.status).toBe('UNKNOWN_CUSTOMER');
    expect((await post(OTHER_APPS_CUSTOMER, {}).expect(404)).body.status).toBe('UNKNOWN_CUSTOMER');
    expect((await post(CUSTOMER, { bank_identifier: 'NOBANK' }).expect(400)).body).toMatchObject({ status: 'INVALID_PARAMETERS', message: expect.stringContaining('field: bank_identifier') });
    expect((await post(CUSTOMER, { payment_destination_id: UNKNOWN }).expect(404)).body.status).toBe('UNKNOWN_PAYMENT_DESTINATION');
    expect((await post(CUSTOMER, { holder_name: '<none>' }).expect(400)).body).toMatchObject({ status: 'INVALID_NAME', message: expect.stringContaining('field: holder_name') });
    expect((await post('x', {}).expect(400)).body).toMatchObject({ status: 'INVALID_PARAMETERS', message: expect.stringContaining('field: customer_id') });
    expect(snapshot(store)).toEqual(before);
    expect(events).toEqual([]);
  });

  it('answers 405 for a method the admin path does not serve', async () => {
    const { app } = setup();
    expect((await request(app).get(`/admin/v1/customers/${CUSTOMER}/payment-sources`).expect(405)).body.status).toBe('INVALID_HTTP_METHOD');
    await request(app).get(`/admin/v1/payments/${UNKNOWN}/advance`).expect(405);
  });
});
