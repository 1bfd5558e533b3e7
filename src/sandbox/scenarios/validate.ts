import { LeanError } from '../../app/errors.js';
import { isValidIban } from '../bank-data/iban.js';
import { bankProfile, connectableBanks } from '../bank-data/profile.js';
import { DEMO_APP_USER_ID } from '../connections.js';
import { FaultSpecSchema, type FaultSpecInput } from '../faults/schemas.js';
import { SANDBOX_LIMITS } from '../limits.js';
import { paymentBank, PAYMENT_BANKS } from '../payments/banks.js';
import { validateIban } from '../payments/iban.js';
import { fromZodIssue, ScenarioError } from './errors.js';
import { ScenarioSchema, type OverrideSpec, type Scenario } from './schema.js';

/**
 * A scenario checked whole before anything is applied: its shape (./schema.ts), then what needs
 * the sandbox — apps that exist, banks that can be connected, products the bank's region
 * carries, IBANs that are IBANs, ids used once, the sandbox's caps. The first problem throws a
 * {@link ScenarioError} naming its path; nothing has been touched by then.
 */

export interface ScenarioContext {
  /** The apps of the certificate folder, the default app first. */
  apps: readonly string[];
  /** Whether the sandbox already holds a record with this id (its seeded data). */
  taken?: (id: string) => boolean;
}

/** Transactions in one scenario, all accounts together: enough for years of busy accounts, not a heap exhausted by a typo. */
export const MAX_SCENARIO_TRANSACTIONS = 200_000;

export function parseScenario(input: unknown, context: ScenarioContext): Scenario {
  const parsed = ScenarioSchema().safeParse(input);
  if (!parsed.success) throw fromZodIssue(parsed.error.issues[0]!, input);
  const scenario = parsed.data;
  checkScenario(scenario, context);
  return scenario;
}

function checkScenario(scenario: Scenario, context: ScenarioContext): void {
  const appAt = (path: string, app: string | undefined): string => {
    const name = app ?? context.apps[0]!;
    if (!context.apps.includes(name)) throw new ScenarioError(path, `no app named ${JSON.stringify(name)} (apps: ${context.apps.join(', ')})`);
    return name;
  };
  const ids = new Map<string, string>();
  const claim = (path: string, id: string | undefined): void => {
    if (id === undefined) return;
    const earlier = ids.get(id);
    if (earlier !== undefined) throw new ScenarioError(path, `id already used at ${earlier}`);
    if (context.taken?.(id)) throw new ScenarioError(path, 'id already used by the sandbox\'s seeded data');
    ids.set(id, path);
  };
  const users = new Map<string, string>();
  const counts = new Map<string, { customers: number; entities: number }>();
  let transactions = 0;

  (scenario.customers ?? []).forEach((customer, c) => {
    const at = `customers[${c}]`;
    const app = appAt(`${at}.app`, customer.app);
    claim(`${at}.customer_id`, customer.customer_id);
    if (customer.app_user_id === DEMO_APP_USER_ID) throw new ScenarioError(`${at}.app_user_id`, `${DEMO_APP_USER_ID} is the seeded demo customer's; choose another`);
    const user = `${app}\u0000${customer.app_user_id}`;
    const earlier = users.get(user);
    if (earlier !== undefined) throw new ScenarioError(`${at}.app_user_id`, `${app} already has this app_user_id at ${earlier}`);
    users.set(user, `${at}.app_user_id`);
    const count = counts.get(app) ?? { customers: 0, entities: 0 };
    counts.set(app, count);
    // The seeded demo customer and its entity count too.
    if (++count.customers >= SANDBOX_LIMITS.customersPerApp) throw new ScenarioError(at, `more than ${SANDBOX_LIMITS.customersPerApp - 1} customers for ${app}`);

    (customer.entities ?? []).forEach((entity, e) => {
      const entityAt = `${at}.entities[${e}]`;
      claim(`${entityAt}.entity_id`, entity.entity_id);
      if (++count.entities >= SANDBOX_LIMITS.entitiesPerApp) throw new ScenarioError(entityAt, `more than ${SANDBOX_LIMITS.entitiesPerApp - 1} entities for ${app}`);
      const profile = bankProfile(entity.bank_identifier);
      if (!profile) throw new ScenarioError(`${entityAt}.bank_identifier`, `expected one of ${connectableBanks().join(', ')}`);
      (entity.accounts ?? []).forEach((account, a) => {
        const accountAt = `${entityAt}.accounts[${a}]`;
        claim(`${accountAt}.account_id`, account.account_id);
        if (!profile.region.accountSubTypes.includes(account.type)) {
          throw new ScenarioError(`${accountAt}.type`, `${entity.bank_identifier} has no ${account.type} accounts (it has ${profile.region.accountSubTypes.join(', ')})`);
        }
        if (account.iban !== undefined) {
          if (!isValidIban(account.iban)) throw new ScenarioError(`${accountAt}.iban`, 'not an IBAN (its check digits do not match)');
          if (!account.iban.startsWith(profile.country)) throw new ScenarioError(`${accountAt}.iban`, `${entity.bank_identifier} is a ${profile.country} bank: expected a ${profile.country} IBAN`);
          claim(`${accountAt}.iban`, account.iban);
        }
        (account.transactions ?? []).forEach((transaction, t) => claim(`${accountAt}.transactions[${t}].transaction_id`, transaction.transaction_id));
        transactions += account.transactions?.length ?? 0;
        if (transactions > MAX_SCENARIO_TRANSACTIONS) throw new ScenarioError(`${accountAt}.transactions`, `more than ${MAX_SCENARIO_TRANSACTIONS} transactions in the scenario`);
      });
    });

    (customer.payment_sources ?? []).forEach((source, s) => {
      const sourceAt = `${at}.payment_sources[${s}]`;
      claim(`${sourceAt}.id`, source.id);
      if (source.bank_identifier !== undefined && !paymentBank(source.bank_identifier)) {
        throw new ScenarioError(`${sourceAt}.bank_identifier`, `expected one of ${PAYMENT_BANKS.map((bank) => bank.identifier).join(', ')}`);
      }
      (source.accounts ?? []).forEach((account, a) => {
        claim(`${sourceAt}.accounts[${a}].account_id`, account.account_id);
        if (account.iban !== undefined) checkPaymentIban(`${sourceAt}.accounts[${a}].iban`, account.iban);
      });
    });
    checkDestinations(`${at}.payment_destinations`, customer.payment_destinations ?? [], claim);
    (customer.payment_destinations ?? []).forEach((destination, d) => {
      if (destination.default) throw new ScenarioError(`${at}.payment_destinations[${d}].default`, "only the app's own destinations (top-level payment_destinations) can be the default");
    });
  });

  checkDestinations('payment_destinations', scenario.payment_destinations ?? [], claim);
  const defaults = new Map<string, string>();
  (scenario.payment_destinations ?? []).forEach((destination, d) => {
    const app = appAt(`payment_destinations[${d}].app`, destination.app);
    if (!destination.default) return;
    const earlier = defaults.get(app);
    if (earlier !== undefined) throw new ScenarioError(`payment_destinations[${d}].default`, `${app} already has a default destination at ${earlier}`);
    defaults.set(app, `payment_destinations[${d}]`);
  });

  (scenario.overrides ?? []).forEach((override, o) => {
    if (override.app !== undefined) appAt(`overrides[${o}].app`, override.app);
    checkOverride(`overrides[${o}]`, override);
  });
}

