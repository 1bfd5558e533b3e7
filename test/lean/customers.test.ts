import request from 'supertest';
import { beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { LeanError } from '../../src/app/errors.js';
import { CustomerPageSchema, CustomerSchema } from '../../src/lean/customers/schemas.js';
import { createCustomersRouter } from '../../src/lean/customers/router.js';
import { createCustomer, findCustomer, listCustomers, requireCustomer } from '../../src/sandbox/customers.js';
import type { SandboxStore } from '../../src/sandbox/store/store.js';
import { SANDBOX_NOW, sandboxApp, testStore } from '../support/sandbox-app.js';

const ErrorSchema = z.strictObject({
  timestamp: z.literal(SANDBOX_NOW.toISOString()),
  status: z.string(),
  message: z.string(),
  metadata: z.record(z.string(), z.unknown()).nullable(),
});

const FIRST_ID = '00000000-0000-4000-8000-000000000001';
const UNKNOWN_ID = '4f1c2d3e-0000-4000-8000-00000000abcd';
const EMIRATES_ID = { type: 'EMIRATES_ID', value: '784-1232-1232-1232' };

let store: SandboxStore;
let app: ReturnType<typeof sandboxApp>;
beforeEach(() => {
  store = testStore();
  app = sandboxApp(createCustomersRouter({ store }));
});

const asApp = (name: string) => ({ 'x-test-app': name });

async function expectError(res: request.Response, http: number, status: string, message?: string | RegExp): Promise<void> {
  expect(res.status).toBe(http);
  const body = ErrorSchema.parse(res.body);
  expect(body.status).toBe(status);
  if (message !== undefined) expect(body.message).toMatch(message);
}

/** The field an error names: in its message, as Lean's do (`metadata` is null). */
function fieldOf(res: request.Response): unknown {
  return /, field: ([\w.]*\w)/.exec((res.body as { message: string }).message)?.[1];
}

const snapshot = () => JSON.stringify(['my_app', 'other_app'].map((name) => listCustomers(store, name)));

describe('POST /customers/v1', () => {
  it('creates a customer and answers 200 with Lean’s Customer shape', async () => {
    const res = await request(app).post('/customers/v1').send({ app_user_id: 'user-1' }).expect(200);
    expect(CustomerSchema.parse(res.body)).toEqual({ customer_id: FIRST_ID, app_user_id: 'user-1' });
    expect(res.body).not.toHaveProperty('government_identifiers');
    expect(findCustomer(store, 'my_app', FIRST_ID)).toMatchObject({ app_user_id: 'user-1', created_at: SANDBOX_NOW.toISOString() });
  });

  it('accepts the trailing slash', async () => {
    const res = await request(app).post('/customers/v1/').send({ app_user_id: 'slash' }).expect(200);
    expect(res.body.app_user_id).toBe('slash');
  });

  it('stores and echoes government identifiers when given', async () => {
    const identifiers = [EMIRATES_ID, { type: 'TRADE_LICENSE_NUMBER', value: 'TL-99' }];
    const res = await request(app).post('/customers/v1').send({ app_user_id: 'u', government_identifiers: identifiers }).expect(200);
    expect(CustomerSchema.parse(res.body).government_identifiers).toEqual(identifiers);
    const read = await request(app).get(`/customers/v1/${FIRST_ID}`).expect(200);
    expect(read.body.government_identifiers).toEqual(identifiers);
  });

  it('treats null government identifiers as not given, and ignores unknown fields', async () => {
    const res = await request(app).post('/customers/v1').send({ app_user_id: 'u', government_identifiers: null, nickname: 'x' }).expect(200);
    expect(CustomerSchema.parse(res.body)).toEqual({ customer_id: FIRST_ID, app_user_id: 'u' });
  });

  it('accepts app_user_id of 1 and of 255 characters', async () => {
    await request(app).post('/customers/v1').send({ app_user_id: 'a' }).expect(200);
    const long = await request(app).post('/customers/v1').send({ app_user_id: 'b'.repeat(255) }).expect(200);
    expect(long.body.app_user_id).toHaveLength(255);
  });

  it('refuses a second customer with the same app_user_id: 409 CUSTOMER_ALREADY_EXISTS, nothing created', async () => {
    await request(app).post('/customers/v1').send({ app_user_id: 'dup' }).expect(200);
    const before = snapshot();
    const res = await request(app).post('/customers/v1').send({ app_user_id: 'dup', government_identifiers: [EMIRATES_ID] });
    await expectError(res, 409, 'CUSTOMER_ALREADY_EXISTS', /^A customer already exists for the app_user_id you have provided\.$/);
    expect(res.body.metadata).toBeNull();
    expect(snapshot()).toBe(before);
  });

  it('compares app_user_id exactly: another case is another user', async () => {
    await request(app).post('/customers/v1').send({ app_user_id: 'Dup' }).expect(200);
    await request(app).post('/customers/v1').send({ app_user_id: 'dup' }).expect(200);
  });

  it('keeps app_user_id unique per app only: another app may use the same one', async () => {
    const mine = await request(app).post('/customers/v1').send({ app_user_id: 'shared' }).expect(200);
    const theirs = await request(app).post('/customers/v1').set(asApp('other_app')).send({ app_user_id: 'shared' }).expect(200);
    expect(theirs.body.customer_id).not.toBe(mine.body.customer_id);
    expect(listCustomers(store, 'my_app').map((c) => c.customer_id)).toEqual([mine.body.customer_id]);
    expect(listCustomers(store, 'other_app').map((c) => c.customer_id)).toEqual([theirs.body.customer_id]);
  });

  it.each([
    ['no body at all', undefined, 'MISSING_PARAMETERS', 'app_user_id'],
    ['no app_user_id', { government_identifiers: [] }, 'MISSING_PARAMETERS', 'app_user_id'],
    ['an empty app_user_id', { app_user_id: '' }, 'INVALID_PARAMETERS', 'app_user_id'],
    ['an app_user_id of 256 characters', { app_user_id: 'x'.repeat(256) }, 'INVALID_PARAMETERS', 'app_user_id'],
    ['a numeric app_user_id', { app_user_id: 42 }, 'INVALID_PARAMETERS', 'app_user_id'],
    ['a null app_user_id', { app_user_id: null }, 'INVALID_PARAMETERS', 'app_user_id'],
    ['identifiers that are not a list', { app_user_id: 'u', government_identifiers: EMIRATES_ID }, 'INVALID_PARAMETERS', 'government_identifiers'],
    ['an unknown identifier type', { app_user_id: 'u', government_identifiers: [{ type: 'PASSPORT', value: 'P1' }] }, 'INVALID_PARAMETERS', 'government_identifiers.0.type'],
    ['a blank identifier value', { app_user_id: 'u', government_identifiers: [{ type: 'EMIRATES_ID', value: '   ' }] }, 'INVALID_PARAMETERS', 'government_identifiers.0.value'],
    ['an identifier without value', { app_user_id: 'u', government_identifiers: [EMIRATES_ID, { type: 'EMIRATES_ID' }] }, 'MISSING_PARAMETERS', 'government_identifiers.1.value'],
    ['a list as body', ['u'], 'INVALID_PARAMETERS', 'body'],
  ])('refuses %s with 400 naming the field, creating nothing', async (_case, body, status, field) => {
    const res = await request(app).post('/customers/v1').send(body as object);
    await expectError(res, 400, status, new RegExp(`field: ${field.replace(/\./g, '\\.')}`));
    expect(fieldOf(res)).toBe(field);
    expect(listCustomers(store, 'my_app')).toEqual([]);
  });

  it('refuses a body that is not JSON with 400 INVALID_PARAMETERS', async () => {
    const res = await request(app).post('/customers/v1').set('content-type', 'application/json').send('{"app_user_id":');
    await expectError(res, 400, 'INVALID_PARAMETERS');
    expect(listCustomers(store, 'my_app')).toEqual([]);
  });
});

describe('GET /customers/v1 (pagination style B)', () => {
  async function create(count: number, caller = 'my_app'): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < count; i++) ids.push(createCustomer(store, caller, { app_user_id: `user-${i}` }).customer_id);
    return ids;
  }

  it('lists customers oldest first, first page of 50 by default', async () => {
    const ids = await create(3);
    const res = await request(app).get('/customers/v1').expect(200);
    const body = CustomerPageSchema.parse(res.body);
    expect(body.data.map((c) => c.customer_id)).toEqual(ids);
    expect(body.data[0]).toEqual({ customer_id: ids[0], app_user_id: 'user-0' });
    expect(body.page).toEqual({ number: 0, size: 50, total_elements: 3, total_pages: 1, sort: null });
  });

  it('answers an empty first page when the app has no customers', async () => {
    const res = await request(app).get('/customers/v1/?page_number=0&page_size=10').expect(200);
    expect(CustomerPageSchema.parse(res.body)).toEqual({ data: [], page: { number: 0, size: 10, total_elements: 0, total_pages: 0, sort: null } });
  });

  it('pages with page_size 1', async () => {
    const ids = await create(3);
    const res = await request(app).get('/customers/v1?page_number=2&page_size=1').expect(200);
    const body = CustomerPageSchema.parse(res.body);
    expect(body.data.map((c) => c.customer_id)).toEqual([ids[2]]);
    expect(body.page).toEqual({ number: 2, size: 1, total_elements: 3, total_pages: 3, sort: null });
  });

  it('answers an empty page past the end, with the true totals', async () => {
    await create(3);
    const res = await request(app).get('/customers/v1?page_number=1&page_size=3').expect(200);
    expect(CustomerPageSchema.parse(res.body)).toEqual({ data: [], page: { number: 1, size: 3, total_elements: 3, total_pages: 1, sort: null } });
  });

  it('shows each app only its own customers', async () => {
    await create(2);
    const theirs = await create(1, 'other_app');
    const res = await request(app).get('/customers/v1').set(asApp('other_app')).expect(200);
    expect(CustomerPageSchema.parse(res.body).data.map((c) => c.customer_id)).toEqual(theirs);
    expect(res.body.page.total_elements).toBe(1);
  });

  it.each([
    ['page_number=-1', 'page_number'],
    ['page_number=x', 'page_number'],
    ['page_number=1.5', 'page_number'],
    ['page_number=1&page_number=2', 'page_number'],
    ['page_size=0', 'page_size'],
    ['page_size=1001', 'page_size'],
    ['page_size=ten', 'page_size'],
  ])('refuses %s with 400 INVALID_PARAMETERS naming the field', async (query, field) => {
    const res = await request(app).get(`/customers/v1?${query}`);
    await expectError(res, 400, 'INVALID_PARAMETERS', new RegExp(`field: ${field}`));
    expect(fieldOf(res)).toBe(field);
  });
});

