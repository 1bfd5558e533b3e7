import { describe, expect, it } from 'vitest';
import { startLeanMock } from '../../src/server/lean-mock.js';
import { appTokenOf, call, presented } from '../support/mock-client.js';
import { admin, mock, pki, useInspectedMock } from './inspected-mock.js';

useInspectedMock();

describe('the sandbox state', () => {
  it('lists every app’s collections with their counts', async () => {
    mock.reset();
    const { status, json } = await admin('/admin/v1/state');
    expect(status).toBe(200);
    expect(json.apps.map((entry: { app: string }) => entry.app)).toEqual(['my_app', 'other_app']);
    const mine = json.apps[0].collections;
    expect(mine[0]).toEqual({ name: 'customers', count: 1 });
    expect(mine.find((entry: { name: string }) => entry.name === 'accounts').count).toBe(9);
  });

  it('lists payment intents and payments before any exists, so "none yet" is visible', async () => {
    const fresh = await startLeanMock({ pki });
    try {
      const json = (await (await fetch(`${fresh.adminUrl}/admin/v1/state`)).json()) as { apps: { collections: { name: string; count: number }[] }[] };
      const names = json.apps[0]!.collections.map((entry) => entry.name);
      expect(names.slice(0, 4)).toEqual(['customers', 'entities', 'payment_intents', 'payments']);
      expect(json.apps[0]!.collections[3]).toEqual({ name: 'payments', count: 0 });
      const empty = await fetch(`${fresh.adminUrl}/admin/v1/state/my_app/payments`);
      expect(empty.status).toBe(200);
      expect(await empty.json()).toMatchObject({ total: 0, records: [] });
    } finally {
      await fresh.close();
    }
  });

  it('shows what a client just created first, in its own app only', async () => {
    mock.reset();
    const created = await call(mock.url, pki, presented(pki, 'my_app'), {
      method: 'POST', path: '/customers/v1', headers: { ...appTokenOf(pki), 'content-type': 'application/json' }, body: JSON.stringify({ app_user_id: 'inspector-user' }),
    });
    expect(created.ok && created.status).toBe(200);
    const mine = await admin('/admin/v1/state/my_app/customers');
    expect(mine.json).toMatchObject({ app: 'my_app', collection: 'customers', page: 0, size: 50, total: 2 });
    expect(mine.json.records[0].record.app_user_id).toBe('inspector-user');
    expect(mine.json.records[0].id).toBe(mine.json.records[0].record.customer_id);
    const theirs = await admin('/admin/v1/state/other_app/customers');
    expect(theirs.json.records.map((entry: { record: { app_user_id: string } }) => entry.record.app_user_id)).toEqual(['demo-customer']);
  });

  it('pages through a collection', async () => {
    const first = await admin('/admin/v1/state/my_app/transactions?page=0&size=7');
    const second = await admin('/admin/v1/state/my_app/transactions?page=1&size=7');
    expect(first.json.records).toHaveLength(7);
    expect(second.json.records).toHaveLength(7);
    expect(second.json.records[0].id).not.toBe(first.json.records[0].id);
    expect(first.json.total).toBeGreaterThan(100);
  });

  it('hides the app token a payment source carries as its app_id', async () => {
    const customer = (await admin('/admin/v1/state/my_app/customers')).json.records.at(-1).id;
    const source = await admin(`/admin/v1/customers/${customer}/payment-sources`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(source.status).toBe(201);
    const sources = await admin('/admin/v1/state/my_app/payment_sources');
    expect(sources.json.records[0].record.app_id).toBe('[redacted]');
    expect(sources.text).not.toContain(pki.apps[0]!.appToken);
  });

  it('answers bad input with Lean errors naming what is wrong', async () => {
    expect(await admin('/admin/v1/state/nobody/customers')).toMatchObject({ status: 404, json: { status: 'UNKNOWN_APP' } });
    expect(await admin('/admin/v1/state/my_app/secrets')).toMatchObject({ status: 404, json: { status: 'UNKNOWN_COLLECTION' } });
    for (const [query, field] of [['size=0', 'size'], ['size=501', 'size'], ['page=-1', 'page'], ['page=abc', 'page']]) {
      expect(await admin(`/admin/v1/state/my_app/customers?${query}`), query).toMatchObject({ status: 400, json: { status: 'INVALID_PARAMETERS', message: expect.stringContaining(`field: ${field}`) } });
    }
    expect(await admin('/admin/v1/state', { method: 'POST' })).toMatchObject({ status: 405, json: { status: 'INVALID_HTTP_METHOD' } });
  });
});
