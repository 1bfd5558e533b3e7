/**
 * Which of Lean's recorded routes the conformance walk replays. A route lean-mock serves is
 * `served`; one it does not serve yet names the issue that will serve it, and is left out of the
 * walk (counted in the summary, not skipped as a test). Later issues extend this table: move a
 * route from NOT_YET_SERVED to SERVED and the walk checks it.
 */

/** Set to null once KSA banks connect (branch i12-ksa): the KSA entity and data recordings then run. */
export const KSA_ENTITIES_PENDING: string | null = null;

export const SERVED = new Set([
  'POST /oauth2/token',
  'GET /banks/v1',
  'POST /customers/v1',
  'GET /customers/v1',
  'GET /customers/v1/app-user-id/{app_user_id}',
  'GET /customers/v1/{customer_id}',
  'GET /customers/v1/entities',
  'GET /customers/v1/{customer_id}/entities',
  'GET /customers/v1/{customer_id}/entities/{entity_id}',
  'GET /data/v2/accounts',
  'GET /data/v2/accounts/{account_id}/transactions',
  'GET /data/v2/accounts/{account_id}/balances',
  'GET /data/v2/accounts/{account_id}/beneficiaries',
  'GET /data/v2/accounts/{account_id}/identities',
  'GET /data/v2/accounts/{account_id}/direct-debits',
  'GET /data/v2/accounts/{account_id}/scheduled-payments',
  'GET /data/v2/accounts/{account_id}/standing-orders',
  'GET /data/v2/identity',
  'GET /data/v2/refreshes',
  'POST /data/v2/refreshes',
  'GET /data/v2/refreshes/{refresh_id}',
  'GET /data/v2/results/{results_id}',
  'POST /payments/v1/intents',
  'GET /payments/v1/intents',
  'GET /payments/v1/intents/{intent_id}',
  'GET /payments/v1/{payment_id}',
  'POST /payments/v1/destinations',
  'GET /payments/v1/destinations',
  'GET /customers/v1/{customer_id}/payment-sources',
  'GET /customers/v1/{customer_id}/payment-sources/{payment_source_id}',
  'DELETE /customers/v1/{customer_id}/payment-sources/{payment_source_id}',
  'POST /consents/account-on-file',
  'GET /consents/v1',
  'GET /consents/{consent_id}',
  'GET /consents/{consent_id}/balance',
  'GET /consents/{consent_id}/history',
  'POST /payments/account-on-file',
  'POST /insights/v2/income',
  'GET /insights/v2/expenses',
  'GET /insights/v2/assets/cashflows',
  'GET /insights/v2/assets/balances',
  'GET /insights/v2/liabilities/credit-obligations',
  'GET /insights/v2/liabilities/non-credit-obligations',
  'GET /insights/v2/income/employment',
  'POST /insights/v1/name-verification',
  'POST /verifications/v1/accounts',
  'POST /verifications/v1/corporates',
  'POST /verifications/v1/corporates/managers',
  'POST /verifications/v1/freelancers',
  'POST /verifications/v2/beneficiary-name',
  'POST /verifications/v2/entity',
  'POST /payouts/v1/payment',
  'GET /payouts/v1/payments',
  'GET /payouts/v1/payments/{payment_id}/history',
  'GET /payouts/v1/{payment_id}',
  'GET /payouts/v1/intents/{payment_intent_id}',
  'POST /payouts/v1/payment/destinations',
  'GET /payouts/v1/payment/destinations/{destination_id}',
  'GET /payouts/refunds',
  'POST /payouts/refunds',
  'PUT /payouts/refunds',
  'GET /payouts/refunds/reasons',
]);

/** Route prefixes lean-mock does not serve yet, and the issue that brings each. */
export const NOT_YET_SERVED: readonly { prefix: string; reason: string }[] = [
];

/** Why a recording is left out of the walk, or null when it is replayed. */
export function exclusion(route: string, region: 'UAE' | 'KSA'): string | null {
  const path = route.slice(route.indexOf(' ') + 1);
  if (path === '/') return 'Lean recorded no path (an empty Postman request)';
  const notYet = NOT_YET_SERVED.find((entry) => path.startsWith(entry.prefix));
  if (notYet) return notYet.reason;
  if (!SERVED.has(route)) return 'not yet served — no issue filed';
  if (region === 'KSA' && KSA_ENTITIES_PENDING !== null && (path.startsWith('/data/') || path.includes('entities'))) return KSA_ENTITIES_PENDING;
  return null;
}