describe('GET /customers/v1/{customer_id}', () => {
  it('returns the customer', async () => {
    const created = createCustomer(store, 'my_app', { app_user_id: 'me' });
    const res = await request(app).get(`/customers/v1/${created.customer_id}/`).expect(200);
    expect(CustomerSchema.parse(res.body)).toEqual({ customer_id: created.customer_id, app_user_id: 'me' });
  });

  it('accepts the id in upper case', async () => {
    const created = createCustomer(store, 'my_app', { app_user_id: 'me' });
    const res = await request(app).get(`/customers/v1/${created.customer_id.toUpperCase()}`).expect(200);
    expect(res.body.customer_id).toBe(created.customer_id);
  });

  it('answers 404 UNKNOWN_CUSTOMER for an unknown id and for another app’s customer alike', async () => {
    const theirs = createCustomer(store, 'other_app', { app_user_id: 'them' });
    const unknown = await request(app).get(`/customers/v1/${UNKNOWN_ID}`);
    await expectError(unknown, 404, 'UNKNOWN_CUSTOMER', /^No customer found for the customer_id provided\.$/);
    const foreign = await request(app).get(`/customers/v1/${theirs.customer_id}`);
    expect(foreign.status).toBe(404);
    expect(foreign.body).toEqual(unknown.body);
  });

  it('refuses an id that is not a UUID with 400 naming customer_id', async () => {
    const res = await request(app).get('/customers/v1/not-a-uuid');
    await expectError(res, 400, 'INVALID_PARAMETERS', /field: customer_id, value: not-a-uuid/);
  });

  it('answers 405 for a method the path does not serve', async () => {
    await expectError(await request(app).delete(`/customers/v1/${FIRST_ID}`), 405, 'INVALID_HTTP_METHOD');
    await expectError(await request(app).patch('/customers/v1'), 405, 'INVALID_HTTP_METHOD');
  });
});

