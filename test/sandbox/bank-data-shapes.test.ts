import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { generateBankData } from '../../src/sandbox/bank-data/generate.js';
import { bankProfile } from '../../src/sandbox/bank-data/profile.js';
import { seededRandom } from '../../src/sandbox/random.js';

/**
 * The generated records against strict schemas written from Lean's data.yml and entities.yml
 * (every field the generator writes, no other), and the cross-references between them.
 */

const AS_OF = new Date('2026-03-15T09:30:00.000Z');
const data = generateBankData({
  random: seededRandom(11),
  asOf: AS_OF,
  customerId: '6bf8f7ae-e0f5-4ae4-9519-de82fbc9ee42',
  entityId: 'efbad0dd-641a-4f83-8f7e-c90ca172759b',
  profile: bankProfile('LEAN_OF_RETAIL_UAE')!,
});

const uuid = z.uuid();
const dateTime = z.iso.datetime();
const money = z.strictObject({ currency: z.literal('AED'), amount: z.number().nonnegative() });
const creditDebit = z.enum(['CREDIT', 'DEBIT']);
const aeIban = z.string().regex(/^AE\d{21}$/);
const anyIban = z.string().regex(/^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/);
const permissions = z.strictObject({
  identity: z.boolean(), accounts: z.boolean(), balance: z.boolean(), transactions: z.boolean(), identities: z.boolean(),
  scheduled_payments: z.boolean(), standing_orders: z.boolean(), direct_debits: z.boolean(), beneficiaries: z.boolean(),
});

const EntitySchema = z.strictObject({
  id: uuid,
  customer_id: uuid,
  bank_identifier: z.string(),
  permissions,
  bank_type: z.enum(['RETAIL', 'SME']),
  created_at: dateTime,
  consents: z.array(
    z.strictObject({
      id: uuid,
      bank_consent_id: z.string(),
      bank_identifier: z.string(),
      consent_type: z.enum(['ACCOUNT_ACCESS', 'MULTI_PAYMENTS']),
      consent_status: z.enum(['ACTIVE', 'REVOKED', 'REJECTED']),
      standard_consent_status: z.enum(['AUTHORISED', 'REVOKED', 'REJECTED', 'EXPIRED', 'CONSUMED', 'SUSPENDED']),
      permissions,
      creation_date_time: dateTime,
      status_update_date_time: dateTime.nullable(),
      expiration_date_time: dateTime.nullable(),
      transaction_from_date_time: dateTime.nullable(),
      transaction_to_date_time: dateTime.nullable(),
      accounts: z.array(z.strictObject({ scheme_name: z.string(), identification: z.string(), name: z.string().nullable(), secondary_identification: z.string().nullable() })),
    }),
  ),
});

const AccountSchema = z.strictObject({
  entity_id: uuid,
  account_id: uuid,
  account_holder_name: z.string().min(1),
  account_holder_short_name: z.string().min(1),
  status: z.enum(['DELETED', 'DISABLED', 'ENABLED', 'PENDING', 'PROFORMA', 'UNSUPPORTED']),
  status_update_date_time: dateTime.nullable(),
  currency: z.literal('AED'),
  account_type: z.enum(['PERSONAL', 'BUSINESS', 'UNSUPPORTED']),
  account_sub_type: z.enum(['CHARGE_CARD', 'CREDIT', 'CURRENT', 'EMONEY', 'LOAN', 'MORTGAGE', 'PERSONAL_LOAN', 'PREPAID', 'SAVINGS', 'CALL', 'UNSUPPORTED']),
  nickname: z.string().nullable(),
  description: z.string().nullable(),
  opening_date: z.iso.date().nullable(),
  maturity_date: dateTime.nullable(),
  account: z.array(z.strictObject({ scheme_name: z.enum(['IBAN', 'BBAN', 'PAN']), identification: z.string(), name: z.string() })),
  servicer: z.strictObject({ scheme_name: z.enum(['BICFI', 'OTHER', 'UNSUPPORTED']), identification: z.string() }),
});

const BalanceSchema = z.strictObject({
  account_id: uuid,
  credit_debit_indicator: creditDebit,
  type: z.enum(['CLOSING_AVAILABLE', 'OPENING_AVAILABLE']),
  amount: money,
  date_time: dateTime,
  credit_line: z.array(z.strictObject({ included: z.boolean(), amount: money, type: z.enum(['AVAILABLE', 'CREDIT', 'EMERGENCY', 'PRE_AGREED', 'TEMPORARY']) })),
});

const TransactionSchema = z.strictObject({
  entity_id: uuid,
  account_id: uuid,
  transaction_id: uuid,
  transaction_information: z.string().min(1),
  transaction_reference: z.string().regex(/^(FT|AUTH)\d{14}$/),
  credit_debit_indicator: creditDebit,
  amount: money,
  transaction_mutability: z.enum(['IMMUTABLE', 'MUTABLE']),
  booking_date_time: dateTime,
  value_date_time: dateTime,
  status: z.enum(['BOOKED', 'PENDING']),
  balance: z.strictObject({ type: z.literal('CLOSING_AVAILABLE'), credit_debit_indicator: creditDebit, amount: money }),
  bank_transaction_code: z.strictObject({ code: z.string().min(1), sub_code: z.string().min(1) }),
  merchant_details: z.strictObject({ merchant_category_code: z.string().regex(/^\d{4}$/), merchant_name: z.string().min(1) }).nullable(),
  insights: z.null(),
  index: z.number().int().nonnegative(),
});

