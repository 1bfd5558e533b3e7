import { COLLECTIONS, type Customer } from '../store/records.js';
import type { SandboxStore } from '../store/store.js';
import { paymentErrors } from './errors.js';

/** The app's customer with this id, or UNKNOWN_CUSTOMER (another app's customer included). */
export function requireCustomer(store: SandboxStore, app: string, customerId: string): Customer {
  const customer = store.collection<Customer>(COLLECTIONS.customers).get(app, customerId);
  if (!customer) throw paymentErrors.unknownCustomer(customerId);
  return customer;
}
