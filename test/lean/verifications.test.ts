import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createCustomersRouter } from '../../src/lean/customers/router.js';
import { createPaymentsRouter } from '../../src/lean/payments/router.js';
import { createVerificationsRouter } from '../../src/lean/verifications/router.js';
import { iban } from '../../src/sandbox/bank-data/iban.js';
import { connectEntity, expireSession } from '../../src/sandbox/connections.js';
import { entityAccounts } from '../../src/sandbox/data-access.js';
import { sandboxApp, testStore } from '../support/sandbox-app.js';

/**
 * The verification routes as a client sees them: the sandbox's own customers, entities and
 * destinations verify against what it holds; Lean's test values and the documented magic values
 * drive every other outcome; bad input is Lean's 400 naming the field.
 */

const EMIRATES_ID = '784-1990-1234567-1';

async function setup() {
  const store = testStore();
  const app = sandboxApp([createCustomersRouter({ store }), createPaymentsRouter({ store }), createVerificationsRouter({ store })]);
  const customer = await request(app)
    .post('/customers/v1')
    .send({ app_user_id: 'verified-user', government_identifiers: [{ type: 'EMIRATES_ID', value: EMIRATES_ID }] })
    .expect(200);
  const entity = connectEntity(store, 'my_app', { customerId: customer.body.customer_id });
  const account = entityAccounts(store, 'my_app', entity.id)[0]!;
  const accountIban = account.account.find((id) => id.scheme_name === 'IBAN')!.identification;
  const destination = await request(app)
    .post('/payments/v1/destinations')
    .send({
      name: 'Fatima Al-Mansoori', display_name: 'Fatima', iban: 'AE07 0331 2345 6789 0123 456', address: '1 Sky Bldg.', city: 'Dubai',
      country: 'ARE', account_number: '1234567890123456', customer_id: customer.body.customer_id,
    })
    .expect(200);
  return { store, app, entity, account, accountIban, destination: destination.body as { iban: string; name: string } };
}

const accountBody = (value: string, name?: string, extra: object = {}) => ({
  country_code: value.slice(0, 2),
  type: 'PERSONAL',
  account_details: { type: 'IBAN', value },
  identifications: name === undefined ? [] : [{ type: 'FULL_NAME', value: name }],
  ...extra,
});

/** A valid IBAN of the country whose account number ends in `suffix`. */
const ibanEnding = (country: 'AE' | 'SA', suffix: string) => iban(country, (country === 'AE' ? '0440000000000000000' : '80000000000000000000').slice(0, -suffix.length) + suffix);

describe('POST /verifications/v1/accounts against the sandbox’s own accounts', () => {
  it('verifies a destination’s holder under any case, order, spacing and punctuation, and shows the holder', async () => {
    const { app, destination } = await setup();
    const res = await request(app).post('/verifications/v1/accounts').send(accountBody(destination.iban, '  mansoori AL fatima ')).expect(200);
    expect(res.body).toMatchObject({
      status: 'OK',
      status_detail: null,
      verifications: { account_ownership_verified: true, matching: null, account_status: 'ACTIVE', account_holder_name: 'Fatima Al-Mansoori' },
    });
  });

  it('answers a partial and a no match with the score and the masked holder', async () => {
    const { app, entity, store, accountIban } = await setup();
    const holder = entityAccounts(store, 'my_app', entity.id)[0]!.account_holder_name;
    const words = holder.split(' ');
    const partial = await request(app).post('/verifications/v1/accounts').send(accountBody(accountIban, `${words[0]![0]}. ${words.at(-1)}`)).expect(200);
    expect(partial.body.verifications).toMatchObject({ account_ownership_verified: false, matching: { match_type: 'PARTIAL_MATCH' }, account_status: 'ACTIVE' });
    expect(partial.body.verifications.matching.score).toBeGreaterThanOrEqual(0.7);
    expect(partial.body.verifications.account_holder_name).toMatch(/^(\S{1,2}\*{4} ?)+$/u);
    const none = await request(app).post('/verifications/v1/accounts').send(accountBody(accountIban, 'Somebody Else')).expect(200);
    expect(none.body.verifications).toMatchObject({ account_ownership_verified: false, matching: { match_type: 'NO_MATCH', score: 0 } });
  });

  it('verifies an entity account by its holder’s name and the customer’s Emirates ID, and refuses another id', async () => {
    const { app, store, entity, accountIban } = await setup();
    const holder = entityAccounts(store, 'my_app', entity.id)[0]!.account_holder_name;
    const both = { identifications: [{ type: 'FULL_NAME', value: holder.toUpperCase() }, { type: 'NATIONAL_ID', value: '784199012345671' }] };
    const ok = await request(app).post('/verifications/v1/accounts').send(accountBody(accountIban, undefined, both)).expect(200);
    expect(ok.body.verifications).toMatchObject({ account_ownership_verified: true, account_holder_name: holder, bank_details: { bank_identifiers: [{ type: 'BIC' }] } });
    const wrongId = { identifications: [{ type: 'NATIONAL_ID', value: '784199099999999' }] };
    const refused = await request(app).post('/verifications/v1/accounts').send(accountBody(accountIban, undefined, wrongId)).expect(200);
    expect(refused.body.verifications).toMatchObject({ account_ownership_verified: false, matching: null });
  });

  it('answers another app’s destination as any account it does not hold', async () => {
    const { app, destination } = await setup();
    const mine = await request(app).post('/verifications/v1/accounts').send(accountBody(destination.iban, 'Somebody Else')).expect(200);
    expect(mine.body.verifications.account_ownership_verified).toBe(false);
    const theirs = await request(app).post('/verifications/v1/accounts').set('x-test-app', 'other_app').send(accountBody(destination.iban, 'Somebody Else')).expect(200);
    expect(theirs.body.verifications).toMatchObject({ account_ownership_verified: true, account_holder_name: 'Somebody Else' });
  });
});

