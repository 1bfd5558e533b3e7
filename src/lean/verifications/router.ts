import { Router, type RequestHandler } from 'express';
import { callerApp } from '../../app/context.js';
import { jsonBody } from '../../app/error-handler.js';
import { LeanError } from '../../app/errors.js';
import { methodNotAllowed } from '../../app/routing.js';
import type { SandboxStore } from '../../sandbox/store/store.js';
import { verifyAccount } from '../../sandbox/verifications/accounts.js';
import { beneficiaryName } from '../../sandbox/verifications/beneficiary.js';
import { verifyEntityName, verifyEntityOwnership } from '../../sandbox/verifications/entity.js';
import { freelancerView } from './freelancer-view.js';
import { corporate, corporateManagers } from '../../sandbox/verifications/registry.js';
import {
  beneficiaryNameBody, corporateBody, entityVerificationBody, freelancerBody, managersBody, nameVerificationBody,
  parseAccountVerification, parseVerificationInput,
} from './requests.js';
import { accountVerificationView, dataNotFound, failedEnvelope, okEnvelope, type Stamp } from './views.js';

/**
 * Lean's verifications: account ownership in 27 countries, the UAE name verification of a
 * connected entity, and the KSA entity, beneficiary-name, corporate and freelancer checks.
 * Outcomes come from src/sandbox/verifications (the README's "Verifications" table).
 */
export function createVerificationsRouter(options: { store: SandboxStore }): Router {
  const { store } = options;
  const stamp = (): Stamp => ({ resultsId: store.newId(), timestamp: store.now().toISOString() });

  const accounts: RequestHandler = (req, res) => {
    const body = parseAccountVerification(req.body);
    const ids = body.identifications.filter((id) => id.type === 'NATIONAL_ID' || id.type === 'REGISTRATION_ID').map((id) => id.value);
    const nameParts = ['FULL_NAME', 'GIVEN_NAME', 'SURNAME'].flatMap((type) => body.identifications.filter((id) => id.type === type).map((id) => id.value));
    const result = verifyAccount(store, callerApp(req), {
      country: body.country_code,
      account: body.account_details,
      ...(nameParts.length > 0 ? { name: nameParts.join(' ') } : {}),
      ids,
    });
    const bic = body.bank_identifier?.type === 'BIC' ? body.bank_identifier.value : undefined;
    res.json(accountVerificationView(stamp(), result, bic));
  };

  const nameVerification: RequestHandler = (req, res) => {
    const body = parseVerificationInput(nameVerificationBody, req.body);
    const result = verifyEntityName(store, callerApp(req), body.entity_id, body.full_name);
    const { resultsId, timestamp } = stamp();
    if (result.reconnectId) {
      res.json({
        status: 'RECONNECT_REQUIRED', results_id: resultsId, message: 'User input is required to reconnect with the bank', meta: null, timestamp,
        status_detail: { reconnect_id: result.reconnectId }, data: null, type: 'name-verification',
      });
      return;
    }
    // Lean's name verification says PERFECT_MATCH where the account checks say match.
    const matchType = result.comparison.match === 'MATCH' ? 'PERFECT_MATCH' : result.comparison.match;
    res.json({
      status: 'OK', results_id: resultsId, message: 'Name verification completed successfully', meta: null, timestamp, status_detail: null,
      data: { type: 'name-verification', full_name_provided: body.full_name, full_name_retrieved: result.retrieved, match_type: matchType, confidence: result.comparison.score },
      type: 'name-verification',
    });
  };

  const entity: RequestHandler = (req, res) => {
    const body = parseVerificationInput(entityVerificationBody, req.body);
    const result = verifyEntityOwnership(store, callerApp(req), body.entity_id, body.identifications);
    if (result.reconnectId) throw new LeanError('RECONNECT_REQUIRED', 400, 'User input is required to reconnect with the bank', { reconnect_id: result.reconnectId });
    res.json(okEnvelope(stamp(), {
      entity_ownership_verified: result.verified,
      verification_method: 'OPEN_BANKING',
      ibans: result.ibans.map(({ iban, verified }) => ({ iban, iban_ownership_verified: verified })),
    }));
  };

  const beneficiary: RequestHandler = (req, res) => {
    const body = parseVerificationInput(beneficiaryNameBody, req.body);
    const result = beneficiaryName(store, callerApp(req), body.iban);
    if (result.kind === 'not_found') throw dataNotFound();
    if (result.kind === 'failed') {
      res.json(failedEnvelope(stamp(), result.code));
      return;
    }
    res.json(okEnvelope(stamp(), { beneficiary_name: result.name, account_status: result.status }));
  };

  const corporates: RequestHandler = (req, res) => {
    const body = parseVerificationInput(corporateBody, req.body);
    const record = corporate(body.identifications[0]!.value, body.type);
    if (!record) throw dataNotFound();
    res.json(okEnvelope(stamp(), record));
  };

  const managers: RequestHandler = (req, res) => {
    const body = parseVerificationInput(managersBody, req.body);
    const unified = body.identifications.find((id) => id.type === 'UNIFIED_NUMBER')!.value;
    const person = body.identifications.find((id) => id.type === 'NATIONAL_ID')!.value;
    const found = corporateManagers(unified, person);
    if (!found) throw dataNotFound();
    res.json(okEnvelope(stamp(), found, 'OK'));
  };

  const freelancers: RequestHandler = (req, res) => {
    const body = parseVerificationInput(freelancerBody, req.body);
    const view = freelancerView(body.type, body.identifications);
    if (!view) throw dataNotFound();
    res.json(okEnvelope(stamp(), view, 'Freelancer verification successful'));
  };

  const router = Router();
  const post = (path: string, handler: RequestHandler) => router.route(path).post(jsonBody, handler).all(methodNotAllowed);
  post('/verifications/v1/accounts', accounts);
  post('/insights/v1/name-verification', nameVerification);
  post('/verifications/v2/entity', entity);
  post('/verifications/v2/beneficiary-name', beneficiary);
  post('/verifications/v1/corporates', corporates);
  post('/verifications/v1/corporates/managers', managers);
  post('/verifications/v1/freelancers', freelancers);
  return router;
}
