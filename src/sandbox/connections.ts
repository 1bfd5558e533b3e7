import { LeanError } from '../app/errors.js';
import { generateBankData } from './bank-data/generate.js';
import { bankProfile, type BankProfile } from './bank-data/profile.js';
import { SANDBOX_LIMITS, sandboxLimitReached } from './limits.js';
import { SAVED_COLLECTIONS, saveBankData } from './bank-data/save.js';
import { seededRandom, type SeededRandom } from './random.js';
import { COLLECTIONS, type Customer, type Entity, type EntityPermissions, type EntitySession } from './store/records.js';
import type { SandboxStore } from './store/store.js';

/**
 * What the LinkSDK's `.connect()` and `.reconnect()` do to the sandbox: a customer links a bank
 * (an entity appears with a year of the bank's data, and Lean tells the app with
 * `entity.created`), the bank session later expires (data calls then need a reconnect), and the
 * customer reconnects (`entity.reconnected`). Every read and write is scoped to the app, so
 * another app's entity answers the same 404 as an unknown one.
 */

export const SESSIONS_COLLECTION = COLLECTIONS.entitySessions;
export const DEFAULT_BANK_IDENTIFIER = 'LEAN_OF_RETAIL_UAE';
/** The `app_user_id` of the customer every app's sandbox starts with. */
export const DEMO_APP_USER_ID = 'demo-customer';

// Lean's wording for an unknown entity (data.yml); no public source shows the customer one.
export const unknownEntity = (): LeanError =>
  new LeanError('UNKNOWN_ENTITY', 404, 'The entity_id provided did not match an account in our records.');
export const unknownCustomer = (): LeanError =>
  new LeanError('UNKNOWN_CUSTOMER', 404, 'The customer_id provided did not match a customer in our records.');

export interface ConnectRequest {
  customerId: string;
  /** Default LEAN_OF_RETAIL_UAE, the only bank with a data profile so far. */
  bankIdentifier?: string;
  /** Default: a new id from the store. Seeders pass one drawn from their seeded source. */
  entityId?: string;
  /** The source of the bank's data. Default: the store's seed forked by the entity id, so the same seed and id give the same data. */
  random?: SeededRandom;
}

/** A simulated LinkSDK connect: the entity and its data, an active session, and `entity.created`. */
export function connectEntity(store: SandboxStore, app: string, request: ConnectRequest): Entity {
  const identifier = request.bankIdentifier ?? DEFAULT_BANK_IDENTIFIER;
  const profile = bankProfile(identifier);
  if (!profile) throw LeanError.invalidParameter('bank_identifier', identifier);
  const customer = store.collection<Customer>(COLLECTIONS.customers).get(app, request.customerId);
  if (!customer) throw unknownCustomer();
  if (store.collection<Entity>(COLLECTIONS.entities).countOf(app) >= SANDBOX_LIMITS.entitiesPerApp) {
    throw sandboxLimitReached('entities', SANDBOX_LIMITS.entitiesPerApp);
  }
  const entity = link(store, app, customer, profile, request.entityId ?? store.newId(), request.random);
  store.publish({ app, type: 'entity.created', payload: webhookPayload(customer, entity, profile), message: 'An entity object has been created.' });
  return entity;
}

function link(
  store: SandboxStore,
  app: string,
  customer: Customer,
  profile: BankProfile,
  entityId: string,
  random?: SeededRandom,
  asOf: Date = store.now(),
): Entity {
  const data = generateBankData({
    random: random ?? seededRandom(store.seed).fork(`entity:${entityId}`),
    asOf,
    customerId: customer.customer_id,
    entityId,
    profile,
  });
  saveBankData(store, app, data);
  startSession(store, app, entityId);
  return data.entity;
}

function startSession(store: SandboxStore, app: string, entityId: string): void {
  store.collection<EntitySession>(SESSIONS_COLLECTION).set(app, entityId, { entity_id: entityId, state: 'ACTIVE', reconnect_id: null });
}

function entityOf(store: SandboxStore, app: string, entityId: string): Entity {
  const entity = store.collection<Entity>(COLLECTIONS.entities).get(app, entityId);
  if (!entity) throw unknownEntity();
  return entity;
}

