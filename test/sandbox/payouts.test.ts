import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { PAYOUT_FAILURE_CODES, PAYOUT_FAILURE_REASONS, PAYOUT_STATUSES, type PayoutStatus } from '../../src/sandbox/payouts/records.js';
import { PAYOUT_MOVES } from '../../src/sandbox/payouts/status.js';
import { UNKNOWN } from '../support/payments-fixture.js';
import { payoutsFixture, RECORDED_DESTINATION } from '../support/payouts-fixture.js';

/**
 * Payouts as a state machine: every move the table allows happens and says so by webhook; every
 * other is refused with Lean's envelope and changes nothing, the store byte for byte.
 */

describe('payout destinations', () => {
  it("adds Lean's recorded destination as CONFIRMED and serves it by id", async () => {
    const { app } = payoutsFixture();
    const [created] = (await request(app).post('/payouts/v1/payment/destinations').send([RECORDED_DESTINATION]).expect(200)).body;
    expect(created).toEqual({
      add_beneficiary_task_id: expect.any(String),
      destination_id: expect.any(String),
      bank_identifier: 'LEAN_SME_MB1_UAE',
      iban: 'AE680030012312312312123',
      account_number: '12312312312123',
      display_name: 'ABC CORP',
      status: 'CONFIRMED',
    });
    const got = (await request(app).get(`/payouts/v1/payment/destinations/${created.destination_id}`).expect(200)).body;
    expect(got).toMatchObject({ id: created.destination_id, name: 'Santiago Keebler', short_name: 'ABC CORP', emirate: 'Dubai', status: 'ACTIVE' });
  });

  it('refuses a batch with one bad destination whole, and answers unknown and foreign ids alike', async () => {
    const { app, store, destination } = payoutsFixture();
    const theirs = await destination('other_app');
    const before = store.snapshot();
    const bad = await request(app).post('/payouts/v1/payment/destinations').send([RECORDED_DESTINATION, { ...RECORDED_DESTINATION, iban: 'AE680030012312312312124' }]).expect(400);
    expect(bad.body.status).toBe('INVALID_IBAN');
    const unknownBank = await request(app).post('/payouts/v1/payment/destinations').send([{ ...RECORDED_DESTINATION, bank_identifier: 'NO_SUCH_BANK' }]).expect(400);
    expect(unknownBank.body.status).toBe('INVALID_PARAMETERS');
    await request(app).post('/payouts/v1/payment/destinations').send([]).expect(400);
    expect(store.snapshot()).toBe(before);
    const unknown = await request(app).get(`/payouts/v1/payment/destinations/${UNKNOWN}`).expect(404);
    const foreign = await request(app).get(`/payouts/v1/payment/destinations/${theirs}`).expect(404);
    expect(unknown.body.status).toBe('UNKNOWN_PAYMENT_DESTINATION');
    expect({ ...foreign.body, message: '', timestamp: '' }).toEqual({ ...unknown.body, message: '', timestamp: '' });
  });
});

