import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { bodyOf } from '../conformance/replay.js';
import { loadRecordings } from '../conformance/recordings.js';
import { APP_ID, consentsFixture } from '../support/consents-fixture.js';
import { CUSTOMER, OTHER_APPS_CUSTOMER, SECOND_CUSTOMER, UNKNOWN } from '../support/payments-fixture.js';
import { SANDBOX_NOW } from '../support/sandbox-app.js';

/** Consents and account-on-file payments: every transition, every refusal, the limits and the Idempotency-Key. */

const recorded = loadRecordings().find((r) => r.file === 'UAE/payments/account-on-file/create-aof-consent.json')!;

describe('POST /consents/account-on-file', () => {
  it("takes Lean's own recorded request (limits as strings, empty ones, comments) and answers AWAITING_AUTHORISATION", async () => {
    const f = consentsFixture();
    const body = bodyOf(recorded.request_body, {
      customer_id: CUSTOMER, payment_destination_id: f.destination(), payment_description: 'd', payment_reference: 'IP-007',
      emirates_id: '784-1990-1234567-1', creditor_reference: 'INV-1',
    });
    const res = await request(f.app).post('/consents/account-on-file').send(body as object).expect(200);
    expect(res.body).toMatchObject({
      application_id: APP_ID,
      customer_id: CUSTOMER,
      status: 'AWAITING_AUTHORISATION',
      reference: 'IP-007',
      currency: 'AED',
      purpose: 'FIS',
      start_date_time: SANDBOX_NOW.toISOString(),
      expiration_date_time: '2027-03-15T09:30:00.000Z',
      control_parameters: {
        type: 'VariableOnDemand', period_type: 'Year', max_individual_amount: 50000, max_cumulative_amount: null,
        max_cumulative_number_of_payments: null, max_cumulative_amount_per_period: null, max_cumulative_number_of_payments_per_period: null,
      },
      immediate_payment: { amount: 5, reference: 'IP-007', creditor_reference: 'INV-1' },
    });
    expect(f.events.map((e) => e.type)).toEqual(['consent.created']);
    const details = (await f.details(res.body.id).expect(200)).body;
    expect(details).toMatchObject({
      consent_id: res.body.id, bank_identifier: null, status: 'AWAITING_AUTHORISATION', consented_account: null, sender_account_id: null,
      payment_purpose: { code: 'FIS', description: 'Financial services' },
      payment_consumption: { cumulative_number_of_payments: 0, cumulative_value_of_payments: 0, cumulative_number_of_payments_in_current_period: 0, cumulative_value_of_payments_in_current_period: 0 },
    });
    expect(f.events[0]!.payload).toEqual(details);
    const history = (await request(f.app).get(`/consents/${res.body.id}/history`).expect(200)).body;
    expect(history).toEqual({
      data: [{ id: expect.any(String), type: 'CONSENT_CREATED', description: 'A new consent was created.', timestamp: SANDBOX_NOW.toISOString(), updated_by: 'LEAN', reason: null }],
      page: { number: 0, size: 100, total_elements: 1, total_pages: 1 },
    });
    // The OpenAPI spelling is the same route.
    expect((await request(f.app).get(`/consents/v1/${res.body.id}`).expect(200)).body).toEqual(details);
  });

  const refusals: [string, (f: ReturnType<typeof consentsFixture>) => Promise<Record<string, unknown>>, number, string, RegExp][] = [
    ['an unknown customer', async () => ({ customer_id: UNKNOWN }), 404, 'UNKNOWN_CUSTOMER', /No customer/],
    ["another app's customer", async () => ({ customer_id: OTHER_APPS_CUSTOMER }), 404, 'UNKNOWN_CUSTOMER', /No customer/],
    ['an unknown destination', async () => ({ destination_account_id: UNKNOWN }), 404, 'UNKNOWN_PAYMENT_DESTINATION', /No payment destination/],
    ["another app's destination", async (f) => ({ destination_account_id: f.destination('other_app') }), 404, 'UNKNOWN_PAYMENT_DESTINATION', /No payment destination/],
    ["another customer's own destination", async (f) => {
      const own = await request(f.app).post('/payments/v1/destinations').send({ name: 'Jane Roe', display_name: 'Jane', iban: 'AE070331234567890123456', account_number: '1234567890123456', address: 'x', city: 'Dubai', country: 'ARE', customer_id: SECOND_CUSTOMER }).expect(200);
      return { destination_account_id: own.body.id };
    }, 404, 'UNKNOWN_PAYMENT_DESTINATION', /No payment destination/],
    ['a currency other than AED', async () => ({ currency: 'USD' }), 400, 'INVALID_PARAMETERS', /field: currency/],
    ['no limit at all', async () => ({ control_parameters: { period_type: 'Day', max_cumulative_amount_per_period: 100 } }), 400, 'INVALID_PARAMETERS', /At least one of/],
    ['a limit that is no amount', async () => ({ control_parameters: { period_type: 'Day', max_individual_amount: '12.345' } }), 400, 'INVALID_PARAMETERS', /control_parameters.max_individual_amount/],
    ['a count that is no count', async () => ({ control_parameters: { period_type: 'Day', max_individual_amount: 5, max_cumulative_number_of_payments: 1.5 } }), 400, 'INVALID_PARAMETERS', /max_cumulative_number_of_payments/],
    ['an unknown period', async () => ({ control_parameters: { period_type: 'Fortnight', max_individual_amount: 5 } }), 400, 'INVALID_PARAMETERS', /period_type/],
    ['no period', async () => ({ control_parameters: { max_individual_amount: 5 } }), 400, 'MISSING_PARAMETERS', /period_type/],
    ['no reference', async () => ({ reference: undefined }), 400, 'MISSING_PARAMETERS', /field: reference/],
    ['a reference over 64 characters', async () => ({ reference: 'r'.repeat(65) }), 400, 'INVALID_PARAMETERS', /field: reference/],
    ['an unknown purpose', async () => ({ purpose: 'XYZ' }), 400, 'INVALID_PARAMETERS', /field: purpose/],
    ['an expiry before the start', async () => ({ start_date_time: '2026-04-01T00:00:00Z', expiration_date_time: '2026-03-31T00:00:00Z' }), 400, 'INVALID_PARAMETERS', /expiration_date_time/],
    ['an expiry already past', async () => ({ start_date_time: '2026-01-01T00:00:00Z', expiration_date_time: '2026-02-01T00:00:00Z' }), 400, 'INVALID_PARAMETERS', /expiration_date_time/],
    ['an immediate payment over the individual limit', async () => ({ immediate_payment: { amount: 501 } }), 400, 'INVALID_PARAMETERS', /immediate_payment.amount/],
    ['a blank government id', async () => ({ government_identifier: { type: 'EMIRATES_ID', value: '  ' } }), 400, 'INVALID_PARAMETERS', /government_identifier.value/],
  ];
  for (const [what, overrides, http, status, message] of refusals) {
    it(`refuses ${what} with ${status}, creating nothing`, async () => {
      const f = consentsFixture();
      const body = await overrides(f);
      const before = f.snapshot();
      const res = await f.create(body).expect(http);
      expect(res.body).toMatchObject({ status, metadata: null });
      expect(res.body.message).toMatch(message);
      expect(f.snapshot()).toBe(before);
      expect(f.events.filter((e) => e.type.startsWith('consent.'))).toEqual([]);
    });
  }
});

