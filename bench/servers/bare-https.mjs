// The bare https floor as a process of its own, for figures taken from outside a process (peak
// RSS): plain `node`, no TypeScript loader, so it carries nothing lean-mock's CLI (plain node on
// dist/) does not. Usage: node bench/servers/bare-https.mjs <setup.json>, where setup.json is
// { "options": https.createServer options (bench/tls-load.ts bareServerOptions), "body": string }.
// Prints {"url":"https://127.0.0.1:PORT"} once listening; exits 0 on SIGTERM or SIGINT.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:https';

const setupPath = process.argv[2];
if (!setupPath) {
  console.error('usage: node bare-https.mjs <setup.json>');
  process.exit(2);
}
const { options, body } = JSON.parse(readFileSync(setupPath, 'utf8'));
const headers = { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) };

const server = createServer(options, (_req, res) => {
  res.writeHead(200, headers);
  res.end(body);
});
server.on('error', (error) => {
  console.error(error.message);
  process.exit(1);
});
server.listen(0, '127.0.0.1', () => {
  console.log(JSON.stringify({ url: `https://127.0.0.1:${server.address().port}` }));
});

const stop = () => {
  server.close(() => process.exit(0));
  // Keep-alive sockets would otherwise hold close() open until their timeout.
  server.closeAllConnections();
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
