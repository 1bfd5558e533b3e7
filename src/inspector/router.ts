import { randomUUID } from 'node:crypto';
import { Router } from 'express';
import { LeanError } from '../app/errors.js';
import { captureExchanges } from '../app/request-log.js';
import { methodNotAllowed, type Clock } from '../app/routing.js';
import type { HandshakeRecord, Journal, RequestRecord } from '../gateway/journal.js';
import type { SandboxStore } from '../sandbox/store/store.js';
import { EventHub, type InspectedRecord } from './events.js';
import { ExchangeStore, type ExchangeDetails } from './exchanges.js';
import { createPageRouter } from './page-files.js';
import { Redactor } from './redact.js';
import { createStateRouter } from './state.js';

export interface InspectorOptions {
  journal: Journal;
  store: SandboxStore;
  clock: Clock;
  /** The PKI's apps, the default one first: their secrets are redacted wherever they appear. */
  apps: readonly { name: string; appToken: string; clientSecret: string; webhookSecret: string }[];
  /** Exchanges kept: the journal's capacity. Default 1000. */
  capacity?: number;
  heartbeatMs?: number;
  maxBufferedBytes?: number;
}

/** `GET /admin/v1/requests/:id`. */
export interface RequestDetails {
  request: InspectedRecord<RequestRecord>;
  /** The handshake the request rode on, while the journal still holds it. */
  handshake: InspectedRecord<HandshakeRecord> | null;
  /** Headers and bodies, redacted; null when not captured (the parser refused it, or it left the ring). */
  exchange: ExchangeDetails | null;
}

export interface Inspector {
  /** Mount on the admin app, before its catch-all 404. */
  readonly router: Router;
  readonly events: EventHub;
  readonly exchanges: ExchangeStore;
  /** What hides the apps' secrets: the admin API's journal listing uses it too. */
  readonly redactor: Redactor;
  /** After the journal was cleared: forget the exchanges and tell the pages. */
  reset(): void;
  /** Stops capturing exchanges. */
  close(): void;
}

/**
 * The live inspector on the admin port: the page (`GET /`), its event stream, request details
 * and the sandbox state. Capturing exchanges starts here and ends with `close()`.
 */
export function createInspector(options: InspectorOptions): Inspector {
  const { journal, store, clock } = options;
  const redactor = new Redactor(options.apps.flatMap((app) => [app.appToken, app.clientSecret, app.webhookSecret]));
  const exchanges = new ExchangeStore({ capacity: options.capacity, redactor });
  const events = new EventHub({
    journal,
    clock,
    defaultApp: options.apps[0]?.name ?? null,
    instance: randomUUID(),
    redactor,
    heartbeatMs: options.heartbeatMs,
    maxBufferedBytes: options.maxBufferedBytes,
  });
  captureExchanges(journal, exchanges);

  const router = Router();
  router.use(createPageRouter());
  router.route('/admin/v1/events').get(events.handle).all(methodNotAllowed);
  router
    .route('/admin/v1/requests/:id')
    .get((req, res) => {
      const raw = String(req.params.id);
      if (!/^\d{1,15}$/.test(raw)) throw LeanError.invalidParameter('id', raw);
      const id = Number(raw);
      const record = journal.requests().find((candidate) => candidate.id === id);
      if (!record) throw new LeanError('UNKNOWN_REQUEST', 404, `The journal holds no request with id ${id}.`, { id });
      const rode = record.handshake_id === null ? undefined : journal.handshakes().find((h) => h.id === record.handshake_id);
      const details: RequestDetails = {
        request: events.inspectRequest(record, rode),
        handshake: rode ? events.inspectHandshake(rode) : null,
        exchange: exchanges.details(id) ?? null,
      };
      res.json(details);
    })
    .all(methodNotAllowed);
  router.use(createStateRouter({ store, redactor }));

  return {
    router,
    events,
    exchanges,
    redactor,
    reset() {
      exchanges.clear();
      events.reset();
    },
    close() {
      captureExchanges(journal, null);
    },
  };
}
