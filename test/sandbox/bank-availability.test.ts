import { readFileSync } from 'node:fs';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { V1FailedSchema, V2FailedSchema } from '../../src/lean/data/schemas.js';
import { PaymentSchema } from '../../src/lean/payments/schemas.js';
import { BankAvailabilityUpdatedPayloadSchema } from '../../src/sandbox/availability/schemas.js';
import { PRODUCTS, SCOPES, type Product, type Scope } from '../../src/sandbox/availability/records.js';
import { availabilityFixture } from '../support/availability-fixture.js';

const BANK = 'LEAN_OF_RETAIL_UAE';
const ALL_ON = { active: { payments: true, data: true }, enabled: { payments: true, data: true } };
const BANK_ISSUE_DATA = 'Your bank is currently experiencing technological problems. Please try again later.';

function offFor(scope: Scope, product: Product) {
  return { ...ALL_ON, [scope]: { ...ALL_ON[scope], [product]: false } };
}

/** A v2 data call, a v1 data call and an insight, on the demo entity of `caller`. */
async function dataCalls(app: ReturnType<typeof availabilityFixture>['app'], entityId: string, caller = 'my_app') {
  const v2 = (await request(app).get(`/data/v2/accounts?entity_id=${entityId}`).set('x-test-app', caller).expect(200)).body;
  const v1 = (await request(app).post('/data/v1/accounts').set('x-test-app', caller).send({ entity_id: entityId }).expect(200)).body;
  const insight = (await request(app).get(`/insights/v2/expenses?entity_id=${entityId}`).set('x-test-app', caller).expect(200)).body;
  return { v2, v1, insight };
}

