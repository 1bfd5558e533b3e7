import { Router, type NextFunction, type Request, type Response } from 'express';
import { contextOf } from '../app/context.js';
import { jsonBody, parsedBodyBytes } from '../app/error-handler.js';
import { NOT_REPLAYED_HEADERS, queryObject } from '../record/exchange-file.js';
import { TooDeep, normalPath, requestKey } from './match.js';
import type { ReplaySet } from './load.js';

/**
 * Mounted before the sandbox's routers: a request matching a recorded exchange is answered with
 * the recorded status, headers and body bytes, and its journal record names the file; anything
 * else goes on to the sandbox untouched. A JSON body is read only when a recording exists for
 * the method and path, and the sandbox's own parser then finds it already read.
 */
export function createReplayRouter(replay: ReplaySet): Router {
  const router = Router();
  router.use((req: Request, res: Response, next: NextFunction) => {
    const path = normalPath(req.path);
    if (!replay.routes.has(`${req.method} ${path}`)) return next();
    const answer = (body: unknown): void => {
      const search = req.originalUrl.includes('?') ? req.originalUrl.slice(req.originalUrl.indexOf('?') + 1) : '';
      let key: string;
      try {
        key = requestKey(req.method, path, queryObject(search), body);
      } catch (error) {
        if (error instanceof TooDeep) return next();
        throw error;
      }
      const entry = replay.entries.get(key);
      if (!entry) return next();
      contextOf(req).replayed = entry.file;
      for (const [name, value] of Object.entries(entry.headers)) {
        if (!NOT_REPLAYED_HEADERS.has(name.toLowerCase())) res.setHeader(name, value);
      }
      res.status(entry.status).end(entry.body);
    };
    const length = req.headers['content-length'];
    const hasBody = req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
    if (!hasBody) return answer(undefined);
    // A body of another type cannot be compared with a recorded JSON body: the sandbox answers it.
    if (!req.is('application/json')) return next();
    // An empty body was recorded as none.
    jsonBody(req, res, (error?: unknown) => (error === undefined ? answer(parsedBodyBytes(req) ? (req.body as unknown) : undefined) : next(error)));
  });
  return router;
}