describe('POST /verifications/v1/accounts magic values (accounts the sandbox does not hold)', () => {
  it.each([
    ['AE', '410', 200, { verifications: { account_status: 'CLOSED', account_ownership_verified: false } }],
    ['AE', '423', 200, { verifications: { account_status: 'BLOCKED', account_ownership_verified: false } }],
    ['SA', '451', 200, { verifications: { account_status: 'IN_LIQUIDATION', account_ownership_verified: false } }],
    ['SA', '422', 200, { status: 'FAILED', verifications: null, status_detail: { granular_status_code: 'GIVEN_INPUT_CANNOT_BE_VERIFIED' } }],
    ['AE', '500', 200, { status: 'FAILED', status_detail: { granular_status_code: 'LEAN_ERROR', status_additional_info: 'Internal system error occurred' } }],
    ['SA', '501', 200, { status: 'FAILED', status_detail: { granular_status_code: 'UNSUPPORTED_BY_BANK' } }],
    ['AE', '502', 200, { status: 'FAILED', status_detail: { granular_status_code: 'BANK_ISSUE' } }],
    ['SA', '503', 200, { status: 'FAILED', status_detail: { granular_status_code: 'DISABLED_BY_LEAN' } }],
    ['AE', '404', 404, { status: 'DATA_NOT_FOUND', message: 'The data requested could not be found' }],
    ['SA', '777', 200, { status: 'OK', verifications: { account_ownership_verified: true, account_status: 'ACTIVE', account_holder_name: 'Nora Haddad' } }],
  ] as const)('%s IBAN ending %s → %d %j', async (country, suffix, http, expected) => {
    const { app } = await setup();
    const res = await request(app).post('/verifications/v1/accounts').send(accountBody(ibanEnding(country, suffix), 'Nora Haddad'));
    expect(res.status).toBe(http);
    expect(res.body).toMatchObject(expected);
  });

  it.each([
    ['No Match', { account_ownership_verified: false, matching: { match_type: 'NO_MATCH' } }],
    ['partial  MATCH', { account_ownership_verified: false, matching: { match_type: 'PARTIAL_MATCH', score: 0.85 } }],
  ])('the name %j → %j', async (name, expected) => {
    const { app } = await setup();
    const res = await request(app).post('/verifications/v1/accounts').send(accountBody(ibanEnding('AE', '123'), name)).expect(200);
    expect(res.body.verifications).toMatchObject(expected);
  });

  it('the national id 0000000000 never verifies; local account numbers follow the same suffixes (GB, US)', async () => {
    const { app } = await setup();
    const id = await request(app).post('/verifications/v1/accounts').send(accountBody(ibanEnding('SA', '123'), undefined, { identifications: [{ type: 'NATIONAL_ID', value: '0000000000' }] })).expect(200);
    expect(id.body.verifications.account_ownership_verified).toBe(false);
    const gb = { country_code: 'GB', type: 'PERSONAL', account_details: { type: 'ACCOUNT_ID', value: '12345410' }, identifications: [{ type: 'FULL_NAME', value: 'Harry Potter' }], bank_identifier: { type: 'CLEARING_ID', value: '123456' } };
    expect((await request(app).post('/verifications/v1/accounts').send(gb).expect(200)).body.verifications).toMatchObject({ account_status: 'CLOSED', account_currency: 'GBP', bank_details: null });
    const us = { country_code: 'US', type: 'PERSONAL', account_details: { type: 'ACCOUNT_ID', value: '781245404' }, identifications: [{ type: 'GIVEN_NAME', value: 'Melanie' }, { type: 'SURNAME', value: 'Daniels' }], bank_identifier: { type: 'CLEARING_ID', value: '101000019' } };
    expect((await request(app).post('/verifications/v1/accounts').send(us).expect(404)).body.status).toBe('DATA_NOT_FOUND');
  });
});