describe('the consent state machine (admin: the customer, the bank, time)', () => {
  it('authorise: AUTHORISED with the account the customer chose, its bank, a history entry and consent.updated', async () => {
    const f = consentsFixture();
    const id = (await f.create().expect(200)).body.id;
    const res = await f.admin(`consents/${id}/authorise`, { bank_identifier: 'FAB_UAE', holder_name: 'Aisha Khan' }).expect(200);
    expect(res.body).toMatchObject({ status: 'AUTHORISED', bank_identifier: 'FAB_UAE', consented_account: { holder_name: 'Aisha Khan', iban: expect.stringMatching(/^AE\d{2}035/) }, sender_account_id: expect.any(String) });
    expect(f.events.map((e) => [e.type, e.payload.status])).toEqual([['consent.created', 'AWAITING_AUTHORISATION'], ['consent.updated', 'AUTHORISED']]);
    const history = (await request(f.app).get(`/consents/${id}/history`)).body.data;
    expect(history.map((h: { type: string; updated_by: string }) => [h.type, h.updated_by])).toEqual([['CONSENT_CREATED', 'LEAN'], ['CONSENT_AUTHORISED', 'CUSTOMER']]);
  });

  /** Each way to reach a status, then what every action does from there. */
  const reach: Record<string, (f: ReturnType<typeof consentsFixture>) => Promise<string>> = {
    AWAITING_AUTHORISATION: async (f) => (await f.create().expect(200)).body.id,
    AUTHORISED: (f) => f.authorised(),
    REJECTED: async (f) => {
      const id = (await f.create().expect(200)).body.id;
      await f.admin(`consents/${id}/reject`).expect(200);
      return id;
    },
    REVOKED: async (f) => {
      const id = await f.authorised();
      await f.admin(`consents/${id}/revoke`, { reason: 'FRAUD_SUSPECTED', by: 'BANK' }).expect(200);
      return id;
    },
    EXPIRED: async (f) => {
      const id = await f.authorised();
      await f.admin(`consents/${id}/expire`).expect(200);
      return id;
    },
    CONSUMED: async (f) => {
      const id = await f.authorised({ control_parameters: { period_type: 'Day', max_cumulative_number_of_payments: 1 } });
      await f.pay('k-consume', { consent_id: id, amount: 20 }).expect(200);
      return id;
    },
  };
  const moves: Record<string, { action: string; to: string }[]> = {
    AWAITING_AUTHORISATION: [{ action: 'authorise', to: 'AUTHORISED' }, { action: 'reject', to: 'REJECTED' }, { action: 'expire', to: 'EXPIRED' }],
    AUTHORISED: [{ action: 'revoke', to: 'REVOKED' }, { action: 'expire', to: 'EXPIRED' }],
  };
  for (const [from, make] of Object.entries(reach)) {
    for (const action of ['authorise', 'reject', 'revoke', 'expire']) {
      const move = moves[from]?.find((m) => m.action === action);
      it(`${from} → ${action}: ${move ? move.to : 'refused, nothing changes'}`, async () => {
        const f = consentsFixture();
        const id = await make(f);
        const before = f.snapshot();
        const eventsBefore = f.events.length;
        const res = await f.admin(`consents/${id}/${action}`);
        if (move) {
          expect(res.status).toBe(200);
          expect(res.body.status).toBe(move.to);
          expect(f.events.slice(eventsBefore).map((e) => [e.type, e.payload.status])).toContainEqual(['consent.updated', move.to]);
          return;
        }
        expect(res.status).toBe(400);
        expect(res.body.status).toBe(action === 'revoke' ? 'CONSENT_NOT_AUTHORISED' : 'INVALID_STATUS_TRANSITION');
        expect(res.body.message).toContain(from);
        expect(f.snapshot()).toBe(before);
        expect(f.events.length).toBe(eventsBefore);
      });
    }
  }

  it("Lean's revocation (POST /consents/v1/{id}/revocation): REVOKED by the CLIENT with its reason; 400 unless AUTHORISED", async () => {
    const f = consentsFixture();
    const id = await f.authorised();
    await request(f.app).post(`/consents/v1/${id}/revocation`).send({ reason: 'KYC_VERIFICATION_FAILED' }).expect(200, {});
    expect((await f.details(id)).body.status).toBe('REVOKED');
    const last = (await request(f.app).get(`/consents/${id}/history`)).body.data.at(-1);
    expect(last).toMatchObject({ type: 'CONSENT_REVOKED', updated_by: 'CLIENT', reason: 'KYC_VERIFICATION_FAILED' });
    const before = f.snapshot();
    const again = await request(f.app).post(`/consents/v1/${id}/revocation`).send({ reason: 'KYC_VERIFICATION_FAILED' }).expect(400);
    expect(again.body.status).toBe('CONSENT_NOT_AUTHORISED');
    await request(f.app).post(`/consents/v1/${id}/revocation`).send({ reason: 'BORED' }).expect(400);
    await request(f.app).post(`/consents/v1/${UNKNOWN}/revocation`).send({ reason: 'END_USER_REQUESTED' }).expect(404);
    expect(f.snapshot()).toBe(before);
  });

  it('a consent past its expiration reads EXPIRED without any write; the admin expire then records it', async () => {
    const f = consentsFixture();
    const id = await f.authorised({ expiration_date_time: '2026-04-01T00:00:00Z' });
    f.setNow(new Date('2026-04-01T00:00:00Z'));
    const before = f.snapshot();
    expect((await f.details(id)).body.status).toBe('EXPIRED');
    const refused = await f.pay('k1', { consent_id: id, amount: 10 }).expect(409);
    expect(refused.body.status).toBe('CONSENT_EXPIRED');
    expect(f.snapshot()).toBe(before);
    await f.admin(`consents/${id}/expire`).expect(200);
    expect((await request(f.app).get(`/consents/${id}/history`)).body.data.at(-1)).toMatchObject({ type: 'CONSENT_EXPIRED', updated_by: 'LEAN' });
    await f.admin(`consents/${id}/expire`).expect(400);
  });

  it('an immediate payment is made the moment the customer authorises', async () => {
    const f = consentsFixture();
    const id = (await f.create({ immediate_payment: { amount: 120.5, reference: 'FIRST' } }).expect(200)).body.id;
    await f.admin(`consents/${id}/authorise`).expect(200);
    const payment = f.events.find((e) => e.type === 'payment.created')!.payload;
    expect(payment).toMatchObject({ consent_id: id, status: 'CREATED', reference: 'FIRST', amount: { currency: 'AED', amount: 120.5 }, type: 'ACCOUNT_ON_FILE' });
    expect((await f.details(id)).body.payment_consumption.cumulative_value_of_payments).toBe(120.5);
  });
});

