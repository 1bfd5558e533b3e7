import { LeanError } from '../../app/errors.js';
import type { Seeder, SandboxStore } from '../store/store.js';
import { bankAvailabilityUpdated } from './events.js';
import {
  AVAILABILITY_COLLECTION,
  copyAvailability,
  sameAvailability,
  type Availability,
  type AvailabilityChange,
  type BankAvailabilityRecord,
  type BankDefault,
  type Product,
} from './records.js';

/**
 * Which banks each app can use now, kept in the store so a reset restores the catalogue's
 * availability and the fuzz's snapshot sees every toggle. Readers (the banks list, the data API,
 * payments) ask here; the admin API toggles here.
 */

const collection = (store: SandboxStore) => store.collection<BankAvailabilityRecord>(AVAILABILITY_COLLECTION);
// A collection's ids are unique across apps, and every app has a record per bank.
const keyOf = (app: string, identifier: string) => `${app}/${identifier}`;
const records = (store: SandboxStore) => {
  const all = collection(store);
  return {
    get: (app: string, identifier: string) => all.get(app, keyOf(app, identifier)),
    set: (app: string, identifier: string, record: BankAvailabilityRecord) => all.set(app, keyOf(app, identifier), record),
    get revision() {
      return all.revision;
    },
  };
};

/** Seeds every app with the catalogue's availability; runs again on every reset. */
export function seedBankAvailability(banks: readonly BankDefault[]): Seeder {
  return (store) => {
    for (const app of store.apps) {
      for (const bank of banks) records(store).set(app, bank.identifier, { identifier: bank.identifier, availability: copyAvailability(bank.availability) });
    }
  };
}

/** The availability `app` sees for the bank, or undefined for a bank outside the catalogue. */
export function bankAvailability(store: SandboxStore, app: string, identifier: string): Availability | undefined {
  return records(store).get(app, identifier)?.availability;
}

/**
 * Whether `app` can use the bank for `product`: Lean has it active and the app has it enabled.
 * A bank the catalogue does not list has no switches to turn off, so it stays usable.
 */
export function isBankAvailable(store: SandboxStore, app: string, identifier: string, product: Product): boolean {
  const availability = bankAvailability(store, app, identifier);
  return availability === undefined || (availability.active[product] && availability.enabled[product]);
}

/** Grows with every toggle and reset: the banks list rebuilds its cached bytes when it moves. */
export function availabilityRevision(store: SandboxStore): number {
  return records(store).revision;
}

export function unknownBank(identifier: string): LeanError {
  return new LeanError('UNKNOWN_BANK', 404, `No bank with identifier ${identifier} exists, field: identifier, value: ${identifier}.`);
}

/**
 * Applies a change: `active` flags for every app (Lean's own switch), `enabled` flags for `app`
 * only (its dashboard). Each app whose view changed gets a `bank.availability.updated`; setting a
 * flag to the value it has changes nothing and sends nothing. Returns what `app` sees after.
 */
export function setBankAvailability(store: SandboxStore, app: string, identifier: string, change: AvailabilityChange): BankAvailabilityRecord {
  // Checked before the first write: an unknown bank leaves every app as it was.
  if (records(store).get(app, identifier) === undefined) throw unknownBank(identifier);
  for (const each of store.apps) {
    const current = records(store).get(each, identifier);
    if (current === undefined) continue;
    const next = copyAvailability(current.availability);
    Object.assign(next.active, change.active);
    if (each === app) Object.assign(next.enabled, change.enabled);
    if (sameAvailability(next, current.availability)) continue;
    const updated = records(store).set(each, identifier, { identifier, availability: next });
    store.publish(bankAvailabilityUpdated(each, updated));
  }
  return records(store).get(app, identifier)!;
}

/**
 * How a payment at a bank unavailable for payments fails: Lean's code, and its words from the
 * account-on-file example in payments.yml (`failure_details`), kept verbatim.
 */
export const PAYMENT_BANK_ISSUE = { code: 'BANK_ISSUE', details: 'The banks is having a technical issues. Please try again later.' } as const;
