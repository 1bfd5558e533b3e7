/**
 * The probe set: one request per product lean-mock serves, in an order where each may use ids the
 * earlier ones produced (a created customer, its entity, an account, a payment destination …).
 * The same probes go to the upstream and to the mock; ids are per side.
 */

export interface ProbeIds {
  /** The customer the probe run created. */
  customer?: string;
  appUserId: string;
  /** The customer owning `entity`: the created one on a lean-mock, an existing one on Lean (LinkSDK). */
  entityCustomer?: string;
  entity?: string;
  account?: string;
  destination?: string;
  intent?: string;
}

export type Need = 'customer' | 'entity' | 'account' | 'destination' | 'intent';

export interface ProbeRequest {
  readonly method: string;
  /** Path and query. */
  readonly target: string;
  readonly body?: unknown;
}

export interface Probe {
  readonly name: string;
  /** The route as the table shows it, ids as placeholders. */
  readonly route: string;
  readonly needs: readonly Need[];
  request(ids: Required<ProbeIds>): ProbeRequest;
  /** Takes the ids later probes need from a 2xx reply. */
  capture?(json: unknown, ids: ProbeIds): void;
}

const q = encodeURIComponent;

export const PROBES: readonly Probe[] = [
  { name: 'banks.list', route: 'GET /banks/v1', needs: [], request: () => ({ method: 'GET', target: '/banks/v1' }) },
  {
    name: 'customers.create',
    route: 'POST /customers/v1',
    needs: [],
    request: (ids) => ({ method: 'POST', target: '/customers/v1', body: { app_user_id: ids.appUserId } }),
    capture: (json, ids) => {
      ids.customer = stringAt(json, 'customer_id');
    },
  },
  { name: 'customers.get', route: 'GET /customers/v1/{customer_id}', needs: ['customer'], request: (ids) => ({ method: 'GET', target: `/customers/v1/${q(ids.customer)}` }) },
  {
    name: 'customers.by_app_user_id',
    route: 'GET /customers/v1/app-user-id/{app_user_id}',
    needs: ['customer'],
    request: (ids) => ({ method: 'GET', target: `/customers/v1/app-user-id/${q(ids.appUserId)}` }),
  },
  { name: 'customers.list', route: 'GET /customers/v1', needs: [], request: () => ({ method: 'GET', target: '/customers/v1?page_number=0&page_size=5' }) },
  {
    name: 'entities.list',
    route: 'GET /customers/v1/{customer_id}/entities',
    needs: ['entity'],
    request: (ids) => ({ method: 'GET', target: `/customers/v1/${q(ids.entityCustomer)}/entities` }),
  },
  {
    name: 'entities.get',
    route: 'GET /customers/v1/{customer_id}/entities/{entity_id}',
    needs: ['entity'],
    request: (ids) => ({ method: 'GET', target: `/customers/v1/${q(ids.entityCustomer)}/entities/${q(ids.entity)}` }),
  },
  {
    name: 'data_v2.accounts',
    route: 'GET /data/v2/accounts',
    needs: ['entity'],
    request: (ids) => ({ method: 'GET', target: `/data/v2/accounts?entity_id=${q(ids.entity)}` }),
    capture: (json, ids) => {
      ids.account = stringAt(json, 'account_id');
    },
  },
  {
    name: 'data_v2.balances',
    route: 'GET /data/v2/accounts/{account_id}/balances',
    needs: ['account'],
    request: (ids) => ({ method: 'GET', target: `/data/v2/accounts/${q(ids.account)}/balances?entity_id=${q(ids.entity)}` }),
  },
  {
    name: 'data_v2.transactions',
    route: 'GET /data/v2/accounts/{account_id}/transactions',
    needs: ['account'],
    request: (ids) => ({ method: 'GET', target: `/data/v2/accounts/${q(ids.account)}/transactions?entity_id=${q(ids.entity)}&page=0&size=5` }),
  },
  { name: 'data_v2.identity', route: 'GET /data/v2/identity', needs: ['entity'], request: (ids) => ({ method: 'GET', target: `/data/v2/identity?entity_id=${q(ids.entity)}` }) },
  { name: 'data_v1.identity', route: 'POST /data/v1/identity', needs: ['entity'], request: (ids) => ({ method: 'POST', target: '/data/v1/identity', body: { entity_id: ids.entity } }) },
  { name: 'data_v1.accounts', route: 'POST /data/v1/accounts', needs: ['entity'], request: (ids) => ({ method: 'POST', target: '/data/v1/accounts', body: { entity_id: ids.entity } }) },
  {
    name: 'data_v1.balance',
    route: 'POST /data/v1/balance',
    needs: ['account'],
    request: (ids) => ({ method: 'POST', target: '/data/v1/balance', body: { entity_id: ids.entity, account_id: ids.account } }),
  },
  {
    name: 'data_v1.transactions',
    route: 'POST /data/v1/transactions',
    needs: ['account'],
    request: (ids) => ({ method: 'POST', target: '/data/v1/transactions', body: { entity_id: ids.entity, account_id: ids.account } }),
  },
  {
    name: 'payments.destinations',
    route: 'GET /payments/v1/destinations',
    needs: [],
    request: () => ({ method: 'GET', target: '/payments/v1/destinations' }),
    capture: (json, ids) => {
      ids.destination = Array.isArray(json) ? stringAt(json[0], 'id') : undefined;
    },
  },
  {
    name: 'payments.intent_create',
    route: 'POST /payments/v1/intents',
    needs: ['customer', 'destination'],
    request: (ids) => ({
      method: 'POST',
      target: '/payments/v1/intents',
      body: { customer_id: ids.customer, amount: 100, currency: 'AED', payment_destination_id: ids.destination, description: 'lean-mock drift probe' },
    }),
    capture: (json, ids) => {
      ids.intent = stringAt(json, 'payment_intent_id');
    },
  },
  { name: 'payments.intent_get', route: 'GET /payments/v1/intents/{payment_intent_id}', needs: ['intent'], request: (ids) => ({ method: 'GET', target: `/payments/v1/intents/${q(ids.intent)}` }) },
  { name: 'payouts.payments', route: 'GET /payouts/v1/payments', needs: [], request: () => ({ method: 'GET', target: '/payouts/v1/payments?page_number=0&page_size=5' }) },
  { name: 'payouts.refund_reasons', route: 'GET /payouts/refunds/reasons', needs: [], request: () => ({ method: 'GET', target: '/payouts/refunds/reasons' }) },
  { name: 'consents.list', route: 'GET /consents/v1', needs: ['customer'], request: (ids) => ({ method: 'GET', target: `/consents/v1?customer_id=${q(ids.customer)}` }) },
  {
    name: 'insights.income',
    route: 'POST /insights/v2/income',
    needs: ['entity'],
    request: (ids) => ({ method: 'POST', target: '/insights/v2/income', body: { entity_id: ids.entity, income_type: 'ALL', async: false } }),
  },
  { name: 'insights.expenses', route: 'GET /insights/v2/expenses', needs: ['entity'], request: (ids) => ({ method: 'GET', target: `/insights/v2/expenses?entity_id=${q(ids.entity)}&async=false` }) },
  {
    name: 'verifications.accounts',
    route: 'POST /verifications/v1/accounts',
    needs: [],
    request: () => ({
      method: 'POST',
      target: '/verifications/v1/accounts',
      body: {
        country_code: 'AE',
        type: 'PERSONAL',
        account_details: { type: 'IBAN', value: 'AE070331234567890123456' },
        identifications: [{ type: 'FULL_NAME', value: 'Drift Holder' }],
      },
    }),
  },
];

/** Probes that cannot run against Lean without a customer who connected a bank in the LinkSDK. */
export const NEEDS_AN_ENTITY = PROBES.filter((probe) => probe.needs.some((need) => need === 'entity' || need === 'account')).map((probe) => probe.name);

/** `value[key]` when it is a non-empty string; looked for at the top and under `data`/`payload` (Lean's envelopes), first array item first. */
function stringAt(value: unknown, key: string, depth = 0): string | undefined {
  if (value === null || typeof value !== 'object' || depth > 3) return undefined;
  if (Array.isArray(value)) return value.length ? stringAt(value[0], key, depth + 1) : undefined;
  const record = value as Record<string, unknown>;
  const own = record[key];
  if (typeof own === 'string' && own) return own;
  for (const child of Object.values(record)) {
    const found = stringAt(child, key, depth + 1);
    if (found) return found;
  }
  return undefined;
}