describe('POST /payments/account-on-file', () => {
  it('pays under an AUTHORISED consent: CREATED, with the consent\'s reference, destination and customer, and payment.created', async () => {
    const f = consentsFixture();
    const id = await f.authorised();
    const res = await f.pay('order-1', { consent_id: id, amount: '130.52', creditor_reference: 'INV-9' }).expect(200);
    expect(res.body).toEqual({
      id: expect.any(String), account_id: f.destination(), application_id: APP_ID, consent_id: id, status: 'CREATED', reference: 'SUB-1',
      creditor_reference: 'INV-9', purpose: 'GDS', amount: { currency: 'AED', amount: 130.52 }, type: 'ACCOUNT_ON_FILE', sender_customer_id: CUSTOMER,
      created_at: SANDBOX_NOW.toISOString(), last_modified_at: SANDBOX_NOW.toISOString(), failure_details: null,
    });
    expect(f.events.at(-1)).toMatchObject({ type: 'payment.created', payload: res.body });
    // The /v1 spelling is the same route.
    await request(f.app).post('/payments/v1/account-on-file').set('Idempotency-Key', 'order-2').send({ consent_id: id, amount: 1, risk_details: {} }).expect(200);
  });

  const unusable: [string, (f: ReturnType<typeof consentsFixture>) => Promise<string>, number, string][] = [
    ['an unknown consent', async () => UNKNOWN, 404, 'UNKNOWN_CONSENT'],
    ["another app's consent", async (f) => (await f.create({ customer_id: OTHER_APPS_CUSTOMER }, 'other_app').expect(200)).body.id, 404, 'UNKNOWN_CONSENT'],
    ['a consent awaiting authorisation', async (f) => (await f.create().expect(200)).body.id, 409, 'CONSENT_NOT_AUTHORISED'],
    ['a rejected consent', async (f) => {
      const id = (await f.create().expect(200)).body.id;
      await f.admin(`consents/${id}/reject`).expect(200);
      return id;
    }, 409, 'CONSENT_NOT_AUTHORISED'],
    ['a revoked consent', async (f) => {
      const id = await f.authorised();
      await f.admin(`consents/${id}/revoke`).expect(200);
      return id;
    }, 409, 'CONSENT_REVOKED'],
    ['an expired consent', async (f) => {
      const id = await f.authorised();
      await f.admin(`consents/${id}/expire`).expect(200);
      return id;
    }, 409, 'CONSENT_EXPIRED'],
    ['a consumed consent', async (f) => {
      const id = await f.authorised({ control_parameters: { period_type: 'Day', max_cumulative_amount: 50 } });
      await f.pay('use-it-up', { consent_id: id, amount: 50 }).expect(200);
      return id;
    }, 409, 'CONSENT_CONSUMED'],
    ['a consent that starts later', async (f) => f.authorised({ start_date_time: '2026-04-01T00:00:00Z' }), 409, 'CONSENT_NOT_ACTIVE'],
  ];
  for (const [what, make, http, status] of unusable) {
    it(`refuses ${what} with ${http} ${status}, making no payment`, async () => {
      const f = consentsFixture();
      const id = await make(f);
      const before = f.snapshot();
      const eventsBefore = f.events.length;
      const res = await f.pay('fresh-key', { consent_id: id, amount: 10 }).expect(http);
      expect(res.body).toMatchObject({ status, metadata: null });
      expect(f.snapshot()).toBe(before);
      expect(f.events.length).toBe(eventsBefore);
    });
  }

  it('refuses a missing, blank or oversized Idempotency-Key and a bad amount or body, changing nothing', async () => {
    const f = consentsFixture();
    const id = await f.authorised();
    const before = f.snapshot();
    expect((await f.pay(null, { consent_id: id, amount: 10 }).expect(400)).body).toMatchObject({ status: 'MISSING_PARAMETERS', message: expect.stringContaining('Idempotency-Key') });
    for (const key of ['', ' ', 'k'.repeat(256), 'tab\tkey', 'caf\u00e9']) {
      expect((await f.pay(key, { consent_id: id, amount: 10 }).expect(400)).body.status).toBe('INVALID_PARAMETERS');
    }
    for (const amount of [0, -5, 10.001, '1e3', 'ten', null, [10], true]) {
      expect((await f.pay('k', { consent_id: id, amount }).expect(400)).body.status).toBe('INVALID_AMOUNT');
    }
    expect((await f.pay('k', { consent_id: id }).expect(400)).body.status).toBe('MISSING_PARAMETERS');
    expect((await f.pay('k', { consent_id: id, amount: 10, risk_details: undefined }).expect(400)).body.status).toBe('MISSING_PARAMETERS');
    expect((await f.pay('k', { consent_id: 'nope', amount: 10 }).expect(400)).body.status).toBe('INVALID_PARAMETERS');
    expect(f.snapshot()).toBe(before);
  });
});

