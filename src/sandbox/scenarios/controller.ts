import type { FaultRegistry } from '../faults/registry.js';
import { PAYMENT_COLLECTIONS } from '../payments/records.js';
import type { SeededRandom } from '../random.js';
import { COLLECTIONS } from '../store/records.js';
import type { SandboxStore } from '../store/store.js';
import { applyScenario, type ScenarioSummary } from './apply.js';
import { ScenarioError } from './errors.js';
import type { Scenario } from './schema.js';
import { overrideFault, parseScenario } from './validate.js';

/**
 * The sandbox's active scenario: applied by a seeder (so every reset re-applies it with the rest
 * of the seeded data) and its overrides armed as fallback faults (so a test's own `use()` or an
 * admin fault still wins). Loading a new one is all or nothing: it is checked whole first, and
 * only then does the store go back to the seeded state with it.
 */

export interface ScenarioState {
  /** The scenario as parsed (ids lower-cased), or null when none is loaded. */
  scenario: Scenario | null;
  /** What it created, with every id. */
  created: ScenarioSummary | null;
  /** The faults its overrides armed (`GET /admin/v1/faults` lists them). */
  override_fault_ids: string[];
}

/** What a mock's user steers (`mock.scenarios`): the seeding and arming stay the sandbox's. */
export interface ScenarioControls {
  /** Replaces the active scenario (null: none), back to the seeded state plus it; throws a ScenarioError, changing nothing, for a bad one. */
  load(input: unknown): ScenarioState;
  /** The active scenario and what it created (`GET /admin/v1/scenarios`). */
  state(): ScenarioState;
  /** Checks a scenario against this sandbox without applying it. */
  check(input: unknown): Scenario;
}

/** Collections whose keys are record ids a scenario may name. */
const ID_COLLECTIONS = [
  COLLECTIONS.customers,
  COLLECTIONS.entities,
  COLLECTIONS.accounts,
  COLLECTIONS.transactions,
  PAYMENT_COLLECTIONS.sources,
  PAYMENT_COLLECTIONS.destinations,
];

export class ScenarioController implements ScenarioControls {
  private active: Scenario | null = null;
  private created: ScenarioSummary | null = null;
  private written = new Set<string>();
  private overrideIds: string[] = [];

  constructor(
    private readonly store: SandboxStore,
    private readonly faults: FaultRegistry,
    private readonly appIdOf: (app: string) => string,
  ) {}

  /** Checks a scenario against this sandbox without applying it; throws a ScenarioError. */
  check(input: unknown): Scenario {
    return parseScenario(input, { apps: this.store.apps, taken: (id) => this.takenBySeededData(id) });
  }

  /** Sets the scenario the seeder will apply, before the sandbox is first seeded. */
  preload(input: unknown): void {
    this.active = this.check(input);
  }

  /** The seeder: writes the active scenario (if any) over the freshly seeded store. */
  readonly seeder = (store: SandboxStore, random: SeededRandom): void => {
    this.written = new Set();
    this.created = null;
    if (!this.active) return;
    const before = new Set(ID_COLLECTIONS.flatMap((name) => store.collection(name).entries().map((entry) => entry.id)));
    const clash = namedIds(this.active).find(({ id }) => before.has(id));
    if (clash) throw new ScenarioError(clash.path, "id already used by the sandbox's seeded data");
    this.created = applyScenario(store, random, this.active, { appIdOf: this.appIdOf });
    for (const name of ID_COLLECTIONS) for (const { id } of store.collection(name).entries()) if (!before.has(id)) this.written.add(id);
  };

  /**
   * Replaces the active scenario (null: none) and puts the store back to the seeded state with
   * it. A scenario that fails its checks changes nothing.
   */
  load(input: unknown): ScenarioState {
    const next = input === null ? null : this.check(input);
    const previous = this.active;
    this.active = next;
    try {
      this.store.reset();
    } catch (error) {
      // Only a clash with seeded data the checks could not see (a seeded record deleted since) lands here.
      this.active = previous;
      this.store.reset();
      throw error;
    }
    this.armOverrides();
    return this.state();
  }

  /** Arms the active scenario's overrides; call after the fault registry was cleared (reset) or on load. */
  armOverrides(): void {
    for (const id of this.overrideIds) this.faults.remove(id);
    this.overrideIds = (this.active?.overrides ?? []).map((override) => this.faults.add(overrideFault(override), { fallback: true }).id);
  }

  state(): ScenarioState {
    return { scenario: this.active, created: this.created, override_fault_ids: [...this.overrideIds] };
  }

  private takenBySeededData(id: string): boolean {
    if (this.written.has(id)) return false;
    return ID_COLLECTIONS.some((name) => this.store.collection(name).ownerOf(id) !== undefined);
  }
}

/** Every id the scenario names, with its path. */
function namedIds(scenario: Scenario): { id: string; path: string }[] {
  const out: { id: string; path: string }[] = [];
  const add = (path: string, id: string | undefined): void => {
    if (id !== undefined) out.push({ id, path });
  };
  (scenario.payment_destinations ?? []).forEach((d, i) => add(`payment_destinations[${i}].id`, d.id));
  (scenario.customers ?? []).forEach((customer, c) => {
    const at = `customers[${c}]`;
    add(`${at}.customer_id`, customer.customer_id);
    (customer.entities ?? []).forEach((entity, e) => {
      add(`${at}.entities[${e}].entity_id`, entity.entity_id);
      (entity.accounts ?? []).forEach((account, a) => {
        add(`${at}.entities[${e}].accounts[${a}].account_id`, account.account_id);
        (account.transactions ?? []).forEach((t, i) => add(`${at}.entities[${e}].accounts[${a}].transactions[${i}].transaction_id`, t.transaction_id));
      });
    });
    (customer.payment_sources ?? []).forEach((s, i) => add(`${at}.payment_sources[${i}].id`, s.id));
    (customer.payment_destinations ?? []).forEach((d, i) => add(`${at}.payment_destinations[${i}].id`, d.id));
  });
  return out;
}
