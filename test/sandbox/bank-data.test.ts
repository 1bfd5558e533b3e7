import { describe, expect, it } from 'vitest';
import { generateBankData, type BankData } from '../../src/sandbox/bank-data/generate.js';
import { iban, isValidIban } from '../../src/sandbox/bank-data/iban.js';
import { bankProfile, parseBankProfile } from '../../src/sandbox/bank-data/profile.js';
import { seededRandom } from '../../src/sandbox/random.js';
import type { Transaction } from '../../src/sandbox/store/records.js';

const profile = bankProfile('LEAN_OF_RETAIL_UAE')!;
const AS_OF = new Date('2026-03-15T09:30:00.000Z');
const DAY = 86_400_000;
const generate = (seed: number, asOf = AS_OF): BankData =>
  generateBankData({ random: seededRandom(seed), asOf, customerId: 'customer-1', entityId: 'entity-1', profile });

const data = generate(7);
const accountOf = (subType: string) => data.accounts.find((account) => account.account_sub_type === subType)!;
const statementOf = (accountId: string, from: BankData = data): Transaction[] => from.transactions.filter((t) => t.account_id === accountId);
/** Signed fils, so checks are exact integer arithmetic. */
const fils = (money: { credit_debit_indicator: string; amount: { amount: number } }): number =>
  Math.round(money.amount.amount * 100) * (money.credit_debit_indicator === 'DEBIT' ? -1 : 1);
const movement = (t: Transaction): number => Math.round(t.amount.amount * 100) * (t.credit_debit_indicator === 'DEBIT' ? -1 : 1);

/** An IBAN check written independently of the module under test: BigInt arithmetic on the whole number. */
function ibanChecksumHolds(value: string): boolean {
  const rearranged = value.slice(4) + value.slice(0, 4);
  const numeric = rearranged.replace(/[A-Z]/g, (ch) => String(ch.charCodeAt(0) - 55));
  return BigInt(numeric) % 97n === 1n;
}

describe('IBANs', () => {
  it('computes ISO 13616 check digits that published IBANs agree with', () => {
    expect(iban('AE', '0331234567890123456')).toBe('AE070331234567890123456');
    expect(iban('GB', 'WEST12345698765432')).toBe('GB82WEST12345698765432');
    expect(isValidIban('AE07 0331 2345 6789 0123 456')).toBe(true);
  });

  it('rejects a mistyped digit, swapped digits and malformed values', () => {
    expect(isValidIban('AE070331234567890123457')).toBe(false);
    expect(isValidIban('AE070331234567890124356')).toBe(false);
    expect(isValidIban('AE07')).toBe(false);
    expect(isValidIban('not an iban')).toBe(false);
  });
});

describe('the LEAN_OF_RETAIL_UAE profile', () => {
  it('is rejected loudly when an account product is missing or lacks what its behaviour needs', () => {
    const raw = structuredClone(profile) as { accounts: { sub_type: string; credit_limit?: unknown }[] };
    const withoutMortgage = { ...raw, accounts: raw.accounts.filter((a) => a.sub_type !== 'MORTGAGE') };
    expect(() => parseBankProfile(withoutMortgage)).toThrow(/exactly one MORTGAGE/);
    const noLimit = structuredClone(raw);
    delete noLimit.accounts.find((a) => a.sub_type === 'CREDIT')!.credit_limit;
    expect(() => parseBankProfile(noLimit)).toThrow(/credit_limit/);
    expect(() => parseBankProfile({ ...raw, surprise: true })).toThrow(/surprise/);
  });

  it('is not offered for banks without a profile', () => {
    expect(bankProfile('ENBD_UAE')).toBeUndefined();
    expect(bankProfile('__proto__')).toBeUndefined();
  });
});

