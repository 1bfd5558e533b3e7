import request from 'supertest';
import { createConsentsRouter } from '../../src/lean/consents/router.js';
import { createPaymentsRouter } from '../../src/lean/payments/router.js';
import { createConsentsAdminRouter } from '../../src/sandbox/consents-admin.js';
import { CONSENT_COLLECTIONS } from '../../src/sandbox/consents/records.js';
import { PAYMENT_COLLECTIONS, type PaymentDestinationRecord } from '../../src/sandbox/payments/records.js';
import { CUSTOMER, paymentsFixture } from './payments-fixture.js';
import { SANDBOX_NOW } from './sandbox-app.js';

/**
 * The consents product over a payments-seeded store: a clock the test moves, Lean's routes and
 * the admin controls in one app, and helpers for the steps every test takes.
 */
export const APP_ID = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';

export function consentsFixture() {
  let now = SANDBOX_NOW;
  const clock = () => now;
  const appIdOf = (app: string) => (app === 'my_app' ? APP_ID : 'other-app-id');
  const fixture = paymentsFixture({
    clock,
    routers: (store) => [createConsentsRouter({ store, appIdOf }), createPaymentsRouter({ store }), createConsentsAdminRouter({ store })],
  });
  const { app, store } = fixture;

  /** The app's seeded default destination. */
  const destination = (caller = 'my_app'): string => store.collection<PaymentDestinationRecord>(PAYMENT_COLLECTIONS.destinations).list(caller)[0]!.id;

  const create = (overrides: Record<string, unknown> = {}, caller = 'my_app') =>
    request(app)
      .post('/consents/account-on-file')
      .set('x-test-app', caller)
      .send({
        customer_id: CUSTOMER,
        destination_account_id: destination(caller),
        currency: 'AED',
        reference: 'SUB-1',
        purpose: 'GDS',
        control_parameters: { type: 'VariableOnDemand', period_type: 'Month', max_individual_amount: 500 },
        ...overrides,
      });

  const admin = (path: string, body: Record<string, unknown> = {}) => request(app).post(`/admin/v1/${path}`).send(body);
  /** A consent the customer authorised. */
  const authorised = async (overrides: Record<string, unknown> = {}): Promise<string> => {
    const id = (await create(overrides).expect(200)).body.id as string;
    await admin(`consents/${id}/authorise`).expect(200);
    return id;
  };
  const pay = (key: string | null, body: Record<string, unknown>, caller = 'my_app') => {
    const call = request(app).post('/payments/account-on-file').set('x-test-app', caller);
    return (key === null ? call : call.set('Idempotency-Key', key)).send({ risk_details: { channel: 'MOBILE' }, ...body });
  };
  const details = (id: string) => request(app).get(`/consents/${id}`);

  /** Everything the consents and payments products hold, to show a refused call changed nothing. */
  const snapshot = () =>
    JSON.stringify([...Object.values(CONSENT_COLLECTIONS), ...Object.values(PAYMENT_COLLECTIONS)].map((name) => store.collection(name).entries()));

  return {
    ...fixture,
    setNow: (at: Date) => {
      now = at;
    },
    destination,
    create,
    admin,
    authorised,
    pay,
    details,
    snapshot,
  };
}
