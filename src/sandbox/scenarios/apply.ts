import { saveBankData } from '../bank-data/save.js';
import { bankProfile } from '../bank-data/profile.js';
import { SESSIONS_COLLECTION } from '../connections.js';
import { bankByIbanCode, DEFAULT_SOURCE_BANK, paymentBank } from '../payments/banks.js';
import { buildIban, uaeBankCode } from '../payments/iban.js';
import { PAYMENT_COLLECTIONS, type PaymentDestinationRecord, type PaymentSourceRecord } from '../payments/records.js';
import type { SeededRandom } from '../random.js';
import { COLLECTIONS, type Account, type Balance, type Customer, type EntitySession } from '../store/records.js';
import type { SandboxStore } from '../store/store.js';
import { scenarioBankData } from './bank-data.js';
import type { CustomerSpec, DestinationSpec, PaymentSourceSpec, Scenario } from './schema.js';

/**
 * Writes a checked scenario into the store, as a seeder: after the demo data and the payment
 * seeds, from the seeded random, dated to the seeding day, so the same scenario and seed give the
 * same records (and ids) on every start and reset. It writes the collections the products read
 * (customers, entities and their bank data, payment sources and destinations), so every product
 * answers from it with no scenario-specific code of its own.
 */

export interface AccountSummary {
  account_id: string;
  name: string;
  type: string;
  currency: string;
  iban: string | null;
  /** The available balance now (negative: owed). */
  balance: number;
  transactions: number;
}

export interface EntitySummary {
  entity_id: string;
  bank_identifier: string;
  accounts: AccountSummary[];
}

export interface CustomerSummary {
  app: string;
  customer_id: string;
  app_user_id: string;
  entities: EntitySummary[];
  payment_sources: { id: string; bank_identifier: string; accounts: { account_id: string; iban: string }[] }[];
  payment_destinations: { id: string; iban: string | null }[];
}

/** What a scenario created, with every id: the answer of `POST`/`GET /admin/v1/scenarios`. */
export interface ScenarioSummary {
  customers: CustomerSummary[];
  payment_destinations: { app: string; id: string; iban: string | null; default: boolean }[];
}

export interface ApplyOptions {
  /** The app id Lean shows as a payment source's `app_id` (the app token). */
  appIdOf: (app: string) => string;
}

export function applyScenario(store: SandboxStore, random: SeededRandom, scenario: Scenario, options: ApplyOptions): ScenarioSummary {
  const defaultApp = store.apps[0]!;
  const summary: ScenarioSummary = { customers: [], payment_destinations: [] };
  (scenario.payment_destinations ?? []).forEach((spec, d) => {
    const app = spec.app ?? defaultApp;
    const record = putDestination(store, app, spec, random.fork(`payment_destinations[${d}]`), undefined);
    summary.payment_destinations.push({ app, id: record.id, iban: record.iban ?? null, default: record.default });
  });
  (scenario.customers ?? []).forEach((spec, c) => {
    summary.customers.push(applyCustomer(store, spec, random.fork(`customers[${c}]`), { ...options, app: spec.app ?? defaultApp }));
  });
  return summary;
}

function applyCustomer(store: SandboxStore, spec: CustomerSpec, random: SeededRandom, options: ApplyOptions & { app: string }): CustomerSummary {
  const { app } = options;
  const customerId = spec.customer_id ?? random.fork('customer').uuid();
  const customer: Customer = { customer_id: customerId, app_user_id: spec.app_user_id, created_at: store.seededAt.toISOString() };
  if (spec.government_identifiers) customer.government_identifiers = spec.government_identifiers.map((id) => ({ ...id }));
  store.collection<Customer>(COLLECTIONS.customers).set(app, customerId, customer);

  const entities = (spec.entities ?? []).map((entitySpec, e): EntitySummary => {
    const draws = random.fork(`entities[${e}]`);
    const entityId = entitySpec.entity_id ?? draws.fork('entity').uuid();
    const profile = bankProfile(entitySpec.bank_identifier)!;
    const data = scenarioBankData({ spec: entitySpec, profile, customerId, entityId, random: draws, asOf: store.seededAt });
    saveBankData(store, app, data);
    store.collection<EntitySession>(SESSIONS_COLLECTION).set(app, entityId, { entity_id: entityId, state: 'ACTIVE', reconnect_id: null });
    return { entity_id: entityId, bank_identifier: entitySpec.bank_identifier, accounts: data.accounts.map((account) => accountSummary(account, data.balances, data.transactions)) };
  });
  const destinations = (spec.payment_destinations ?? []).map((destination, d) => {
    const record = putDestination(store, app, destination, random.fork(`payment_destinations[${d}]`), customerId);
    return { id: record.id, iban: record.iban ?? null };
  });
  const sources = (spec.payment_sources ?? []).map((source, s) => {
    const record = putSource(store, app, options.appIdOf(app), customerId, source, random.fork(`payment_sources[${s}]`));
    return { id: record.id, bank_identifier: record.bank_identifier, accounts: record.accounts.map((account) => ({ account_id: account.account_id, iban: account.iban })) };
  });
  return { app, customer_id: customerId, app_user_id: spec.app_user_id, entities, payment_sources: sources, payment_destinations: destinations };
}