describe('limits', () => {
  it('max_individual_amount: one fil over is refused, the limit itself is paid', async () => {
    const f = consentsFixture();
    const id = await f.authorised();
    const before = f.snapshot();
    const res = await f.pay('a', { consent_id: id, amount: 500.01 }).expect(400);
    expect(res.body).toMatchObject({ status: 'CONSENT_LIMIT_EXCEEDED', message: expect.stringContaining('max_individual_amount of 500 AED') });
    expect(f.snapshot()).toBe(before);
    await f.pay('a', { consent_id: id, amount: 500 }).expect(200);
  });

  it('per period (amount and count) until the period turns; failed payments give their share back', async () => {
    const f = consentsFixture();
    const id = await f.authorised({ control_parameters: { period_type: 'Month', max_individual_amount: 100, max_cumulative_amount_per_period: 150, max_cumulative_number_of_payments_per_period: 3 } });
    const first = (await f.pay('p1', { consent_id: id, amount: 100 }).expect(200)).body;
    expect((await f.pay('p2', { consent_id: id, amount: 50.01 }).expect(400)).body.message).toContain('max_cumulative_amount_per_period of 150 AED (150.01 AED');
    await f.pay('p2', { consent_id: id, amount: 25 }).expect(200);
    await f.pay('p3', { consent_id: id, amount: 25 }).expect(200);
    expect((await f.pay('p4', { consent_id: id, amount: 0.01 }).expect(400)).body.message).toContain('max_cumulative_amount_per_period');
    await f.admin(`aof-payments/${first.id}/advance`, { status: 'FAILED', failure_code: 'INSUFFICIENT_FUNDS' }).expect(200);
    expect((await f.pay('p4', { consent_id: id, amount: 10 }).expect(200)).body.status).toBe('CREATED');
    expect((await f.pay('p5', { consent_id: id, amount: 10 }).expect(400)).body.message).toContain('max_cumulative_number_of_payments_per_period of 3 (4 with this payment)');
    const consumption = (await f.details(id)).body.payment_consumption;
    expect(consumption).toEqual({ cumulative_number_of_payments: 3, cumulative_value_of_payments: 60, cumulative_number_of_payments_in_current_period: 3, cumulative_value_of_payments_in_current_period: 60 });
    f.setNow(new Date('2026-04-01T00:00:00Z'));
    await f.pay('p5', { consent_id: id, amount: 100 }).expect(200);
    expect((await f.details(id)).body.payment_consumption).toMatchObject({ cumulative_number_of_payments: 4, cumulative_number_of_payments_in_current_period: 1, cumulative_value_of_payments_in_current_period: 100 });
  });

  it('periods: a calendar day, a week from the start, a calendar month, a calendar year (UTC)', async () => {
    for (const [period_type, stillIn, nextOne] of [
      ['Day', '2026-03-15T23:59:59Z', '2026-03-16T00:00:00Z'],
      ['Week', '2026-03-22T09:29:59Z', '2026-03-22T09:30:00Z'],
      ['Month', '2026-03-31T23:59:59Z', '2026-04-01T00:00:00Z'],
      ['Year', '2026-12-31T23:59:59Z', '2027-01-01T00:00:00Z'],
    ] as const) {
      const f = consentsFixture();
      const id = await f.authorised({ control_parameters: { period_type, max_individual_amount: 10, max_cumulative_number_of_payments_per_period: 1 }, expiration_date_time: '2028-01-01T00:00:00Z' });
      await f.pay('one', { consent_id: id, amount: 10 }).expect(200);
      f.setNow(new Date(stillIn));
      expect((await f.pay('two', { consent_id: id, amount: 10 })).status, `${period_type} at ${stillIn}`).toBe(400);
      f.setNow(new Date(nextOne));
      expect((await f.pay('two', { consent_id: id, amount: 10 })).status, `${period_type} at ${nextOne}`).toBe(200);
    }
  });

  it('lifetime limits: the payment that reaches one turns the consent CONSUMED (history, consent.updated)', async () => {
    const f = consentsFixture();
    const id = await f.authorised({ control_parameters: { period_type: 'Day', max_individual_amount: 100, max_cumulative_number_of_payments: 2 } });
    await f.pay('l1', { consent_id: id, amount: 1 }).expect(200);
    expect((await f.details(id)).body.status).toBe('AUTHORISED');
    await f.pay('l2', { consent_id: id, amount: 1 }).expect(200);
    expect((await f.details(id)).body.status).toBe('CONSUMED');
    expect(f.events.slice(-2).map((e) => [e.type, e.payload.status])).toEqual([['payment.created', 'CREATED'], ['consent.updated', 'CONSUMED']]);
    expect((await request(f.app).get(`/consents/${id}/history`)).body.data.at(-1)).toMatchObject({ type: 'CONSENT_CONSUMED', updated_by: 'LEAN' });
    expect((await f.pay('l3', { consent_id: id, amount: 1 }).expect(409)).body.status).toBe('CONSENT_CONSUMED');
  });

  it('max_cumulative_amount: a payment past what remains is refused; the last fil turns it CONSUMED', async () => {
    const f = consentsFixture();
    const id = await f.authorised({ control_parameters: { period_type: 'Day', max_cumulative_amount: 100.1 } });
    await f.pay('c1', { consent_id: id, amount: 60.05 }).expect(200);
    expect((await f.pay('c2', { consent_id: id, amount: 40.06 }).expect(400)).body.message).toContain('max_cumulative_amount of 100.1 AED (100.11 AED');
    await f.pay('c2', { consent_id: id, amount: 40.05 }).expect(200);
    expect((await f.details(id)).body).toMatchObject({ status: 'CONSUMED', payment_consumption: { cumulative_value_of_payments: 100.1 } });
  });
});

