import express, { type Express, type Router } from 'express';
import { z } from 'zod';
import { leanErrorHandler } from '../app/error-handler.js';
import { LeanError } from '../app/errors.js';
import { methodNotAllowed, type Clock } from '../app/routing.js';
import { refuseCrossSiteWrites, refuseForeignHosts } from './admin-guards.js';
import type { Journal } from '../gateway/journal.js';
import { compileRequestFilter, listedRequest, RequestFilterError, type RequestFilter } from './request-filter.js';
import { REVOCATION_ISSUERS, RevocationRefusal, type RevocationIssuer } from '../pki/serial.js';
import { SCENARIOS_PATH } from './scenarios/admin-router.js';

/** What the admin API steers; the composition root provides it. */
export interface AdminControls {
  journal: Journal;
  clock: Clock;
  /** Back to the seeded state: journal cleared, run-time revocations undone. */
  reset(): void;
  /** Revokes a certificate by serial for new connections; throws a {@link RevocationRefusal} for a bad one. */
  revoke(serialNumber: string, issuer?: RevocationIssuer): Promise<{ serial: string; issuer: string }>;
  revokedSerials(): string[];
  /** Hides secrets a request path carries (the inspector's redaction); default: shown as journaled. */
  redactPath?(path: string): string;
  /** The products' own admin endpoints (connect, payments, webhooks, faults). */
  routers?: readonly Router[];
}

const listQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100_000).optional(),
  verdict: z.enum(['accepted', 'rejected']).optional(),
  reason: z.string().max(64).optional(),
  app: z.string().max(128).optional(),
});

/** The serial's own rules (normalisation, length) are `normalizeSerial`'s: one place, one message. */
const revocationBody = z.object({ serial: z.string(), issuer: z.enum(REVOCATION_ISSUERS).optional() });

/**
 * The admin API (plain HTTP, loopback only, its own port; DESIGN.md §2.4): read the journal,
 * reset, revoke. Errors use Lean's envelope too, so one client library reads both ports.
 */
export function createAdminApp(controls: AdminControls): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(refuseForeignHosts);
  app.use(refuseCrossSiteWrites);
  const smallJson = express.json({ limit: '16kb' });
  // A scenario is the one large admin body (JSON or YAML): its router reads its own.
  app.use((req, res, next) => (req.path === SCENARIOS_PATH ? next() : smallJson(req, res, next)));

  const parseList = (query: unknown) => {
    const parsed = listQuery.safeParse(query);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw LeanError.invalidParameter(String(issue.path[0]), (query as Record<string, unknown>)[String(issue.path[0])]);
    }
    return parsed.data;
  };

  app
    .route('/admin/v1/handshakes')
    .get((req, res) => {
      const { limit, verdict, reason, app: appName } = parseList(req.query);
      const records = controls.journal
        .handshakes()
        .filter((record) => (!verdict || record.verdict === verdict) && (!reason || record.reason === reason))
        .filter((record) => !appName || record.app === appName);
      res.json(records.slice(0, limit));
    })
    .all(methodNotAllowed);

  app
    .route('/admin/v1/requests')
    .get((req, res) => {
      const { limit, reason } = parseList(req.query);
      const matches = requestFilterOf(req.query as Record<string, unknown>);
      const records = controls.journal.requests().filter((record) => (!reason || record.reason === reason) && matches(record));
      const redactPath = controls.redactPath?.bind(controls);
      res.json(records.slice(0, limit).map((record) => listedRequest(record, redactPath)));
    })
    .all(methodNotAllowed);

  app
    .route('/admin/v1/reset')
    .post((_req, res) => {
      controls.reset();
      res.json({ status: 'OK', message: 'Back to the seeded state', timestamp: controls.clock().toISOString() });
    })
    .all(methodNotAllowed);

  app
    .route('/admin/v1/revocations')
    .get((_req, res) => {
      res.json({ serials: controls.revokedSerials() });
    })
    .post(async (req, res) => {
      const parsed = revocationBody.safeParse(req.body ?? {});
      if (!parsed.success) {
        const field = String(parsed.error.issues[0]?.path[0] ?? 'serial');
        const value: unknown = (req.body as Record<string, unknown> | undefined)?.[field];
        throw value === undefined ? LeanError.missingParameter(field) : LeanError.invalidParameter(field, value);
      }
      try {
        const revoked = await controls.revoke(parsed.data.serial, parsed.data.issuer);
        res.status(201).json({ ...revoked, revoked_at: controls.clock().toISOString() });
      } catch (error) {
        throw error instanceof RevocationRefusal ? refusalError(error) : error;
      }
    })
    .all(methodNotAllowed);

  for (const router of controls.routers ?? []) app.use(router);
  app.use((_req, _res, next) => next(LeanError.of('INVALID_URL')));
  app.use(leanErrorHandler(controls.clock));
  return app;
}

/** `?method=&path=&status=&app=` as a filter; a malformed one is a 400 naming it. */
function requestFilterOf(query: Record<string, unknown>): ReturnType<typeof compileRequestFilter> {
  const { method, path, status, app } = query;
  try {
    return compileRequestFilter({ method, path, status, app } as RequestFilter);
  } catch (error) {
    if (!(error instanceof RequestFilterError)) throw error;
    const standard = LeanError.invalidParameter(error.parameter, error.value);
    throw new LeanError(standard.status, standard.httpStatus, `${standard.message} (${error.message})`, { field: error.parameter });
  }
}

/** 400 INVALID_PARAMETERS for a malformed field, 404 UNKNOWN_CERTIFICATE for a serial no CA of the PKI issued. */
function refusalError(refusal: RevocationRefusal): LeanError {
  if (refusal.kind === 'unknown') {
    return new LeanError('UNKNOWN_CERTIFICATE', 404, refusal.message, { field: refusal.field, value: refusal.input });
  }
  const standard = LeanError.invalidParameter(refusal.field, refusal.input);
  return new LeanError(standard.status, standard.httpStatus, `${standard.message} (${refusal.message})`, standard.metadata);
}
