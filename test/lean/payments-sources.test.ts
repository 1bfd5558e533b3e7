import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createPaymentsRouter } from '../../src/lean/payments/router.js';
import { PaymentSourceSchema } from '../../src/lean/payments/schemas.js';
import { createPaymentsAdminRouter } from '../../src/sandbox/payments-admin.js';
import { CUSTOMER, OTHER_APPS_CUSTOMER, paymentsFixture, SECOND_CUSTOMER, UNKNOWN } from '../support/payments-fixture.js';

async function setup() {
  const { app, customer } = paymentsFixture({ routers: (store) => [createPaymentsRouter({ store }), createPaymentsAdminRouter({ store })] });
  const connect = async (customerId: string, body: Record<string, unknown> = {}) =>
    (await request(app).post(`/admin/v1/customers/${customerId}/payment-sources`).send(body).expect(201)).body as { id: string };
  const first = await connect(CUSTOMER);
  const second = await connect(CUSTOMER, { bank_identifier: 'ADCB_UAE' });
  const elsewhere = await connect(SECOND_CUSTOMER);
  const foreign = await connect(OTHER_APPS_CUSTOMER, { app: 'other_app' });
  return { app, customer, first, second, elsewhere, foreign };
}

const base = (customer: string) => `/customers/v1/${customer}/payment-sources`;

describe('GET /customers/v1/{customer_id}/payment-sources', () => {
  it('lists the customer’s sources, in Lean’s PaymentSource shape, oldest first', async () => {
    const { app, first, second } = await setup();
    const res = await request(app).get(base(CUSTOMER)).expect(200);
    const sources = z.array(PaymentSourceSchema).parse(res.body);
    expect(sources.map((source) => [source.id, source.bank_identifier])).toEqual([[first.id, 'LEAN_OF_RETAIL_UAE'], [second.id, 'ADCB_UAE']]);
    expect(Object.keys(res.body[0])).toEqual(['id', 'customer_id', 'app_id', 'status', 'beneficiary_cool_off_expiry', 'bank_identifier', 'beneficiaries', 'accounts']);
    expect(sources[0]).toMatchObject({ app_id: 'my_app', customer_id: CUSTOMER, beneficiary_cool_off_expiry: '2026-03-15T09:30:00.000Z' });
    expect(sources[0]!.accounts).toEqual([
      expect.objectContaining({ account_name: 'CURRENT ACCOUNT', currency: 'AED', balance: 50_000, balance_last_updated: '2026-03-15T09:30:00.000Z' }),
    ]);
  });

  it('answers an empty list for a customer without sources, 404 UNKNOWN_CUSTOMER for an unknown or another app’s customer', async () => {
    const { app, customer } = await setup();
    const fresh = 'c0000000-0000-4000-8000-0000000000ff';
    customer('my_app', fresh);
    expect((await request(app).get(base(fresh)).expect(200)).body).toEqual([]);
    for (const id of [UNKNOWN, OTHER_APPS_CUSTOMER]) {
      expect((await request(app).get(base(id)).expect(404)).body).toMatchObject({ status: 'UNKNOWN_CUSTOMER', metadata: null });
    }
    expect((await request(app).get(base('me')).expect(400)).body).toMatchObject({ status: 'INVALID_PARAMETERS', message: expect.stringContaining('field: customer_id') });
  });

  it('answers another app only its own customer’s sources', async () => {
    const { app, foreign } = await setup();
    const res = await request(app).get(base(OTHER_APPS_CUSTOMER)).set('x-test-app', 'other_app').expect(200);
    expect(res.body.map((source: { id: string }) => source.id)).toEqual([foreign.id]);
  });
});

describe('GET /customers/v1/{customer_id}/payment-sources/{payment_source_id}', () => {
  it('answers one source', async () => {
    const { app, second } = await setup();
    const res = await request(app).get(`${base(CUSTOMER)}/${second.id}`).expect(200);
    expect(PaymentSourceSchema.parse(res.body)).toMatchObject({ id: second.id, bank_identifier: 'ADCB_UAE' });
  });

  it('answers 404 UNKNOWN_PAYMENT_SOURCE for an unknown source, another customer’s or another app’s', async () => {
    const { app, elsewhere, foreign } = await setup();
    for (const id of [UNKNOWN, elsewhere.id, foreign.id]) {
      const res = await request(app).get(`${base(CUSTOMER)}/${id}`).expect(404);
      expect(res.body).toMatchObject({ status: 'UNKNOWN_PAYMENT_SOURCE', message: expect.stringContaining(id), metadata: null });
    }
    expect((await request(app).get(`${base(CUSTOMER)}/src-1`).expect(400)).body.message).toContain('field: payment_source_id');
    expect((await request(app).get(`${base(UNKNOWN)}/${elsewhere.id}`).expect(404)).body.status).toBe('UNKNOWN_CUSTOMER');
  });
});

describe('DELETE /customers/v1/{customer_id}/payment-sources/{payment_source_id}', () => {
  it('deletes the source, with or without a reason, answering {}', async () => {
    const { app, first, second } = await setup();
    expect((await request(app).delete(`${base(CUSTOMER)}/${first.id}`).send({ reason: 'USER_REQUESTED' }).expect(200)).body).toEqual({});
    await request(app).get(`${base(CUSTOMER)}/${first.id}`).expect(404);
    expect((await request(app).delete(`${base(CUSTOMER)}/${second.id}`).expect(200)).body).toEqual({});
    expect((await request(app).get(base(CUSTOMER)).expect(200)).body).toEqual([]);
    const again = await request(app).delete(`${base(CUSTOMER)}/${first.id}`).send({ reason: 'TPP_REQUESTED' }).expect(404);
    expect(again.body.status).toBe('UNKNOWN_PAYMENT_SOURCE');
  });

  it('refuses a bad reason, another customer’s or another app’s source, deleting nothing', async () => {
    const { app, first, elsewhere, foreign } = await setup();
    const bad = await request(app).delete(`${base(CUSTOMER)}/${first.id}`).send({ reason: 'BORED' }).expect(400);
    expect(bad.body).toMatchObject({ status: 'INVALID_PARAMETERS', message: expect.stringContaining('field: reason') });
    await request(app).delete(`${base(CUSTOMER)}/${elsewhere.id}`).expect(404);
    await request(app).delete(`${base(OTHER_APPS_CUSTOMER)}/${foreign.id}`).expect(404);
    expect((await request(app).get(base(CUSTOMER))).body).toHaveLength(2);
    expect((await request(app).get(base(SECOND_CUSTOMER))).body).toHaveLength(1);
    expect((await request(app).get(base(OTHER_APPS_CUSTOMER)).set('x-test-app', 'other_app')).body).toHaveLength(1);
  });

  it('no longer pays from a deleted source', async () => {
    const { app, first } = await setup();
    await request(app).delete(`${base(CUSTOMER)}/${first.id}`).expect(200);
    const intent = (await request(app).post('/payments/v1/intents').send({ customer_id: CUSTOMER, amount: 10, currency: 'AED' }).expect(200)).body;
    const res = await request(app).post(`/admin/v1/payment-intents/${intent.payment_intent_id}/payments`).send({ payment_source_id: first.id }).expect(404);
    expect(res.body.status).toBe('UNKNOWN_PAYMENT_SOURCE');
  });

  it('answers 405 for a method the path does not serve', async () => {
    const { app, first } = await setup();
    await request(app).put(`${base(CUSTOMER)}/${first.id}`).send({}).expect(405);
    await request(app).post(base(CUSTOMER)).send({}).expect(405);
  });
});