describe('Idempotency-Key', () => {
  it('the same key and body (any key order) answer the same payment; one payment is stored', async () => {
    const f = consentsFixture();
    const id = await f.authorised();
    const first = await f.pay('same', { consent_id: id, amount: 42, reference: 'R' }).expect(200);
    const again = await request(f.app).post('/payments/account-on-file').set('Idempotency-Key', 'same').send({ reference: 'R', risk_details: { channel: 'MOBILE' }, amount: 42, consent_id: id }).expect(200);
    expect(again.body).toEqual(first.body);
    expect(f.store.collection('aof_payments').list('my_app')).toHaveLength(1);
    expect(f.events.filter((e) => e.type === 'payment.created')).toHaveLength(1);
  });

  it('the same key with another body is IDEMPOTENCY_KEY_REUSED (409) and changes nothing, even for a body that would pay', async () => {
    const f = consentsFixture();
    const id = await f.authorised();
    await f.pay('used', { consent_id: id, amount: 42 }).expect(200);
    const before = f.snapshot();
    for (const body of [{ consent_id: id, amount: 43 }, { consent_id: id, amount: 42, reference: 'other' }, { consent_id: id, amount: 42, risk_details: { channel: 'WEB' } }]) {
      const res = await f.pay('used', body).expect(409);
      expect(res.body).toMatchObject({ status: 'IDEMPOTENCY_KEY_REUSED', metadata: null, message: expect.stringContaining('"used"') });
    }
    expect(f.snapshot()).toBe(before);
  });

  it('a refused request does not use up its key; keys are per app', async () => {
    const f = consentsFixture();
    const id = await f.authorised();
    await f.pay('retry-me', { consent_id: id, amount: 501 }).expect(400);
    await f.pay('retry-me', { consent_id: id, amount: 50 }).expect(200);
    const theirs = (await f.create({ customer_id: OTHER_APPS_CUSTOMER }, 'other_app').expect(200)).body.id;
    await f.admin(`consents/${theirs}/authorise`, { app: 'other_app' }).expect(200);
    expect((await f.pay('retry-me', { consent_id: theirs, amount: 7 }, 'other_app').expect(200)).body.consent_id).toBe(theirs);
  });
});

