import request from 'supertest';
import { createDataRouters } from '../../src/lean/data/index.js';
import { createInsightsRouter } from '../../src/lean/insights/router.js';
import { DEMO_APP_USER_ID, seedDemo } from '../../src/sandbox/connections.js';
import { createInsightsService, type InsightsService } from '../../src/sandbox/insights/service.js';
import type { SandboxStore } from '../../src/sandbox/store/store.js';
import { COLLECTIONS, type Customer, type Entity } from '../../src/sandbox/store/records.js';
import { sandboxApp, testStore } from './sandbox-app.js';

/** The seeded sandbox (the demo customer's year at the UAE mock bank) behind the data and insights routers. */
export interface InsightsFixture {
  store: SandboxStore;
  service: InsightsService;
  entityId: string;
  app: ReturnType<typeof sandboxApp>;
  get(path: string, caller?: string): request.Test;
  post(path: string, body: unknown, caller?: string): request.Test;
}

export const RESULT_DELAY_MS = 50;

export function insightsFixture(seed = 7): InsightsFixture {
  const store = testStore({ seed });
  store.addSeeder('demo', seedDemo);
  const service = createInsightsService(store);
  const app = sandboxApp([...createDataRouters({ store, resultDelayMs: RESULT_DELAY_MS }), createInsightsRouter({ store, resultDelayMs: RESULT_DELAY_MS, service })]);
  return {
    store,
    service,
    entityId: demoEntityId(store, 'my_app'),
    app,
    get: (path, caller = 'my_app') => request(app).get(path).set('x-test-app', caller),
    post: (path, body, caller = 'my_app') => request(app).post(path).set('x-test-app', caller).send(body as object),
  };
}

export function demoEntityId(store: SandboxStore, app: string): string {
  const customer = store.collection<Customer>(COLLECTIONS.customers).list(app, (c) => c.app_user_id === DEMO_APP_USER_ID)[0]!;
  return store.collection<Entity>(COLLECTIONS.entities).list(app, (e) => e.customer_id === customer.customer_id)[0]!.id;
}
