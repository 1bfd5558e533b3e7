// mockttp as a process of its own for the peers suite's rates, so it pays for its own event loop
// as every other server there does. mockttp cannot request client certificates: it serves
// server-only TLS, its leaf issued for the SNI name from the CA in the setup (it imports RSA CA
// keys only, hence a CA of its own rather than lean-mock's EC PKI).
// Usage: node bench/servers/mockttp.mjs <setup.json>, setup {"ca":{"key","cert"},"path","body"};
// prints {"url":"https://127.0.0.1:PORT"} once the rule is in place; exits 0 on SIGTERM or SIGINT.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const setupPath = process.argv[2];
if (!setupPath) {
  console.error('usage: node mockttp.mjs <setup.json>');
  process.exit(2);
}
const { ca, path, body } = JSON.parse(readFileSync(setupPath, 'utf8'));
// Installed in bench/peers/, out of the main package's reach.
const mockttp = createRequire(new URL('../peers/package.json', import.meta.url))('mockttp');
const server = mockttp.getLocal({ https: { key: ca.key, cert: ca.cert } });
await server.start(0);
// A content-length, as the other servers send: the keep-alive reader counts replies by it.
await server.forGet(path).thenReply(200, body, { 'content-type': 'application/json; charset=utf-8', 'content-length': String(Buffer.byteLength(body)) });
console.log(JSON.stringify({ url: `https://127.0.0.1:${server.port}` }));

const stop = () => server.stop().then(() => process.exit(0));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
