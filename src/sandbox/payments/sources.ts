import type { SandboxStore } from '../store/store.js';
import { DEFAULT_SOURCE_BANK, paymentBank } from './banks.js';
import { requireCustomer } from './customers.js';
import { defaultDestination, getDestination } from './destinations.js';
import { paymentErrors } from './errors.js';
import { beneficiaryCreated, paymentSourceCreated } from './events.js';
import { buildIban } from './iban.js';
import { validateName } from './names.js';
import { PAYMENT_COLLECTIONS, type BeneficiaryRecord, type PaymentSourceRecord } from './records.js';
import { LeanError } from '../../app/errors.js';

/**
 * Payment sources: a customer's bank login pre-authorised for payments, created in Lean by the
 * LinkSDK and here by the admin API. Building a source and storing it are separate steps, so a
 * payment that creates one can check everything before writing anything.
 */

export interface NewSourceInput {
  customer_id: string;
  bank_identifier?: string;
  holder_name?: string;
}

/** A sandbox account's balance: Lean marks the field deprecated, so one plausible figure will do. */
const SANDBOX_BALANCE = 50_000;
const DEFAULT_HOLDER = 'John Doe';

const sources = (store: SandboxStore) => store.collection<PaymentSourceRecord>(PAYMENT_COLLECTIONS.sources);

/** A new source with one AED current account, not yet stored. */
export function buildSource(store: SandboxStore, app: string, appId: string, input: NewSourceInput): PaymentSourceRecord {
  requireCustomer(store, app, input.customer_id);
  const bankIdentifier = input.bank_identifier ?? DEFAULT_SOURCE_BANK;
  const bank = paymentBank(bankIdentifier);
  if (!bank) throw LeanError.invalidParameter('bank_identifier', bankIdentifier);
  const holderName = input.holder_name === undefined ? DEFAULT_HOLDER : validateName('holder_name', input.holder_name);
  const id = store.newId();
  const now = store.now().toISOString();
  const accountNumber = digitsOf(id, 13);
  return {
    id,
    customer_id: input.customer_id,
    app_id: appId,
    status: 'ACTIVE',
    // The sandbox has no cool-off: a source can be charged at once.
    beneficiary_cool_off_expiry: now,
    bank_identifier: bank.identifier,
    beneficiaries: [],
    accounts: [
      {
        id: store.newId(),
        account_id: store.newId(),
        account_name: 'CURRENT ACCOUNT',
        account_number: accountNumber,
        iban: buildIban('AE', `${bank.ibanCode}000${accountNumber}`),
        balance: SANDBOX_BALANCE,
        currency: 'AED',
        balance_last_updated: now,
      },
    ],
    holder_name: holderName,
    created_at: now,
  };
}

/** The source with a beneficiary for the destination, and the beneficiary if it is new. */
export function withBeneficiary(
  store: SandboxStore,
  source: PaymentSourceRecord,
  destinationId: string,
): { source: PaymentSourceRecord; added: BeneficiaryRecord | null } {
  if (source.beneficiaries.some((beneficiary) => beneficiary.payment_destination_id === destinationId)) return { source, added: null };
  const added: BeneficiaryRecord = {
    id: store.newId(),
    payment_destination_id: destinationId,
    status: 'ACTIVE',
    beneficiary_cool_off_expiry: store.now().toISOString(),
  };
  return { source: { ...source, beneficiaries: [...source.beneficiaries, added] }, added };
}

/** Stores a source built above and tells the app what is new about it. */
export function commitSource(store: SandboxStore, app: string, source: PaymentSourceRecord, isNew: boolean, added: BeneficiaryRecord | null): void {
  sources(store).set(app, source.id, source);
  if (isNew) store.publish(paymentSourceCreated(app, source));
  if (added) store.publish(beneficiaryCreated(app, source, added));
}

/**
 * A customer completes `.connect()` with payments: a new source, with a beneficiary for the
 * destination (the app's default unless named), both announced by webhook.
 */
export function createSource(
  store: SandboxStore,
  app: string,
  appId: string,
  input: NewSourceInput & { payment_destination_id?: string },
): PaymentSourceRecord {
  const destination =
    input.payment_destination_id === undefined ? defaultDestination(store, app) : getDestination(store, app, input.payment_destination_id);
  if (destination?.customer_id !== undefined && destination.customer_id !== input.customer_id) {
    throw paymentErrors.unknownDestination(destination.id);
  }
  const built = buildSource(store, app, appId, input);
  const { source, added } = destination ? withBeneficiary(store, built, destination.id) : { source: built, added: null };
  commitSource(store, app, source, true, added);
  return source;
}

export function listSources(store: SandboxStore, app: string, customerId: string): PaymentSourceRecord[] {
  requireCustomer(store, app, customerId);
  return sources(store).list(app, (source) => source.customer_id === customerId);
}

/** The customer's source; another customer's answers UNKNOWN_PAYMENT_SOURCE like an unknown one. */
export function getSource(store: SandboxStore, app: string, customerId: string, sourceId: string): PaymentSourceRecord {
  requireCustomer(store, app, customerId);
  const source = sources(store).get(app, sourceId);
  if (!source || source.customer_id !== customerId) throw paymentErrors.unknownSource(sourceId);
  return source;
}

export function deleteSource(store: SandboxStore, app: string, customerId: string, sourceId: string): void {
  getSource(store, app, customerId, sourceId);
  sources(store).delete(app, sourceId);
}

/** n decimal digits derived from an id, so a simulated account number is stable for its source. */
function digitsOf(id: string, n: number): string {
  const hex = id.replaceAll('-', '');
  let digits = '';
  for (let i = 0; digits.length < n; i++) digits += String(parseInt(hex[(hex.length - 1 - i) % hex.length]!, 16) % 10);
  return `1${digits.slice(1)}`;
}
