import { describe, expect, it } from 'vitest';
import { loadBanks } from '../../src/lean/banks.js';
import { DEFAULT_SERVER_HOSTS } from '../../src/pki/lean-pki.js';
import { generateBankData, type BankData } from '../../src/sandbox/bank-data/generate.js';
import { bankProfile, connectableBanks, parseBankProfile } from '../../src/sandbox/bank-data/profile.js';
import { REGIONS, regionOf } from '../../src/sandbox/bank-data/regions.js';
import { seededRandom } from '../../src/sandbox/random.js';

/** Lean's SAMA mock banks: the KSA region's data, generated from the bank's country alone. */

const KSA_BANKS = ['LEA1_SAMAOB_SAU', 'LEA2_SAMAOB_SAU'] as const;
const DAY = 86_400_000;
const generate = (bank: string, seed: number, asOf = new Date('2026-05-10T12:06:03.000Z')): BankData =>
  generateBankData({ random: seededRandom(seed), asOf, customerId: 'customer-1', entityId: 'entity-1', profile: bankProfile(bank)! });

/** An IBAN check written independently of the module under test: BigInt arithmetic on the whole number. */
function ibanChecksumHolds(value: string): boolean {
  const numeric = (value.slice(4) + value.slice(0, 4)).replace(/[A-Z]/g, (ch) => String(ch.charCodeAt(0) - 55));
  return BigInt(numeric) % 97n === 1n;
}

/** Every IBAN anywhere in a value: Saudi and Pakistani IBANs are 24 characters (an 18-character account number is not one). */
function ibansIn(value: unknown): string[] {
  return [...JSON.stringify(value).matchAll(/"((?:SA|PK)\d{2}[A-Z0-9]{20})"/g)].map((m) => m[1]!);
}

describe('regions', () => {
  it('are selected by the bank’s country, and every connectable bank is listed in the bank catalogue with its region’s country', () => {
    const catalogue = new Map(loadBanks().map((bank) => [bank.identifier, bank]));
    for (const identifier of connectableBanks()) {
      const profile = bankProfile(identifier)!;
      const listed = catalogue.get(identifier);
      expect(listed, identifier).toBeDefined();
      expect(regionOf(listed!.country_code)).toBe(profile.region);
      expect(listed!.transfer_limits.map((limit) => limit.currency)).toEqual([profile.region.currency]);
    }
    expect(bankProfile('LEA1_SAMAOB_SAU')!.region).toMatchObject({ name: 'KSA', currency: 'SAR', countryCode: 'SAU' });
    expect(bankProfile('LEAN_OF_RETAIL_UAE')!.region).toMatchObject({ name: 'UAE', currency: 'AED', countryCode: 'ARE' });
  });

  it('serve every region’s hosts on the server certificate', () => {
    for (const region of REGIONS) for (const host of Object.values(region.hosts)) expect(DEFAULT_SERVER_HOSTS).toContain(host);
  });

  it('reject a KSA profile with a product KSA’s mock banks lack, a UAE-length bank code or a foreign identity document', () => {
    const raw = structuredClone(bankProfile('LEA1_SAMAOB_SAU')!) as unknown as Record<string, unknown> & { accounts: { sub_type: string }[]; holders: { document?: string }[] };
    delete raw.region;
    expect(() => parseBankProfile(raw)).not.toThrow();
    const mortgage = { ...raw, accounts: [...raw.accounts, { ...raw.accounts[0]!, sub_type: 'MORTGAGE' }] };
    expect(() => parseBankProfile(mortgage)).toThrow(/exactly no MORTGAGE/);
    expect(() => parseBankProfile({ ...raw, iban_bank_code: '099' })).toThrow(/not a KSA bank code/);
    const emirati = structuredClone(raw);
    emirati.holders[0]!.document = 'EMIRATES_ID';
    expect(() => parseBankProfile(emirati)).toThrow(/not a KSA identity document/);
    expect(() => parseBankProfile({ ...raw, country: 'QA' })).toThrow(/no region for country QA/);
  });
});