describe('GET /consents/{id}/balance, GET /consents/v1', () => {
  it('the balance of the consented account and what remains of each limit; 409 unless AUTHORISED', async () => {
    const f = consentsFixture();
    const id = (await f.create({ control_parameters: { period_type: 'Month', max_individual_amount: 500, max_cumulative_amount: 1000, max_cumulative_number_of_payments_per_period: 4 } }).expect(200)).body.id;
    expect((await request(f.app).get(`/consents/${id}/balance`).expect(409)).body.status).toBe('CONSENT_NOT_AUTHORISED');
    await f.admin(`consents/${id}/authorise`).expect(200);
    const payment = (await f.pay('b1', { consent_id: id, amount: 200.25 }).expect(200)).body;
    await f.admin(`aof-payments/${payment.id}/advance`, { status: 'PROCESSING' }).expect(200);
    await f.admin(`aof-payments/${payment.id}/advance`, { status: 'PROCESSED' }).expect(200);
    expect((await request(f.app).get(`/consents/v1/${id}/balance`).expect(200)).body).toEqual({
      currency: 'AED',
      balance: 49799.75,
      remaining: {
        max_individual_amount: 500, cumulative_amount: 799.75, cumulative_number_of_payments: null, amount_in_current_period: null,
        number_of_payments_in_current_period: 3, current_period_end: '2026-04-01T00:00:00.000Z',
      },
    });
    await f.admin(`consents/${id}/revoke`).expect(200);
    expect((await request(f.app).get(`/consents/${id}/balance`).expect(409)).body.message).toContain('REVOKED');
  });

  it("lists the app's consents newest first, by customer and status, in pages", async () => {
    const f = consentsFixture();
    const a = (await f.create().expect(200)).body.id;
    const b = await f.authorised();
    const c = (await f.create({ customer_id: SECOND_CUSTOMER }).expect(200)).body.id;
    await f.create({ customer_id: OTHER_APPS_CUSTOMER }, 'other_app').expect(200);
    const ids = async (query: string) => (await request(f.app).get(`/consents/v1${query}`).expect(200)).body.data.map((x: { consent_id: string }) => x.consent_id);
    expect(await ids('')).toEqual([c, b, a]);
    expect(await ids(`?customer_id=${CUSTOMER}`)).toEqual([b, a]);
    expect(await ids(`?customer_id=${CUSTOMER}&status=AUTHORISED`)).toEqual([b]);
    expect(await ids('?status=AUTHORISED,AWAITING_AUTHORISATION&page_size=2&page_number=1')).toEqual([a]);
    const page = (await request(f.app).get('/consents/v1?page_size=2')).body.page;
    expect(page).toEqual({ number: 0, size: 2, total_elements: 3, total_pages: 2, sort: ['start_date_time: DESC'] });
    expect((await request(f.app).get(`/consents/v1?customer_id=${UNKNOWN}`).expect(404)).body.status).toBe('UNKNOWN_CUSTOMER');
    for (const query of ['?status=GONE', '?page_size=101', '?page_number=-1', '?customer_id=x']) await request(f.app).get(`/consents/v1${query}`).expect(400);
  });
});

