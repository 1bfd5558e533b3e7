import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { seededRandom } from '../../src/sandbox/random.js';
import { BankAvailabilityUpdatedPayloadSchema } from '../../src/sandbox/availability/schemas.js';
import { createWebhookDispatcher, type WebhookDispatcher } from '../../src/sandbox/webhooks/dispatcher.js';
import { WebhookEnvelopeSchema } from '../../src/sandbox/webhooks/schemas.js';
import { verifyWebhookSignature } from '../../src/webhook-signature.js';
import { availabilityFixture } from '../support/availability-fixture.js';
import { JSON_ANY, RAW_BODIES } from '../support/hostile-values.js';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.js';

const SEED = Number(process.env.LEAN_FUZZ_SEED ?? 20_260_315);
const BANK = 'LEAN_OF_RETAIL_UAE';
const ENVELOPE_KEYS = ['timestamp', 'status', 'message', 'metadata'];

describe('POST /admin/v1/banks/{identifier}/availability refusals', () => {
  const cases: [string, string, unknown, number, string, RegExp][] = [
    ['an unknown bank', 'NO_SUCH_BANK', { active: { data: false } }, 404, 'UNKNOWN_BANK', /identifier, value: NO_SUCH_BANK/],
    ['a malformed identifier', 'lean_of_retail_uae', { active: { data: false } }, 400, 'INVALID_PARAMETERS', /field: identifier/],
    ['a flag that is not a boolean', BANK, { active: { data: 'false' } }, 400, 'INVALID_PARAMETERS', /field: active\.data/],
    ['an unknown product', BANK, { active: { payment: false } }, 400, 'INVALID_PARAMETERS', /field: active/],
    ['an unknown scope', BANK, { actve: { data: false } }, 400, 'INVALID_PARAMETERS', /field: body/],
    ['a scope that is not an object', BANK, { enabled: false }, 400, 'INVALID_PARAMETERS', /field: enabled/],
    ['no flag at all', BANK, {}, 400, 'MISSING_PARAMETERS', /active\.payments, active\.data, enabled\.payments or enabled\.data/],
    ['empty scopes', BANK, { active: {}, enabled: {} }, 400, 'MISSING_PARAMETERS', /at least one flag/],
    ['an unknown app', BANK, { app: 'nobody', enabled: { data: false } }, 400, 'INVALID_PARAMETERS', /field: app, value: nobody/],
  ];
  for (const [what, identifier, body, status, leanStatus, message] of cases) {
    it(`${what}: ${status} ${leanStatus}, and nothing changes`, async () => {
      const { toggle, store, events } = availabilityFixture();
      const before = store.snapshot();
      const res = await toggle(identifier, body as Record<string, unknown>).expect(status);
      expect(Object.keys(res.body)).toEqual(ENVELOPE_KEYS);
      expect(res.body).toMatchObject({ status: leanStatus, metadata: null });
      expect(res.body.message).toMatch(message);
      expect(store.snapshot()).toBe(before);
      expect(events).toEqual([]);
    });
  }

  it('GET names an unknown bank the same way', async () => {
    const { app } = availabilityFixture();
    expect((await request(app).get('/admin/v1/banks/NO_SUCH_BANK/availability').expect(404)).body.status).toBe('UNKNOWN_BANK');
    expect((await request(app).get(`/admin/v1/banks/${BANK}/availability?app=other_app`).expect(200)).body).toEqual({
      identifier: BANK,
      availability: { active: { payments: true, data: true }, enabled: { payments: true, data: true } },
    });
    expect((await request(app).put(`/admin/v1/banks/${BANK}/availability`).send({}).expect(405)).body.status).toBe('INVALID_HTTP_METHOD');
  });

  it('hostile bodies (seeded): never 5xx, every refusal Lean-shaped and changing nothing', async () => {
    const { app, store, events } = availabilityFixture();
    const r = seededRandom(SEED).fork('availability admin');
    const places = [[], ['active'], ['enabled'], ['active', 'data'], ['active', 'payments'], ['enabled', 'data'], ['enabled', 'payments'], ['app']];
    for (let i = 0; i < 200; i++) {
      const raw = i < RAW_BODIES.length;
      let payload: string;
      if (raw) payload = RAW_BODIES[i]!;
      else {
        const body: Record<string, unknown> = { active: { data: r.pick([true, false]) } };
        const path = r.pick(places);
        const value = r.pick(JSON_ANY);
        if (path.length === 0) payload = JSON.stringify(value);
        else {
          let at = body;
          for (const key of path.slice(0, -1)) at = (at[key] ??= {}) as Record<string, unknown>;
          at[path.at(-1)!] = value;
          payload = JSON.stringify(body);
        }
      }
      const before = store.snapshot();
      const seen = events.length;
      const res = await request(app).post(`/admin/v1/banks/${BANK}/availability`).set('content-type', 'application/json').send(payload);
      const note = `seed ${SEED}, body ${payload.slice(0, 120)}`;
      expect(res.status, note).toBeLessThan(500);
      if (res.status >= 400) {
        expect(Object.keys(res.body), note).toEqual(ENVELOPE_KEYS);
        expect(store.snapshot(), note).toBe(before);
        expect(events.length, note).toBe(seen);
      } else {
        BankAvailabilityUpdatedPayloadSchema.parse(res.body);
      }
    }
  });
});

describe('bank.availability.updated on the wire', () => {
  let receiver: WebhookReceiver | undefined;
  let dispatcher: WebhookDispatcher | undefined;
  afterEach(async () => {
    dispatcher?.close();
    await receiver?.close();
  });

  it('is POSTed to each app Lean’s switch touches, signed with that app’s secret', async () => {
    const { toggle, store } = availabilityFixture();
    receiver = await startWebhookReceiver();
    const secrets: Record<string, string> = { my_app: 'secret-of-my-app', other_app: 'secret-of-other-app' };
    const url = receiver.url;
    dispatcher = createWebhookDispatcher({ store, apps: Object.entries(secrets).map(([name, webhookSecret]) => ({ name, webhookSecret })), urlFor: () => url });
    await toggle('LEA1_SAMAOB_SAU', { active: { payments: false, data: false } }).expect(200);
    await dispatcher.waitFor((delivery) => delivery.app === 'other_app' && delivery.status === 'delivered');
    await dispatcher.waitFor((delivery) => delivery.app === 'my_app' && delivery.status === 'delivered');
    const deliveries = dispatcher.deliveries();
    expect(receiver.received).toHaveLength(2);
    for (const webhook of receiver.received) {
      const envelope = WebhookEnvelopeSchema.parse(webhook.json);
      const app = deliveries.find((delivery) => delivery.event_id === envelope.event_id)!.app;
      expect(verifyWebhookSignature(webhook.rawBody, webhook.headers['lean-signature'] as string, secrets[app]!)).toBe(true);
      expect(Object.keys(envelope)).toEqual(['type', 'payload', 'message', 'timestamp', 'event_id']);
      expect(envelope).toMatchObject({
        type: 'bank.availability.updated',
        message: 'The bank status has been updated.',
        payload: { identifier: 'LEA1_SAMAOB_SAU', availability: { active: { payments: false, data: false }, enabled: { payments: true, data: true } } },
      });
    }
  });
});
