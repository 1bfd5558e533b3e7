// The bare https floor as a process of its own, for figures taken from outside a process (peak
// RSS): plain `node`, no TypeScript loader, so it carries nothing lean-mock's CLI (plain node on
// dist/) does not. Usage: node bench/servers/bare-https.mjs <setup.json> (see serve-setup.mjs).
// Answers every request with the setup's body, precomputed.
import { serveFromSetup } from './serve-setup.mjs';

serveFromSetup('bare-https.mjs', (body) => {
  const headers = { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) };
  return (_req, res) => {
    res.writeHead(200, headers);
    res.end(body);
  };
});
