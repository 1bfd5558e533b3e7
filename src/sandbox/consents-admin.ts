import { Router } from 'express';
import { z } from 'zod';
import { jsonBody } from '../app/error-handler.js';
import { methodNotAllowed } from '../app/routing.js';
import { leanId, parseInput } from '../app/validation.js';
import { advanceAofPayment, makePayment } from './consents/aof-payments.js';
import { consentedAccount, getConsent, moveConsent, paymentsOf, revokeConsent } from './consents/consents.js';
import { consentErrors } from './consents/errors.js';
import { AOF_PAYMENT_STATUSES, REVOCATION_REASONS } from './consents/records.js';
import { aofPaymentView, consentView } from './consents/views.js';
import type { SandboxStore } from './store/store.js';
import { adminAppOf, appField } from './admin-app.js';

/**
 * The admin API's consent controls: what the customer does in the LinkSDK (authorise or reject),
 * what the customer or bank does later (revoke), what time does (expire), and the bank's answer
 * to an AoF payment (advance) — each with the history entry and webhooks Lean would send.
 */

const appOnly = z.object(appField);
const authoriseBody = z.object({ ...appField, bank_identifier: z.string().min(1).max(64).optional(), holder_name: z.string().optional() });
const revokeBody = z.object({ ...appField, reason: z.string().pipe(z.enum(REVOCATION_REASONS)).optional(), by: z.enum(['CUSTOMER', 'BANK']).optional() });
const advanceBody = z.object({
  ...appField,
  status: z.string().pipe(z.enum(AOF_PAYMENT_STATUSES)),
  failure_code: z.string().regex(/^[A-Z][A-Z0-9_]{0,63}$/).optional(),
  failure_details: z.string().trim().min(1).max(500).optional(),
});
const consentParams = z.object({ consent_id: leanId });

export function createConsentsAdminRouter(options: { store: SandboxStore }): Router {
  const { store } = options;
  const appOf = adminAppOf(store);
  const view = (app: string, id: string) => consentView(getConsent(store, app, id), paymentsOf(store, app, id), store.now());

  const router = Router();
  const action = <S extends z.ZodObject<typeof appField>>(name: string, schema: S, act: (app: string, id: string, body: z.infer<S>) => void) =>
    router
      .route(`/admin/v1/consents/:consent_id/${name}`)
      .post(jsonBody, (req, res) => {
        const { consent_id: id } = parseInput(consentParams, req.params);
        const body = parseInput(schema, req.body);
        const app = appOf(req, body.app);
        act(app, id, body);
        res.json(view(app, id));
      })
      .all(methodNotAllowed);

  // The customer authorises in the LinkSDK, picking an account; a consent with an immediate payment pays it at once.
  action('authorise', authoriseBody, (app, id, body) => {
    const consent = getConsent(store, app, id);
    // Checked before anything is written: the immediate payment must be payable the moment it is authorised.
    if (consent.immediate_payment && store.now() < new Date(consent.start_date_time)) throw consentErrors.notStarted(id, consent.start_date_time);
    const account = consentedAccount(store, body);
    const authorised = moveConsent(store, app, consent, 'AUTHORISED', 'CUSTOMER', { account });
    const immediate = authorised.immediate_payment;
    if (immediate) makePayment(store, app, authorised, { amount: immediate.amount, reference: immediate.reference, creditor_reference: immediate.creditor_reference });
  });
  action('reject', appOnly, (app, id) => void moveConsent(store, app, getConsent(store, app, id), 'REJECTED', 'CUSTOMER'));
  action('revoke', revokeBody, (app, id, body) => void revokeConsent(store, app, id, body.by ?? 'CUSTOMER', body.reason ?? 'END_USER_REQUESTED'));
  action('expire', appOnly, (app, id) => void moveConsent(store, app, getConsent(store, app, id), 'EXPIRED', 'LEAN'));

  router
    .route('/admin/v1/aof-payments/:payment_id/advance')
    .post(jsonBody, (req, res) => {
      const { payment_id: id } = parseInput(z.object({ payment_id: leanId }), req.params);
      const body = parseInput(advanceBody, req.body);
      res.json(aofPaymentView(advanceAofPayment(store, appOf(req, body.app), id, body)));
    })
    .all(methodNotAllowed);

  return router;
}