function checkDestinations(at: string, destinations: Scenario['payment_destinations'] & object, claim: (path: string, id: string | undefined) => void): void {
  destinations.forEach((destination, d) => {
    claim(`${at}[${d}].id`, destination.id);
    checkPaymentIban(`${at}[${d}].iban`, destination.iban);
  });
}

/** Lean pays only within the UAE: a source's or destination's IBAN must be a valid AE one. */
function checkPaymentIban(path: string, iban: string): void {
  try {
    validateIban(iban);
  } catch (error) {
    const reason = error instanceof LeanError ? /\(([^)]*)\)/.exec(error.message)?.[1] : undefined;
    throw new ScenarioError(path, `not a valid IBAN${reason ? ` (${reason})` : ''}`);
  }
  if (!iban.startsWith('AE')) throw new ScenarioError(path, "Lean's payments are available in the UAE only: expected an AE IBAN");
}

/** The fault an override arms (count null: every matching request until the next reset). */
export function overrideFault(override: OverrideSpec): FaultSpecInput {
  const { method, path, app, times, ...action } = override;
  return {
    match: { path, ...(method !== undefined ? { method } : {}), ...(app !== undefined ? { app } : {}) },
    count: times ?? null,
    fault: action,
  };
}

/** The fault registry's own rules (status range, body only with a status, …), its field named as the override's. */
function checkOverride(at: string, override: OverrideSpec): void {
  const spec = overrideFault(override);
  const parsed = FaultSpecSchema().safeParse(spec);
  if (parsed.success) return;
  const issue = parsed.error.issues[0]!;
  const [group, field] = issue.path as [string, ...PropertyKey[]];
  const own = group === 'count' ? ['times'] : field === undefined ? [] : [field, ...issue.path.slice(2)];
  const worded = fromZodIssue({ ...issue, path: own } as typeof issue, override);
  throw new ScenarioError(worded.path ? `${at}.${worded.path}` : at, worded.detail);
}
