import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { REFUND_REASON_CODES, REFUND_STATUSES, type RefundStatus } from '../../src/sandbox/payouts/records.js';
import { REFUND_MOVES } from '../../src/sandbox/payouts/status.js';
import { seededRandom } from '../../src/sandbox/random.js';
import { UNKNOWN } from '../support/payments-fixture.js';
import { payoutsFixture } from '../support/payouts-fixture.js';

/**
 * Refunds: tied to a real, accepted payment, never more than what is left of it, each refusal a
 * Lean envelope that changes nothing; and the state machine's every move, allowed or refused.
 */

const refund = (paymentId: string, amount: unknown = 10, extra: Record<string, unknown> = {}) => ({
  payment_id: paymentId,
  amount,
  currency: 'AED',
  reason_code: 'DUPLICATED_PAYMENT',
  description: 'Refund issued for Order NO. 21342322123',
  external_reference: '21451234567',
  ...extra,
});

describe('POST /payouts/refunds', () => {
  it('creates a refund of an accepted payment (201), paid back to the account the payment came from', async () => {
    const { app, acceptedPayment } = payoutsFixture();
    const paymentId = await acceptedPayment(25);
    const payment = (await request(app).get(`/payments/v1/${paymentId}`)).body;
    const res = await request(app).post('/payouts/refunds').send([refund(paymentId, 10)]).expect(201);
    expect(res.body).toEqual([
      {
        refund_id: expect.any(String),
        payment_id: paymentId,
        status: 'CREATED',
        amount: 10,
        currency: 'AED',
        reason_code: 'DUPLICATED_PAYMENT',
        description: 'Refund issued for Order NO. 21342322123',
        external_reference: '21451234567',
        beneficiary: { name: payment.sender_details.name, iban: payment.sender_details.iban, account_id: expect.any(String), city: null },
      },
    ]);
    const listed = (await request(app).get('/payouts/refunds').expect(200)).body;
    expect(listed.content).toEqual([
      expect.objectContaining({ refund_id: res.body[0].refund_id, deposit_amount: 10, deposit_currency: 'AED', created_by: 'edge-gateway', actioned_by: null, refund_intent_id: null }),
    ]);
  });

  it('refuses every violation with Lean’s status and leaves the store as it was', async () => {
    const { app, store, acceptedPayment } = payoutsFixture();
    const paid = await acceptedPayment(25);
    const pending = await acceptedPayment(25, 'PENDING_WITH_BANK');
    const failed = await acceptedPayment(25, 'FAILED');
    await request(app).post('/payouts/refunds').send([refund(paid, 20)]).expect(201);
    const before = store.snapshot();
    const cases: [string, unknown, number, string][] = [
      ['unknown payment', [refund(UNKNOWN)], 404, 'UNKNOWN_PAYMENT'],
      ["other app's payment", [refund(paid)], 404, 'UNKNOWN_PAYMENT'],
      ['payment still with the bank', [refund(pending)], 400, 'PAYMENT_NOT_REFUNDABLE'],
      ['failed payment', [refund(failed)], 400, 'PAYMENT_NOT_REFUNDABLE'],
      ['more than is left', [refund(paid, 5.01)], 400, 'REFUND_AMOUNT_EXCEEDS_PAYMENT'],
      ['two that together are more', [refund(paid, 3), refund(paid, 3)], 400, 'REFUND_AMOUNT_EXCEEDS_PAYMENT'],
      ['zero', [refund(paid, 0)], 400, 'INVALID_AMOUNT'],
      ['negative', [refund(paid, -1)], 400, 'INVALID_AMOUNT'],
      ['three decimals', [refund(paid, 1.005)], 400, 'INVALID_AMOUNT'],
      ['amount as text', [refund(paid, '1')], 400, 'INVALID_AMOUNT'],
      ['no amount', [{ ...refund(paid), amount: undefined }], 400, 'MISSING_PARAMETERS'],
      ['unknown reason', [refund(paid, 1, { reason_code: 'BORED' })], 400, 'INVALID_PARAMETERS'],
      ['reason in lower case', [refund(paid, 1, { reason_code: 'customer_request' })], 400, 'INVALID_PARAMETERS'],
      ['no reason', [refund(paid, 1, { reason_code: undefined })], 400, 'MISSING_PARAMETERS'],
      ['another currency', [refund(paid, 1, { currency: 'SAR' })], 400, 'INVALID_PARAMETERS'],
      ['a good one, then a bad one', [refund(paid, 1), refund(UNKNOWN)], 404, 'UNKNOWN_PAYMENT'],
      ['an empty batch', [], 400, 'INVALID_PARAMETERS'],
      ['an object, not a batch', refund(paid, 1), 400, 'INVALID_PARAMETERS'],
    ];
    for (const [what, body, http, status] of cases) {
      const caller = what.startsWith('other app') ? 'other_app' : 'my_app';
      const res = await request(app).post('/payouts/refunds').set('x-test-app', caller).send(body as object);
      expect({ what, http: res.status, status: res.body.status }).toEqual({ what, http, status });
    }
    expect(store.snapshot()).toBe(before);
    // What is left is still refundable, to the cent.
    await request(app).post('/payouts/refunds').send([refund(paid, 5)]).expect(201);
  });

  it('never lets the refunds of a payment that count exceed it, whatever the sequence (seeded property)', async () => {
    for (let seed = 1; seed <= 6; seed++) {
      const r = seededRandom(seed);
      const { app, store, acceptedPayment } = payoutsFixture();
      const amount = r.int(10, 200) + r.int(0, 99) / 100;
      const paymentId = await acceptedPayment(amount);
      const counted = async () => {
        const all = (await request(app).get(`/payouts/refunds?payment_id=${paymentId}&size=1000`)).body.content as { amount: number; status: RefundStatus }[];
        return Math.round(all.filter((x) => ['CREATED', 'APPROVED', 'COMPLETED'].includes(x.status)).reduce((sum, x) => sum + x.amount * 100, 0));
      };
      for (let step = 0; step < 25; step++) {
        const before = store.snapshot();
        const left = Math.round(amount * 100) - (await counted());
        const created = (await request(app).get(`/payouts/refunds?payment_id=${paymentId}&status=CREATED`)).body.content as { refund_id: string }[];
        if (created.length > 0 && r.next() < 0.3) {
          // The checker rejects one: its amount is free again.
          await request(app).put('/payouts/refunds').send([{ refund_id: r.pick(created).refund_id, status: r.next() < 0.5 ? 'REJECTED' : 'APPROVED' }]).expect(200);
          continue;
        }
        const ask = Math.max(1, left + r.int(-300, 300));
        const items = r.next() < 0.3 ? [refund(paymentId, Math.floor(ask / 2) / 100 || 0.01), refund(paymentId, Math.ceil(ask / 2) / 100)] : [refund(paymentId, ask / 100)];
        const total = items.reduce((sum, item) => sum + Math.round((item.amount as number) * 100), 0);
        const res = await request(app).post('/payouts/refunds').send(items);
        if (total <= left) expect(res.status, `seed ${seed} step ${step}: ${total} of ${left} left`).toBe(201);
        else {
          expect(res.body.status, `seed ${seed} step ${step}`).toBe('REFUND_AMOUNT_EXCEEDS_PAYMENT');
          expect(store.snapshot()).toBe(before);
        }
        expect(await counted()).toBeLessThanOrEqual(Math.round(amount * 100));
      }
    }
  });
});