describe.each(KSA_BANKS)('a generated connection to %s', (bank) => {
  const data = generate(bank, 7);
  const code = bankProfile(bank)!.iban_bank_code;

  it('has valid IBANs everywhere, whatever the seed: the bank’s own are SA, 24 characters, with its bank code', () => {
    for (let seed = 1; seed <= 25; seed++) {
      const generated = generate(bank, seed * 7919, new Date(Date.UTC(2026, seed % 12, (seed % 28) + 1, seed % 24)));
      const all = ibansIn(generated);
      expect(all.length).toBeGreaterThan(20);
      for (const value of all) expect(ibanChecksumHolds(value), value).toBe(true);
      for (const account of generated.accounts) {
        const own = account.account.find((a) => a.scheme_name === 'IBAN')!.identification;
        expect(own).toMatch(new RegExp(`^SA\\d{2}${code}[0-9A-Z]{18}$`));
      }
    }
  });

  it('speaks SAR only: no AED anywhere, every amount in SAR', () => {
    const json = JSON.stringify(data);
    expect(json).not.toContain('AED');
    const currencies = new Set([...json.matchAll(/"currency":"([A-Z]{3})"/g)].map((m) => m[1]));
    expect(currencies).toEqual(new Set(['SAR']));
  });

  it('reads like a year in Saudi Arabia: salary from a Saudi employer, rent, groceries, SADAD bills, transfers and cards', () => {
    const current = data.accounts.find((a) => a.account_sub_type === 'CURRENT')!;
    const lines = data.transactions.filter((t) => t.account_id === current.account_id).map((t) => t.transaction_information);
    const count = (pattern: RegExp) => lines.filter((line) => pattern.test(line)).length;
    expect(count(/^PAYROLL SARIE .+ SALARY [A-Z]{3} \d{4}$/)).toBeGreaterThanOrEqual(11);
    expect(count(/^STANDING ORDER RENT /)).toBeGreaterThanOrEqual(3);
    expect(count(/PANDA|TAMIMI|DANUBE|OTHAIM|CARREFOUR|LULU/)).toBeGreaterThan(50);
    expect(count(/^SADAD BILL PAYMENT (SEC|STC|MOBILY|NWC|TAWUNIYA) SADAD-/)).toBeGreaterThanOrEqual(40);
    expect(count(/^(OUTWARD|INTERNATIONAL) TRANSFER TO /)).toBeGreaterThan(10);
    const cards = data.transactions.filter((t) => (t as unknown as { card_instrument: unknown }).card_instrument !== null);
    expect(cards.length).toBeGreaterThan(100);
  });

  it('keeps every running balance the previous one ± the amount, in whole halalas', () => {
    for (const account of data.accounts) {
      const statement = data.transactions.filter((t) => t.account_id === account.account_id);
      const signed = (amount: number, indicator: string) => Math.round(amount * 100) * (indicator === 'DEBIT' ? -1 : 1);
      for (let i = 0; i + 1 < statement.length; i++) {
        const [t, before] = [statement[i]!, statement[i + 1]!];
        expect(signed(t.balance.amount.amount, t.balance.credit_debit_indicator)).toBe(
          signed(before.balance.amount.amount, before.balance.credit_debit_indicator) + signed(t.amount.amount, t.credit_debit_indicator),
        );
      }
    }
  });

  it('is deterministic: the same seed and day give the same bytes, another seed or day other data', () => {
    expect(JSON.stringify(generate(bank, 7))).toBe(JSON.stringify(data));
    expect(JSON.stringify(generate(bank, 8))).not.toBe(JSON.stringify(data));
    expect(JSON.stringify(generate(bank, 7, new Date(Date.parse('2026-05-10T12:06:03.000Z') + DAY)))).not.toBe(JSON.stringify(data));
  });
});

describe('the two SAMA mock banks', () => {
  it('are different banks: own bank codes, servicers and consent ids', () => {
    const [one, two] = KSA_BANKS.map((bank) => generate(bank, 7));
    expect(one!.accounts[0]!.servicer.identification).not.toBe(two!.accounts[0]!.servicer.identification);
    expect(one!.entity.bank_identifier).toBe('LEA1_SAMAOB_SAU');
    expect(two!.entity.bank_identifier).toBe('LEA2_SAMAOB_SAU');
  });
});
