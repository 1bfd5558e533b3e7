import express, { type Express, type Router } from 'express';
import { z } from 'zod';
import { leanErrorHandler } from '../app/error-handler.js';
import { LeanError } from '../app/errors.js';
import { methodNotAllowed, type Clock } from '../app/routing.js';
import { refuseCrossSiteWrites, refuseForeignHosts } from './admin-guards.js';
import type { Journal } from '../gateway/journal.js';

/** What the admin API steers; the composition root provides it. */
export interface AdminControls {
  journal: Journal;
  clock: Clock;
  /** Back to the seeded state: journal cleared, run-time revocations undone. */
  reset(): void;
  /** Revokes a certificate by serial for new connections. */
  revoke(serialNumber: string): Promise<{ serial: string; issuer: string }>;
  revokedSerials(): string[];
  /** The products' own admin endpoints (connect, payments, webhooks, faults). */
  routers?: readonly Router[];
}

const listQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100_000).optional(),
  verdict: z.enum(['accepted', 'rejected']).optional(),
  reason: z.string().max(64).optional(),
  app: z.string().max(128).optional(),
});

const revocationBody = z.object({ serial: z.string().regex(/^[0-9A-Fa-f]{1,64}$/, 'a hex serial number') });

/**
 * The admin API (plain HTTP, loopback only, its own port; DESIGN.md §2.4): read the journal,
 * reset, revoke. Errors use Lean's envelope too, so one client library reads both ports.
 */
export function createAdminApp(controls: AdminControls): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(refuseForeignHosts);
  app.use(refuseCrossSiteWrites);
  app.use(express.json({ limit: '16kb' }));

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
      const { limit, reason, app: appName } = parseList(req.query);
      const records = controls.journal
        .requests()
        .filter((record) => (!reason || record.reason === reason) && (!appName || record.app === appName));
      res.json(records.slice(0, limit));
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
        const serial: unknown = (req.body as Record<string, unknown> | undefined)?.serial;
        throw serial === undefined ? LeanError.missingParameter('serial') : LeanError.invalidParameter('serial', serial);
      }
      const revoked = await controls.revoke(parsed.data.serial);
      res.status(201).json({ ...revoked, revoked_at: controls.clock().toISOString() });
    })
    .all(methodNotAllowed);

  for (const router of controls.routers ?? []) app.use(router);
  app.use((_req, _res, next) => next(LeanError.of('INVALID_URL')));
  app.use(leanErrorHandler(controls.clock));
  return app;
}
