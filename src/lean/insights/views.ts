import { Minor, type InsightObject, type InsightValue } from '../../sandbox/insights/money.js';
import type { Body, EnvelopeStyle, Stamp } from '../data/envelopes.js';
import { DATA_MESSAGES, v2Failed, v2Reconnect } from '../data/envelopes.js';

/**
 * Insights' replies: `{status, results_id, message, meta, timestamp, status_detail, type,
 * insights}` as Lean's recordings show them, with every amount turned from minor units into
 * Lean's decimal number here, once.
 */

/** Lean's `type` per insight (its recordings spell the obligations ones `credits-…`). */
export const INSIGHT_TYPES = {
  income: 'income',
  expenses: 'expenses',
  cashflows: 'cashflows',
  balances: 'balances',
  'credit-obligations': 'credits-obligations',
  'non-credit-obligations': 'non-credits-obligations',
  employment: 'employment',
  'freelancer-cashflow': 'freelancer-cashflow',
} as const;

export function render(value: InsightValue): unknown {
  if (value instanceof Minor) return value.toDecimal();
  if (Array.isArray(value)) return value.map(render);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value as InsightObject)) out[key] = render(inner);
    return out;
  }
  return value;
}

function head(status: string, stamp: Stamp, message: string): Body {
  return { status, results_id: stamp.resultsId, message, meta: stamp.meta, timestamp: stamp.timestamp, status_detail: null };
}

export function insightOk(stamp: Stamp, type: string, insights: InsightObject): Body {
  return { ...head('OK', stamp, DATA_MESSAGES.ok), type, insights: render(insights) };
}

/** The data API's reconnect and failure replies, with `insights` where data v2 has `data`. */
const withInsights = ({ data: _data, refreshed_at: _refreshed, ...rest }: Body): Body => ({ ...rest, insights: null });

export const INSIGHTS_STYLE: EnvelopeStyle = {
  pending: (stamp) => ({ ...head('PENDING', stamp, DATA_MESSAGES.v2Pending), type: null, insights: null }),
  pendingHttpStatus: 202,
  reconnect: (stamp, reconnectId) => withInsights(v2Reconnect(stamp, reconnectId)),
  failed: (stamp, code, info) => withInsights(v2Failed(stamp, code, info)),
};
