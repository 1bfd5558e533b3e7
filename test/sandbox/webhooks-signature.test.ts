import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { createWebhookDispatcher, type WebhookDispatcher } from '../../src/sandbox/webhooks/dispatcher.js';
import { signWebhook, verifyWebhookSignature } from '../../src/webhook-signature.js';
import { testStore } from '../support/sandbox-app.js';

// RFC 4231, test case 2: HMAC-SHA512 with key "Jefe" — an independent check of the algorithm.
const RFC_KEY = 'Jefe';
const RFC_DATA = 'what do ya want for nothing?';
const RFC_MAC =
  '164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea2505549758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737';

describe('signWebhook', () => {
  it('is sha512= and the lower-case hex HMAC-SHA512 of the raw body', () => {
    expect(signWebhook(RFC_DATA, RFC_KEY)).toBe(`sha512=${RFC_MAC}`);
    expect(signWebhook(Buffer.from(RFC_DATA), RFC_KEY)).toBe(`sha512=${RFC_MAC}`);
  });
});

describe('verifyWebhookSignature', () => {
  const body = '{"type":"results.ready","payload":{"id":"7c1f"},"message":"Results ready","timestamp":"2026-03-15T09:30:00.000Z","event_id":"x"}';
  const header = signWebhook(body, 'secret');

  it('accepts the signature of the exact raw body, as a string or a Buffer', () => {
    expect(verifyWebhookSignature(body, header, 'secret')).toBe(true);
    expect(verifyWebhookSignature(Buffer.from(body), header, 'secret')).toBe(true);
    expect(verifyWebhookSignature(body, header.toUpperCase().replace('SHA512=', 'sha512='), 'secret')).toBe(true);
  });

  it('refuses a re-serialised body, another secret, and any malformed header, without throwing', () => {
    expect(verifyWebhookSignature(JSON.stringify(JSON.parse(body), null, 1), header, 'secret')).toBe(false);
    expect(verifyWebhookSignature(body, header, 'other secret')).toBe(false);
    for (const bad of [undefined, '', 'sha512=', RFC_MAC, `sha256=${header.slice(7)}`, header.slice(0, -2), `${header}00`, `sha512=${'z'.repeat(128)}`]) {
      expect(verifyWebhookSignature(body, bad, 'secret')).toBe(false);
    }
    expect(verifyWebhookSignature(body, ['sha512=ab'] as unknown as string, 'secret')).toBe(false);
    expect(verifyWebhookSignature(null as unknown as string, header, 'secret')).toBe(false);
  });
});

describe('the documented express receiver', () => {
  let server: Server | undefined;
  let dispatcher: WebhookDispatcher | undefined;
  afterEach(async () => {
    dispatcher?.close();
    server?.closeAllConnections();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  });

  it('verifies lean-mock’s webhooks with express.raw and refuses forged ones', async () => {
    const events: unknown[] = [];
    const receiver = express();
    receiver.post('/lean/webhooks', express.raw({ type: 'application/json' }), (req, res) => {
      if (!verifyWebhookSignature(req.body as Buffer, req.get('lean-signature'), 'receiver-secret')) {
        res.sendStatus(401);
        return;
      }
      events.push(JSON.parse((req.body as Buffer).toString('utf8')));
      res.sendStatus(200);
    });
    server = receiver.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/lean/webhooks`;

    const store = testStore();
    dispatcher = createWebhookDispatcher({
      store,
      apps: [
        { name: 'my_app', webhookSecret: 'receiver-secret' },
        { name: 'other_app', webhookSecret: 'a-forger-secret' },
      ],
      urlFor: () => url,
      timeScale: 1,
    });
    store.publish({ app: 'my_app', type: 'results.ready', payload: { id: 'r1' }, message: 'Results are ready.' });
    store.publish({ app: 'other_app', type: 'results.ready', payload: { id: 'r2' }, message: 'Results are ready.' });
    const good = await dispatcher.waitFor((d) => d.app === 'my_app' && d.status === 'delivered');
    const forged = await dispatcher.waitFor((d) => d.app === 'other_app' && d.status === 'retrying');
    expect(good.attempts[0]!.status_code).toBe(200);
    expect(forged.attempts[0]!.status_code).toBe(401);
    expect(events).toEqual([expect.objectContaining({ type: 'results.ready', payload: { id: 'r1' } })]);
  });
});
