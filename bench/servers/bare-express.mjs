// The bare express 5 floor as a process of its own, for figures taken from outside a process (peak
// RSS): plain `node` on the same https options as bare-https.mjs, express with lean-mock's app
// settings (no etag, no x-powered-by) and one route, GET /banks/v1 answering the setup's body
// with res.json, as the in-process floor of bench/gateway.ts does. What lean-mock's CLI weighs
// beyond this process is lean-mock's own, not express's.
// Usage: node bench/servers/bare-express.mjs <setup.json> (see serve-setup.mjs).
import express from 'express';
import { serveFromSetup } from './serve-setup.mjs';

serveFromSetup('bare-express.mjs', (body) => {
  const banks = JSON.parse(body);
  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  app.get('/banks/v1', (_req, res) => {
    res.json(banks);
  });
  return app;
});
