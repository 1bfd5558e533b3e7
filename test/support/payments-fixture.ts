import type { Router } from 'express';
import { seedPayments } from '../../src/sandbox/payments/seed.js';
import { COLLECTIONS, type Customer } from '../../src/sandbox/store/records.js';
import type { SandboxEvent, SandboxStore } from '../../src/sandbox/store/store.js';
import { sandboxApp, testStore } from './sandbox-app.js';

export const CUSTOMER = 'c0000000-0000-4000-8000-000000000001';
export const SECOND_CUSTOMER = 'c0000000-0000-4000-8000-000000000002';
export const OTHER_APPS_CUSTOMER = 'c0000000-0000-4000-8000-000000000003';
export const UNKNOWN = 'f0000000-0000-4000-8000-000000000000';

export interface PaymentsFixtureOptions {
  /** The store's and the app's clock (default: standing still at SANDBOX_NOW). */
  clock?: () => Date;
  /** The product routers the app serves, built on the fixture's store. */
  routers: (store: SandboxStore) => Router | Router[];
}

/**
 * A store seeded for payments with two customers of my_app and one of other_app, every event it
 * emits, and an app around the given routers.
 */
export function paymentsFixture({ clock, routers }: PaymentsFixtureOptions) {
  const store = testStore({ now: clock });
  store.addSeeder('payments', seedPayments);
  const customers = store.collection<Customer>(COLLECTIONS.customers);
  const customer = (app: string, id: string) => customers.set(app, id, { customer_id: id, app_user_id: id, created_at: '2026-03-01T00:00:00.000Z' });
  customer('my_app', CUSTOMER);
  customer('my_app', SECOND_CUSTOMER);
  customer('other_app', OTHER_APPS_CUSTOMER);
  const events: SandboxEvent[] = [];
  store.on('event', (event) => events.push(event));
  return { store, events, customer, app: sandboxApp(routers(store), clock) };
}
