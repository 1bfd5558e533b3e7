import { iban } from '../../src/sandbox/bank-data/iban.js';
import { bankProfile } from '../../src/sandbox/bank-data/profile.js';
import type { SeededRandom } from '../../src/sandbox/random.js';
import type { ScenarioInput } from '../../src/sandbox/scenarios/schema.js';

/**
 * Random valid scenarios for the property tests: one to three customers of either app, each with
 * entities at any connectable bank, accounts of the bank's products with or without a chosen
 * balance, IBAN and transactions, and payment sources. Money is whole cents, dates fall in the
 * year before `asOf`.
 */

const BANKS = ['LEAN_OF_RETAIL_UAE', 'LEA1_SAMAOB_SAU', 'LEA2_SAMAOB_SAU'] as const;
const DAY = 86_400_000;

const cents = (r: SeededRandom, max: number): number => r.int(1, max * 100) / 100;
const maybe = <T>(r: SeededRandom, make: () => T): T | undefined => (r.next() < 0.5 ? make() : undefined);

/** A valid IBAN of the bank's country, in its BBAN format (bank code, then the account number). */
export function randomIban(r: SeededRandom, bank: string): string {
  const profile = bankProfile(bank)!;
  const alphabet = profile.region.iban.accountAlphabet === 'digits' ? '0123456789' : '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
  let number = '';
  for (let i = 0; i < profile.region.iban.accountLength; i++) number += alphabet[r.int(0, alphabet.length - 1)];
  return iban(profile.country, `${profile.iban_bank_code}${number}`);
}

export function randomScenario(r: SeededRandom, options: { apps: readonly string[]; asOf: string }): ScenarioInput {
  const end = Date.parse(`${options.asOf}T00:00:00Z`);
  const customers = Array.from({ length: r.int(1, 3) }, (_, c) => {
    const entities = Array.from({ length: r.int(0, 2) }, () => {
      const bank = r.pick(BANKS);
      const types = bankProfile(bank)!.region.accountSubTypes;
      return {
        ...(r.next() < 0.5 ? { entity_id: r.uuid() } : {}),
        bank_identifier: bank,
        ...(r.next() < 0.3 ? { holder_name: r.pick(['Alice Example Smith', 'Omar Al Test', 'Sara Q. Sample']) } : {}),
        accounts: Array.from({ length: r.int(1, 3) }, (_, a) => ({
          ...(r.next() < 0.5 ? { account_id: r.uuid() } : {}),
          name: `Account ${a}`,
          type: r.pick(types),
          ...(r.next() < 0.2 ? { currency: r.pick(['USD', 'EUR']) } : {}),
          ...(r.next() < 0.6 ? { balance: (r.next() < 0.2 ? -1 : 1) * cents(r, 50_000) } : {}),
          ...(r.next() < 0.4 ? { iban: randomIban(r, bank) } : {}),
          ...(r.next() < 0.75
            ? {
                transactions: Array.from({ length: r.int(0, 12) }, () => {
                  const at = end - r.int(0, 360) * DAY - (r.next() < 0.5 ? 0 : r.int(1, DAY - 1));
                  const whole = at % DAY === 0;
                  return {
                    ...(r.next() < 0.3 ? { transaction_id: r.uuid() } : {}),
                    amount: cents(r, 5_000),
                    credit_debit_indicator: r.pick(['CREDIT', 'DEBIT'] as const),
                    booking_date: whole ? new Date(at).toISOString().slice(0, 10) : new Date(at).toISOString(),
                    description: r.pick(['Salary', 'Rent', 'Coffee', 'Transfer to savings', 'ATM withdrawal']),
                    ...(r.next() < 0.2 ? { status: 'PENDING' as const } : {}),
                  };
                }),
              }
            : {}),
        })),
      };
    });
    return {
      ...(r.next() < 0.5 ? { customer_id: r.uuid() } : {}),
      ...(r.next() < 0.5 ? { app: r.pick(options.apps) } : {}),
      app_user_id: `user-${c}-${r.int(0, 1_000_000)}`,
      ...(r.next() < 0.3 ? { government_identifiers: [{ type: 'EMIRATES_ID' as const, value: `784${r.int(100_000_000, 999_999_999)}` }] } : {}),
      entities,
      ...maybe(r, () => ({ payment_sources: [{ holder_name: 'Sample Holder', accounts: [{ balance: cents(r, 9_000) }] }] })),
    };
  });
  return { customers };
}
