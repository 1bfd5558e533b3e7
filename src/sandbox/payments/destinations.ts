import { LeanError } from '../../app/errors.js';
import type { SandboxStore } from '../store/store.js';
import { bankByIbanCode } from './banks.js';
import { requireCustomer } from './customers.js';
import { paymentErrors } from './errors.js';
import { uaeBankCode, validateIban } from './iban.js';
import { validateName } from './names.js';
import { PAYMENT_COLLECTIONS, type PaymentDestinationRecord } from './records.js';
import { refuseCountryWithoutPayments, refuseCurrencyWithoutPayments, refuseIbanWithoutPayments } from './regions.js';

/** Payment destinations: the accounts intents pay into, the app's own or a customer's. */

export type CreateDestinationInput = Omit<PaymentDestinationRecord, 'id' | 'status' | 'default' | 'bank_identifier' | 'created_at'>;

const destinations = (store: SandboxStore) => store.collection<PaymentDestinationRecord>(PAYMENT_COLLECTIONS.destinations);

/** Validates everything first, so a refused destination leaves no trace. */
export function createDestination(store: SandboxStore, app: string, input: CreateDestinationInput): PaymentDestinationRecord {
  const name = validateName('name', input.name);
  const displayName = validateName('display_name', input.display_name);
  // Lean: "The IBAN of the account. This is required for all countries except for the US."
  if (input.iban === undefined && input.country !== 'USA') throw LeanError.missingParameter('iban');
  const iban = input.iban === undefined ? undefined : validateIban(input.iban);
  // A destination in a region without Lean payments (KSA) could never be paid into.
  refuseCountryWithoutPayments('country', input.country);
  refuseIbanWithoutPayments(iban);
  refuseCurrencyWithoutPayments('currency', input.currency);
  if (input.customer_id !== undefined) requireCustomer(store, app, input.customer_id);

  const bank = bankByIbanCode(iban === undefined ? undefined : uaeBankCode(iban));
  const record: PaymentDestinationRecord = {
    ...withoutUndefined({ ...input, name, display_name: displayName, iban }),
    id: store.newId(),
    status: 'ACTIVE',
    default: false,
    ...(bank ? { bank_identifier: bank.identifier } : {}),
    created_at: store.now().toISOString(),
  };
  return destinations(store).set(app, record.id, record);
}

export function listDestinations(store: SandboxStore, app: string): PaymentDestinationRecord[] {
  return destinations(store).list(app);
}

/** The customer's own destinations (UNKNOWN_CUSTOMER for a customer the app does not have). */
export function listCustomerDestinations(store: SandboxStore, app: string, customerId: string): PaymentDestinationRecord[] {
  requireCustomer(store, app, customerId);
  return destinations(store).list(app, (destination) => destination.customer_id === customerId);
}

export function getDestination(store: SandboxStore, app: string, id: string): PaymentDestinationRecord {
  const destination = destinations(store).get(app, id);
  if (!destination) throw paymentErrors.unknownDestination(id);
  return destination;
}

/** The destination intents pay into when they name none (seeded, one per app). */
export function defaultDestination(store: SandboxStore, app: string): PaymentDestinationRecord | undefined {
  return destinations(store).list(app, (destination) => destination.default)[0];
}

/** Stores a destination as given (the seeder's way in: no validation, no new id). */
export function putDestination(store: SandboxStore, app: string, record: PaymentDestinationRecord): void {
  destinations(store).set(app, record.id, record);
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as T;
}
