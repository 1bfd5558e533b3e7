import { Router } from 'express';
import { methodNotAllowed } from '../app/routing.js';
import type { ServerVariantListeners } from '../gateway/server-variants.js';

/** `GET /admin/v1/server-variants`: each bad-server-certificate listener, its URL and what clients did there. */
export function createServerVariantsAdminRouter(listeners: ServerVariantListeners | undefined): Router {
  const router = Router();
  router
    .route('/admin/v1/server-variants')
    .get((_req, res) => {
      res.json(listeners?.status() ?? []);
    })
    .all(methodNotAllowed);
  return router;
}
