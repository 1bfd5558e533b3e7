import { callerApp } from '../../app/context.js';
import { Router, type RequestHandler } from 'express';
import { methodNotAllowed } from '../../app/routing.js';
import { resultReply } from '../../sandbox/results.js';
import { parsePathId } from './params.js';
import { dataErrors, type DataDeps } from './respond.js';
import { V1_PREFIXES } from './v1-router.js';

/**
 * `GET /data/v2/results/{results_id}` (and v1's `/data/v1/results/…`, `/v1/results/…`): the
 * reply held back for an `async=true` request — its PENDING envelope until ready, then the full
 * one. A results id that was answered synchronously was never held: UNKNOWN_RESULTS_ID, as at Lean.
 */
export function createResultsRouter(deps: Pick<DataDeps, 'store'>): Router {
  const { store } = deps;
  const result: RequestHandler = (req, res) => {
    const app = callerApp(req);
    res.json(resultReply(store, app, parsePathId('results_id', req.params)));
  };

  const router = Router();
  for (const prefix of ['/data/v2', ...V1_PREFIXES]) {
    router.route(`${prefix}/results/:results_id`).get(result).all(methodNotAllowed);
  }
  router.use(dataErrors(store));
  return router;
}
