import { readFileSync } from 'node:fs';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { BanksSchema, createBanksRouter, loadBanks, parseBanks, type Bank } from '../../src/lean/banks.js';
import { FIXED_NOW, appWith } from '../support/lean-app.js';

const banks = loadBanks();
const app = appWith(createBanksRouter({ banks }));
const ids = (body: readonly Bank[]): string[] => body.map((bank) => bank.identifier);

const MOCK_BANKS = ['LEAN_OF_RETAIL_UAE', 'LEAN_SME_MB1_UAE', 'LEANMB1_SAU', 'LEA1_SAMAOB_SAU', 'LEA2_SAMAOB_SAU'];
const REAL_BANKS = ['ENBD_UAE', 'FAB_UAE', 'ADCB_UAE', 'HSBC_UAE', 'ALINMA_SAU', 'RIYADBANK'];
const UAE = ['LEAN_OF_RETAIL_UAE', 'LEAN_SME_MB1_UAE', 'ENBD_UAE', 'FAB_UAE', 'ADCB_UAE', 'HSBC_UAE'];
const KSA = ['LEANMB1_SAU', 'LEA1_SAMAOB_SAU', 'LEA2_SAMAOB_SAU', 'ALINMA_SAU', 'RIYADBANK'];

describe('the banks fixture', () => {
  it('holds the sandbox mock banks and the real banks, each identifier once', () => {
    const raw = JSON.parse(readFileSync(new URL('../../fixtures/banks.json', import.meta.url), 'utf8')) as { identifier: string }[];
    const identifiers = raw.map((bank) => bank.identifier);
    expect(new Set(identifiers).size).toBe(identifiers.length);
    expect(identifiers.sort()).toEqual([...MOCK_BANKS, ...REAL_BANKS].sort());
    for (const bank of banks) expect(bank.mock).toBe(MOCK_BANKS.includes(bank.identifier));
  });

  it('keeps account type, bank type and currency consistent with each bank', () => {
    for (const bank of banks) {
      expect(bank.bank_type).toBe(bank.account_type === 'BUSINESS' ? 'SME' : 'RETAIL');
      const currency = bank.country_code === 'ARE' ? 'AED' : 'SAR';
      expect(bank.transfer_limits.map((limit) => limit.currency)).toEqual([currency]);
    }
    expect(banks.find((bank) => bank.identifier === 'LEAN_SME_MB1_UAE')?.account_type).toBe('BUSINESS');
  });

  it('is rejected loudly when malformed: unknown fields, wrong enums, duplicates', () => {
    const [first] = banks;
    expect(() => parseBanks([{ ...first, surprise: 1 }])).toThrow(/malformed/);
    expect(() => parseBanks([{ ...first, country_code: 'GBR' }])).toThrow(/country_code/);
    expect(() => parseBanks([first, first])).toThrow(/duplicate identifier/);
    const { availability: _dropped, ...missing } = first!;
    expect(() => parseBanks([missing])).toThrow(/availability/);
  });
});

