/**
 * The one load generator of the peers suite, run as a process of its own (node --import tsx) so
 * that no server shares its event loop: every server it drives is a process too, and each pays
 * only for its own work. It runs one load against one URL and prints one JSON line:
 * {"rate":req/s,"p50":ms,"p99":ms,"errors":n,"ok":n,"seconds":s}.
 *
 * Usage: node --import tsx bench/load-client.ts --url https://127.0.0.1:PORT/banks/v1
 *   --mode handshake|keepalive --connections N --seconds S --ca ca.pem [--cert c.pem --key k.pem]
 *   [--token T] [--bytes N]
 * handshake: N loops, each a fresh full TLS handshake (no session resumed) + one GET with
 * Connection: close, counted on a 200 status line; latency is dial → status line.
 * keepalive: N persistent connections (opened untimed), GETs back to back, a reply counted when it
 * is a 200 of exactly --bytes body bytes; latency is request written → reply read whole.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { createSecureContext } from 'node:tls';
import { handshakeRun, keepAliveRun, percentile, rate, rawGet } from './tls-load.js';

const { values } = parseArgs({
  options: {
    url: { type: 'string' },
    mode: { type: 'string' },
    connections: { type: 'string', default: '16' },
    seconds: { type: 'string', default: '1' },
    ca: { type: 'string' },
    cert: { type: 'string' },
    key: { type: 'string' },
    token: { type: 'string', default: '' },
    bytes: { type: 'string' },
  },
});

function fail(message: string): never {
  process.stderr.write(`load-client: ${message}\n`);
  process.exit(2);
}

const url = values.url ? new URL(values.url) : fail('--url is required');
const mode = values.mode === 'handshake' || values.mode === 'keepalive' ? values.mode : fail('--mode handshake|keepalive');
const connections = Number(values.connections);
const seconds = Number(values.seconds);
if (!(connections >= 1) || !(seconds > 0)) fail('--connections and --seconds must be positive');
const context = createSecureContext({
  ca: readFileSync(values.ca ?? fail('--ca is required')),
  ...(values.cert && values.key ? { cert: readFileSync(values.cert), key: readFileSync(values.key) } : {}),
});
const port = Number(url.port);
const path = url.pathname + url.search;

const outcome =
  mode === 'handshake'
    ? await handshakeRun(port, context, rawGet(path, values.token, true), seconds, connections)
    : await keepAliveRun(port, context, { request: rawGet(path, values.token), ...(values.bytes ? { bytes: Number(values.bytes) } : {}) }, seconds, connections);
const round = (n: number): number => Number(n.toFixed(3));
console.log(
  JSON.stringify({
    rate: round(rate(outcome)),
    p50: round(percentile(outcome.latencies, 0.5)),
    p99: round(percentile(outcome.latencies, 0.99)),
    errors: outcome.errors,
    ok: outcome.ok,
    seconds: round(outcome.seconds),
  }),
);