describe('bank availability: each flag, and what it does', () => {
  it('starts as the catalogue states it, for every app', async () => {
    const { bankOf, banks } = availabilityFixture();
    for (const caller of ['my_app', 'other_app']) {
      expect((await bankOf(BANK, caller)).availability).toEqual(banks.find((bank) => bank.identifier === BANK)!.availability);
    }
  });

  for (const scope of SCOPES) {
    for (const product of PRODUCTS) {
      it(`${scope}.${product} = false: the banks list, data, payments and webhooks follow, and true brings it back`, async () => {
        const { app, toggle, bankOf, demo, pay, events } = availabilityFixture();
        const res = await toggle(BANK, { [scope]: { [product]: false } }).expect(200);
        expect(res.body).toEqual({ identifier: BANK, availability: offFor(scope, product) });

        // `active` is Lean's switch (every app); `enabled` the app's dashboard (this app only).
        const others = scope === 'active' ? offFor(scope, product) : ALL_ON;
        expect((await bankOf(BANK)).availability).toEqual(offFor(scope, product));
        expect((await bankOf(BANK, 'other_app')).availability).toEqual(others);
        expect(events.map((event) => [event.app, event.type])).toEqual(
          (scope === 'active' ? ['my_app', 'other_app'] : ['my_app']).map((caller) => [caller, 'bank.availability.updated']),
        );
        for (const event of events) expect(BankAvailabilityUpdatedPayloadSchema.parse(event.payload).identifier).toBe(BANK);

        const calls = await dataCalls(app, demo('my_app').entity.id);
        if (product === 'data') {
          const detail = { granular_status_code: 'BANK_ISSUE', status_additional_info: BANK_ISSUE_DATA };
          expect(V2FailedSchema.parse(calls.v2)).toMatchObject({ status: 'FAILED', message: BANK_ISSUE_DATA, status_detail: detail, data: null });
          expect(V1FailedSchema.parse(calls.v1)).toMatchObject({ status: 'FAILED', payload: null, status_detail: detail });
          expect(calls.insight).toMatchObject({ status: 'FAILED', status_detail: detail, insights: null });
        } else {
          expect([calls.v2.status, calls.v1.status, calls.insight.status]).toEqual(['OK', 'OK', 'OK']);
        }
        const payment = PaymentSchema.parse(await pay());
        if (product === 'payments') expect(payment).toMatchObject({ status: 'FAILED', failure_reason: 'BANK_ISSUE', bank_transaction_reference: null });
        else expect(payment.status).toBe('PENDING_WITH_BANK');

        // The other app: affected by Lean's switch only.
        const theirs = await dataCalls(app, demo('other_app').entity.id, 'other_app');
        expect(theirs.v2.status).toBe(scope === 'active' && product === 'data' ? 'FAILED' : 'OK');
        expect((await pay('other_app')).status).toBe(scope === 'active' && product === 'payments' ? 'FAILED' : 'PENDING_WITH_BANK');

        events.length = 0;
        expect((await toggle(BANK, { [scope]: { [product]: true } }).expect(200)).body.availability).toEqual(ALL_ON);
        expect((await bankOf(BANK)).availability).toEqual(ALL_ON);
        expect(events.filter((event) => event.type === 'bank.availability.updated').map((event) => event.payload)).toEqual(
          Array.from({ length: scope === 'active' ? 2 : 1 }, () => ({ identifier: BANK, availability: ALL_ON })),
        );
        expect((await dataCalls(app, demo('my_app').entity.id)).v2.status).toBe('OK');
        expect((await pay()).status).toBe('PENDING_WITH_BANK');
      });
    }
  }

  it('Lean taking a bank offline for both products marks it inactive on the list; the app’s own switch does not', async () => {
    const { toggle, bankOf } = availabilityFixture();
    await toggle(BANK, { enabled: { payments: false, data: false } }).expect(200);
    expect((await bankOf(BANK)).active).toBe(true);
    await toggle(BANK, { active: { payments: false } }).expect(200);
    expect((await bankOf(BANK)).active).toBe(true);
    await toggle(BANK, { active: { data: false } }).expect(200);
    expect((await bankOf(BANK)).active).toBe(false);
  });

  it('filtered lists show the toggled availability too; other banks are untouched', async () => {
    const { app, toggle, banks } = availabilityFixture();
    await toggle('ENBD_UAE', { active: { data: false } }).expect(200);
    const filtered = (await request(app).get('/banks/v1?country_codes=ARE').expect(200)).body as { identifier: string; availability: unknown }[];
    expect(filtered.find((bank) => bank.identifier === 'ENBD_UAE')!.availability).toEqual(offFor('active', 'data'));
    for (const bank of filtered.filter((each) => each.identifier !== 'ENBD_UAE')) {
      expect(bank).toEqual(banks.find((each) => each.identifier === bank.identifier));
    }
  });

  it('setting a flag to the value it has changes nothing and sends no webhook', async () => {
    const { toggle, events, store } = availabilityFixture();
    const before = store.snapshot();
    expect((await toggle(BANK, { active: { data: true }, enabled: { payments: true } }).expect(200)).body.availability).toEqual(ALL_ON);
    expect(events).toEqual([]);
    expect(store.snapshot()).toBe(before);
  });

  it('an unavailable bank does not touch banks it is not: a data call on a KSA entity still answers', async () => {
    const { app, toggle, demo } = availabilityFixture();
    await toggle('LEA1_SAMAOB_SAU', { active: { data: false, payments: false } }).expect(200);
    expect((await dataCalls(app, demo('my_app').entity.id)).v2.status).toBe('OK');
  });

  it('a reset brings back the catalogue’s availability, and the list serves the same bytes as before any toggle', async () => {
    const { app, toggle, store, demo } = availabilityFixture();
    const pristine = (await request(app).get('/banks/v1').expect(200)).text;
    await toggle(BANK, { active: { data: false }, enabled: { payments: false } }).expect(200);
    expect((await request(app).get('/banks/v1').expect(200)).text).not.toBe(pristine);
    store.reset();
    expect((await request(app).get('/banks/v1').expect(200)).text).toBe(pristine);
    expect((await request(app).get('/banks/v1').set('x-test-app', 'other_app').expect(200)).text).toBe(pristine);
    expect((await dataCalls(app, demo('my_app').entity.id)).v2.status).toBe('OK');
  });

  it('the webhook payload has the keys of Lean’s KSA samples, in their order', async () => {
    const { toggle, events } = availabilityFixture();
    await toggle('LEA1_SAMAOB_SAU', { active: { payments: false, data: false } }).expect(200);
    await toggle('LEA1_SAMAOB_SAU', { active: { payments: true, data: true } }).expect(200);
    const mine = events.filter((event) => event.app === 'my_app');
    for (const [event, sample] of mine.map((event, index) => [event, ['disabled', 'enabled'][index]] as const)) {
      const recorded = JSON.parse(readFileSync(new URL(`../fixtures/lean-webhooks/KSA-bank.availability.updated-${sample}.json`, import.meta.url), 'utf8'));
      BankAvailabilityUpdatedPayloadSchema.parse(recorded.payload);
      expect(JSON.stringify(event.payload)).toBe(JSON.stringify(recorded.payload));
      expect(event.message).toBe(recorded.message);
      expect(event.type).toBe(recorded.type);
    }
  });
});
