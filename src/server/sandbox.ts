import { Router } from 'express';
import type { FastReadRoutes } from '../app/fast-reads.js';
import type { Clock } from '../app/routing.js';
import { createBanksRouter, loadBanks } from '../lean/banks.js';
import { createConsentsRouter } from '../lean/consents/router.js';
import { createCustomersRouter } from '../lean/customers/router.js';
import { createEventsRouter } from '../lean/events.js';
import { createEntitiesRouter } from '../lean/entities/router.js';
import { createDataRouters, DEFAULT_DATA_DELAY_MS } from '../lean/data/index.js';
import { createInsightsRouter } from '../lean/insights/router.js';
import { createPaymentsRouter } from '../lean/payments/router.js';
import { createPayoutsRouter } from '../lean/payouts/router.js';
import { createVerificationsRouter } from '../lean/verifications/router.js';
import type { LeanPki } from '../pki/lean-pki.js';
import { createAvailabilityAdminRouter } from '../sandbox/availability/admin-router.js';
import { seedBankAvailability } from '../sandbox/availability/availability.js';
import { seedDemo } from '../sandbox/connections.js';
import { createEventLog, type EventLog } from '../sandbox/events/log.js';
import { createConnectionsAdminRouter } from '../sandbox/connections-admin.js';
import { createConsentsAdminRouter } from '../sandbox/consents-admin.js';
import { createPaymentsAdminRouter } from '../sandbox/payments-admin.js';
import { seedPayments } from '../sandbox/payments/seed.js';
import { createPayoutsAdminRouter } from '../sandbox/payouts/admin-router.js';
import { createFaultsAdminRouter } from '../sandbox/faults/admin-router.js';
import { faultInjector } from '../sandbox/faults/injector.js';
import { FaultRegistry } from '../sandbox/faults/registry.js';
import { createScenariosAdminRouter } from '../sandbox/scenarios/admin-router.js';
import { ScenarioController } from '../sandbox/scenarios/controller.js';
import { SandboxStore } from '../sandbox/store/store.js';
import { createWebhooksAdminRouter } from '../sandbox/webhooks/admin-router.js';
import { createWebhookDispatcher, type WebhookDispatcher } from '../sandbox/webhooks/dispatcher.js';
import type { SelfAddresses } from '../sandbox/webhooks/webhook-url.js';

export interface SandboxOptions {
  pki: LeanPki;
  clock: Clock;
  seed?: number;
  /** The day seeded data is dated up to (`YYYY-MM-DD`); default today (UTC). */
  asOf?: string;
  /** Where every app's webhooks go (null or absent: nowhere until set through the admin API). */
  webhookUrl?: string | null;
  /** Multiplies Lean's webhook retry schedule (1, 2, 5, 10, 60, 180 minutes). Default 1. */
  webhookTimeScale?: number;
  /** Where the mock listens: webhook URLs pointing there are refused. */
  self?: () => SelfAddresses;
  /** A scenario (already read from its file) applied on start and after every reset; a bad one throws a ScenarioError. */
  scenario?: unknown;
  /** Where hot reads register to be answered before express (src/app/fast-reads.ts). */
  fast?: FastReadRoutes;
}

/** The Lean products behind the gate and the admin endpoints that steer them, over one store. */
export interface Sandbox {
  readonly store: SandboxStore;
  readonly webhooks: WebhookDispatcher;
  /** Every event, stamped once: the webhooks and `GET /events/v1` both read it. */
  readonly events: EventLog;
  readonly faults: FaultRegistry;
  /** The active scenario: `scenarios.load(…)`, `scenarios.state()`. */
  readonly scenarios: ScenarioController;
  /** Lean's API, mounted after authentication (faults first, so they can hit any route). */
  readonly apiRouters: Router[];
  readonly adminRouters: Router[];
  reset(): void;
  close(): void;
}

export function createSandbox(options: SandboxOptions): Sandbox {
  const { pki, clock } = options;
  const appNames = pki.apps.map((app) => app.name);
  const store = new SandboxStore({ seed: options.seed, asOf: options.asOf, apps: appNames, clock });
  // Order matters: payments seed per app after the demo customers exist.
  store.addSeeder('demo', seedDemo);
  store.addSeeder('payments', seedPayments);
  const banks = loadBanks();
  store.addSeeder('bank availability', seedBankAvailability(banks));
  const events = createEventLog({ store });
  const webhooks = createWebhookDispatcher({
    store: events,
    apps: pki.apps.map((app) => ({ name: app.name, webhookSecret: app.webhookSecret })),
    urlFor: () => options.webhookUrl ?? null,
    clock,
    timeScale: options.webhookTimeScale,
    self: options.self,
  });
  const faults = new FaultRegistry({ apps: appNames, clock });
  // Lean shows the application id (= the app token) on payment sources, consents and AoF payments.
  const appIdOf = (name: string) => pki.apps.find((app) => app.name === name)?.appToken ?? name;
  // Last: a scenario is written over everything seeded before it.
  const scenarios = new ScenarioController(store, faults, appIdOf);
  if (options.scenario !== undefined) scenarios.preload(options.scenario);
  store.addSeeder('scenario', scenarios.seeder);
  scenarios.armOverrides();

  return {
    store,
    webhooks,
    events,
    faults,
    scenarios,
    apiRouters: [
      Router().use(faultInjector(faults)),
      createBanksRouter({ banks, store, fast: options.fast }),
      createEntitiesRouter({ store }),
      createCustomersRouter({ store }),
      // Before payments: its /payments/v1/:payment_id would take /payments/v1/account-on-file.
      createConsentsRouter({ store, appIdOf }),
      createPaymentsRouter({ store }),
      createPayoutsRouter({ store }),
      ...createDataRouters({ store, fast: options.fast }),
      createVerificationsRouter({ store }),
      createInsightsRouter({ store, resultDelayMs: DEFAULT_DATA_DELAY_MS }),
      createEventsRouter({ log: events }),
    ],
    adminRouters: [
      createConnectionsAdminRouter({ store }),
      createPaymentsAdminRouter({ store, appIdOf }),
      createConsentsAdminRouter({ store }),
      createPayoutsAdminRouter({ store }),
      createWebhooksAdminRouter({ dispatcher: webhooks }), createFaultsAdminRouter({ registry: faults }),
      createAvailabilityAdminRouter({ store }),
      createScenariosAdminRouter({ scenarios })],
    reset() {
      store.reset();
      webhooks.clear();
      events.clear();
      faults.clear();
      scenarios.armOverrides();
    },
    close() {
      webhooks.close();
      events.close();
    },
  };
}
