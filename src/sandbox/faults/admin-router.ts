import { Router } from 'express';
import { z } from 'zod';
import { jsonBody } from '../../app/error-handler.js';
import { methodNotAllowed } from '../../app/routing.js';
import { leanId, parseInput } from '../../app/validation.js';
import { UNKNOWN_FAULT, type FaultRegistry } from './registry.js';

const faultPath = z.object({ id: leanId });

/**
 * Arming and disarming faults: `POST /admin/v1/faults` → 201 with the fault, `GET` lists the
 * active ones with what each has left, `DELETE /admin/v1/faults/{id}` removes one (404
 * UNKNOWN_FAULT once it is used up or gone) and `DELETE /admin/v1/faults` all of them.
 */
export function createFaultsAdminRouter(options: { registry: FaultRegistry }): Router {
  const { registry } = options;
  const router = Router();
  router
    .route('/admin/v1/faults')
    .get((_req, res) => {
      res.json(registry.list());
    })
    .post(jsonBody, (req, res) => {
      res.status(201).json(registry.add(req.body));
    })
    .delete((_req, res) => {
      res.json({ removed: registry.clear() });
    })
    .all(methodNotAllowed);

  router
    .route('/admin/v1/faults/:id')
    .delete((req, res) => {
      const { id } = parseInput(faultPath, req.params);
      const removed = registry.remove(id);
      if (!removed) throw UNKNOWN_FAULT();
      res.json(removed);
    })
    .all(methodNotAllowed);
  return router;
}
