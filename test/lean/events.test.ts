import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createEventsRouter } from '../../src/lean/events.js';
import { createEventLog, EVENT_LOG_MAX_AGE_MS, type EventLog } from '../../src/sandbox/events/log.js';
import { createWebhookDispatcher, type WebhookDispatcher } from '../../src/sandbox/webhooks/dispatcher.js';
import { WebhookEnvelopeSchema } from '../../src/sandbox/webhooks/schemas.js';
import { SANDBOX_NOW, sandboxApp, testStore } from '../support/sandbox-app.js';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.js';

/** core-resources.yml, getEvents' 200: `{data: [envelope], page}`, as strict as its example. */
const EventsPageSchema = z.strictObject({
  data: z.array(WebhookEnvelopeSchema.extend({ event_id: z.string().min(1) })),
  page: z.strictObject({ number: z.number().int(), size: z.number().int(), total_elements: z.number().int(), total_pages: z.number().int() }),
});

function setup(options: { capacity?: number } = {}) {
  let now = SANDBOX_NOW;
  const store = testStore({ now: () => now });
  let next = 0;
  const log = createEventLog({ store, capacity: options.capacity, newEventId: () => `e0000000-0000-4000-8000-${String(++next).padStart(12, '0')}` });
  const app = sandboxApp(createEventsRouter({ log }), () => now);
  const publish = (type: string, caller = 'my_app', payload: Record<string, unknown> = { n: next + 1 }) => store.publish({ app: caller, type, payload, message: `${type} happened` });
  const tick = (ms: number) => (now = new Date(now.getTime() + ms));
  const list = (query: string, caller = 'my_app') => request(app).get(`/events/v1?${query}`).set('x-test-app', caller);
  return { store, log, app, publish, tick, list };
}

describe('GET /events/v1', () => {
  it('lists the app’s events newest first, paged as Lean pages them, each as its webhook envelope', async () => {
    const { publish, tick, list } = setup();
    publish('entity.created');
    tick(1000);
    publish('payment.created');
    publish('payment.updated', 'other_app');
    tick(1000);
    publish('bank.availability.updated', 'my_app', { identifier: 'LEA1_SAMAOB_SAU' });
    const raw = (await list('page=0&size=2').expect(200)).body;
    // Lean's example order (the parse below re-orders keys as its schema lists them).
    expect(Object.keys(raw.data[0])).toEqual(['payload', 'type', 'message', 'timestamp', 'event_id']);
    const first = EventsPageSchema.parse(raw);
    expect(first.page).toEqual({ number: 0, size: 2, total_elements: 3, total_pages: 2 });
    expect(first.data.map((event) => event.type)).toEqual(['bank.availability.updated', 'payment.created']);
    expect(first.data[0]).toEqual({
      payload: { identifier: 'LEA1_SAMAOB_SAU' },
      type: 'bank.availability.updated',
      message: 'bank.availability.updated happened',
      timestamp: new Date(SANDBOX_NOW.getTime() + 2000).toISOString(),
      event_id: 'e0000000-0000-4000-8000-000000000004',
    });
    const second = EventsPageSchema.parse((await list('page=1&size=2').expect(200)).body);
    expect(second.data.map((event) => event.type)).toEqual(['entity.created']);
    expect(EventsPageSchema.parse((await list('page=0&size=10', 'other_app').expect(200)).body).data.map((e) => e.type)).toEqual(['payment.updated']);
  });

  it('filters by type and by a from/to window (both ends included)', async () => {
    const { publish, tick, list } = setup();
    publish('payment.created');
    tick(60_000);
    publish('payment.updated');
    tick(60_000);
    publish('payment.updated');
    const types = async (query: string) => EventsPageSchema.parse((await list(`page=0&size=10&${query}`).expect(200)).body).data.length;
    expect(await types('type=payment.updated')).toBe(2);
    expect(await types('type=entity.created')).toBe(0);
    const middle = new Date(SANDBOX_NOW.getTime() + 60_000).toISOString();
    expect(await types(`from=${middle}`)).toBe(2);
    expect(await types(`to=${middle}`)).toBe(2);
    expect(await types(`from=${middle}&to=${encodeURIComponent('2026-03-15T13:31:00+04:00')}`)).toBe(1);
  });

  it('shows the past 90 days only, and at most the log’s capacity', async () => {
    const { publish, tick, list } = setup({ capacity: 3 });
    publish('entity.created');
    tick(EVENT_LOG_MAX_AGE_MS + 1);
    for (let i = 0; i < 4; i++) publish('payment.updated');
    const page = EventsPageSchema.parse((await list('page=0&size=10').expect(200)).body);
    expect(page.data.map((event) => event.event_id.slice(-1))).toEqual(['5', '4', '3']);
  });

  it('forgets everything on clear (a sandbox reset)', async () => {
    const { publish, log, list } = setup();
    publish('entity.created');
    log.clear();
    expect((await list('page=0&size=10').expect(200)).body).toEqual({ data: [], page: { number: 0, size: 10, total_elements: 0, total_pages: 0 } });
  });

  const refusals: [string, number, string, RegExp][] = [
    ['size=10', 400, 'MISSING_PARAMETERS', /page/],
    ['page=0', 400, 'MISSING_PARAMETERS', /size/],
    ['page=-1&size=10', 400, 'INVALID_PARAMETERS', /field: page/],
    ['page=0&size=0', 400, 'INVALID_PARAMETERS', /field: size/],
    ['page=0&size=10&from=yesterday', 400, 'INVALID_PARAMETERS', /field: from/],
    ['page=0&size=10&to=2026-02-30T00:00:00Z', 400, 'INVALID_PARAMETERS', /field: to/],
    ['page=0&size=10&type=PAYMENT', 400, 'INVALID_PARAMETERS', /field: type/],
  ];
  for (const [query, status, leanStatus, message] of refusals) {
    it(`refuses ?${query} with ${status} ${leanStatus}`, async () => {
      const { list } = setup();
      const res = await list(query).expect(status);
      expect(res.body).toMatchObject({ status: leanStatus, metadata: null });
      expect(res.body.message).toMatch(message);
    });
  }
});

describe('events and webhooks tell the same story', () => {
  let receiver: WebhookReceiver | undefined;
  let dispatcher: WebhookDispatcher | undefined;
  let log: EventLog | undefined;
  afterEach(async () => {
    dispatcher?.close();
    log?.close();
    await receiver?.close();
  });

  it('the listed event carries the delivered webhook’s event_id and timestamp', async () => {
    const fixture = setup();
    log = fixture.log;
    receiver = await startWebhookReceiver();
    const url = receiver.url;
    dispatcher = createWebhookDispatcher({ store: fixture.log, apps: [{ name: 'my_app', webhookSecret: 's' }], urlFor: () => url, clock: () => new Date(0) });
    fixture.publish('payment.created');
    const delivered = WebhookEnvelopeSchema.parse((await receiver.waitFor(() => true)).json);
    const [listed] = EventsPageSchema.parse((await fixture.list('page=0&size=1').expect(200)).body).data;
    expect(listed).toEqual(delivered);
  });
});
