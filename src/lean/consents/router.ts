import { Router, type Request } from 'express';
import { callerApp } from '../../app/context.js';
import { jsonBody } from '../../app/error-handler.js';
import { LeanError } from '../../app/errors.js';
import { methodNotAllowed } from '../../app/routing.js';
import { parseInput } from '../../app/validation.js';
import { initiateAofPayment } from '../../sandbox/consents/aof-payments.js';
import { createConsent, getConsent, listConsents, paymentsOf, revokeConsent } from '../../sandbox/consents/consents.js';
import { consumptionOf, remainingOf } from '../../sandbox/consents/consumption.js';
import { consentErrors } from '../../sandbox/consents/errors.js';
import { statusOf } from '../../sandbox/consents/status.js';
import { aofPaymentView, consentView, createdConsentView, historyView } from '../../sandbox/consents/views.js';
import { parseAmount } from '../../sandbox/payments/amount.js';
import type { SandboxStore } from '../../sandbox/store/store.js';
import { paginate, withoutSort } from '../pagination.js';
import { consentParams, createConsentBody, historyQuery, idempotencyKey, initiatePaymentBody, listConsentsQuery, revocationBody, toMoney } from './requests.js';

export interface ConsentsRouterOptions {
  store: SandboxStore;
  /** The application id Lean shows on consents and payments (the app token); default the app's name. */
  appIdOf?: (app: string) => string;
}

/**
 * Lean's consents API and account-on-file payments. Lean's collection calls them without a
 * version (`/consents/account-on-file`, `/consents/{id}`, `/payments/account-on-file`), its
 * OpenAPI files with `/v1`: both are served. AoF payments live here rather than with intent
 * payments: every rule they follow (status, limits, the Idempotency-Key) is the consent's.
 * Mount before the payments router, whose `/payments/v1/:payment_id` would take `/payments/v1/account-on-file`.
 */
export function createConsentsRouter(options: ConsentsRouterOptions): Router {
  const { store } = options;
  const appIdOf = options.appIdOf ?? ((app: string) => app);
  const router = Router();

  const view = (app: string, id: string) => consentView(getConsent(store, app, id), paymentsOf(store, app, id), store.now());

  for (const path of ['/consents/v1/account-on-file', '/consents/account-on-file']) {
    router
      .route(path)
      .post(jsonBody, (req, res) => {
        const body = parseInput(createConsentBody, req.body);
        const app = callerApp(req);
        const { type: _type, ...limits } = body.control_parameters;
        const immediate = body.immediate_payment;
        const immediatePayment = immediate && { amount: immediate.amount, reference: immediate.reference ?? null, creditor_reference: immediate.creditor_reference ?? null };
        res.json(createdConsentView(createConsent(store, app, appIdOf(app), { ...body, control_parameters: limits, immediate_payment: immediatePayment })));
      })
      .all(methodNotAllowed);
  }

  router
    .route('/consents/v1')
    .get((req, res) => {
      const query = parseInput(listConsentsQuery, req.query);
      const app = callerApp(req);
      const found = listConsents(store, app, { customer_id: query.customer_id, status: query.status });
      const { items, page } = paginate(found, query.page_number, query.page_size);
      const now = store.now();
      // Lean's page names its sort: ours is newest first.
      res.json({ data: items.map((c) => consentView(c, paymentsOf(store, app, c.consent_id), now)), page: { ...page, sort: ['start_date_time: DESC'] } });
    })
    .all(methodNotAllowed);

  for (const prefix of ['/consents/v1', '/consents']) {
    router
      .route(`${prefix}/:consent_id`)
      .get((req, res) => {
        const { consent_id: id } = parseInput(consentParams, req.params);
        res.json(view(callerApp(req), id));
      })
      .all(methodNotAllowed);

    router
      .route(`${prefix}/:consent_id/balance`)
      .get((req, res) => {
        const { consent_id: id } = parseInput(consentParams, req.params);
        const app = callerApp(req);
        const consent = getConsent(store, app, id);
        const now = store.now();
        const status = statusOf(consent, now);
        if (status !== 'AUTHORISED' || !consent.account) throw consentErrors.noBalance(id, status);
        const used = consumptionOf(consent, paymentsOf(store, app, id), now);
        res.json({ currency: consent.currency, balance: consent.account.balance, remaining: remainingOf(consent, used, now) });
      })
      .all(methodNotAllowed);

    router
      .route(`${prefix}/:consent_id/history`)
      .get((req, res) => {
        const { consent_id: id } = parseInput(consentParams, req.params);
        const query = parseInput(historyQuery, req.query);
        const consent = getConsent(store, callerApp(req), id);
        const { items, page } = paginate(consent.history, query.page_number, query.page_size);
        res.json({ data: items.map(historyView), page: withoutSort(page) });
      })
      .all(methodNotAllowed);

  }

  // Only in the OpenAPI file (no recording names it unversioned).
  router
    .route('/consents/v1/:consent_id/revocation')
    .post(jsonBody, (req, res) => {
      const { consent_id: id } = parseInput(consentParams, req.params);
      const body = parseInput(revocationBody, req.body);
      revokeConsent(store, callerApp(req), id, 'CLIENT', body.reason);
      res.json({});
    })
    .all(methodNotAllowed);

  for (const path of ['/payments/v1/account-on-file', '/payments/account-on-file']) {
    router
      .route(path)
      .post(jsonBody, (req, res) => {
        const key = idempotencyKeyOf(req);
        const body = parseInput(initiatePaymentBody, req.body);
        const amount = parseAmount(typeof body.amount === 'string' ? (toMoney(body.amount) ?? body.amount) : body.amount);
        const app = callerApp(req);
        const payment = initiateAofPayment(store, app, key, fingerprint(req.body), { ...body, amount });
        res.json(aofPaymentView(payment));
      })
      .all(methodNotAllowed);
  }

  return router;
}

function idempotencyKeyOf(req: Request): string {
  const value = req.get('idempotency-key');
  if (value === undefined) throw LeanError.missingParameter('Idempotency-Key');
  const parsed = idempotencyKey().safeParse(value);
  if (!parsed.success) throw LeanError.invalidParameter('Idempotency-Key', value.slice(0, 300));
  return parsed.data;
}

/** Canonical JSON: keys sorted at every depth, so the same body spelled differently is the same request. */
export function fingerprint(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  );
}
