import { Router } from 'express';
import { z } from 'zod';
import { jsonBody } from '../../app/error-handler.js';
import { LeanError } from '../../app/errors.js';
import { methodNotAllowed } from '../../app/routing.js';
import { parseInput } from '../../app/validation.js';
import type { SandboxStore } from '../store/store.js';
import { bankAvailability, setBankAvailability, unknownBank } from './availability.js';
import { SCOPES, type AvailabilityChange } from './records.js';
import { adminAppOf, appField } from '../admin-app.js';

const switches = z.strictObject({ payments: z.boolean().optional(), data: z.boolean().optional() });
// Strict: a misspelt flag (`actve`, `payment`) is refused rather than silently ignored.
const changeBody = z.strictObject({ ...appField, active: switches.optional(), enabled: switches.optional() });
const identifierParam = z.object({ identifier: z.string().regex(/^[A-Z0-9_]{1,64}$/) });

/**
 * `GET|POST /admin/v1/banks/{identifier}/availability`: what Lean (an outage: `active`) or the
 * app's dashboard (`enabled`) does to a bank, for the data API and payments separately.
 * `active` flags change for every app, `enabled` flags for the named app (default the first).
 */
export function createAvailabilityAdminRouter(options: { store: SandboxStore }): Router {
  const { store } = options;

  const appOf = adminAppOf(store);

  const router = Router();
  router
    .route('/admin/v1/banks/:identifier/availability')
    .get((req, res) => {
      const { identifier } = parseInput(identifierParam, req.params);
      const availability = bankAvailability(store, appOf(req, undefined), identifier);
      if (!availability) throw unknownBank(identifier);
      res.json({ identifier, availability });
    })
    .post(jsonBody, (req, res) => {
      const { identifier } = parseInput(identifierParam, req.params);
      const body = parseInput(changeBody, req.body);
      const change: AvailabilityChange = {};
      for (const scope of SCOPES) {
        const flags = Object.fromEntries(Object.entries(body[scope] ?? {}).filter(([, value]) => value !== undefined));
        if (Object.keys(flags).length > 0) change[scope] = flags;
      }
      if (Object.keys(change).length === 0) {
        throw new LeanError('MISSING_PARAMETERS', 400, 'Name at least one flag to set, field: active.payments, active.data, enabled.payments or enabled.data.');
      }
      res.json(setBankAvailability(store, appOf(req, body.app), identifier, change));
    })
    .all(methodNotAllowed);
  return router;
}
