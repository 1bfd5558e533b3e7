// What the process floors in bench/servers share: read the setup file named on the command line
// ({ "options": https.createServer options (bench/tls-load.ts bareServerOptions), "body": string }),
// serve a handler made from it on an ephemeral 127.0.0.1 port, print {"url":"https://127.0.0.1:PORT"}
// once listening (what bench/processes.ts readyPort reads), and exit 0 on SIGTERM or SIGINT.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:https';

/** `handlerFor(body)` builds the request handler once, so a floor's per-request work is only what it names. */
export function serveFromSetup(script, handlerFor) {
  const setupPath = process.argv[2];
  if (!setupPath) {
    console.error(`usage: node ${script} <setup.json>`);
    process.exit(2);
  }
  const { options, body } = JSON.parse(readFileSync(setupPath, 'utf8'));
  const server = createServer(options, handlerFor(body));
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
}