describe('GET /customers/v1/app-user-id/{app_user_id}', () => {
  it('finds the customer by app_user_id, even one holding URL-reserved characters', async () => {
    const created = createCustomer(store, 'my_app', { app_user_id: 'team/alice smith?é' });
    const res = await request(app).get(`/customers/v1/app-user-id/${encodeURIComponent('team/alice smith?é')}`).expect(200);
    expect(CustomerSchema.parse(res.body)).toEqual({ customer_id: created.customer_id, app_user_id: 'team/alice smith?é' });
  });

  it('answers 404 UNKNOWN_CUSTOMER for an unknown app_user_id and for another app’s', async () => {
    createCustomer(store, 'other_app', { app_user_id: 'theirs' });
    for (const id of ['nobody', 'theirs']) {
      const res = await request(app).get(`/customers/v1/app-user-id/${id}`);
      await expectError(res, 404, 'UNKNOWN_CUSTOMER', /^No customer found for the app_user_id provided\.$/);
    }
  });

  it('refuses a missing or overlong app_user_id with 400', async () => {
    await expectError(await request(app).get('/customers/v1/app-user-id/'), 400, 'MISSING_PARAMETERS', /field: app_user_id/);
    await expectError(await request(app).get(`/customers/v1/app-user-id/${'x'.repeat(256)}`), 400, 'INVALID_PARAMETERS', /field: app_user_id/);
  });
});

