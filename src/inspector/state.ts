import { Router } from 'express';
import { z } from 'zod';
import { LeanError } from '../app/errors.js';
import { methodNotAllowed } from '../app/routing.js';
import { PAYMENT_COLLECTIONS } from '../sandbox/payments/records.js';
import { COLLECTIONS } from '../sandbox/store/records.js';
import type { SandboxStore } from '../sandbox/store/store.js';
import type { Redactor } from './redact.js';

/**
 * What people look for first, listed even while still empty (a collection exists only once a
 * product has touched it, and "no payments yet" is worth seeing); any other follows, alphabetically.
 */
const FIRST: readonly string[] = [
  COLLECTIONS.customers,
  COLLECTIONS.entities,
  PAYMENT_COLLECTIONS.intents,
  PAYMENT_COLLECTIONS.payments,
  PAYMENT_COLLECTIONS.destinations,
  PAYMENT_COLLECTIONS.sources,
  COLLECTIONS.accounts,
];

const pageQuery = z.object({
  page: z.coerce.number().int().min(0).max(1_000_000).default(0),
  size: z.coerce.number().int().min(1).max(500).default(50),
});

export interface StateSummary {
  apps: { app: string; collections: { name: string; count: number }[] }[];
}

export interface StatePage {
  app: string;
  collection: string;
  page: number;
  size: number;
  total: number;
  /** Newest first: what a test just created is on the first page. */
  records: { id: string; record: unknown }[];
}

function orderedNames(store: SandboxStore): string[] {
  const names = [...new Set([...FIRST, ...store.collectionNames()])];
  const rank = (name: string): number => (FIRST.includes(name) ? FIRST.indexOf(name) : FIRST.length);
  return names.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

/**
 * The sandbox's state, read-only: `GET /admin/v1/state` (apps, collections, counts) and
 * `GET /admin/v1/state/:app/:collection?page=&size=` (records, newest first, redacted).
 */
export function createStateRouter(options: { store: SandboxStore; redactor: Redactor }): Router {
  const { store, redactor } = options;
  const router = Router();

  router
    .route('/admin/v1/state')
    .get((_req, res) => {
      const names = orderedNames(store);
      const summary: StateSummary = {
        apps: store.apps.map((app) => ({
          app,
          collections: names.map((name) => ({ name, count: store.collection(name).list(app).length })),
        })),
      };
      res.json(summary);
    })
    .all(methodNotAllowed);

  router
    .route('/admin/v1/state/:app/:collection')
    .get((req, res) => {
      const { app, collection } = req.params as { app: string; collection: string };
      if (!store.apps.includes(app)) throw new LeanError('UNKNOWN_APP', 404, `No app called ${JSON.stringify(app.slice(0, 100))} in this sandbox.`, { app: app.slice(0, 100) });
      if (!orderedNames(store).includes(collection)) {
        throw new LeanError('UNKNOWN_COLLECTION', 404, `No collection called ${JSON.stringify(collection.slice(0, 100))} in this sandbox.`, {
          collection: collection.slice(0, 100),
          collections: orderedNames(store),
        });
      }
      const parsed = pageQuery.safeParse(req.query);
      if (!parsed.success) {
        const field = String(parsed.error.issues[0]!.path[0]);
        throw LeanError.invalidParameter(field, (req.query as Record<string, unknown>)[field]);
      }
      const { page, size } = parsed.data;
      const owned = store.collection(collection).entries().filter((entry) => entry.app === app).reverse();
      const body: StatePage = {
        app,
        collection,
        page,
        size,
        total: owned.length,
        records: owned.slice(page * size, (page + 1) * size).map((entry) => ({ id: entry.id, record: redactor.json(entry.value) })),
      };
      res.json(body);
    })
    .all(methodNotAllowed);

  return router;
}