describe('POST /verifications/v1/accounts refuses bad input naming the field', () => {
  const gb = { country_code: 'GB', type: 'PERSONAL', account_details: { type: 'ACCOUNT_ID', value: '12345678' }, identifications: [{ type: 'FULL_NAME', value: 'Harry Potter' }], bank_identifier: { type: 'CLEARING_ID', value: '123456' } };
  it.each([
    ['no country', { ...gb, country_code: undefined }, 'MISSING_PARAMETERS', 'country_code'],
    ['an unknown country', { ...gb, country_code: 'XX' }, 'INVALID_PARAMETERS', 'country_code'],
    ['no type', { ...gb, type: undefined }, 'MISSING_PARAMETERS', 'type'],
    ['an IBAN where GB takes an account number', { ...gb, account_details: { type: 'IBAN', value: 'GB82WEST12345698765432' } }, 'INVALID_PARAMETERS', 'account_details->type'],
    ['a 7-digit GB account number', { ...gb, account_details: { type: 'ACCOUNT_ID', value: '1234567' } }, 'INVALID_PARAMETERS', 'account_details->value'],
    ['no sort code', { ...gb, bank_identifier: undefined }, 'MISSING_PARAMETERS', 'bank_identifier'],
    ['a BIC where GB takes a sort code', { ...gb, bank_identifier: { type: 'BIC', value: 'BARCGB22' } }, 'INVALID_PARAMETERS', 'bank_identifier->type'],
    ['no identifications', { ...gb, identifications: [] }, 'INVALID_PARAMETERS', 'identifications'],
    ['an unknown identification type', { ...gb, identifications: [{ type: 'PASSPORT', value: 'x' }] }, 'INVALID_PARAMETERS', 'identifications->[0]->type'],
    ['a blank name', { ...gb, identifications: [{ type: 'FULL_NAME', value: '  ' }] }, 'INVALID_PARAMETERS', 'identifications->[0]->value'],
    ['FULL_NAME in the US (given name + surname)', { ...gb, country_code: 'US', account_details: { type: 'ACCOUNT_ID', value: '781245633' }, bank_identifier: { type: 'CLEARING_ID', value: '101000019' } }, 'INVALID_PARAMETERS', 'identifications->[0]->type'],
    ['an IBAN with wrong check digits', accountBody('AE070331234567890123457', 'A B'), 'INVALID_PARAMETERS', 'account_details->value'],
    ['an IBAN one digit short', accountBody('AE07033123456789012345', 'A B'), 'INVALID_PARAMETERS', 'account_details->value'],
    ['a Saudi IBAN for AE', { ...accountBody('SA0380000000608010167519', 'A B'), country_code: 'AE' }, 'INVALID_PARAMETERS', 'account_details->value'],
  ])('%s → %s %s', async (_what, body, status, field) => {
    const { app, store } = await setup();
    const before = store.snapshot();
    const res = await request(app).post('/verifications/v1/accounts').send(body).expect(400);
    expect(res.body).toMatchObject({ status, metadata: { field } });
    expect(res.body.message).toContain(`field: ${field}`);
    expect(store.snapshot()).toBe(before);
  });
});

