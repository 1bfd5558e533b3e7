import { PURPOSE_CODES, INTENT_FILTER_STATUSES } from '../../src/lean/payments/requests.js';
import { PAYOUT_STATUSES, REFUND_REASON_CODES, REFUND_STATUSES } from '../../src/sandbox/payouts/records.js';
import { CONSENT_STATUSES, REVOCATION_REASONS } from '../../src/sandbox/consents/records.js';

/**
 * Every route of Lean's API the sandbox serves (the routers `src/server/sandbox.ts` mounts), with
 * what each takes — path ids, query fields, JSON body fields — and a valid value for each, so a
 * fuzzer can start from a request that would succeed and break one thing at a time. Kept apart
 * from the fuzzer so a new route is one line here, and the coverage test fails until it is added.
 */

/** The kinds of record an id can name; each app of the fuzzed sandbox has real ones of each. */
export type IdKind =
  | 'customer'
  | 'entity'
  | 'account'
  | 'destination'
  | 'intent'
  | 'payment'
  | 'source'
  | 'results'
  | 'refresh'
  | 'app_user'
  | 'payout'
  | 'payout_intent'
  | 'payout_destination'
  | 'payout_account'
  | 'refund'
  | 'consent';

/** What a query or body field holds, which decides the near-miss values a fuzzer tries. */
export type FieldKind =
  | { kind: 'id'; of: IdKind }
  | { kind: 'page' }
  | { kind: 'size' }
  | { kind: 'date' }
  | { kind: 'datetime' }
  | { kind: 'boolean' }
  | { kind: 'enum'; values: readonly string[] }
  | { kind: 'text' }
  | { kind: 'amount' }
  | { kind: 'meta' }
  | { kind: 'identifiers' }
  /** `payment_details` of a payout: nested batches naming a payout account and destinations. */
  | { kind: 'payout_details' };

export interface Field {
  type: FieldKind;
  /** A value the route accepts (ids come from the sandbox instead). */
  valid?: unknown;
  /** Whether a request without it is refused. */
  required?: boolean;
}

export type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface Route {
  method: Method;
  /** Express-style template; each `:param` names an {@link IdKind} in `params`. */
  path: string;
  params?: Readonly<Record<string, IdKind>>;
  query?: Readonly<Record<string, Field>>;
  /** Present on the routes that parse a JSON body. */
  body?: Readonly<Record<string, Field>>;
  /** The body is a batch, as Lean's payouts and refunds take: a JSON array of one object of these fields. */
  batch?: boolean;
  /** Request headers the route reads (by their canonical name). */
  headers?: Readonly<Record<string, Field>>;
  /**
   * Lean statuses the fuzz must provoke on this route at least once: proof that hostile input got
   * as far as the route's own validation and look-ups, so the test cannot pass vacuously.
   */
  mustSee: readonly string[];
  /** Deletes what it names: fuzzed last, so earlier routes still find the records. */
  destructive?: boolean;
  /** False for the routes no request can succeed on in the fuzzed sandbox (the fuzz must see a 2xx on the others). */
  canSucceed?: boolean;
}

const id = (of: IdKind, required = true): Field => ({ type: { kind: 'id', of }, required });
const page: Field = { type: { kind: 'page' }, valid: '0' };
const size = (valid: string): Field => ({ type: { kind: 'size' }, valid });
const BAD = 'INVALID_PARAMETERS';
const MISSING = 'MISSING_PARAMETERS';

const dataQuery: Record<string, Field> = {
  entity_id: id('entity'),
  page,
  size: size('10'),
  async: { type: { kind: 'boolean' }, valid: 'false' },
  meta: { type: { kind: 'meta' }, valid: '{"ref":"fuzz"}' },
};

const V2_ACCOUNT_LISTS = ['balances', 'identities', 'beneficiaries', 'direct-debits', 'scheduled-payments', 'standing-orders'];

