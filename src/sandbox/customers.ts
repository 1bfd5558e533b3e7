import { LeanError } from '../app/errors.js';
import { SANDBOX_LIMITS, sandboxLimitReached } from './limits.js';
import type { SandboxStore } from './store/store.js';
import { COLLECTIONS, type Customer, type GovernmentIdentifier } from './store/records.js';

/**
 * Customers: an app's users as Lean knows them. `app_user_id` is unique per app, never across
 * apps. Other products (payments, connect) call `requireCustomer` to check a customer exists.
 */

/** Lean's reply to a customer that does not exist for the calling app (unconfirmed at Lean). */
export function unknownCustomer(field: 'customer_id' | 'app_user_id' = 'customer_id'): LeanError {
  return new LeanError('UNKNOWN_CUSTOMER', 404, `No customer found for the ${field} provided.`);
}

export function customerAlreadyExists(): LeanError {
  return new LeanError('CUSTOMER_ALREADY_EXISTS', 409, 'A customer already exists for the app_user_id you have provided.');
}

/** The customer as Lean returns it: `created_at` is ours, and identifiers appear only once given. */
export interface CustomerView {
  customer_id: string;
  app_user_id: string;
  government_identifiers?: GovernmentIdentifier[];
}

export interface NewCustomer {
  app_user_id: string;
  government_identifiers?: GovernmentIdentifier[] | undefined;
}

function customers(store: SandboxStore) {
  return store.collection<Customer>(COLLECTIONS.customers);
}

export function customerView(customer: Customer): CustomerView {
  const view: CustomerView = { customer_id: customer.customer_id, app_user_id: customer.app_user_id };
  if (customer.government_identifiers) view.government_identifiers = customer.government_identifiers.map((id) => ({ ...id }));
  return view;
}

/** Creates a customer; CUSTOMER_ALREADY_EXISTS when the app already has this app_user_id. */
export function createCustomer(store: SandboxStore, app: string, input: NewCustomer): Customer {
  if (findCustomerByAppUserId(store, app, input.app_user_id)) throw customerAlreadyExists();
  if (customers(store).countOf(app) >= SANDBOX_LIMITS.customersPerApp) throw sandboxLimitReached('customers', SANDBOX_LIMITS.customersPerApp);
  const customer: Customer = {
    customer_id: store.newId(),
    app_user_id: input.app_user_id,
    created_at: store.now().toISOString(),
  };
  if (input.government_identifiers) customer.government_identifiers = input.government_identifiers.map((id) => ({ ...id }));
  return customers(store).set(app, customer.customer_id, customer);
}

export function findCustomer(store: SandboxStore, app: string, customerId: string): Customer | undefined {
  return customers(store).get(app, customerId.toLowerCase());
}

/** The customer, or UNKNOWN_CUSTOMER: another app's customer answers exactly like a missing one. */
export function requireCustomer(store: SandboxStore, app: string, customerId: string): Customer {
  const customer = findCustomer(store, app, customerId);
  if (!customer) throw unknownCustomer();
  return customer;
}

export function findCustomerByAppUserId(store: SandboxStore, app: string, appUserId: string): Customer | undefined {
  return customers(store).list(app, (customer) => customer.app_user_id === appUserId)[0];
}

/** The app's customers, oldest first. */
export function listCustomers(store: SandboxStore, app: string): Customer[] {
  return customers(store).list(app);
}

/** Replaces the customer's government identifiers (Lean's PUT replaces, it does not merge). */
export function updateGovernmentIdentifiers(
  store: SandboxStore,
  app: string,
  customerId: string,
  identifiers: readonly GovernmentIdentifier[],
): Customer {
  const current = requireCustomer(store, app, customerId);
  const updated: Customer = { ...current, government_identifiers: identifiers.map((id) => ({ ...id })) };
  return customers(store).set(app, updated.customer_id, updated);
}