describe('POST /payouts/v1/payment', () => {
  it('pays out from the connected account: one intent per destination, payment.created, a history of one', async () => {
    const { app, events, payoutAccount, destination, payOut, payoutBody } = payoutsFixture();
    const accountId = await payoutAccount();
    const destinationId = await destination();
    events.length = 0;
    const res = await payOut(payoutBody(accountId, destinationId)).expect(200);
    const [detail] = res.body.payouts_payment_details;
    expect(detail).toMatchObject({
      destination_details: { destination_id: destinationId, amount: 16, currency: 'AED', payment_status: 'CREATED', error_message: null, recipient_details: { iban: RECORDED_DESTINATION.iban, name: 'Santiago Keebler' } },
      bank_identifier: 'LEAN_OF_RETAIL_UAE',
    });
    const intent = (await request(app).get(`/payouts/v1/intents/${detail.payment_intent_id}`).expect(200)).body;
    expect(intent).toMatchObject({ amount: 16, description: 'test payment', external_reference: null, payment: { status: 'PENDING_WITH_BANK', payment_source_id: res.body.end_user_id } });
    expect(intent.payment.sender_details).toMatchObject({ account_number: detail.account_number, iban: detail.iban });
    expect((await request(app).get(`/payouts/v1/${intent.payment.id}`).expect(200)).body).toEqual(intent.payment);
    expect(events.map((e) => [e.type, e.payload.status, e.payload.id])).toEqual([['payment.created', 'PENDING_WITH_BANK', intent.payment.id]]);
    expect(events[0]!.payload).toMatchObject({ amount: 16, reason: 'test payment', intent_id: detail.payment_intent_id, payment_destination_id: destinationId, bank_transaction_reference: null });
    const history = (await request(app).get(`/payouts/v1/payments/${intent.payment.id}/history`).expect(200)).body;
    expect(history.content).toEqual([{ payment_id: intent.payment.id, events: [{ event: 'payment.created', status: 'PENDING_WITH_BANK', post_initiation_status: null, published_at: expect.any(String) }] }]);
    expect(history.page).toEqual({ number: 0, size: 10, total_elements: 1, total_pages: 1, sort: null });
  });

  it('refuses every broken request with Lean’s status, writing nothing and announcing nothing', async () => {
    const { store, events, payoutAccount, destination, payOut, payoutBody } = payoutsFixture();
    const accountId = await payoutAccount();
    const destinationId = await destination();
    const theirAccount = await payoutAccount('other_app');
    const theirDestination = await destination('other_app');
    const good = payoutBody(accountId, destinationId).payment_details[0]!;
    const cases: [string, unknown, number, string][] = [
      ['unknown account', payoutBody(UNKNOWN, destinationId), 404, 'UNKNOWN_ACCOUNT'],
      ["other app's account", payoutBody(theirAccount, destinationId), 404, 'UNKNOWN_ACCOUNT'],
      ['unknown destination', payoutBody(accountId, UNKNOWN), 404, 'UNKNOWN_PAYMENT_DESTINATION'],
      ["other app's destination", payoutBody(accountId, theirDestination), 404, 'UNKNOWN_PAYMENT_DESTINATION'],
      ['amount as text', payoutBody(accountId, destinationId, { amount: '16' }), 400, 'INVALID_AMOUNT'],
      ['negative amount', payoutBody(accountId, destinationId, { amount: -16 }), 400, 'INVALID_AMOUNT'],
      ['three decimals', payoutBody(accountId, destinationId, { amount: 16.005 }), 400, 'INVALID_AMOUNT'],
      ['under the minimum', payoutBody(accountId, destinationId, { amount: 5 }), 400, 'AMOUNT_UNDER_MIN_VALUE'],
      ['over the maximum', payoutBody(accountId, destinationId, { amount: 1_000_001 }), 400, 'AMOUNT_OVER_MAX_VALUE'],
      ['no amount', payoutBody(accountId, destinationId, { amount: undefined }), 400, 'MISSING_PARAMETERS'],
      ['another currency', { payment_details: [{ ...good, currency: 'SAR' }] }, 400, 'INVALID_PARAMETERS'],
      ['authorize_payment as text', payoutBody(accountId, destinationId, { authorize_payment: 'yes' }), 400, 'INVALID_PARAMETERS'],
      ['no details', { payment_details: [] }, 400, 'INVALID_PARAMETERS'],
      ['no destinations', { payment_details: [{ ...good, destination_details: [] }] }, 400, 'INVALID_PARAMETERS'],
      ['a good item then a bad one', { payment_details: [good, { ...good, account_id: UNKNOWN }] }, 404, 'UNKNOWN_ACCOUNT'],
      ['a body that is an array', [good], 400, 'INVALID_PARAMETERS'],
    ];
    const before = store.snapshot();
    events.length = 0;
    for (const [what, body, http, status] of cases) {
      const res = await payOut(body);
      expect({ what, http: res.status, status: res.body.status }).toEqual({ what, http, status });
    }
    expect(store.snapshot()).toBe(before);
    expect(events).toEqual([]);
  });
});

