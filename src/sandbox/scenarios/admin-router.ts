import express, { Router } from 'express';
import { methodNotAllowed } from '../../app/routing.js';
import type { ScenarioController } from './controller.js';
import { ScenarioError } from './errors.js';
import { formatOfMediaType, MAX_SCENARIO_BYTES, parseScenarioText } from './load.js';

/** Mounted before the admin app's small JSON parser: a scenario is the one large admin body. */
export const SCENARIOS_PATH = '/admin/v1/scenarios';

/**
 * `POST /admin/v1/scenarios` replaces the active scenario (JSON, or YAML with a YAML content
 * type) and answers 201 with what it created; `GET` answers the same for the active one;
 * `DELETE` unloads it. Each load puts the sandbox back to the seeded state plus the scenario; a
 * scenario with any problem is a 400 INVALID_PARAMETERS naming its path and changes nothing.
 */
export function createScenariosAdminRouter(options: { scenarios: ScenarioController }): Router {
  const { scenarios } = options;
  const limit = MAX_SCENARIO_BYTES;
  const router = Router();
  router
    .route(SCENARIOS_PATH)
    .get((_req, res) => {
      res.json(scenarios.state());
    })
    .post(express.text({ type: () => true, limit }), async (req, res) => {
      const text = typeof req.body === 'string' ? req.body : '';
      try {
        const input = await parseScenarioText(text, formatOfMediaType(req.headers['content-type']));
        res.status(201).json(scenarios.load(input));
      } catch (error) {
        throw error instanceof ScenarioError ? error.toLeanError() : error;
      }
    })
    .delete((_req, res) => {
      res.json(scenarios.load(null));
    })
    .all(methodNotAllowed);
  return router;
}
