import { LeanError } from '../app/errors.js';
import { removeBankData } from './bank-data/save.js';
import type { Collection } from './store/collection.js';
import type { SandboxStore } from './store/store.js';
import { COLLECTIONS, type Entity } from './store/records.js';

/**
 * Entities: a customer's connection to one bank. They are created by the (simulated) LinkSDK
 * connect flow elsewhere; here they are read, listed and deleted. Deleting one removes the bank
 * data fetched through it and leaves a tombstone, because Lean "marks the entity as deleted" and
 * its time-range listing still shows it with status DELETED.
 */

/** Lean's words for an entity it does not know (data.yml, UNKNOWN_ENTITY). */
export function unknownEntity(): LeanError {
  return new LeanError('UNKNOWN_ENTITY', 404, 'The entity_id provided did not match an account in our records.');
}

/** Deleted entities, kept only for the time-range listing; not in COLLECTIONS: no other product reads them. */
const DELETED_ENTITIES = 'deleted_entities';

interface DeletedEntity {
  entity: Entity;
  deleted_at: string;
}

export type EntityStatus = 'ACTIVE' | 'DELETED' | 'DISABLED' | 'REMOVED';

/** Lean's `EntityResponse`: the entity plus its lifecycle, as the time-range listing returns it. */
export type EntityListItem = Entity & { status: EntityStatus; updated_at: string };

function entities(store: SandboxStore): Collection<Entity> {
  return store.collection<Entity>(COLLECTIONS.entities);
}

/** Exactly Lean's `Entity` fields, whatever else a record may carry. */
export function entityView(entity: Entity): Entity {
  const { id, customer_id, bank_identifier, permissions, bank_type, created_at, consents } = entity;
  return { id, customer_id, bank_identifier, permissions: { ...permissions }, bank_type, created_at, consents: [...consents] };
}

/** The customer's live entities, oldest first. */
export function listCustomerEntities(store: SandboxStore, app: string, customerId: string): Entity[] {
  return entities(store).list(app, (entity) => entity.customer_id === customerId);
}

/** The entity, or UNKNOWN_ENTITY: another customer's or app's entity answers like a missing one. */
export function requireCustomerEntity(store: SandboxStore, app: string, customerId: string, entityId: string): Entity {
  const entity = entities(store).get(app, entityId);
  if (!entity || entity.customer_id !== customerId) throw unknownEntity();
  return entity;
}

/** Deletes the entity, its bank session and all the data fetched through it. */
export function deleteEntity(store: SandboxStore, app: string, customerId: string, entityId: string): void {
  const entity = requireCustomerEntity(store, app, customerId, entityId);
  removeBankData(store, app, entity.id);
  store.collection(COLLECTIONS.entitySessions).delete(app, entity.id);
  entities(store).delete(app, entity.id);
  store.collection<DeletedEntity>(DELETED_ENTITIES).set(app, entity.id, { entity, deleted_at: store.now().toISOString() });
}

/** The UTC calendar day of an ISO timestamp, or undefined when it is not one. */
function dayOf(timestamp: string): string | undefined {
  const time = Date.parse(timestamp);
  return Number.isNaN(time) ? undefined : new Date(time).toISOString().slice(0, 10);
}

/**
 * The app's entities, live and deleted, created on a UTC day in [startDate, endDate] (both
 * `YYYY-MM-DD`, inclusive), oldest first.
 */
export function listEntitiesCreatedBetween(store: SandboxStore, app: string, startDate: string, endDate: string): EntityListItem[] {
  const live = entities(store)
    .list(app)
    .map((entity): EntityListItem => ({ ...entityView(entity), status: 'ACTIVE', updated_at: entity.created_at }));
  const deleted = store
    .collection<DeletedEntity>(DELETED_ENTITIES)
    .list(app)
    .map(({ entity, deleted_at }): EntityListItem => ({ ...entityView(entity), status: 'DELETED', updated_at: deleted_at }));
  const inRange = (item: EntityListItem): boolean => {
    const day = dayOf(item.created_at);
    return day !== undefined && day >= startDate && day <= endDate;
  };
  return [...live, ...deleted].filter(inRange).sort((a, b) => Date.parse(a.created_at) - Date.parse(b.created_at));
}
