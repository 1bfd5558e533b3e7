import { describe, expect, it } from 'vitest';
import { LeanError } from '../../src/app/errors.js';
import { checkAmountLimits, parseAmount } from '../../src/sandbox/payments/amount.js';
import { buildIban, normaliseIban, validateIban } from '../../src/sandbox/payments/iban.js';
import { validateName } from '../../src/sandbox/payments/names.js';
import { PAYMENT_COLLECTIONS, PAYMENT_STATUSES, type PaymentDestinationRecord } from '../../src/sandbox/payments/records.js';
import { seedPayments } from '../../src/sandbox/payments/seed.js';
import { assertCanAdvance, canAdvance } from '../../src/sandbox/payments/status.js';
import { testStore } from '../support/sandbox-app.js';

/** The Lean status a rule throws, or 'ok'. */
function outcome(rule: () => unknown): string {
  try {
    rule();
    return 'ok';
  } catch (error) {
    if (error instanceof LeanError) return error.status;
    throw error;
  }
}

describe('IBAN validation (mod-97)', () => {
  it('accepts the IBANs of Lean’s own examples, and any other valid one', () => {
    expect(validateIban('AE760260001015000000601')).toBe('AE760260001015000000601');
    expect(validateIban('AE340260001015528734001')).toBe('AE340260001015528734001');
    expect(validateIban('GB82WEST12345698765432')).toBe('GB82WEST12345698765432');
  });

  it('normalises spaces and case', () => {
    expect(normaliseIban(' ae76 0260 0010 1500 0000 601 ')).toBe('AE760260001015000000601');
    expect(validateIban('ae76 0260 0010 1500 0000 601')).toBe('AE760260001015000000601');
  });

  it('refuses wrong check digits, wrong lengths, letters in a UAE IBAN and non-IBANs with INVALID_IBAN', () => {
    for (const bad of [
      'AE770260001015000000601', // check digits off by one
      'AE760260001015000000610', // two digits swapped
      'AE76026000101500000060', // one digit short
      'AE27LSWP9X25E4883A13998', // Lean's placeholder, not a real IBAN
      '1234567890',
      '',
    ]) {
      expect(outcome(() => validateIban(bad)), bad).toBe('INVALID_IBAN');
    }
  });

  it('builds IBANs that pass its own check', () => {
    const iban = buildIban('AE', '0260001015000000601');
    expect(iban).toBe('AE760260001015000000601');
    expect(validateIban(buildIban('AE', '0350001234567890123'))).toMatch(/^AE\d{21}$/);
  });
});

describe('name validation', () => {
  it('accepts company and personal names, in Latin or Arabic script, trimmed', () => {
    expect(validateName('name', '  Fulani Al Fulani ')).toBe('Fulani Al Fulani');
    expect(validateName('name', "Acme Corp. (Dubai) - O'Neil & Sons")).toBe("Acme Corp. (Dubai) - O'Neil & Sons");
    expect(validateName('name', 'شركة الاختبار')).toBe('شركة الاختبار');
  });

  it('refuses empty, overlong, markup and punctuation-only names with INVALID_NAME naming the field', () => {
    for (const bad of ['', '   ', 'x'.repeat(141), 'Acme <script>', 'Tab\there', '...', 'Acme@mail']) {
      expect(outcome(() => validateName('display_name', bad)), JSON.stringify(bad)).toBe('INVALID_NAME');
    }
    expect(() => validateName('display_name', '')).toThrow(expect.objectContaining({ message: expect.stringContaining('field: display_name') }));
  });
});