describe('concurrent refunds of one payment', () => {
  it('lets through only what the payment holds when twenty requests race', async () => {
    const { app, acceptedPayment } = payoutsFixture();
    const paymentId = await acceptedPayment(25);
    const replies = await Promise.all(Array.from({ length: 20 }, () => request(app).post('/payouts/refunds').send([refund(paymentId, 10)])));
    expect(replies.filter((r) => r.status === 201)).toHaveLength(2);
    expect(replies.filter((r) => r.status !== 201).map((r) => r.body.status)).toEqual(Array(18).fill('REFUND_AMOUNT_EXCEEDS_PAYMENT'));
    expect((await request(app).get(`/payouts/refunds?payment_id=${paymentId}`)).body.content).toHaveLength(2);
  });
});

describe('GET /payouts/refunds and /payouts/refunds/reasons', () => {
  it('filters by status and payment, pages 50 by default, newest first', async () => {
    const { app, acceptedPayment } = payoutsFixture();
    const one = await acceptedPayment(100);
    const two = await acceptedPayment(100);
    const [a] = (await request(app).post('/payouts/refunds').send([refund(one, 10)])).body;
    const [b] = (await request(app).post('/payouts/refunds').send([refund(two, 10)])).body;
    await request(app).put('/payouts/refunds').send([{ refund_id: a.refund_id, status: 'APPROVED' }]).expect(200);
    const ids = async (query: string) => (await request(app).get(`/payouts/refunds${query}`).expect(200)).body.content.map((x: { refund_id: string }) => x.refund_id);
    expect(await ids('')).toEqual([b.refund_id, a.refund_id]);
    expect(await ids('?size=50&status=APPROVED')).toEqual([a.refund_id]);
    expect(await ids(`?payment_id=${two}`)).toEqual([b.refund_id]);
    expect(await ids('?page=1&size=1')).toEqual([a.refund_id]);
    expect((await request(app).get('/payouts/refunds').expect(200)).body.page).toEqual({ number: 0, size: 50, total_elements: 2, total_pages: 1, sort: null });
    expect((await request(app).get('/payouts/refunds?status=DONE').expect(400)).body.status).toBe('INVALID_PARAMETERS');
    expect(await ids('').then(() => request(app).get('/payouts/refunds').set('x-test-app', 'other_app')).then((res) => res.body.content)).toEqual([]);
  });

  it("lists Lean's four reason codes", async () => {
    const { app } = payoutsFixture();
    const reasons = (await request(app).get('/payouts/refunds/reasons').expect(200)).body;
    expect(reasons.map((x: { reason_code: string }) => x.reason_code)).toEqual(REFUND_REASON_CODES);
  });
});