const IdentitySchema = z.strictObject({
  entity_id: uuid,
  full_legal_name: z.string(),
  name: z.string(),
  phone: z.string(),
  email_address: z.email(),
  mobile_number: z.string(),
  birth_date: z.iso.date(),
  gender: z.enum(['MALE', 'FEMALE']),
  address: z.strictObject({
    address_type: z.string(), building_type: z.string(), apartment_or_villa_number: z.string(), building_name: z.string(), street: z.string(),
    area: z.string(), street_address: z.string(), town_name: z.string(), region: z.string(), po_box: z.string(), country: z.string(), address_line: z.string(),
  }),
  account_role: z.string(),
  party_type: z.enum(['DELEGATE', 'JOINT', 'SOLE', 'UNSUPPORTED']),
  party_id: z.string(),
  party_number: z.string(),
  legal_structure: z.string(),
});

const creditorAgent = z.strictObject({ identification_type: z.literal('BICFI'), identification: z.string(), name: z.string() });
const creditorAccount = z.strictObject({ scheme_name: z.literal('IBAN'), identification: anyIban, name: z.string() });

const BeneficiarySchema = z.strictObject({
  account_id: uuid,
  account_holder_name: z.string(),
  account_holder_short_name: z.string(),
  beneficiary_id: uuid,
  beneficiary_type: z.enum(['TRUSTED', 'ORDINARY', 'OTHER', 'UNSUPPORTED']),
  creditor_agent: z.strictObject({
    scheme_name: z.enum(['BICFI', 'OTHER', 'UNSUPPORTED']),
    identification: z.string().regex(/^[A-Z0-9]{8}([A-Z0-9]{3})?$/),
    name: z.string(),
    postal_address: z.strictObject({
      address_type: z.literal('BUSINESS'), address_line: z.string(), building_number: z.string(), street_name: z.string(),
      post_code: z.string().optional(), town_name: z.string(), country: z.string().regex(/^[A-Z]{2}$/),
    }),
  }),
  creditor_account: z.strictObject({ scheme_name: z.literal('IBAN'), identification: anyIban, name: z.string() }),
  reference: z.string(),
});

const DirectDebitSchema = z.strictObject({
  entity_id: uuid,
  account_id: uuid,
  direct_debit_id: uuid,
  name: z.string(),
  status_code: z.enum(['ACTIVE', 'INACTIVE', 'UNSUPPORTED']),
  frequency: z.enum(['MONTHLY', 'QUARTERLY', 'HALF_YEARLY', 'ANNUAL', 'FORTNIGHTLY', 'DAILY', 'WEEKLY', 'NOT_KNOWN', 'UNSUPPORTED']),
  mandate_identification: z.string(),
  previous_payment_date_time: dateTime,
  previous_payment_amount: money,
});

const ScheduledPaymentSchema = z.strictObject({
  entity_id: uuid,
  account_id: uuid,
  account_holder_name: z.string(),
  account_holder_short_name: z.string(),
  scheduled_payment_id: uuid,
  scheduled_type: z.enum(['ARRIVAL', 'EXECUTION', 'UNSUPPORTED']),
  scheduled_payment_date_time: dateTime,
  debtor_reference: z.string(),
  instructed_amount: money,
  creditor_agent: creditorAgent,
  creditor_account: creditorAccount,
});

const StandingOrderSchema = z.strictObject({
  account_id: uuid,
  standing_order_id: uuid,
  standing_order_status_code: z.string(),
  standing_order_type: z.enum(['BETWEEN_MY_ACCOUNTS', 'SAME_BANK_TRANSFER', 'LOCAL_BANK_TRANSFER', 'INTERNATIONAL_TRANSFER', 'CHARITY', 'UNSUPPORTED']),
  purpose: z.string(),
  first_payment_date_time: dateTime.nullable(),
  last_payment_date_time: dateTime.nullable(),
  next_payment_date_time: dateTime.nullable(),
  final_payment_date_time: dateTime.nullable(),
  frequency: z.strictObject({
    frequency_type: z.enum(['DAILY', 'WEEKLY', 'FORTNIGHTLY', 'MONTHLY', 'QUARTERLY', 'HALF_YEARLY', 'YEARLY', 'OTHER']),
    interval: z.string().nullable(),
  }),
  number_of_payments: z.number().int().positive().nullable(),
  reference: z.string().nullable(),
  first_payment_amount: money.nullable(),
  last_payment_amount: money.nullable(),
  next_payment_amount: money.nullable(),
  final_payment_amount: money.nullable(),
  creditor_agent: creditorAgent,
  creditor_account: creditorAccount,
});

