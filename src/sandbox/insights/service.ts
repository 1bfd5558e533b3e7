import type { SandboxStore } from '../store/store.js';
import { COLLECTIONS, type Entity } from '../store/records.js';
import { balancesInsight } from './balances.js';
import { monthsBefore } from './calendar.js';
import { cashflowsInsight } from './cashflows.js';
import { employmentInsight } from './employment.js';
import { expensesInsight } from './expenses.js';
import { freelancerInsight } from './freelancer.js';
import { incomeInsight, type IncomeType } from './income.js';
import { readLedger, type InsightLedger } from './ledger.js';
import type { InsightObject } from './money.js';
import { creditObligationsInsight, nonCreditObligationsInsight } from './obligations.js';

/**
 * Computes an entity's insights from its ledger and caches each answer per app, entity, insight
 * and window. A cached answer is served only while the accounts, balances and transactions
 * collections are unchanged (their revisions), so a reset, a new connection, a deleted entity or
 * any rewrite of bank data recomputes it.
 */

export const INSIGHT_KINDS = [
  'income', 'expenses', 'cashflows', 'balances', 'credit-obligations', 'non-credit-obligations', 'employment', 'freelancer-cashflow',
] as const;
export type InsightKind = (typeof INSIGHT_KINDS)[number];

/** How far back a window reaches without `start_date`, in months: six for income and spending (as Lean's recordings), else twelve. */
export const DEFAULT_WINDOW_MONTHS: Record<InsightKind, number> = {
  income: 6, expenses: 6, cashflows: 12, balances: 12, 'credit-obligations': 12, 'non-credit-obligations': 12, employment: 12, 'freelancer-cashflow': 12,
};

const COMPUTE: Record<InsightKind, (ledger: InsightLedger, request: InsightRequest) => InsightObject> = {
  income: (ledger, request) => incomeInsight(ledger, request.incomeType ?? 'ALL'),
  expenses: expensesInsight,
  cashflows: cashflowsInsight,
  balances: balancesInsight,
  'credit-obligations': creditObligationsInsight,
  'non-credit-obligations': nonCreditObligationsInsight,
  employment: employmentInsight,
  'freelancer-cashflow': freelancerInsight,
};

export interface InsightRequest {
  kind: InsightKind;
  /** `YYYY-MM-DD`, not after today; default DEFAULT_WINDOW_MONTHS back. */
  startDate?: string | undefined;
  incomeType?: IncomeType | undefined;
}

export interface InsightsService {
  /** The insight now; computed, or cached while the entity's data is unchanged. */
  insight(app: string, entity: Entity, request: InsightRequest): InsightObject;
  /** The window a request covers today. */
  windowOf(request: InsightRequest): { start: string; end: string };
  readonly stats: { hits: number; misses: number };
}

/** Entries kept (least recently used dropped first): a few hundred entities' worth. */
const CAPACITY = 512;

export function createInsightsService(store: SandboxStore): InsightsService {
  const cache = new Map<string, { revision: string; value: InsightObject }>();
  const stats = { hits: 0, misses: 0 };
  const revision = (): string =>
    [COLLECTIONS.accounts, COLLECTIONS.balances, COLLECTIONS.transactions].map((name) => store.collection(name).revision).join('.');
  const windowOf = (request: InsightRequest) => {
    const end = store.now().toISOString().slice(0, 10);
    return { start: request.startDate ?? monthsBefore(end, DEFAULT_WINDOW_MONTHS[request.kind]), end };
  };

  return {
    stats,
    windowOf,
    insight(app, entity, request) {
      const window = windowOf(request);
      const key = [app, entity.id, request.kind, window.start, window.end, request.incomeType ?? ''].join('\u0000');
      const now = revision();
      const hit = cache.get(key);
      cache.delete(key);
      if (hit && hit.revision === now) {
        stats.hits++;
        cache.set(key, hit);
        return hit.value;
      }
      stats.misses++;
      const value = COMPUTE[request.kind](readLedger(store, app, entity, window), request);
      cache.set(key, { revision: now, value });
      if (cache.size > CAPACITY) cache.delete(cache.keys().next().value!);
      return value;
    },
  };
}
