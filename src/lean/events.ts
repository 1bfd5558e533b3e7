import { Router } from 'express';
import { z } from 'zod';
import { callerApp } from '../app/context.js';
import { methodNotAllowed } from '../app/routing.js';
import { pageNumber, pageSize, parseInput } from '../app/validation.js';
import type { EventLog, StampedEvent } from '../sandbox/events/log.js';
import { paginate, withoutSort } from './pagination.js';

/**
 * `GET /events/v1` (core-resources.yml, getEvents): the events Lean created for the app and sent
 * over webhooks, newest first, paged. `page` and `size` are required, as Lean documents them.
 */
const eventsQuery = z.object({
  page: pageNumber,
  size: pageSize,
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  // Any webhook type this mock or Lean sends (Lean's enum lags its own webhooks, e.g. entity.data.refresh.updated).
  type: z.string().max(128).regex(/^[a-z_]+(\.[a-z_]+)+$/).optional(),
});

function eventView(event: StampedEvent) {
  return { payload: event.payload, type: event.type, message: event.message, timestamp: event.created_at.toISOString(), event_id: event.event_id };
}

export function createEventsRouter(options: { log: EventLog }): Router {
  const { log } = options;
  const router = Router();
  router
    .route('/events/v1')
    .get((req, res) => {
      const query = parseInput(eventsQuery, req.query);
      const events = log.list(callerApp(req), {
        ...(query.from === undefined ? {} : { from: new Date(query.from) }),
        ...(query.to === undefined ? {} : { to: new Date(query.to) }),
        ...(query.type === undefined ? {} : { type: query.type }),
      });
      const { items, page } = paginate(events, query.page, query.size);
      // Lean's example page carries number, size, total_elements and total_pages only.
      res.json({ data: items.map(eventView), page: withoutSort(page) });
    })
    .all(methodNotAllowed);
  return router;
}