function accountSummary(account: Account, balances: readonly Balance[], transactions: readonly { account_id: string }[]): AccountSummary {
  const closing = balances.find((balance) => balance.account_id === account.account_id && balance.type === 'CLOSING_AVAILABLE');
  const amount = closing ? closing.amount.amount * (closing.credit_debit_indicator === 'DEBIT' ? -1 : 1) : 0;
  return {
    account_id: account.account_id,
    name: account.nickname,
    type: account.account_sub_type,
    currency: account.currency,
    iban: account.account.find((identification) => identification.scheme_name === 'IBAN')?.identification ?? null,
    balance: amount,
    transactions: transactions.filter((t) => t.account_id === account.account_id).length,
  };
}

/** A UAE account number: the IBAN's digits after the bank code, leading zeros dropped. */
const accountNumberOf = (iban: string): string => iban.slice(7).replace(/^0+(?=\d)/, '');

function putDestination(store: SandboxStore, app: string, spec: DestinationSpec, random: SeededRandom, customerId: string | undefined): PaymentDestinationRecord {
  const destinations = store.collection<PaymentDestinationRecord>(PAYMENT_COLLECTIONS.destinations);
  if (spec.default) {
    // One default per app: the scenario's replaces the seeded one.
    for (const other of destinations.list(app, (destination) => destination.default)) destinations.set(app, other.id, { ...other, default: false });
  }
  const bank = bankByIbanCode(uaeBankCode(spec.iban));
  const record: PaymentDestinationRecord = {
    id: spec.id ?? random.uuid(),
    status: 'ACTIVE',
    default: spec.default ?? false,
    name: spec.name,
    display_name: spec.display_name ?? spec.name,
    address: spec.address ?? 'Sandbox address',
    city: spec.city ?? 'Dubai',
    country: spec.country ?? 'ARE',
    account_number: accountNumberOf(spec.iban),
    iban: spec.iban,
    ...(spec.swift_code !== undefined ? { swift_code: spec.swift_code } : {}),
    currency: spec.currency ?? 'AED',
    ...(customerId !== undefined ? { customer_id: customerId } : {}),
    ...(bank ? { bank_identifier: bank.identifier } : {}),
    created_at: store.seededAt.toISOString(),
  };
  return destinations.set(app, record.id, record);
}

/** A source as `.connect()` with payments leaves it: its accounts, and a beneficiary for the app's default destination. */
function putSource(store: SandboxStore, app: string, appId: string, customerId: string, spec: PaymentSourceSpec, random: SeededRandom): PaymentSourceRecord {
  const bank = paymentBank(spec.bank_identifier ?? DEFAULT_SOURCE_BANK)!;
  const at = store.seededAt.toISOString();
  const accounts = (spec.accounts ?? [{}]).map((account, a) => {
    const draws = random.fork(`accounts[${a}]`);
    const generatedNumber = `1${String(draws.int(0, 999_999_999_999)).padStart(12, '0')}`;
    const iban = account.iban ?? buildIban('AE', `${bank.ibanCode}000${generatedNumber}`);
    return {
      id: draws.uuid(),
      account_id: account.account_id ?? draws.uuid(),
      account_name: account.account_name ?? 'CURRENT ACCOUNT',
      account_number: accountNumberOf(iban),
      iban,
      balance: account.balance ?? 50_000,
      currency: account.currency ?? 'AED',
      balance_last_updated: at,
    };
  });
  const destination = store.collection<PaymentDestinationRecord>(PAYMENT_COLLECTIONS.destinations).list(app, (d) => d.default)[0];
  const record: PaymentSourceRecord = {
    id: spec.id ?? random.uuid(),
    customer_id: customerId,
    app_id: appId,
    status: 'ACTIVE',
    beneficiary_cool_off_expiry: at,
    bank_identifier: bank.identifier,
    beneficiaries: destination ? [{ id: random.fork('beneficiary').uuid(), payment_destination_id: destination.id, status: 'ACTIVE', beneficiary_cool_off_expiry: at }] : [],
    accounts,
    holder_name: spec.holder_name ?? 'John Doe',
    created_at: at,
  };
  return store.collection<PaymentSourceRecord>(PAYMENT_COLLECTIONS.sources).set(app, record.id, record);
}