describe('POST /insights/v1/name-verification', () => {
  it('compares the name with the entity’s holder: perfect, partial, no match', async () => {
    const { app, store, entity } = await setup();
    const holder = entityAccounts(store, 'my_app', entity.id)[0]!.account_holder_name;
    const [first, ...rest] = holder.split(' ');
    const ask = (full_name: string) => request(app).post('/insights/v1/name-verification').send({ entity_id: entity.id, full_name, async: 'false' }).expect(200);
    expect((await ask(holder.toLowerCase())).body).toMatchObject({
      status: 'OK', type: 'name-verification',
      data: { type: 'name-verification', full_name_provided: holder.toLowerCase(), full_name_retrieved: holder, match_type: 'PERFECT_MATCH', confidence: 1 },
    });
    expect((await ask(`${first![0]} ${rest.at(-1)}`)).body.data.match_type).toBe('PARTIAL_MATCH');
    expect((await ask('Somebody Else')).body.data).toMatchObject({ match_type: 'NO_MATCH', confidence: 0 });
  });

  it('answers UNKNOWN_ENTITY, RECONNECT_REQUIRED and 400s naming full_name / entity_id', async () => {
    const { app, store, entity } = await setup();
    const post = (body: object) => request(app).post('/insights/v1/name-verification').send(body);
    expect((await post({ entity_id: 'f0000000-0000-4000-8000-000000000000', full_name: 'A B' }).expect(404)).body.status).toBe('UNKNOWN_ENTITY');
    expect((await post({ entity_id: entity.id, full_name: 'Agent 007' }).expect(400)).body.metadata.field).toBe('full_name');
    expect((await post({ entity_id: entity.id, full_name: 'Madonna' }).expect(400)).body.metadata.field).toBe('full_name');
    expect((await post({ full_name: 'A B' }).expect(400)).body).toMatchObject({ status: 'MISSING_PARAMETERS', metadata: { field: 'entity_id' } });
    expect((await post({ entity_id: entity.id, full_name: 'A B', async: 'maybe' }).expect(400)).body.metadata.field).toBe('async');
    expireSession(store, 'my_app', entity.id);
    expect((await post({ entity_id: entity.id, full_name: 'A B' }).expect(200)).body).toMatchObject({ status: 'RECONNECT_REQUIRED', data: null });
  });
});

describe('POST /verifications/v2/entity', () => {
  it('verifies every IBAN of the entity for the customer’s own id, none for another', async () => {
    const { app, store, entity } = await setup();
    const ibans = entityAccounts(store, 'my_app', entity.id).map((a) => a.account.find((id) => id.scheme_name === 'IBAN')!.identification).sort();
    const ask = (value: string) => request(app).post('/verifications/v2/entity').send({ entity_id: entity.id, identifications: [{ type: 'NATIONAL_ID', value }] }).expect(200);
    const yes = await ask(EMIRATES_ID);
    expect(yes.body.verifications).toEqual({ entity_ownership_verified: true, verification_method: 'OPEN_BANKING', ibans: ibans.map((i) => ({ iban: i, iban_ownership_verified: true })) });
    const no = await ask('1999999999');
    expect(no.body.verifications.entity_ownership_verified).toBe(false);
    expect(no.body.verifications.ibans.every((i: { iban_ownership_verified: boolean }) => !i.iban_ownership_verified)).toBe(true);
    await request(app).post('/verifications/v2/entity').set('x-test-app', 'other_app').send({ entity_id: entity.id, identifications: [{ type: 'NATIONAL_ID', value: EMIRATES_ID }] }).expect(404);
  });
});

describe('POST /verifications/v2/beneficiary-name', () => {
  it('names the holder of a held IBAN; magic suffixes; not found; invalid IBAN', async () => {
    const { app, destination } = await setup();
    const ask = (value: string) => request(app).post('/verifications/v2/beneficiary-name').send({ iban: value });
    expect((await ask(destination.iban.toLowerCase()).expect(200)).body.verifications).toEqual({ beneficiary_name: 'Fatima Al-Mansoori', account_status: 'ACTIVE' });
    expect((await ask(ibanEnding('SA', '410')).expect(200)).body.verifications.account_status).toBe('CLOSED');
    expect((await ask(ibanEnding('SA', '500')).expect(200)).body).toMatchObject({ status: 'FAILED', status_detail: { granular_status_code: 'LEAN_ERROR' } });
    expect((await ask(ibanEnding('SA', '123')).expect(404)).body.status).toBe('DATA_NOT_FOUND');
    expect((await ask('SA0380000000608010167518').expect(400)).body).toMatchObject({ status: 'INVALID_PARAMETERS', metadata: { field: 'iban' } });
    expect((await request(app).post('/verifications/v2/beneficiary-name').send({}).expect(400)).body).toMatchObject({ status: 'MISSING_PARAMETERS', metadata: { field: 'iban' } });
  });
});

