import { EventEmitter, once } from 'node:events';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One POST as it reached the receiver: the raw bytes (what a signature covers) and the headers. */
export interface ReceivedWebhook {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  rawBody: Buffer;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  json: unknown;
}

export interface WebhookReceiver {
  /** `http://127.0.0.1:PORT/lean/webhooks` */
  readonly url: string;
  /** Everything received so far, oldest first. */
  readonly received: readonly ReceivedWebhook[];
  /** The first webhook, already received or to come, that satisfies `predicate`; rejects after `timeoutMs`. */
  waitFor(predicate: (webhook: ReceivedWebhook) => boolean, timeoutMs?: number): Promise<ReceivedWebhook>;
  close(): Promise<void>;
}

/**
 * A customer's webhook endpoint, as bare as it gets: node:http on loopback, an ephemeral port,
 * every request recorded untouched and answered 200. Nothing here verifies signatures: that is
 * the test's job, on the bytes exactly as they arrived.
 */
export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const received: ReceivedWebhook[] = [];
  const arrivals = new EventEmitter<{ webhook: [ReceivedWebhook] }>();

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const rawBody = Buffer.concat(chunks);
      let json: unknown;
      try {
        json = JSON.parse(rawBody.toString('utf8'));
      } catch {
        json = undefined;
      }
      const webhook: ReceivedWebhook = { method: req.method ?? '?', path: req.url ?? '/', headers: req.headers, rawBody, json };
      received.push(webhook);
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
      arrivals.emit('webhook', webhook);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/lean/webhooks`,
    received,
    waitFor(predicate, timeoutMs = 5000) {
      return new Promise((resolve, reject) => {
        const already = received.find(predicate);
        if (already) return resolve(already);
        const onWebhook = (webhook: ReceivedWebhook): void => {
          if (!predicate(webhook)) return;
          clearTimeout(timer);
          arrivals.off('webhook', onWebhook);
          resolve(webhook);
        };
        const timer = setTimeout(() => {
          arrivals.off('webhook', onWebhook);
          const types = received.map((webhook) => (webhook.json as { type?: unknown } | undefined)?.type);
          reject(new Error(`no matching webhook within ${timeoutMs} ms (received: ${JSON.stringify(types)})`));
        }, timeoutMs);
        arrivals.on('webhook', onWebhook);
      });
    },
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}
