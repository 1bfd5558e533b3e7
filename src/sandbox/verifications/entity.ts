import { customerOf, entityAccounts, entityIdentities, reconnectIdOf, requireEntity } from '../data-access.js';
import type { SandboxStore } from '../store/store.js';
import { LEAN_TEST_NATIONAL_IDS } from './outcomes.js';
import { compareNames, type NameComparison } from './names.js';

/**
 * The verifications of a connected entity: its holder's name (UAE name verification) and its
 * ownership by an identification (KSA entity verification), both against the entity's own data
 * as the data API serves it. UNKNOWN_ENTITY for an entity the app does not have.
 */

export interface NameVerification {
  /** Set while the bank session needs the user again: nothing can be read. */
  reconnectId: string | null;
  retrieved: string;
  comparison: NameComparison;
}

/** The name on the entity's accounts (its identity's legal name if it has no account). */
export function verifyEntityName(store: SandboxStore, app: string, entityId: string, fullName: string): NameVerification {
  const entity = requireEntity(store, app, entityId);
  const retrieved =
    entityAccounts(store, app, entity.id)[0]?.account_holder_name ?? entityIdentities(store, app, entity.id)[0]?.full_legal_name ?? '';
  return { reconnectId: reconnectIdOf(store, app, entity.id), retrieved, comparison: compareNames(fullName, retrieved) };
}

export interface EntityOwnership {
  reconnectId: string | null;
  verified: boolean;
  ibans: { iban: string; verified: boolean }[];
}

/**
 * Verified when every identification is the customer's: a government identifier it holds (exact,
 * on letters and digits), Lean's sandbox test national id, or — for FULL_NAME — a MATCH with the
 * entity's holder name. Every IBAN of the entity shares the answer: the sandbox has one holder per entity.
 */
export function verifyEntityOwnership(
  store: SandboxStore,
  app: string,
  entityId: string,
  identifications: readonly { type: string; value: string }[],
): EntityOwnership {
  const entity = requireEntity(store, app, entityId);
  const accounts = entityAccounts(store, app, entity.id);
  const holder = accounts[0]?.account_holder_name ?? entityIdentities(store, app, entity.id)[0]?.full_legal_name ?? '';
  const own = new Set([...(customerOf(store, app, entity)?.government_identifiers ?? []).map((id) => id.value), ...LEAN_TEST_NATIONAL_IDS].map(compact));
  const verified = identifications.every((id) => (id.type === 'FULL_NAME' ? compareNames(id.value, holder).match === 'MATCH' : own.has(compact(id.value))));
  const ibans = accounts
    .flatMap((account) => account.account.filter((id) => id.scheme_name === 'IBAN').map((id) => id.identification))
    .sort()
    .map((iban) => ({ iban, verified }));
  return { reconnectId: reconnectIdOf(store, app, entity.id), verified, ibans };
}

function compact(id: string): string {
  return id.replace(/[^0-9A-Za-z]/g, '').toUpperCase();
}