describe('GET /banks/v1', () => {
  it('lists every bank, in fixture order, each with every field of the schema', async () => {
    const res = await request(app).get('/banks/v1').expect(200).expect('content-type', /application\/json/);
    expect(Array.isArray(res.body)).toBe(true);
    expect(res.body).toHaveLength(11);
    expect(BanksSchema.parse(res.body)).toEqual(banks);
    expect(ids(res.body)).toEqual(ids(banks));
  });

  it('answers the whole list and a filtered one as the same JSON media type, the whole list byte-identical to its parse', async () => {
    const whole = await request(app).get('/banks/v1');
    const filtered = await request(app).get('/banks/v1?country_codes=ARE');
    expect(whole.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(filtered.headers['content-type']).toBe(whole.headers['content-type']);
    expect(whole.text).toBe(JSON.stringify(banks));
    expect(whole.headers['content-length']).toBe(String(Buffer.byteLength(whole.text)));
  });

  it('accepts the trailing slash', async () => {
    const res = await request(app).get('/banks/v1/').expect(200);
    expect(res.body).toHaveLength(11);
  });

  it('filters by account_types against each bank’s account_type', async () => {
    const business = await request(app).get('/banks/v1?account_types=BUSINESS').expect(200);
    expect(ids(business.body)).toEqual(['LEAN_SME_MB1_UAE']);
    const personal = await request(app).get('/banks/v1?account_types=PERSONAL').expect(200);
    expect(ids(personal.body)).toEqual(ids(banks).filter((id) => id !== 'LEAN_SME_MB1_UAE'));
  });

  it('filters by country_codes, case-insensitively', async () => {
    const uae = await request(app).get('/banks/v1?country_codes=ARE').expect(200);
    expect(ids(uae.body).sort()).toEqual([...UAE].sort());
    const ksa = await request(app).get('/banks/v1?country_codes=sau').expect(200);
    expect(ids(ksa.body).sort()).toEqual([...KSA].sort());
  });

  it('filters by connection_types, the third list filter of Lean’s schema', async () => {
    const res = await request(app).get('/banks/v1?connection_types=OPEN_BANKING').expect(200);
    expect(ids(res.body).sort()).toEqual(['ALINMA_SAU', 'LEA1_SAMAOB_SAU', 'LEA2_SAMAOB_SAU', 'LEAN_OF_RETAIL_UAE', 'RIYADBANK']);
  });

  it('treats a list as "any of", given comma-separated or as repeated parameters', async () => {
    const comma = await request(app).get('/banks/v1?account_types=PERSONAL,BUSINESS').expect(200);
    expect(ids(comma.body)).toEqual(ids(banks));
    const repeated = await request(app).get('/banks/v1?country_codes=ARE&country_codes=SAU').expect(200);
    expect(ids(repeated.body)).toEqual(ids(banks));
    const mixed = await request(app).get('/banks/v1?account_types=BUSINESS&account_types=PERSONAL,').expect(200);
    expect(ids(mixed.body)).toEqual(ids(banks));
  });

  it('combines different filters with "and"', async () => {
    const res = await request(app).get('/banks/v1?account_types=PERSONAL&country_codes=ARE').expect(200);
    expect(ids(res.body)).toEqual(['LEAN_OF_RETAIL_UAE', 'ENBD_UAE', 'FAB_UAE', 'ADCB_UAE', 'HSBC_UAE']);
    const none = await request(app).get('/banks/v1?account_types=BUSINESS&country_codes=SAU').expect(200);
    expect(none.body).toEqual([]);
  });

  it('ignores unknown query parameters and empty filters', async () => {
    const res = await request(app).get('/banks/v1?colour=blue&account_types=').expect(200);
    expect(res.body).toHaveLength(11);
  });

  it.each([
    ['account_types', 'RETAIL'],
    ['account_types', 'PERSONAL,SOLE_TRADER'],
    ['country_codes', 'GBR'],
    ['connection_types', 'SCREEN_SCRAPING'],
  ])('answers 400 INVALID_PARAMETERS naming the field for %s=%s', async (field, value) => {
    const res = await request(app).get('/banks/v1').query({ [field]: value }).expect(400);
    const bad = value.split(',').at(-1)!;
    expect(res.body).toEqual({
      timestamp: FIXED_NOW.toISOString(),
      status: 'INVALID_PARAMETERS',
      message: `The request is badly formatted or a parameter of the wrong type has been provided, field: ${field}, value: ${bad}.`,
      metadata: null,
    });
  });

  it.each(['post', 'put', 'delete'] as const)('answers %s with 405 INVALID_HTTP_METHOD', async (method) => {
    const res = await request(app)[method]('/banks/v1').expect(405);
    expect(res.body).toMatchObject({ timestamp: FIXED_NOW.toISOString(), status: 'INVALID_HTTP_METHOD', metadata: null });
  });
});
