import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLeanPki, type LeanPki } from '../../src/pki/lean-pki.js';
import { startLeanMock, type LeanMock } from '../../src/server/lean-mock.js';
import { appTokenOf, call, presented } from '../support/mock-client.js';

let pki: LeanPki;
let mock: LeanMock;
beforeAll(async () => {
  pki = await createLeanPki();
  mock = await startLeanMock({ pki });
});
afterAll(() => mock.close());

const admin = async (path: string, body?: unknown) => {
  const response = await fetch(`${mock.adminUrl}${path}`, body === undefined ? { method: 'POST' } : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
};
const lean = async (path: string, app = 'my_app') => {
  const reply = await call(mock.url, pki, presented(pki, app), { path, headers: appTokenOf(pki, app) });
  if (!reply.ok) throw new Error(`${path}: ${reply.message}`);
  return reply;
};
const availabilityOf = async (identifier: string, app = 'my_app') =>
  ((await lean('/banks/v1', app)).json as { identifier: string; availability: unknown }[]).find((bank) => bank.identifier === identifier)!.availability;

describe('bank availability through the running mock (mTLS and the admin port)', () => {
  it('an outage shows on /banks/v1 for every app, is listed by /events/v1 with its webhook’s shape, and a reset undoes it', async () => {
    const pristine = (await lean('/banks/v1')).body;
    expect((await admin('/admin/v1/banks/LEA1_SAMAOB_SAU/availability', { active: { data: false } })).status).toBe(200);
    const off = { active: { payments: true, data: false }, enabled: { payments: true, data: true } };
    expect(await availabilityOf('LEA1_SAMAOB_SAU')).toEqual(off);
    expect(await availabilityOf('LEA1_SAMAOB_SAU', 'other_app')).toEqual(off);

    const events = (await lean('/events/v1?page=0&size=5&type=bank.availability.updated')).json as { data: Record<string, unknown>[] };
    expect(events.data).toHaveLength(1);
    expect(events.data[0]).toMatchObject({ type: 'bank.availability.updated', message: 'The bank status has been updated.', payload: { identifier: 'LEA1_SAMAOB_SAU', availability: off } });

    expect((await admin('/admin/v1/reset')).status).toBe(200);
    expect((await lean('/banks/v1')).body).toBe(pristine);
    expect(((await lean('/events/v1?page=0&size=5')).json as { data: unknown[] }).data).toEqual([]);
  });
});