describe('a generated connection to the UAE mock bank', () => {
  it('has the nine AED accounts of Lean’s mock bank, each with its own valid UAE IBAN', () => {
    expect(data.accounts.map((a) => a.account_sub_type)).toEqual([
      'CURRENT', 'SAVINGS', 'CREDIT', 'PREPAID', 'MORTGAGE', 'PERSONAL_LOAN', 'EMONEY', 'CHARGE_CARD', 'UNSUPPORTED',
    ]);
    const ibans = data.accounts.map((a) => a.account.find((id) => id.scheme_name === 'IBAN')!.identification);
    expect(new Set(ibans).size).toBe(9);
    for (const account of data.accounts) {
      expect(account).toMatchObject({ entity_id: 'entity-1', currency: 'AED', account_type: 'PERSONAL', status: 'ENABLED' });
      const [ibanId, bban] = account.account;
      expect(ibanId!.identification).toMatch(/^AE\d{2}099\d{16}$/);
      expect(ibanChecksumHolds(ibanId!.identification)).toBe(true);
      expect(bban).toMatchObject({ scheme_name: 'BBAN', identification: ibanId!.identification.slice(4) });
      expect(account.account_holder_name).toBe(ibanId!.name);
      expect(account.opening_date < '2025-03-15').toBe(true);
    }
    expect(new Set(data.accounts.map((a) => a.account_id)).size).toBe(9);
  });

  it('identifies card products by their masked card number too', () => {
    for (const subType of ['CREDIT', 'CHARGE_CARD', 'PREPAID']) {
      expect(accountOf(subType).account.find((id) => id.scheme_name === 'PAN')?.identification).toMatch(/^\d{6}\*{6}\d{4}$/);
    }
    expect(accountOf('CURRENT').account.some((id) => id.scheme_name === 'PAN')).toBe(false);
    expect(accountOf('MORTGAGE').maturity_date! > AS_OF.toISOString()).toBe(true);
    expect(accountOf('CURRENT').maturity_date).toBeNull();
  });

  it('keeps every running balance consistent: each one is the previous ± the amount, in whole fils', () => {
    for (const account of data.accounts) {
      const statement = statementOf(account.account_id);
      statement.forEach((t, index) => {
        expect(t.index).toBe(index);
        expect(t.amount.amount).toBeGreaterThan(0);
        expect(Math.round(t.amount.amount * 100) / 100).toBe(t.amount.amount);
        expect(t.amount.currency).toBe('AED');
        const older = statement[index + 1];
        if (older) expect(fils(t.balance)).toBe(fils(older.balance) + movement(t));
      });
    }
  });

  it('closes each account at its newest transaction’s balance, and opens today at the last one before midnight', () => {
    const midnight = Date.UTC(2026, 2, 15);
    for (const account of data.accounts) {
      const statement = statementOf(account.account_id);
      const balances = data.balances.filter((b) => b.account_id === account.account_id);
      expect(balances.map((b) => b.type)).toEqual(['CLOSING_AVAILABLE', 'OPENING_AVAILABLE']);
      const [closing, opening] = balances;
      expect(closing!.date_time).toBe(AS_OF.toISOString());
      if (statement.length === 0) continue;
      expect(fils(closing!)).toBe(fils(statement[0]!.balance));
      const beforeToday = statement.find((t) => Date.parse(t.booking_date_time) < midnight);
      if (beforeToday) expect(fils(opening!)).toBe(fils(beforeToday.balance));
    }
    expect(statementOf(accountOf('UNSUPPORTED').account_id)).toEqual([]);
  });

  it('covers a year up to asOf, newest first, with hundreds of transactions on the transactional accounts', () => {
    const from = AS_OF.getTime() - 365 * DAY;
    for (const t of data.transactions) {
      const at = Date.parse(t.booking_date_time);
      expect(at).toBeGreaterThan(from);
      expect(at).toBeLessThanOrEqual(AS_OF.getTime());
      expect(t.value_date_time).toBe(t.booking_date_time);
    }
    for (const account of data.accounts) {
      const times = statementOf(account.account_id).map((t) => Date.parse(t.booking_date_time));
      expect(times).toEqual([...times].sort((a, b) => b - a));
    }
    const current = statementOf(accountOf('CURRENT').account_id);
    expect(current.length).toBeGreaterThan(300);
    expect(Date.parse(current.at(-1)!.booking_date_time)).toBeLessThan(from + 20 * DAY);
    for (const subType of ['SAVINGS', 'CREDIT', 'PREPAID', 'MORTGAGE', 'PERSONAL_LOAN', 'EMONEY', 'CHARGE_CARD']) {
      expect(statementOf(accountOf(subType).account_id).length).toBeGreaterThanOrEqual(12);
    }
    expect(new Set(data.transactions.map((t) => t.transaction_id)).size).toBe(data.transactions.length);
  });

  it('reads like a UAE customer’s year: a monthly salary, rent, groceries, utilities, cash and transfers', () => {
    const info = statementOf(accountOf('CURRENT').account_id).map((t) => `${t.credit_debit_indicator} ${t.transaction_information}`);
    const count = (pattern: RegExp) => info.filter((line) => pattern.test(line)).length;
    expect(count(/^CREDIT SALARY CREDIT /)).toBe(12);
    expect(count(/^DEBIT STANDING ORDER RENT /)).toBeGreaterThanOrEqual(12);
    expect(count(/^DEBIT POS PURCHASE (CARREFOUR|LULU|SPINNEYS|WAITROSE|CHOITHRAMS|UNION COOP|GEANT)/)).toBeGreaterThan(50);
    expect(count(/^DEBIT DIRECT DEBIT DEWA /)).toBeGreaterThanOrEqual(12);
    expect(count(/^DEBIT DIRECT DEBIT (ETISALAT|DU) /)).toBeGreaterThanOrEqual(24);
    expect(count(/^DEBIT ATM CASH WITHDRAWAL /)).toBeGreaterThan(5);
    expect(count(/^DEBIT (OUTWARD|INTERNATIONAL) TRANSFER TO /)).toBeGreaterThan(12);
    const grocery = statementOf(accountOf('CURRENT').account_id).find((t) => t.transaction_information.includes('CARREFOUR'));
    expect(grocery?.merchant_details).toMatchObject({ merchant_category_code: '5411' });
  });

  it('moves money between the customer’s accounts on both sides, and respects each product’s limits', () => {
    const credit = accountOf('CREDIT');
    const limit = data.balances.find((b) => b.account_id === credit.account_id)!.credit_line[0]!.amount.amount * 100;
    for (const t of statementOf(credit.account_id)) expect(-fils(t.balance)).toBeLessThanOrEqual(limit);
    for (const subType of ['CURRENT', 'SAVINGS', 'PREPAID', 'EMONEY']) {
      for (const t of statementOf(accountOf(subType).account_id)) expect(fils(t.balance)).toBeGreaterThanOrEqual(0);
    }
    for (const subType of ['MORTGAGE', 'PERSONAL_LOAN', 'CREDIT', 'CHARGE_CARD']) {
      for (const t of statementOf(accountOf(subType).account_id)) expect(fils(t.balance)).toBeLessThanOrEqual(0);
    }
    const toSavings = statementOf(accountOf('CURRENT').account_id).filter((t) => t.transaction_information.startsWith('STANDING ORDER SAVINGS'));
    const intoSavings = statementOf(accountOf('SAVINGS').account_id).filter((t) => t.transaction_information.startsWith('TRANSFER FROM ACCOUNT'));
    expect(intoSavings.map((t) => [t.booking_date_time, t.amount.amount])).toEqual(toSavings.map((t) => [t.booking_date_time, t.amount.amount]));
  });

  it('holds those invariants whatever the seed and the day of the month', () => {
    for (let seed = 1; seed <= 25; seed++) {
      const other = generate(seed, new Date(AS_OF.getTime() + seed * 3 * DAY));
      for (const account of other.accounts) {
        const statement = statementOf(account.account_id, other);
        statement.forEach((t, index) => {
          const older = statement[index + 1];
          if (older) expect(fils(t.balance)).toBe(fils(older.balance) + movement(t));
        });
        const closing = other.balances.find((b) => b.account_id === account.account_id && b.type === 'CLOSING_AVAILABLE')!;
        if (statement[0]) expect(fils(closing)).toBe(fils(statement[0].balance));
        const owed = ['CREDIT', 'CHARGE_CARD', 'MORTGAGE', 'PERSONAL_LOAN'].includes(account.account_sub_type);
        for (const t of statement) expect(owed ? fils(t.balance) <= 0 : fils(t.balance) >= 0).toBe(true);
      }
      const salaries = statementOf(other.accounts[0]!.account_id, other).filter((t) => t.transaction_information.startsWith('SALARY'));
      expect(salaries).toHaveLength(12);
    }
  });

  it('is reproducible: the same seed and asOf give deep-equal data', () => {
    expect(generate(7)).toEqual(data);
  });

  it('varies with the seed and with asOf', () => {
    const other = generate(8);
    const amounts = (d: BankData) => d.transactions.slice(0, 50).map((t) => t.amount.amount);
    expect(amounts(other)).not.toEqual(amounts(data));
    expect(other.accounts[0]!.account_id).not.toBe(data.accounts[0]!.account_id);
    const later = generate(7, new Date(AS_OF.getTime() + 30 * DAY));
    expect(later.transactions[0]!.booking_date_time > data.transactions[0]!.booking_date_time).toBe(true);
  });
});

