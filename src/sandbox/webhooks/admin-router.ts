import { Router } from 'express';
import { z } from 'zod';
import { jsonBody } from '../../app/error-handler.js';
import { LeanError } from '../../app/errors.js';
import { methodNotAllowed } from '../../app/routing.js';
import { parseInput } from '../../app/validation.js';
import type { WebhookDispatcher } from './dispatcher.js';
import { webhookUrlProblem } from './webhook-url.js';

/**
 * The admin view of webhooks: `GET /admin/v1/webhooks` (the delivery log, newest first, filtered
 * by `app`, `type`, `status`, cut to `limit`) and `GET|PUT /admin/v1/webhooks/url` (where each
 * app's webhooks go; `{url}` alone sets every app's, `null` turns them off).
 */
export function createWebhooksAdminRouter(options: { dispatcher: WebhookDispatcher }): Router {
  const { dispatcher } = options;
  const app = z.string().refine((name) => dispatcher.apps.includes(name), 'not an app that receives webhooks');
  const listQuery = z.object({
    app: app.optional(),
    type: z.string().max(128).optional(),
    status: z.enum(['pending', 'delivered', 'failed', 'retrying', 'dropped']).optional(),
    limit: z.coerce.number().int().min(1).max(100_000).optional(),
  });
  const urlBody = z.object({
    app: app.optional(),
    url: z
      .string()
      .refine((url) => webhookUrlProblem(url) === null, 'an http or https URL')
      .nullable(),
  });
  const urls = () => ({ urls: dispatcher.apps.map((name) => ({ app: name, url: dispatcher.urlOf(name) })) });

  const router = Router();
  router
    .route('/admin/v1/webhooks')
    .get((req, res) => {
      const query = parseInput(listQuery, req.query);
      const deliveries = dispatcher
        .deliveries()
        .filter((d) => (!query.app || d.app === query.app) && (!query.type || d.type === query.type))
        .filter((d) => !query.status || d.status === query.status);
      res.json(deliveries.slice(0, query.limit));
    })
    .all(methodNotAllowed);

  router
    .route('/admin/v1/webhooks/url')
    .get((_req, res) => {
      res.json(urls());
    })
    .put(jsonBody, (req, res) => {
      const body = parseInput(urlBody, req.body);
      // Well-formed, yet unusable here: the mock's own ports (known only to the dispatcher).
      const problem = body.url === null ? null : dispatcher.urlProblem(body.url);
      if (problem) throw new LeanError('INVALID_PARAMETERS', 400, `The webhook URL cannot be used, field: url: it ${problem}`, { field: 'url' });
      for (const name of body.app === undefined ? dispatcher.apps : [body.app]) dispatcher.setUrl(name, body.url);
      res.json(urls());
    })
    .all(methodNotAllowed);
  return router;
}