describe('POST /admin/v1/aof-payments/{id}/advance (the bank)', () => {
  it('CREATED → PROCESSING → PROCESSED or FAILED (with failure_details), each a payment.updated; a final payment moves no more', async () => {
    const f = consentsFixture();
    const id = await f.authorised();
    const pay = async (key: string) => (await f.pay(key, { consent_id: id, amount: 10 }).expect(200)).body.id as string;
    const moves: [string[], number[]][] = [
      [['PROCESSING', 'PROCESSED'], [200, 200]],
      [['PROCESSED'], [200]],
      [['PROCESSING', 'FAILED'], [200, 200]],
      [['FAILED'], [200]],
      [['PROCESSING', 'CREATED'], [200, 400]],
      [['PROCESSING', 'PROCESSING'], [200, 400]],
      [['CREATED'], [400]],
    ];
    for (const [i, [steps, codes]] of moves.entries()) {
      const paymentId = await pay(`m${i}`);
      for (const [j, status] of steps.entries()) {
        const before = f.snapshot();
        const res = await f.admin(`aof-payments/${paymentId}/advance`, { status });
        expect(res.status, `${steps.join('→')} step ${status}`).toBe(codes[j]);
        if (res.status === 400) {
          expect(res.body.status).toBe('INVALID_STATUS_TRANSITION');
          expect(f.snapshot()).toBe(before);
          continue;
        }
        expect(f.events.at(-1)).toMatchObject({ type: 'payment.updated', payload: { id: paymentId, status } });
        if (status === 'FAILED') expect(res.body.failure_details).toEqual({ code: 'BANK_ISSUE', details: expect.any(String) });
        else expect(res.body.failure_details).toBeNull();
      }
      for (const final of ['PROCESSED', 'FAILED']) if (steps.at(-1) === final) await f.admin(`aof-payments/${paymentId}/advance`, { status: 'PROCESSING' }).expect(400);
    }
    await f.admin(`aof-payments/${UNKNOWN}/advance`, { status: 'PROCESSED' }).expect(404);
    const created = await pay('x');
    await f.admin(`aof-payments/${created}/advance`, { status: 'PROCESSED', failure_code: 'X' }).expect(400);
    await f.admin(`aof-payments/${created}/advance`, { status: 'PROCESSED', app: 'other_app' }).expect(404);
  });
});