/** The entity's bank session; UNKNOWN_ENTITY for an entity the app does not have. */
export function sessionOf(store: SandboxStore, app: string, entityId: string): EntitySession {
  entityOf(store, app, entityId);
  return store.collection<EntitySession>(SESSIONS_COLLECTION).get(app, entityId) ?? { entity_id: entityId, state: 'ACTIVE', reconnect_id: null };
}

/**
 * The bank session ends (Lean's "Expire session"): data calls answer RECONNECT_REQUIRED with the
 * reconnect id until the customer reconnects. Expiring an expired session keeps its reconnect id,
 * so an app holding it can still reconnect.
 */
export function expireSession(store: SandboxStore, app: string, entityId: string): EntitySession {
  const session = sessionOf(store, app, entityId);
  if (session.state === 'RECONNECT_REQUIRED') return session;
  const expired: EntitySession = { entity_id: entityId, state: 'RECONNECT_REQUIRED', reconnect_id: store.newId() };
  return store.collection<EntitySession>(SESSIONS_COLLECTION).set(app, entityId, expired);
}

/** The customer reconnects: the session is active again and Lean sends `entity.reconnected`. An active session stays as it is. */
export function reconnect(store: SandboxStore, app: string, entityId: string): EntitySession {
  const entity = entityOf(store, app, entityId);
  const session = sessionOf(store, app, entityId);
  if (session.state === 'ACTIVE') return session;
  const active = store.collection<EntitySession>(SESSIONS_COLLECTION).set(app, entityId, { entity_id: entityId, state: 'ACTIVE', reconnect_id: null });
  const customer = store.collection<Customer>(COLLECTIONS.customers).get(app, entity.customer_id);
  const profile = bankProfile(entity.bank_identifier);
  store.publish({
    app,
    type: 'entity.reconnected',
    payload: { ...webhookPayload(customer, entity, profile), reconnect_id: session.reconnect_id },
    message: 'An entity object has been reconnected.',
  });
  return active;
}

/** Lean's order of permission names in its webhook samples. */
const PERMISSION_ORDER: (keyof EntityPermissions)[] = [
  'transactions', 'balance', 'identity', 'identities', 'accounts', 'standing_orders', 'direct_debits', 'scheduled_payments', 'beneficiaries',
];

/** The payload of Lean's entity webhooks: the entity, the granted permissions by name, and the bank. */
function webhookPayload(customer: Customer | undefined, entity: Entity, profile: BankProfile | undefined): Record<string, unknown> {
  return {
    id: entity.id,
    app_user_id: customer?.app_user_id ?? null,
    customer_id: entity.customer_id,
    permissions: PERMISSION_ORDER.filter((permission) => entity.permissions[permission]),
    bank_details: profile ? { ...profile.bank_details } : { identifier: entity.bank_identifier },
  };
}

/**
 * Seeds every app's sandbox with a ready customer (`demo-customer`) connected to the UAE mock
 * bank, so an app can call the data API before it has built its LinkSDK flow. Ids come from the
 * seeded source: the same seed gives the same ids on every start and reset. No webhooks: nobody
 * has done anything yet.
 */
export function seedDemo(store: SandboxStore, random: SeededRandom): void {
  const customers = store.collection<Customer>(COLLECTIONS.customers);
  for (const app of store.apps) {
    const draws = random.fork(`demo:${app}`);
    const customerId = draws.uuid();
    const entityId = draws.uuid();
    const customer =
      customers.list(app, (c) => c.app_user_id === DEMO_APP_USER_ID)[0] ??
      customers.set(app, customerId, { customer_id: customerId, app_user_id: DEMO_APP_USER_ID, created_at: store.seededAt.toISOString() });
    // Dated to the seeding day, not the instant: two starts on the same day seed the same bytes.
    // Generated on first use of the data (store.defer): the same draws, so the same records.
    const bankData = draws.fork('bank-data');
    const owner = customer.customer_id;
    // The bank's profile too: read and validated with the data, not on every start.
    store.defer(SAVED_COLLECTIONS, () => {
      const profile = bankProfile(DEFAULT_BANK_IDENTIFIER)!;
      saveBankData(store, app, generateBankData({ random: bankData, asOf: store.seededAt, customerId: owner, entityId, profile }));
    });
    startSession(store, app, entityId);
  }
}