const current = data.accounts.find((a) => a.account_sub_type === 'CURRENT')!;
const currentStatement = data.transactions.filter((t) => t.account_id === current.account_id);

describe('generated records in Lean’s shapes', () => {
  it('match the entity, account, balance, transaction and identity schemas', () => {
    EntitySchema.parse(data.entity);
    z.array(AccountSchema).length(9).parse(data.accounts);
    z.array(BalanceSchema).length(18).parse(data.balances);
    z.array(TransactionSchema).parse(data.transactions);
    IdentitySchema.parse(data.identity);
    for (const account of data.accounts) aeIban.parse(account.account[0]!.identification);
  });

  it('match the beneficiary, direct debit, scheduled payment and standing order schemas, all on the current account', () => {
    for (const [schema, records] of [
      [BeneficiarySchema, data.beneficiaries],
      [DirectDebitSchema, data.directDebits],
      [ScheduledPaymentSchema, data.scheduledPayments],
      [StandingOrderSchema, data.standingOrders],
    ] as const) {
      expect(records.length).toBeGreaterThanOrEqual(2);
      for (const record of records) {
        (schema as z.ZodType).parse(record);
        expect(record.account_id).toBe(current.account_id);
      }
    }
  });

  it('would reject a field Lean does not have, so the schemas above are not vacuous', () => {
    expect(() => TransactionSchema.parse({ ...data.transactions[0], extra: 1 })).toThrow();
    expect(() => StandingOrderSchema.parse({ ...data.standingOrders[0], frequency: { frequency_type: 'MONTHLY' } })).toThrow();
  });
});

describe('standing data agrees with the statement', () => {
  it('gives each active direct debit the date and amount of its latest collection on the statement', () => {
    for (const debit of data.directDebits.filter((d) => d.status_code === 'ACTIVE')) {
      const collected = currentStatement.find((t) => t.transaction_information.endsWith(debit.mandate_identification))!;
      expect(collected).toBeDefined();
      expect(debit.previous_payment_date_time).toBe(collected.booking_date_time);
      expect(debit.previous_payment_amount).toEqual(collected.amount);
    }
    const inactive = data.directDebits.filter((d) => d.status_code === 'INACTIVE');
    expect(inactive.length).toBeGreaterThan(0);
    for (const debit of inactive) {
      expect(debit.previous_payment_date_time < '2025-03-15').toBe(true);
      expect(currentStatement.some((t) => t.transaction_information.endsWith(debit.mandate_identification))).toBe(false);
    }
  });

  it('gives each standing order its last payment from the statement and a next payment after asOf', () => {
    for (const order of data.standingOrders) {
      const paid = currentStatement.find((t) => t.transaction_information.startsWith(`STANDING ORDER ${order.reference} `))!;
      expect(order.last_payment_date_time).toBe(paid.booking_date_time);
      expect(order.last_payment_amount).toEqual(paid.amount);
      expect(order.next_payment_date_time! > AS_OF.toISOString()).toBe(true);
      expect(order.first_payment_date_time! < '2025-03-15').toBe(true);
    }
    const rent = data.standingOrders.find((o) => o.reference === 'RENT')!;
    expect(rent.final_payment_date_time! > rent.next_payment_date_time!).toBe(true);
    const savings = data.standingOrders.find((o) => o.standing_order_type === 'BETWEEN_MY_ACCOUNTS')!;
    const savingsAccount = data.accounts.find((a) => a.account_sub_type === 'SAVINGS')!;
    expect(savings.creditor_account.identification).toBe(savingsAccount.account[0]!.identification);
    expect(savings.final_payment_date_time).toBeNull();
  });

  it('schedules one-off payments in the future, to saved beneficiaries', () => {
    const saved = new Set(data.beneficiaries.map((b) => b.creditor_account.identification));
    for (const payment of data.scheduledPayments) {
      expect(payment.scheduled_payment_date_time > AS_OF.toISOString()).toBe(true);
      expect(saved.has(payment.creditor_account.identification)).toBe(true);
    }
  });

  it('sends transfers to the beneficiaries it lists, at home and abroad', () => {
    const ibans = data.beneficiaries.map((b) => b.creditor_account.identification);
    expect(ibans.some((i) => i.startsWith('AE'))).toBe(true);
    expect(ibans.some((i) => i.startsWith('GB'))).toBe(true);
    for (const b of data.beneficiaries) {
      const numeric = (b.creditor_account.identification.slice(4) + b.creditor_account.identification.slice(0, 4)).replace(/[A-Z]/g, (c) => String(c.charCodeAt(0) - 55));
      expect(BigInt(numeric) % 97n).toBe(1n);
    }
    const names = data.beneficiaries.map((b) => b.creditor_account.name.toUpperCase());
    const transferred = currentStatement.filter((t) => /^(OUTWARD|INTERNATIONAL) TRANSFER TO /.test(t.transaction_information));
    for (const t of transferred) expect(names.some((name) => t.transaction_information.includes(name))).toBe(true);
  });
});