describe('POST /admin/v1/payouts/{id}/advance: every move of the state machine', () => {
  /** A payout brought to `status` the way a client would. */
  async function payoutAt(fixture: ReturnType<typeof payoutsFixture>, status: PayoutStatus): Promise<string> {
    const { id } = await fixture.payout(status !== 'AWAITING_AUTHORIZATION');
    if (status === 'ACCEPTED_BY_BANK' || status === 'FAILED') await fixture.advancePayout(id, { status }).expect(200);
    return id;
  }

  for (const from of PAYOUT_STATUSES) {
    for (const to of PAYOUT_STATUSES) {
      const allowed = PAYOUT_MOVES[from].includes(to);
      it(`${from} → ${to}: ${allowed ? 'moves, with payment.updated' : 'refused, nothing changes'}`, async () => {
        const fixture = payoutsFixture();
        const id = await payoutAt(fixture, from);
        const before = fixture.store.snapshot();
        fixture.events.length = 0;
        const res = await fixture.advancePayout(id, { status: to });
        if (!allowed) {
          expect(res.status).toBe(400);
          expect(res.body).toMatchObject({ status: 'INVALID_STATUS_TRANSITION', metadata: { current_status: from, requested_status: to } });
          expect(fixture.store.snapshot()).toBe(before);
          expect(fixture.events).toEqual([]);
          return;
        }
        expect(res.status).toBe(200);
        expect(res.body.status).toBe(to);
        expect(res.body.post_initiation_status).toBe(to === 'ACCEPTED_BY_BANK' ? 'PROCESSED' : null);
        expect(res.body.bank_transaction_reference === null).toBe(to !== 'ACCEPTED_BY_BANK');
        expect(fixture.events.map((e) => [e.type, e.payload.status, e.payload.bank_transaction_reference])).toEqual([['payment.updated', to, res.body.bank_transaction_reference]]);
        const history = (await request(fixture.app).get(`/payouts/v1/payments/${id}/history`)).body.content[0].events;
        expect(history.map((e: { event: string; status: string }) => `${e.event} ${e.status}`).at(-1)).toBe(`payment.updated ${to}`);
        const listed = (await request(fixture.app).get('/payouts/v1/payments')).body.content[0];
        expect(listed).toMatchObject({ payment_id: id, status: to, pending_manual_authorization: false });
      });
    }
  }

  it('fails a payout with each reason, reported in granular_status_code and status_additional_details', async () => {
    const fixture = payoutsFixture();
    for (const reason of PAYOUT_FAILURE_CODES) {
      const { id } = await fixture.payout();
      const res = await fixture.advancePayout(id, { status: 'FAILED', failure_reason: reason }).expect(200);
      expect(res.body).toMatchObject({ status: 'FAILED', granular_status_code: reason, status_additional_details: PAYOUT_FAILURE_REASONS[reason] });
      expect((await request(fixture.app).get(`/payouts/v1/${id}`)).body).toEqual(res.body);
    }
    // Unauthorized, then refused: the reason is known without being told.
    const { id } = await fixture.payout(false);
    expect((await fixture.advancePayout(id, { status: 'FAILED' }).expect(200)).body.granular_status_code).toBe('AUTHORIZATION_FAILED');
  });

  it('refuses a reason without FAILED, an unknown reason or status, and an unknown payout, changing nothing', async () => {
    const fixture = payoutsFixture();
    const { id } = await fixture.payout();
    const before = fixture.store.snapshot();
    const cases: [string, Record<string, unknown>, number, string][] = [
      [id, { status: 'ACCEPTED_BY_BANK', failure_reason: 'REJECTED_BY_BANK' }, 400, 'INVALID_PARAMETERS'],
      [id, { status: 'FAILED', failure_reason: 'BORED' }, 400, 'INVALID_PARAMETERS'],
      [id, { status: 'DONE' }, 400, 'INVALID_PARAMETERS'],
      [id, {}, 400, 'MISSING_PARAMETERS'],
      [id, { status: 'FAILED', app: 'no_such_app' }, 400, 'INVALID_PARAMETERS'],
      [UNKNOWN, { status: 'FAILED' }, 404, 'UNKNOWN_PAYMENT'],
      [id, { status: 'FAILED', app: 'other_app' }, 404, 'UNKNOWN_PAYMENT'],
    ];
    for (const [target, body, http, status] of cases) {
      const res = await fixture.advancePayout(target, body);
      expect({ body, http: res.status, status: res.body.status }).toEqual({ body, http, status });
    }
    expect(fixture.store.snapshot()).toBe(before);
  });
});

describe('GET /payouts/v1/payments', () => {
  it('lists newest first, pages, filters by status and shows which payouts wait for authorization', async () => {
    const fixture = payoutsFixture();
    const first = await fixture.payout(false);
    const second = await fixture.payout(true);
    const list = (await request(fixture.app).get('/payouts/v1/payments?page_number=0&page_size=50').expect(200)).body;
    expect(list.content.map((p: { payment_id: string }) => p.payment_id)).toEqual([second.id, first.id]);
    expect(list.content[1]).toMatchObject({ status: 'AWAITING_AUTHORIZATION', auto_authorized: false, pending_manual_authorization: true, recipient_name: 'ABC CORP' });
    expect(list.page).toEqual({ number: 0, size: 50, total_elements: 2, total_pages: 1, sort: null });
    const paged = (await request(fixture.app).get('/payouts/v1/payments?page_number=1&page_size=1').expect(200)).body;
    expect(paged.content.map((p: { payment_id: string }) => p.payment_id)).toEqual([first.id]);
    const waiting = (await request(fixture.app).get('/payouts/v1/payments?status=AWAITING_AUTHORIZATION').expect(200)).body;
    expect(waiting.content.map((p: { payment_id: string }) => p.payment_id)).toEqual([first.id]);
    expect((await request(fixture.app).get('/payouts/v1/payments').set('x-test-app', 'other_app').expect(200)).body.content).toEqual([]);
    expect((await request(fixture.app).get('/payouts/v1/payments?status=DONE').expect(400)).body.status).toBe('INVALID_PARAMETERS');
  });

  it('answers unknown payout, intent and history ids with 404', async () => {
    const { app } = payoutsFixture();
    expect((await request(app).get(`/payouts/v1/${UNKNOWN}`).expect(404)).body.status).toBe('UNKNOWN_PAYMENT');
    expect((await request(app).get(`/payouts/v1/payments/${UNKNOWN}/history`).expect(404)).body.status).toBe('UNKNOWN_PAYMENT');
    expect((await request(app).get(`/payouts/v1/intents/${UNKNOWN}`).expect(404)).body.status).toBe('UNKNOWN_PAYMENT_INTENT');
    expect((await request(app).get('/payouts/v1/not-an-id').expect(400)).body.status).toBe('INVALID_PARAMETERS');
    expect((await request(app).get('/payouts/v1/payment').expect(405)).body.status).toBe('INVALID_HTTP_METHOD');
  });
});