describe('the entity and identity', () => {
  it('grants every permission on a RETAIL entity with a year-long account-access consent over all nine accounts', () => {
    expect(data.entity).toMatchObject({ id: 'entity-1', customer_id: 'customer-1', bank_identifier: 'LEAN_OF_RETAIL_UAE', bank_type: 'RETAIL' });
    expect(Object.values(data.entity.permissions)).toEqual(Array(9).fill(true));
    expect(data.entity.created_at).toBe(AS_OF.toISOString());
    expect(data.entity.consents).toHaveLength(1);
    expect(data.entity.consents[0]).toMatchObject({ consent_type: 'ACCOUNT_ACCESS', consent_status: 'ACTIVE', expiration_date_time: '2027-03-15T09:30:00.000Z' });
    expect((data.entity.consents[0]!.accounts as unknown[]).length).toBe(9);
  });

  it('describes the account holder with a UAE mobile number and address', () => {
    expect(data.identity.full_legal_name).toBe(accountOf('CURRENT').account_holder_name.toUpperCase());
    expect(data.identity.mobile_number).toMatch(/^\+9715\d{8}$/);
    expect(data.identity.address).toMatchObject({ country: 'AE', address_type: 'RESIDENTIAL' });
    expect(data.identity.birth_date).toMatch(/^(19[7-9]\d|200\d)-\d{2}-\d{2}$/);
  });
});