describe('PUT /customers/v1/{customer_id}', () => {
  it('replaces the government identifiers and answers with the customer', async () => {
    const created = createCustomer(store, 'my_app', { app_user_id: 'me', government_identifiers: [EMIRATES_ID] });
    const replacement = [{ type: 'TRADE_LICENSE_NUMBER', value: 'TL-1' }];
    const res = await request(app).put(`/customers/v1/${created.customer_id}`).send({ government_identifiers: replacement }).expect(200);
    expect(CustomerSchema.parse(res.body)).toEqual({ customer_id: created.customer_id, app_user_id: 'me', government_identifiers: replacement });
    expect(requireCustomer(store, 'my_app', created.customer_id).government_identifiers).toEqual(replacement);
  });

  it('accepts an empty list, clearing the identifiers', async () => {
    const created = createCustomer(store, 'my_app', { app_user_id: 'me', government_identifiers: [EMIRATES_ID] });
    const res = await request(app).put(`/customers/v1/${created.customer_id}/`).send({ government_identifiers: [] }).expect(200);
    expect(res.body.government_identifiers).toEqual([]);
  });

  it.each([
    ['no body', undefined, 'MISSING_PARAMETERS', 'government_identifiers'],
    ['null identifiers', { government_identifiers: null }, 'INVALID_PARAMETERS', 'government_identifiers'],
    ['an unknown type', { government_identifiers: [{ type: 'SSN', value: '1' }] }, 'INVALID_PARAMETERS', 'government_identifiers.0.type'],
    ['an empty value', { government_identifiers: [{ type: 'EMIRATES_ID', value: '' }] }, 'INVALID_PARAMETERS', 'government_identifiers.0.value'],
  ])('refuses %s with 400 naming the field, changing nothing', async (_case, body, status, field) => {
    const created = createCustomer(store, 'my_app', { app_user_id: 'me', government_identifiers: [EMIRATES_ID] });
    const before = snapshot();
    const res = await request(app).put(`/customers/v1/${created.customer_id}`).send(body as object);
    await expectError(res, 400, status);
    expect(fieldOf(res)).toBe(field);
    expect(snapshot()).toBe(before);
  });

  it('answers 404 for an unknown customer and for another app’s, leaving theirs untouched', async () => {
    const theirs = createCustomer(store, 'other_app', { app_user_id: 'them', government_identifiers: [EMIRATES_ID] });
    const body = { government_identifiers: [] };
    await expectError(await request(app).put(`/customers/v1/${UNKNOWN_ID}`).send(body), 404, 'UNKNOWN_CUSTOMER');
    await expectError(await request(app).put(`/customers/v1/${theirs.customer_id}`).send(body), 404, 'UNKNOWN_CUSTOMER');
    expect(requireCustomer(store, 'other_app', theirs.customer_id).government_identifiers).toEqual([EMIRATES_ID]);
  });

  it('refuses a malformed customer_id with 400', async () => {
    const res = await request(app).put('/customers/v1/123').send({ government_identifiers: [] });
    await expectError(res, 400, 'INVALID_PARAMETERS', /field: customer_id/);
  });
});

describe('the customer state functions other products use', () => {
  it('requireCustomer throws Lean’s UNKNOWN_CUSTOMER; findCustomer answers undefined', () => {
    const created = createCustomer(store, 'my_app', { app_user_id: 'me' });
    expect(requireCustomer(store, 'my_app', created.customer_id.toUpperCase())).toBe(created);
    expect(findCustomer(store, 'other_app', created.customer_id)).toBeUndefined();
    const error = (() => {
      try {
        requireCustomer(store, 'other_app', created.customer_id);
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(LeanError);
    expect(error).toMatchObject({ status: 'UNKNOWN_CUSTOMER', httpStatus: 404 });
  });

  it('createCustomer refuses a duplicate app_user_id with CUSTOMER_ALREADY_EXISTS', () => {
    createCustomer(store, 'my_app', { app_user_id: 'me' });
    expect(() => createCustomer(store, 'my_app', { app_user_id: 'me' })).toThrow(/already exists/);
    expect(listCustomers(store, 'my_app')).toHaveLength(1);
  });

  it('forgets every customer on reset', () => {
    createCustomer(store, 'my_app', { app_user_id: 'me' });
    store.reset();
    expect(listCustomers(store, 'my_app')).toEqual([]);
  });
});
