import { Router, type RequestHandler } from 'express';
import { callerApp } from '../../app/context.js';
import { jsonBody } from '../../app/error-handler.js';
import { methodNotAllowed } from '../../app/routing.js';
import { requireEntity } from '../../sandbox/data-access.js';
import { createInsightsService, type InsightKind, type InsightsService } from '../../sandbox/insights/service.js';
import type { SandboxStore } from '../../sandbox/store/store.js';
import { answerData } from '../data/respond.js';
import { parseIncomeBody, parseInsightQuery, type InsightParams } from './params.js';
import { INSIGHT_TYPES, INSIGHTS_STYLE, insightOk } from './views.js';

/**
 * Insights v2: figures computed from the entity's ledger as the data API serves it. Same rules
 * as the data API once the input is valid: UNKNOWN_ENTITY, RECONNECT_REQUIRED while the bank
 * session is expired, FAILED without the transactions permission, `async=true` → 202 PENDING
 * and the answer at `GET /data/v2/results/{results_id}` after `results.ready`.
 */

export interface InsightsRouterOptions {
  store: SandboxStore;
  /** How long an `async=true` answer stays PENDING. */
  resultDelayMs: number;
  /** Shared with a bench or test that wants the cache's hit counts; default: one of its own. */
  service?: InsightsService;
}

const GET_ROUTES: readonly [string, InsightKind][] = [
  ['/insights/v2/expenses', 'expenses'],
  ['/insights/v2/assets/cashflows', 'cashflows'],
  ['/insights/v2/assets/balances', 'balances'],
  ['/insights/v2/liabilities/credit-obligations', 'credit-obligations'],
  ['/insights/v2/liabilities/non-credit-obligations', 'non-credit-obligations'],
  ['/insights/v2/income/employment', 'employment'],
  // Lean's KSA collection records this reply with an empty URL: the path follows its `type`.
  ['/insights/v2/freelancer-cashflow', 'freelancer-cashflow'],
];

export function createInsightsRouter(options: InsightsRouterOptions): Router {
  const { store } = options;
  const service = options.service ?? createInsightsService(store);
  const handler =
    (kind: InsightKind, parse: (req: Parameters<RequestHandler>[0], today: string) => InsightParams): RequestHandler =>
    (req, res) => {
      const app = callerApp(req);
      const params = parse(req, store.now().toISOString().slice(0, 10));
      const entity = requireEntity(store, app, params.entityId);
      const call = { app, entity, permission: 'transactions' as const, async: params.async, meta: params.meta, style: INSIGHTS_STYLE };
      answerData(res, options, call, (stamp) =>
        insightOk(stamp, INSIGHT_TYPES[kind], service.insight(app, entity, { kind, startDate: params.startDate, incomeType: params.incomeType })),
      );
    };

  const router = Router();
  router
    .route('/insights/v2/income')
    .post(jsonBody, handler('income', (req, today) => parseIncomeBody(req.body, today)))
    .all(methodNotAllowed);
  for (const [path, kind] of GET_ROUTES) {
    router
      .route(path)
      .get(handler(kind, (req, today) => parseInsightQuery(req.query, today)))
      .all(methodNotAllowed);
  }
  return router;
}
