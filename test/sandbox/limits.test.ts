import { describe, expect, it } from 'vitest';
import { LeanError } from '../../src/app/errors.js';
import { connectEntity } from '../../src/sandbox/connections.js';
import { createCustomer } from '../../src/sandbox/customers.js';
import { SANDBOX_LIMITS } from '../../src/sandbox/limits.js';
import { holdResult, resultReply } from '../../src/sandbox/results.js';
import { COLLECTIONS, type Entity } from '../../src/sandbox/store/records.js';
import { testStore } from '../support/sandbox-app.js';

function refusal(action: () => unknown): LeanError {
  try {
    action();
  } catch (error) {
    if (error instanceof LeanError) return error;
    throw error;
  }
  throw new Error('expected a LeanError');
}

describe('the sandbox is bounded by what it keeps', () => {
  it(`forgets the oldest async results past ${SANDBOX_LIMITS.heldResults}: their ids answer UNKNOWN_RESULTS_ID`, () => {
    const store = testStore();
    const extra = 25;
    const ids = Array.from({ length: SANDBOX_LIMITS.heldResults + extra }, (_, i) => `r-${i}`);
    for (const [i, id] of ids.entries()) {
      holdResult(store, i % 2 ? 'my_app' : 'other_app', { results_id: id, entity_id: 'e', pending: { id }, ready: { id } }, 60_000);
    }
    const app = (i: number) => (i % 2 ? 'my_app' : 'other_app');
    for (let i = 0; i < extra; i++) expect(refusal(() => resultReply(store, app(i), ids[i]!)).status).toBe('UNKNOWN_RESULTS_ID');
    for (let i = extra; i < ids.length; i++) expect(resultReply(store, app(i), ids[i]!)).toEqual({ id: ids[i] });
  });

  it(`refuses the customer past ${SANDBOX_LIMITS.customersPerApp} per app with a Lean error, keeping the others`, () => {
    const store = testStore();
    const before = store.collection(COLLECTIONS.customers).countOf('my_app');
    for (let i = before; i < SANDBOX_LIMITS.customersPerApp; i++) createCustomer(store, 'my_app', { app_user_id: `u-${i}` });
    const error = refusal(() => createCustomer(store, 'my_app', { app_user_id: 'one-too-many' }));
    expect(error).toMatchObject({ status: 'SANDBOX_LIMIT_REACHED', httpStatus: 403, metadata: { limit: SANDBOX_LIMITS.customersPerApp } });
    expect(error.message).toMatch(/at most 10000 customers per app/);
    expect(store.collection(COLLECTIONS.customers).countOf('my_app')).toBe(SANDBOX_LIMITS.customersPerApp);
    // Another app has its own allowance.
    expect(createCustomer(store, 'other_app', { app_user_id: 'one-too-many' }).app_user_id).toBe('one-too-many');
  });

  it(`refuses connecting an entity past ${SANDBOX_LIMITS.entitiesPerApp} per app with a Lean error`, () => {
    const store = testStore();
    const customer = createCustomer(store, 'my_app', { app_user_id: 'connector' });
    const entities = store.collection<Entity>(COLLECTIONS.entities);
    // Stand-ins fill the allowance: generating a year of bank data a thousand times proves nothing more.
    for (let i = entities.countOf('my_app'); i < SANDBOX_LIMITS.entitiesPerApp; i++) entities.set('my_app', `filler-${i}`, { id: `filler-${i}` } as Entity);
    const error = refusal(() => connectEntity(store, 'my_app', { customerId: customer.customer_id }));
    expect(error).toMatchObject({ status: 'SANDBOX_LIMIT_REACHED', httpStatus: 403 });
    expect(entities.countOf('my_app')).toBe(SANDBOX_LIMITS.entitiesPerApp);
  });
});
