import { Router, type Request } from 'express';
import { z } from 'zod';
import { jsonBody } from '../app/error-handler.js';
import { LeanError } from '../app/errors.js';
import { methodNotAllowed } from '../app/routing.js';
import { leanId, parseInput } from '../app/validation.js';
import { connectEntity, expireSession, reconnect, unknownCustomer, unknownEntity } from './connections.js';
import { COLLECTIONS, type Customer, type Entity } from './store/records.js';
import type { SandboxStore } from './store/store.js';

/**
 * The admin side of the LinkSDK (plain HTTP, no caller app): connect a customer to a bank, expire
 * an entity's bank session, reconnect it. The app is named by `app` in the body or the query;
 * without one, it is the app that owns the customer or entity (ids are unique across apps), and
 * failing that the first app.
 */

const appName = z.string().min(1).max(128);
const connectBody = z.object({ bank_identifier: z.string().min(1).max(64).optional(), app: appName.optional() });
const sessionBody = z.object({ app: appName.optional() });
const appQuery = z.object({ app: appName.optional() });
const customerParams = z.object({ customer_id: leanId });
const entityParams = z.object({ entity_id: leanId });

/** Lean answers a key it does not know with INVALID_PARAMETERS naming it; zod's strict mode would name only the body. */
function rejectUnknownKeys(body: unknown, allowed: readonly string[]): void {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return;
  for (const [key, value] of Object.entries(body)) if (!allowed.includes(key)) throw LeanError.invalidParameter(key, value);
}

function appFor(store: SandboxStore, req: Request, named: string | undefined, owner: string | undefined): string | undefined {
  const { app: fromQuery } = parseInput(appQuery, req.query);
  if (named !== undefined && fromQuery !== undefined && named !== fromQuery) throw LeanError.invalidParameter('app', fromQuery);
  const app = named ?? fromQuery;
  if (app === undefined) return owner ?? store.apps[0];
  if (!store.apps.includes(app)) throw LeanError.invalidParameter('app', app);
  return app;
}

export function createConnectionsAdminRouter(options: { store: SandboxStore }): Router {
  const { store } = options;
  const router = Router();

  router
    .route('/admin/v1/customers/:customer_id/entities')
    .post(jsonBody, (req, res) => {
      const { customer_id: customerId } = parseInput(customerParams, req.params);
      rejectUnknownKeys(req.body, ['bank_identifier', 'app']);
      const body = parseInput(connectBody, req.body);
      const app = appFor(store, req, body.app, store.collection<Customer>(COLLECTIONS.customers).ownerOf(customerId));
      if (app === undefined) throw unknownCustomer();
      res.status(201).json(connectEntity(store, app, { customerId, bankIdentifier: body.bank_identifier }));
    })
    .all(methodNotAllowed);

  const sessionRoute = (path: string, change: typeof expireSession) =>
    router
      .route(path)
      .post(jsonBody, (req, res) => {
        const { entity_id: entityId } = parseInput(entityParams, req.params);
        rejectUnknownKeys(req.body, ['app']);
        const body = parseInput(sessionBody, req.body);
        const app = appFor(store, req, body.app, store.collection<Entity>(COLLECTIONS.entities).ownerOf(entityId));
        if (app === undefined) throw unknownEntity();
        res.json(change(store, app, entityId));
      })
      .all(methodNotAllowed);
  sessionRoute('/admin/v1/entities/:entity_id/expire-session', expireSession);
  sessionRoute('/admin/v1/entities/:entity_id/reconnect', reconnect);

  return router;
}