const v1Routes = (prefix: string): Route[] => {
  const entity = { entity_id: id('entity'), async: { type: { kind: 'boolean' }, valid: false } } satisfies Record<string, Field>;
  const account = { ...entity, account_id: id('account') };
  return [
    { method: 'POST', path: `${prefix}/identity`, body: entity, mustSee: [BAD, MISSING, 'UNKNOWN_ENTITY'] },
    { method: 'POST', path: `${prefix}/accounts`, body: entity, mustSee: [BAD, MISSING, 'UNKNOWN_ENTITY'] },
    { method: 'POST', path: `${prefix}/balance`, body: account, mustSee: [BAD, MISSING, 'UNKNOWN_ENTITY', 'UNKNOWN_ACCOUNT'] },
    {
      method: 'POST',
      path: `${prefix}/transactions`,
      body: {
        ...account,
        start_date: { type: { kind: 'date' }, valid: '2026-01-01' },
        end_date: { type: { kind: 'date' }, valid: '2026-03-01' },
        insights: { type: { kind: 'boolean' }, valid: true },
      },
      mustSee: [BAD, MISSING, 'UNKNOWN_ENTITY', 'UNKNOWN_ACCOUNT'],
    },
  ];
};

const governmentIdentifiers: Field = {
  type: { kind: 'identifiers' },
  valid: [{ type: 'EMIRATES_ID', value: '784-1990-1234567-1' }],
};

