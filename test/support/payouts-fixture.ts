import request from 'supertest';
import { createPaymentsRouter } from '../../src/lean/payments/router.js';
import { createPayoutsRouter } from '../../src/lean/payouts/router.js';
import { createPaymentsAdminRouter } from '../../src/sandbox/payments-admin.js';
import { createPayoutsAdminRouter } from '../../src/sandbox/payouts/admin-router.js';
import { CUSTOMER, OTHER_APPS_CUSTOMER, paymentsFixture } from './payments-fixture.js';

/** Lean's recorded payout destination (test/fixtures/lean-recorded/UAE/payouts/create-payouts-destination-s.json). */
export const RECORDED_DESTINATION = {
  bank_identifier: 'LEAN_SME_MB1_UAE',
  name: 'Santiago Keebler',
  iban: 'AE680030012312312312123',
  display_name: 'ABC CORP',
  account_number: '12312312312123',
  swift_code: 'EBILAEADXXX',
  address: 'Dubai',
  branch_address: 'Dubai',
  country: 'ARE',
  city: 'Dubai',
  currency_iso_code: 'AED',
  postal_code: '90710',
};

/**
 * The payments and payouts products with their admin controls over one store, and the steps a
 * payouts test takes: connect a payout account, add a destination, pay out, move a payout; and
 * for refunds, a customer payment the bank accepted.
 */
export function payoutsFixture() {
  const fixture = paymentsFixture({
    routers: (store) => [createPaymentsRouter({ store }), createPaymentsAdminRouter({ store }), createPayoutsRouter({ store }), createPayoutsAdminRouter({ store })],
  });
  const { app } = fixture;

  /** The business account payouts are paid from: a payment source's account, made as the LinkSDK would. */
  const payoutAccount = async (caller = 'my_app'): Promise<string> =>
    (await request(app).post(`/admin/v1/customers/${caller === 'my_app' ? CUSTOMER : OTHER_APPS_CUSTOMER}/payment-sources`).send({ app: caller }).expect(201)).body.accounts[0].account_id;

  const destination = async (caller = 'my_app'): Promise<string> =>
    (await request(app).post('/payouts/v1/payment/destinations').set('x-test-app', caller).send([RECORDED_DESTINATION]).expect(200)).body[0].destination_id;

  const payOut = (body: unknown, caller = 'my_app') => request(app).post('/payouts/v1/payment').set('x-test-app', caller).send(body as object);

  const payoutBody = (accountId: string, destinationId: string, item: Record<string, unknown> = {}) => ({
    payment_details: [{ account_id: accountId, currency: 'AED', destination_details: [{ payment_destination_id: destinationId, amount: 16, description: 'test payment', authorize_payment: true, ...item }] }],
  });

  /** A payout, and its payment id; `authorize_payment: false` leaves it AWAITING_AUTHORIZATION. */
  const payout = async (authorize = true): Promise<{ id: string; intentId: string }> => {
    const body = payoutBody(await payoutAccount(), await destination(), { authorize_payment: authorize });
    const intentId: string = (await payOut(body).expect(200)).body.payouts_payment_details[0].payment_intent_id;
    const id: string = (await request(app).get(`/payouts/v1/intents/${intentId}`).expect(200)).body.payment.id;
    return { id, intentId };
  };

  const advancePayout = (id: string, body: Record<string, unknown>) => request(app).post(`/admin/v1/payouts/${id}/advance`).send(body);

  /** A customer's payment of `amount` AED that the bank accepted: refundable. */
  const acceptedPayment = async (amount = 25, status = 'ACCEPTED_BY_BANK'): Promise<string> => {
    const intentId = (await request(app).post('/payments/v1/intents').send({ customer_id: CUSTOMER, amount, currency: 'AED' }).expect(200)).body.payment_intent_id;
    const paymentId: string = (await request(app).post(`/admin/v1/payment-intents/${intentId}/payments`).send({}).expect(201)).body.id;
    if (status !== 'PENDING_WITH_BANK') await request(app).post(`/admin/v1/payments/${paymentId}/advance`).send({ status }).expect(200);
    return paymentId;
  };

  return { ...fixture, payoutAccount, destination, payOut, payoutBody, payout, advancePayout, acceptedPayment };
}
