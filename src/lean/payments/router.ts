import { Router } from 'express';
import type { SandboxStore } from '../../sandbox/store/store.js';
import { addDestinationRoutes } from './destination-routes.js';
import { addIntentRoutes } from './intent-routes.js';
import { addSourceRoutes } from './source-routes.js';

/**
 * Lean's payments API (lean-api.md §5, `payments*.yml`): destinations, intents, payments and a
 * customer's payment sources, on the app-scoped sandbox store. Payments themselves are made by
 * the customer in the LinkSDK; the admin router (`src/sandbox/payments-admin.ts`) simulates that.
 */
export function createPaymentsRouter(options: { store: SandboxStore }): Router {
  const router = Router();
  addDestinationRoutes(router, options.store);
  addSourceRoutes(router, options.store);
  addIntentRoutes(router, options.store);
  return router;
}