export const ROUTES: readonly Route[] = [
  {
    method: 'GET',
    path: '/banks/v1',
    query: {
      account_types: { type: { kind: 'enum', values: ['PERSONAL', 'BUSINESS'] }, valid: 'PERSONAL' },
      country_codes: { type: { kind: 'enum', values: ['ARE', 'SAU'] }, valid: 'ARE,SAU' },
      connection_types: { type: { kind: 'enum', values: ['OPEN_BANKING', 'REVERSE_ENGINEERED'] }, valid: 'OPEN_BANKING' },
    },
    mustSee: [BAD],
  },

  // Customers and entities.
  {
    method: 'GET',
    path: '/customers/v1',
    query: { page_number: page, page_size: size('20') },
    mustSee: [BAD],
  },
  {
    method: 'POST',
    path: '/customers/v1',
    // No `valid` app_user_id: the fuzzer makes a fresh one, or reuses a taken one for the 409.
    body: { app_user_id: { type: { kind: 'text' }, required: true }, government_identifiers: { ...governmentIdentifiers, required: false } },
    mustSee: [BAD, MISSING, 'CUSTOMER_ALREADY_EXISTS'],
  },
  { method: 'GET', path: '/customers/v1/app-user-id', mustSee: [MISSING], canSucceed: false },
  { method: 'GET', path: '/customers/v1/app-user-id/:app_user_id', params: { app_user_id: 'app_user' }, mustSee: [BAD, 'UNKNOWN_CUSTOMER'] },
  { method: 'GET', path: '/customers/v1/:customer_id', params: { customer_id: 'customer' }, mustSee: [BAD, 'UNKNOWN_CUSTOMER'] },
  {
    method: 'PUT',
    path: '/customers/v1/:customer_id',
    params: { customer_id: 'customer' },
    body: { government_identifiers: { ...governmentIdentifiers, required: true } },
    mustSee: [BAD, MISSING, 'UNKNOWN_CUSTOMER'],
  },
  {
    method: 'GET',
    path: '/customers/v1/entities',
    query: {
      page_number: page,
      page_size: size('50'),
      start_date: { type: { kind: 'date' }, valid: '2026-01-01', required: true },
      end_date: { type: { kind: 'date' }, valid: '2026-03-15', required: true },
    },
    mustSee: [BAD, MISSING],
  },
  { method: 'GET', path: '/customers/v1/:customer_id/entities', params: { customer_id: 'customer' }, mustSee: [BAD, 'UNKNOWN_CUSTOMER'] },
  {
    method: 'GET',
    path: '/customers/v1/:customer_id/entities/:entity_id',
    params: { customer_id: 'customer', entity_id: 'entity' },
    mustSee: [BAD, 'UNKNOWN_CUSTOMER', 'UNKNOWN_ENTITY'],
  },

  // Payments.
  { method: 'GET', path: '/payments/v1/destinations', mustSee: [] },
  {
    method: 'POST',
    path: '/payments/v1/destinations',
    body: {
      name: { type: { kind: 'text' }, valid: 'Fuzz Trading LLC', required: true },
      display_name: { type: { kind: 'text' }, valid: 'Fuzz Trading', required: true },
      // Required for a destination in ARE (Lean: every country but the US).
      iban: { type: { kind: 'text' }, valid: 'AE540351234567890123456', required: true },
      address: { type: { kind: 'text' }, valid: 'Office 1, Fuzz Street', required: true },
      city: { type: { kind: 'text' }, valid: 'Dubai', required: true },
      country: { type: { kind: 'enum', values: ['ARE', 'USA'] }, valid: 'ARE', required: true },
      account_number: { type: { kind: 'text' }, valid: '1234567890123456', required: true },
      swift_code: { type: { kind: 'text' }, valid: 'EBILAEADXXX' },
      customer_id: id('customer', false),
      currency: { type: { kind: 'enum', values: ['AED'] }, valid: 'AED' },
      bank_type: { type: { kind: 'enum', values: ['RETAIL', 'SME', 'CORPORATE'] }, valid: 'RETAIL' },
    },
    mustSee: [BAD, MISSING, 'INVALID_NAME', 'INVALID_IBAN', 'UNKNOWN_CUSTOMER'],
  },
  {
    method: 'GET',
    path: '/payments/v1/destinations/:payment_destination_id',
    params: { payment_destination_id: 'destination' },
    mustSee: [BAD, 'UNKNOWN_PAYMENT_DESTINATION'],
  },
  { method: 'GET', path: '/customers/v1/:customer_id/destinations', params: { customer_id: 'customer' }, mustSee: [BAD, 'UNKNOWN_CUSTOMER'] },
  { method: 'GET', path: '/customers/v1/:customer_id/payment-sources', params: { customer_id: 'customer' }, mustSee: [BAD, 'UNKNOWN_CUSTOMER'] },
  {
    method: 'GET',
    path: '/customers/v1/:customer_id/payment-sources/:payment_source_id',
    params: { customer_id: 'customer', payment_source_id: 'source' },
    mustSee: [BAD, 'UNKNOWN_CUSTOMER', 'UNKNOWN_PAYMENT_SOURCE'],
  },
  {
    method: 'GET',
    path: '/payments/v1/intents',
    query: {
      page,
      size: size('20'),
      customer_id: id('customer', false),
      from: { type: { kind: 'datetime' }, valid: '2026-01-01T00:00:00Z' },
      to: { type: { kind: 'datetime' }, valid: '2026-03-15T09:30:00+04:00' },
      status: { type: { kind: 'enum', values: INTENT_FILTER_STATUSES }, valid: 'PENDING_WITH_BANK' },
    },
    mustSee: [BAD],
  },
  {
    method: 'POST',
    path: '/payments/v1/intents',
    body: {
      customer_id: id('customer'),
      amount: { type: { kind: 'amount' }, valid: 150.25, required: true },
      currency: { type: { kind: 'enum', values: ['AED'] }, valid: 'AED', required: true },
      payment_destination_id: id('destination', false),
      description: { type: { kind: 'text' }, valid: 'Fuzzed order' },
      purpose_code: { type: { kind: 'enum', values: PURPOSE_CODES }, valid: 'GDS' },
    },
    mustSee: [BAD, MISSING, 'INVALID_AMOUNT', 'AMOUNT_UNDER_MIN_VALUE', 'AMOUNT_OVER_MAX_VALUE', 'UNKNOWN_CUSTOMER', 'UNKNOWN_PAYMENT_DESTINATION'],
  },
  {
    method: 'GET',
    path: '/payments/v1/intents/:payment_intent_id',
    params: { payment_intent_id: 'intent' },
    mustSee: [BAD, 'UNKNOWN_PAYMENT_INTENT'],
  },
  { method: 'GET', path: '/payments/v1/:payment_id', params: { payment_id: 'payment' }, mustSee: [BAD, 'UNKNOWN_PAYMENT'] },

  // Payouts and refunds (Lean serves refunds under /payouts).
  {
    method: 'POST',
    path: '/payouts/v1/payment/destinations',
    batch: true,
    body: {
      name: { type: { kind: 'text' }, valid: 'Santiago Keebler', required: true },
      display_name: { type: { kind: 'text' }, valid: 'ABC CORP', required: true },
      iban: { type: { kind: 'text' }, valid: 'AE680030012312312312123', required: true },
      account_number: { type: { kind: 'text' }, valid: '12312312312123', required: true },
      address: { type: { kind: 'text' }, valid: 'Dubai', required: true },
      city: { type: { kind: 'text' }, valid: 'Dubai', required: true },
      country: { type: { kind: 'enum', values: ['ARE'] }, valid: 'ARE', required: true },
      bank_identifier: { type: { kind: 'enum', values: ['LEAN_SME_MB1_UAE', 'ENBD_UAE'] }, valid: 'LEAN_SME_MB1_UAE' },
      swift_code: { type: { kind: 'text' }, valid: 'EBILAEADXXX' },
      customer_id: id('customer', false),
      currency_iso_code: { type: { kind: 'enum', values: ['AED'] }, valid: 'AED' },
    },
    mustSee: [BAD, MISSING, 'INVALID_NAME', 'INVALID_IBAN', 'UNKNOWN_CUSTOMER'],
  },
  {
    method: 'GET',
    path: '/payouts/v1/payment/destinations/:destination_id',
    params: { destination_id: 'payout_destination' },
    mustSee: [BAD, 'UNKNOWN_PAYMENT_DESTINATION'],
  },
  {
    method: 'POST',
    path: '/payouts/v1/payment',
    body: { payment_details: { type: { kind: 'payout_details' }, required: true } },
    mustSee: [BAD, MISSING, 'UNKNOWN_ACCOUNT', 'UNKNOWN_PAYMENT_DESTINATION', 'INVALID_AMOUNT'],
  },
  {
    method: 'GET',
    path: '/payouts/v1/payments',
    query: { page_number: page, page_size: size('50'), status: { type: { kind: 'enum', values: PAYOUT_STATUSES }, valid: 'PENDING_WITH_BANK' } },
    mustSee: [BAD],
  },
  {
    method: 'GET',
    path: '/payouts/v1/payments/:payment_id/history',
    params: { payment_id: 'payout' },
    query: { page_number: page, page_size: size('10') },
    mustSee: [BAD, 'UNKNOWN_PAYMENT'],
  },
  { method: 'GET', path: '/payouts/v1/intents/:payment_intent_id', params: { payment_intent_id: 'payout_intent' }, mustSee: [BAD, 'UNKNOWN_PAYMENT_INTENT'] },
  { method: 'GET', path: '/payouts/v1/:payment_id', params: { payment_id: 'payout' }, mustSee: [BAD, 'UNKNOWN_PAYMENT'] },
  {
    method: 'GET',
    path: '/payouts/refunds',
    query: { page, size: size('50'), status: { type: { kind: 'enum', values: REFUND_STATUSES }, valid: 'APPROVED' }, payment_id: id('payment', false) },
    mustSee: [BAD],
  },
  {
    method: 'POST',
    path: '/payouts/refunds',
    batch: true,
    body: {
      payment_id: id('payment'),
      amount: { type: { kind: 'amount' }, valid: 1, required: true },
      currency: { type: { kind: 'enum', values: ['AED'] }, valid: 'AED', required: true },
      reason_code: { type: { kind: 'enum', values: REFUND_REASON_CODES }, valid: 'DUPLICATED_PAYMENT', required: true },
      description: { type: { kind: 'text' }, valid: 'Refund issued for Order NO. 21342322123' },
      external_reference: { type: { kind: 'text' }, valid: '21451234567' },
    },
    mustSee: [BAD, MISSING, 'UNKNOWN_PAYMENT', 'INVALID_AMOUNT', 'REFUND_AMOUNT_EXCEEDS_PAYMENT'],
  },
  {
    method: 'PUT',
    path: '/payouts/refunds',
    batch: true,
    body: { refund_id: id('refund'), status: { type: { kind: 'enum', values: ['APPROVED', 'REJECTED'] }, valid: 'APPROVED', required: true } },
    // The seeded refund can be decided once; every later decision is a refused move.
    mustSee: [BAD, MISSING, 'UNKNOWN_REFUND', 'INVALID_STATUS_TRANSITION'],
  },
  { method: 'GET', path: '/payouts/refunds/reasons', mustSee: [] },
  // Consents and account-on-file payments (Lean's collection spells them without /v1, its OpenAPI with).
  ...['/consents/v1/account-on-file', '/consents/account-on-file'].map(
    (path): Route => ({
      method: 'POST',
      path,
      body: {
        customer_id: id('customer'),
        destination_account_id: id('destination'),
        currency: { type: { kind: 'enum', values: ['AED'] }, valid: 'AED', required: true },
        reference: { type: { kind: 'text' }, valid: 'FUZZ-AOF', required: true },
        purpose: { type: { kind: 'enum', values: PURPOSE_CODES }, valid: 'GDS', required: true },
        control_parameters: { type: { kind: 'meta' }, valid: { period_type: 'Month', max_individual_amount: '500', max_cumulative_number_of_payments: '' }, required: true },
        government_identifier: { type: { kind: 'meta' }, valid: { type: 'EMIRATES_ID', value: '784-1990-1234567-1' } },
        start_date_time: { type: { kind: 'datetime' }, valid: '2026-03-15T09:00:00Z' },
        expiration_date_time: { type: { kind: 'datetime' }, valid: '2027-03-15T09:00:00+04:00' },
        immediate_payment: { type: { kind: 'meta' }, valid: { amount: 12.5, reference: 'FIRST' } },
      },
      mustSee: [BAD, MISSING, 'UNKNOWN_CUSTOMER', 'UNKNOWN_PAYMENT_DESTINATION'],
    }),
  ),
  {
    method: 'GET',
    path: '/consents/v1',
    query: {
      customer_id: id('customer', false),
      status: { type: { kind: 'enum', values: CONSENT_STATUSES }, valid: 'AUTHORISED' },
      page_number: page,
      page_size: size('20'),
    },
    mustSee: [BAD, 'UNKNOWN_CUSTOMER'],
  },
  ...['/consents/v1', '/consents'].flatMap((prefix): Route[] => [
    { method: 'GET', path: `${prefix}/:consent_id`, params: { consent_id: 'consent' }, mustSee: [BAD, 'UNKNOWN_CONSENT'] },
    { method: 'GET', path: `${prefix}/:consent_id/balance`, params: { consent_id: 'consent' }, mustSee: [BAD, 'UNKNOWN_CONSENT'] },
    { method: 'GET', path: `${prefix}/:consent_id/history`, params: { consent_id: 'consent' }, query: { page_number: page, page_size: size('10') }, mustSee: [BAD, 'UNKNOWN_CONSENT'] },
  ]),
  ...['/payments/v1/account-on-file', '/payments/account-on-file'].map(
    (path): Route => ({
      method: 'POST',
      path,
      // The fuzzer gives each valid request a fresh key; a sweep reuses this one to reach IDEMPOTENCY_KEY_REUSED.
      headers: { 'Idempotency-Key': { type: { kind: 'text' }, valid: 'fuzz-reused-key', required: true } },
      body: {
        consent_id: id('consent'),
        amount: { type: { kind: 'amount' }, valid: 150.25, required: true },
        purpose: { type: { kind: 'enum', values: PURPOSE_CODES }, valid: 'GDS' },
        risk_details: { type: { kind: 'meta' }, valid: { transaction_indicators: { channel: 'WEB' } }, required: true },
        reference: { type: { kind: 'text' }, valid: 'FUZZ-PAY' },
        creditor_reference: { type: { kind: 'text' }, valid: 'INV-1' },
      },
      mustSee: [BAD, MISSING, 'INVALID_AMOUNT', 'UNKNOWN_CONSENT', 'CONSENT_LIMIT_EXCEEDED', 'IDEMPOTENCY_KEY_REUSED'],
    }),
  ),

  // Insights v2: figures from the entity's ledger.
  {
    method: 'POST',
    path: '/insights/v2/income',
    body: {
      entity_id: id('entity'),
      income_type: { type: { kind: 'enum', values: ['ALL', 'SALARY', 'NON_SALARY'] }, valid: 'ALL' },
      start_date: { type: { kind: 'date' }, valid: '2025-06-01' },
      async: { type: { kind: 'boolean' }, valid: false },
    },
    mustSee: [BAD, MISSING, 'UNKNOWN_ENTITY'],
  },
  ...[
    'expenses',
    'assets/cashflows',
    'assets/balances',
    'liabilities/credit-obligations',
    'liabilities/non-credit-obligations',
    'income/employment',
    'freelancer-cashflow',
  ].map(
    (insight): Route => ({
      method: 'GET',
      path: `/insights/v2/${insight}`,
      query: {
        entity_id: id('entity'),
        start_date: { type: { kind: 'date' }, valid: '2025-06-01' },
        async: { type: { kind: 'boolean' }, valid: 'false' },
        meta: { type: { kind: 'meta' }, valid: '{"ref":"fuzz"}' },
      },
      mustSee: [BAD, MISSING, 'UNKNOWN_ENTITY'],
    }),
  ),

  // Data API v2, v1, async results and refreshes.
  { method: 'GET', path: '/data/v2/accounts', query: dataQuery, mustSee: [BAD, MISSING, 'UNKNOWN_ENTITY'] },
  { method: 'GET', path: '/data/v2/identity', query: dataQuery, mustSee: [BAD, MISSING, 'UNKNOWN_ENTITY'] },
  ...V2_ACCOUNT_LISTS.map(
    (list): Route => ({
      method: 'GET',
      path: `/data/v2/accounts/:account_id/${list}`,
      params: { account_id: 'account' },
      query: dataQuery,
      mustSee: [BAD, MISSING, 'UNKNOWN_ENTITY', 'UNKNOWN_ACCOUNT'],
    }),
  ),
  {
    method: 'GET',
    path: '/data/v2/accounts/:account_id/transactions',
    params: { account_id: 'account' },
    query: {
      ...dataQuery,
      start_date: { type: { kind: 'date' }, valid: '2026-01-01' },
      end_date: { type: { kind: 'date' }, valid: '2026-03-01' },
    },
    mustSee: [BAD, MISSING, 'UNKNOWN_ENTITY', 'UNKNOWN_ACCOUNT'],
  },
  ...v1Routes('/data/v1'),
  ...v1Routes('/v1'),
  ...['/data/v2', '/data/v1', '/v1'].map(
    (prefix): Route => ({
      method: 'GET',
      path: `${prefix}/results/:results_id`,
      params: { results_id: 'results' },
      mustSee: [BAD, 'UNKNOWN_RESULTS_ID'],
    }),
  ),
  {
    method: 'POST',
    path: '/data/v2/refreshes',
    body: { entity_id: id('entity') },
    // DUPLICATED_REQUEST: the sandbox's refresh of the entity never finishes during the fuzz.
    mustSee: [BAD, MISSING, 'UNKNOWN_ENTITY', 'DUPLICATED_REQUEST'],
    canSucceed: false,
  },
  {
    method: 'GET',
    path: '/data/v2/refreshes',
    query: { entity_id: id('entity'), page, size: size('10') },
    mustSee: [BAD, MISSING, 'UNKNOWN_ENTITY'],
  },
  { method: 'GET', path: '/data/v2/refreshes/:refresh_id', params: { refresh_id: 'refresh' }, mustSee: [BAD, 'UNKNOWN_REFRESH_ID'] },

  // Verifications (read-only: nothing they answer changes the store).
  {
    method: 'POST',
    path: '/verifications/v1/accounts',
    body: {
      country_code: { type: { kind: 'enum', values: ['AE', 'SA', 'GB', 'US'] }, valid: 'AE', required: true },
      type: { type: { kind: 'enum', values: ['PERSONAL', 'BUSINESS'] }, valid: 'PERSONAL', required: true },
      account_details: { type: { kind: 'meta' }, valid: { type: 'IBAN', value: 'AE070331234567890123456' }, required: true },
      identifications: { type: { kind: 'meta' }, valid: [{ type: 'FULL_NAME', value: 'Fuzz Holder' }], required: true },
    },
    mustSee: [BAD, MISSING],
  },
  {
    method: 'POST',
    path: '/insights/v1/name-verification',
    body: { entity_id: id('entity'), full_name: { type: { kind: 'text' }, valid: 'Fuzz Holder', required: true }, async: { type: { kind: 'boolean' }, valid: false } },
    mustSee: [BAD, MISSING, 'UNKNOWN_ENTITY'],
  },
  {
    method: 'POST',
    path: '/verifications/v2/entity',
    body: { entity_id: id('entity'), identifications: { type: { kind: 'meta' }, valid: [{ type: 'NATIONAL_ID', value: '1106972886' }], required: true } },
    mustSee: [BAD, MISSING, 'UNKNOWN_ENTITY'],
  },
  {
    method: 'POST',
    path: '/verifications/v2/beneficiary-name',
    body: { iban: { type: { kind: 'text' }, valid: 'SA2810000011100000461309', required: true } },
    mustSee: [BAD, MISSING],
  },
  {
    method: 'POST',
    path: '/verifications/v1/corporates',
    body: {
      type: { type: { kind: 'enum', values: ['FULL', 'BASIC', 'CONTRACT', 'ADDRESS'] }, valid: 'BASIC', required: true },
      language: { type: { kind: 'enum', values: ['en', 'ar'] }, valid: 'en' },
      identifications: { type: { kind: 'meta' }, valid: [{ type: 'UNIFIED_NUMBER', value: '7001272184' }], required: true },
    },
    mustSee: [BAD, MISSING],
  },
  {
    method: 'POST',
    path: '/verifications/v1/corporates/managers',
    body: {
      language: { type: { kind: 'enum', values: ['en', 'ar'] }, valid: 'en' },
      identifications: {
        type: { kind: 'meta' },
        valid: [{ type: 'UNIFIED_NUMBER', value: '7001272184' }, { type: 'NATIONAL_ID', value: '1132381599' }],
        required: true,
      },
    },
    mustSee: [BAD, MISSING],
  },
  {
    method: 'POST',
    path: '/verifications/v1/freelancers',
    body: {
      type: { type: { kind: 'enum', values: ['FULL', 'FULL_LIST', 'BASIC'] }, valid: 'FULL', required: true },
      identifications: { type: { kind: 'meta' }, valid: [{ type: 'NATIONAL_ID', value: '1107454009' }], required: true },
    },
    mustSee: [BAD, MISSING],
  },

  // Lean's events endpoint (core-resources.yml): the sandbox's own event log.
  {
    method: 'GET',
    path: '/events/v1',
    query: {
      page: { ...page, required: true },
      size: { ...size('20'), required: true },
      from: { type: { kind: 'datetime' }, valid: '2026-01-01T00:00:00Z' },
      to: { type: { kind: 'datetime' }, valid: '2026-03-15T09:30:00+04:00' },
      type: { type: { kind: 'enum', values: ['payment.created', 'payment.updated', 'entity.created', 'bank.availability.updated'] }, valid: 'payment.created' },
    },
    mustSee: [BAD, MISSING],
  },

  // Last: they delete what they name.
  // Last: they delete (or revoke) what they name.
  {
    method: 'POST',
    path: '/consents/v1/:consent_id/revocation',
    params: { consent_id: 'consent' },
    body: {
      reason: { type: { kind: 'enum', values: REVOCATION_REASONS }, valid: 'END_USER_REQUESTED', required: true },
      additional_context: { type: { kind: 'text' }, valid: 'fuzz' },
    },
    // After the first success the consent is REVOKED: every later one answers CONSENT_NOT_AUTHORISED.
    mustSee: [BAD, MISSING, 'UNKNOWN_CONSENT', 'CONSENT_NOT_AUTHORISED'],
    destructive: true,
  },
  {
    method: 'DELETE',
    path: '/customers/v1/:customer_id/payment-sources/:payment_source_id',
    params: { customer_id: 'customer', payment_source_id: 'source' },
    body: { reason: { type: { kind: 'enum', values: ['USER_REQUESTED', 'TPP_REQUESTED'] }, valid: 'USER_REQUESTED' } },
    mustSee: [BAD, 'UNKNOWN_CUSTOMER', 'UNKNOWN_PAYMENT_SOURCE'],
    destructive: true,
  },
  {
    method: 'DELETE',
    path: '/customers/v1/:customer_id/entities/:entity_id',
    params: { customer_id: 'customer', entity_id: 'entity' },
    body: { reason: { type: { kind: 'enum', values: ['USER_REQUESTED'] }, valid: 'USER_REQUESTED', required: true } },
    mustSee: [BAD, MISSING, 'UNKNOWN_CUSTOMER', 'UNKNOWN_ENTITY'],
    destructive: true,
  },
];

/** The distinct paths, with the methods each serves (every other method must answer 405). */
export function pathsWithMethods(routes: readonly Route[] = ROUTES): Map<string, Set<Method>> {
  const paths = new Map<string, Set<Method>>();
  for (const route of routes) {
    const methods = paths.get(route.path) ?? new Set<Method>();
    methods.add(route.method);
    paths.set(route.path, methods);
  }
  return paths;
}

export const routeName = (route: Pick<Route, 'method' | 'path'>): string => `${route.method} ${route.path}`;