describe('KSA registries: corporates, managers, freelancers', () => {
  it('knows Lean’s test company, its managers, and nothing else', async () => {
    const { app } = await setup();
    const corp = (type: string, value: string) => request(app).post('/verifications/v1/corporates').send({ type, language: 'en', identifications: [{ type: 'UNIFIED_NUMBER', value }] });
    expect((await corp('BASIC', '7001272184').expect(200)).body.verifications.commercial_registry.national_number).toBe('7001272184');
    expect((await corp('ADDRESS', '7001272184').expect(200)).body.verifications.addresses).toHaveLength(1);
    expect((await corp('FULL', '7000000404').expect(404)).body.status).toBe('DATA_NOT_FOUND');
    expect((await corp('FULL', '123').expect(400)).body.metadata.field).toBe('identifications->[0]->value');
    expect((await corp('EVERYTHING', '7001272184').expect(400)).body.metadata.field).toBe('type');
    const managers = (ids: object[]) => request(app).post('/verifications/v1/corporates/managers').send({ identifications: ids, language: 'en' });
    const found = await managers([{ type: 'UNIFIED_NUMBER', value: '7001272184' }, { type: 'NATIONAL_ID', value: '1132381599' }]).expect(200);
    expect(found.body.verifications).toHaveLength(1);
    expect((await managers([{ type: 'NATIONAL_ID', value: '1132381599' }, { type: 'UNIFIED_NUMBER', value: '7001272184' }]).expect(200)).body.verifications).toHaveLength(1);
    expect((await managers([{ type: 'UNIFIED_NUMBER', value: '7001272184' }, { type: 'NATIONAL_ID', value: '1000000000' }]).expect(200)).body.verifications).toEqual([]);
    expect((await managers([{ type: 'UNIFIED_NUMBER', value: '7001272184' }]).expect(400)).body.metadata.field).toBe('identifications');
  });

  it('verifies freelancer certificates by national id and number, with Lean’s recorded 400 wording', async () => {
    const { app } = await setup();
    const ask = (type: string, ids: object[]) => request(app).post('/verifications/v1/freelancers').send({ type, identifications: ids });
    const nid = { type: 'NATIONAL_ID', value: '1107454009' };
    const list = await ask('FULL_LIST', [nid]).expect(200);
    expect(list.body.verifications.certificate.map((c: { status: string }) => c.status)).toEqual(['ACTIVE', 'PENDING', 'CANCELED', 'REVOKED', 'EXPIRED', 'REJECTED']);
    const one = await ask('FULL', [nid, { type: 'FREELANCER_NUMBER', value: 'FL-490775363' }]).expect(200);
    expect(one.body.verifications).toMatchObject({ certificate_ownership_verified: 'VERIFIED', certificate: [{ number: 'FL-490775363', status: 'REVOKED' }] });
    const basic = await ask('BASIC', [nid, { type: 'FREELANCER_NUMBER', value: 'FL-013988291' }]).expect(200);
    expect(basic.body.verifications).toMatchObject({ name: { ar: null, en: null }, certificate: [{ number: null, status: 'ACTIVE' }] });
    expect((await ask('FULL', [{ type: 'NATIONAL_ID', value: '1000000404' }]).expect(404)).body.status).toBe('DATA_NOT_FOUND');
    const bad = await ask('FULL', [{ type: 'INVALID_TYPE', value: '1106972886' }, { type: 'FREELANCER_NUMBER', value: 'FL-013988291' }]).expect(400);
    expect(bad.body).toMatchObject({
      status: 'INVALID_PARAMETERS',
      message: 'The request is badly formatted or a parameter of the wrong type has been provided, field: identifications->[0]->type',
    });
  });
});

describe('every verification route', () => {
  it.each(['/verifications/v1/accounts', '/insights/v1/name-verification', '/verifications/v2/entity', '/verifications/v2/beneficiary-name', '/verifications/v1/corporates', '/verifications/v1/corporates/managers', '/verifications/v1/freelancers'])(
    '%s answers GET with 405 INVALID_HTTP_METHOD',
    async (path) => {
      const { app } = await setup();
      expect((await request(app).get(path).expect(405)).body.status).toBe('INVALID_HTTP_METHOD');
    },
  );
});