describe('refund state machine: PUT /payouts/refunds (the checker) and POST /admin/v1/refunds/{id}/advance (the bank)', () => {
  async function refundAt(fixture: ReturnType<typeof payoutsFixture>, status: RefundStatus): Promise<string> {
    const paymentId = await fixture.acceptedPayment(50);
    const [created] = (await request(fixture.app).post('/payouts/refunds').send([refund(paymentId, 10)]).expect(201)).body;
    const id: string = created.refund_id;
    if (status === 'CREATED') return id;
    const decided = status === 'REJECTED' ? 'REJECTED' : 'APPROVED';
    await request(fixture.app).put('/payouts/refunds').send([{ refund_id: id, status: decided }]).expect(200);
    if (status === 'COMPLETED' || status === 'FAILED') await request(fixture.app).post(`/admin/v1/refunds/${id}/advance`).send({ status }).expect(200);
    return id;
  }

  /** Who can ask for each target: the checker decides, the bank carries out; nobody makes a refund CREATED again. */
  const move = (fixture: ReturnType<typeof payoutsFixture>, id: string, to: RefundStatus) =>
    to === 'APPROVED' || to === 'REJECTED'
      ? request(fixture.app).put('/payouts/refunds').send([{ refund_id: id, status: to }])
      : request(fixture.app).post(`/admin/v1/refunds/${id}/advance`).send({ status: to });

  for (const from of REFUND_STATUSES) {
    for (const to of REFUND_STATUSES) {
      const allowed = REFUND_MOVES[from].includes(to);
      it(`${from} → ${to}: ${allowed ? 'moves' : 'refused, nothing changes'}`, async () => {
        const fixture = payoutsFixture();
        const id = await refundAt(fixture, from);
        const before = fixture.store.snapshot();
        const res = await move(fixture, id, to);
        if (!allowed) {
          expect(res.status).toBe(400);
          // CREATED is no one's to ask for: a bad value, not a bad move.
          expect(res.body.status).toBe(to === 'CREATED' ? 'INVALID_PARAMETERS' : 'INVALID_STATUS_TRANSITION');
          expect(fixture.store.snapshot()).toBe(before);
          return;
        }
        expect(res.status).toBe(200);
        const listed = (await request(fixture.app).get('/payouts/refunds')).body.content[0];
        expect(listed).toMatchObject({ refund_id: id, status: to, actioned_by: 'edge-gateway' });
      });
    }
  }

  it('processes a batch all or nothing: an unknown id, a repeated id or a refused move leaves every refund as it was', async () => {
    const fixture = payoutsFixture();
    const a = await refundAt(fixture, 'CREATED');
    const b = await refundAt(fixture, 'REJECTED');
    const before = fixture.store.snapshot();
    const cases: [unknown, number, string][] = [
      [[{ refund_id: a, status: 'APPROVED' }, { refund_id: UNKNOWN, status: 'APPROVED' }], 404, 'UNKNOWN_REFUND'],
      [[{ refund_id: a, status: 'APPROVED' }, { refund_id: a, status: 'REJECTED' }], 400, 'INVALID_PARAMETERS'],
      [[{ refund_id: a, status: 'APPROVED' }, { refund_id: b, status: 'APPROVED' }], 400, 'INVALID_STATUS_TRANSITION'],
      [[{ refund_id: a, status: 'COMPLETED' }], 400, 'INVALID_PARAMETERS'],
      [[{ refund_id: a }], 400, 'MISSING_PARAMETERS'],
      [[{ refund_id: 'nope', status: 'APPROVED' }], 400, 'INVALID_PARAMETERS'],
      [[], 400, 'INVALID_PARAMETERS'],
    ];
    for (const [body, http, status] of cases) {
      const res = await request(fixture.app).put('/payouts/refunds').send(body as object);
      expect({ body, http: res.status, status: res.body.status }).toEqual({ body, http, status });
    }
    const foreign = await request(fixture.app).put('/payouts/refunds').set('x-test-app', 'other_app').send([{ refund_id: a, status: 'APPROVED' }]);
    expect(foreign.status).toBe(404);
    expect((await request(fixture.app).post(`/admin/v1/refunds/${UNKNOWN}/advance`).send({ status: 'COMPLETED' })).status).toBe(404);
    expect(fixture.store.snapshot()).toBe(before);
  });

  it('a rejected or failed refund frees its amount; an approved or completed one keeps holding it', async () => {
    const fixture = payoutsFixture();
    const paymentId = await fixture.acceptedPayment(30);
    const create = (amount: number) => request(fixture.app).post('/payouts/refunds').send([refund(paymentId, amount)]);
    const [first] = (await create(30).expect(201)).body;
    expect((await create(0.01)).body.status).toBe('REFUND_AMOUNT_EXCEEDS_PAYMENT');
    await request(fixture.app).put('/payouts/refunds').send([{ refund_id: first.refund_id, status: 'REJECTED' }]).expect(200);
    const [second] = (await create(30).expect(201)).body;
    await request(fixture.app).put('/payouts/refunds').send([{ refund_id: second.refund_id, status: 'APPROVED' }]).expect(200);
    expect((await create(0.01)).body.status).toBe('REFUND_AMOUNT_EXCEEDS_PAYMENT');
    await request(fixture.app).post(`/admin/v1/refunds/${second.refund_id}/advance`).send({ status: 'FAILED' }).expect(200);
    await create(30).expect(201);
  });
});