describe('amount rules', () => {
  it('takes positive JSON numbers with at most two decimals', () => {
    expect(parseAmount(10)).toBe(10);
    expect(parseAmount(120.43)).toBe(120.43);
    // 1.1 * 3 is 3.3000000000000003 in binary: still two decimals to a client.
    expect(parseAmount(1.1 * 3)).toBeCloseTo(3.3);
  });

  it('answers INVALID_AMOUNT for anything else, MISSING_PARAMETERS when absent', () => {
    for (const bad of [0, -5, '10', 10.001, null, Number.NaN, Number.POSITIVE_INFINITY, true, [10], { amount: 10 }]) {
      expect(outcome(() => parseAmount(bad)), String(bad)).toBe('INVALID_AMOUNT');
    }
    expect(outcome(() => parseAmount(undefined))).toBe('MISSING_PARAMETERS');
  });

  it('keeps AED amounts within 10 and 1,000,000, both included', () => {
    expect(outcome(() => checkAmountLimits(9.99, 'AED'))).toBe('AMOUNT_UNDER_MIN_VALUE');
    expect(outcome(() => checkAmountLimits(10, 'AED'))).toBe('ok');
    expect(outcome(() => checkAmountLimits(1_000_000, 'AED'))).toBe('ok');
    expect(outcome(() => checkAmountLimits(1_000_000.01, 'AED'))).toBe('AMOUNT_OVER_MAX_VALUE');
  });
});

describe('the payment status machine', () => {
  const waiting = ['AWAITING_LOGIN_MFA', 'AWAITING_PAYMENT_MFA', 'AWAITING_APP_AUTH', 'PENDING_WITH_BANK'] as const;

  it('moves a waiting payment to ACCEPTED_BY_BANK or FAILED, and nowhere else', () => {
    for (const from of waiting) {
      for (const to of PAYMENT_STATUSES) {
        expect(canAdvance(from, to), `${from} → ${to}`).toBe(to === 'ACCEPTED_BY_BANK' || to === 'FAILED');
      }
    }
  });

  it('never moves a payment that has ended', () => {
    for (const from of ['ACCEPTED_BY_BANK', 'FAILED'] as const) {
      for (const to of PAYMENT_STATUSES) expect(canAdvance(from, to), `${from} → ${to}`).toBe(false);
    }
  });

  it('explains a refused move, naming both statuses', () => {
    try {
      assertCanAdvance('p1', 'ACCEPTED_BY_BANK', 'FAILED');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(LeanError);
      const lean = error as LeanError;
      expect([lean.httpStatus, lean.status]).toEqual([400, 'INVALID_STATUS_TRANSITION']);
      expect(lean.message).toMatch(/ACCEPTED_BY_BANK.*FAILED.*final/);
      expect(lean.metadata).toEqual({ field: 'status', current_status: 'ACCEPTED_BY_BANK', requested_status: 'FAILED' });
    }
  });
});

describe('the payments seeder', () => {
  const seeded = (seed: number) => {
    const store = testStore({ seed });
    store.addSeeder('payments', seedPayments);
    const destinations = store.collection<PaymentDestinationRecord>(PAYMENT_COLLECTIONS.destinations);
    return { store, my: destinations.list('my_app'), other: destinations.list('other_app') };
  };

  it('gives each app one default destination, owned by the app, with a valid IBAN', () => {
    const { my, other } = seeded(7);
    for (const list of [my, other]) {
      expect(list).toHaveLength(1);
      const [destination] = list;
      expect(destination).toMatchObject({ default: true, status: 'ACTIVE', country: 'ARE', bank_identifier: 'ENBD_UAE', created_at: '2026-03-15T09:30:00.000Z' });
      expect(destination!.customer_id).toBeUndefined();
      expect(validateIban(destination!.iban!)).toBe(destination!.iban);
      expect(destination!.iban!.endsWith(destination!.account_number)).toBe(true);
    }
    expect(my[0]!.id).not.toBe(other[0]!.id);
  });

  it('is deterministic: the same seed gives the same destinations, another seed others', () => {
    expect(seeded(7).my).toEqual(seeded(7).my);
    expect(seeded(8).my[0]!.id).not.toBe(seeded(7).my[0]!.id);
    expect(seeded(8).my[0]!.account_number).not.toBe(seeded(7).my[0]!.account_number);
  });

  it('comes back unchanged on reset, and only once', () => {
    const { store, my } = seeded(7);
    store.reset();
    expect(store.collection<PaymentDestinationRecord>(PAYMENT_COLLECTIONS.destinations).list('my_app')).toEqual(my);
  });
});
