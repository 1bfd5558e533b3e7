import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { lazySchema } from '../../app/validation.js';
import { ACCOUNT_SUB_TYPES, regionOf, type AccountSubType, type Region } from './regions.js';

export { ACCOUNT_SUB_TYPES, type AccountSubType } from './regions.js';

/**
 * A bank profile: what a mock bank and its customers look like (account products, merchants,
 * billers, payees, amount ranges). The generator turns a profile into a year of records; the
 * profile itself is a fixture, validated here so a bad fixture fails at start-up, not mid-request.
 */

/** Accounts whose balance is money owed to the bank (negative, DEBIT). */
export const LIABILITIES: ReadonlySet<AccountSubType> = new Set(['CREDIT', 'CHARGE_CARD', 'MORTGAGE', 'PERSONAL_LOAN']);

/**
 * The profile's schemas, built on the first profile read (the demo data's deferred fill, a
 * scenario naming a bank), not at import on every start.
 */
function buildSchemas() {
  const range = z
    .strictObject({ min: z.number().nonnegative(), max: z.number().nonnegative() })
    .refine((r) => r.min <= r.max, 'min must not exceed max');
  const dayOfMonth = z.number().int().min(1).max(28);
  const name = z.string().min(1);

  const accountSpec = z.strictObject({
    sub_type: z.enum(ACCOUNT_SUB_TYPES),
    nickname: name,
    description: name,
    /** In the region's currency; for liabilities the amount owed. */
    opening_balance: range,
    years_open: range,
    card_bin: z.string().regex(/^\d{6}$/).optional(),
    /** The card's scheme when its number does not tell (a mada debit card); default from the BIN's first digit. */
    card_scheme: z.enum(['VISA', 'MASTERCARD', 'AMEX', 'MADA']).optional(),
    credit_limit: range.optional(),
    repayment_day: dayOfMonth.optional(),
    repayment_share: range.optional(),
    annual_rate_percent: z.number().nonnegative().optional(),
    installment_percent: range.optional(),
    installment_day: dayOfMonth.optional(),
    term_years: range.optional(),
    top_up: z.strictObject({ per_month: z.number().int().min(1).max(4), amount: range }).optional(),
  });

  /** The optional fields each product's behaviour needs. */
  const NEEDS: Partial<Record<AccountSubType, (keyof AccountSpec)[]>> = {
    CURRENT: ['card_bin'],
    SAVINGS: ['annual_rate_percent'],
    CREDIT: ['card_bin', 'credit_limit', 'repayment_day', 'repayment_share'],
    CHARGE_CARD: ['card_bin', 'credit_limit', 'repayment_day', 'repayment_share'],
    PREPAID: ['card_bin', 'top_up'],
    EMONEY: ['top_up'],
    MORTGAGE: ['term_years', 'annual_rate_percent', 'installment_percent', 'installment_day'],
    PERSONAL_LOAN: ['term_years', 'annual_rate_percent', 'installment_percent', 'installment_day'],
  };

  const merchant = z.strictObject({ name, city: name, mcc: z.string().regex(/^\d{4}$/) });

  const spending = z.strictObject({
    account: z.enum(['CURRENT', 'CREDIT', 'CHARGE_CARD', 'PREPAID', 'EMONEY']),
    channel: z.enum(['POS', 'ECOMMERCE', 'WALLET', 'BILL']),
    category: name,
    per_week: z.number().positive().max(14),
    amount: range,
    merchants: z.array(merchant).min(1),
  });

  const directoryBank = z.strictObject({
    key: name,
    name,
    bic: z.string().regex(/^[A-Z0-9]{8}([A-Z0-9]{3})?$/),
    country: z.string().regex(/^[A-Z]{2}$/),
    bban_prefix: z.string().regex(/^[A-Z0-9]+$/),
    account_digits: z.number().int().min(6).max(20),
    address: z.strictObject({
      building_number: name,
      street_name: name,
      town_name: name,
      post_code: name.optional(),
      country: z.string().regex(/^[A-Z]{2}$/),
    }),
  });

  const beneficiary = z.strictObject({
    key: name,
    name,
    short_name: name,
    bank: name,
    type: z.enum(['TRUSTED', 'ORDINARY']),
    reference: name,
    transfer: z
      .union([
        z.strictObject({ every_months: z.number().int().min(1).max(12), day_of_month: dayOfMonth, amount: range }),
        z.strictObject({ per_year: z.number().int().min(1).max(52), amount: range }),
      ])
      .optional(),
  });

  const standingOrder = z.strictObject({
    key: name,
    type: z.enum(['BETWEEN_MY_ACCOUNTS', 'SAME_BANK_TRANSFER', 'LOCAL_BANK_TRANSFER', 'INTERNATIONAL_TRANSFER', 'CHARITY']),
    purpose: name,
    reference: name,
    payee: name.optional(),
    to_account: z.enum(ACCOUNT_SUB_TYPES).optional(),
    day_of_month: dayOfMonth,
    amount: range,
    /** Months left until the order's final payment; absent for an open-ended order. */
    remaining_months: range.optional(),
  });

  const profileSchema = z
    .strictObject({
      bank_identifier: z.string().regex(/^[A-Z0-9_]+$/),
      bank_type: z.enum(['RETAIL', 'SME']),
      account_type: z.enum(['PERSONAL', 'BUSINESS']),
      /** ISO alpha-2: selects the region (currency, IBAN format, products, wording, extra fields). */
      country: z.string().regex(/^[A-Z]{2}$/),
      iban_bank_code: z.string().regex(/^\d{2,3}$/),
      // A BIC, or Lean's KSA Open Banking participant id (`KSAOB.SALEAN`).
      servicer: z.strictObject({
        scheme_name: z.literal('BICFI'),
        identification: z.string().regex(/^(KSAOB\.[A-Z]{6}|[A-Z0-9]{8})$/),
        name,
        // The bank's head office, as SAMA banks name it on each transaction's agents.
        postal_address: z.record(z.string(), z.string().nullable()).optional(),
      }),
      /** Exactly as Lean's `entity.created` webhook describes the bank. */
      bank_details: z.strictObject({
        logo: z.url(),
        name,
        bank_type: z.enum(['RETAIL', 'SME']),
        identifier: name,
        main_color: z.string(),
        swift_code: z.string().nullable(),
        account_type: z.enum(['PERSONAL', 'BUSINESS']),
        background_color: z.string(),
      }),
      holders: z
        .array(
          z.strictObject({
            first_name: name,
            middle_name: name,
            last_name: name,
            gender: z.enum(['MALE', 'FEMALE']),
            /** One of the region's identity documents; default its first. */
            document: name.optional(),
          }),
        )
        .min(1),
      addresses: z
        .array(
          z.strictObject({
            building_type: z.enum(['Apartment', 'Villa']),
            building_name: name,
            street: name,
            area: name,
            town_name: name,
            region: name,
            po_box: name,
          }),
        )
        .min(1),
      employers: z.array(name).min(1),
      /** The monthly salary as a multiple of the current account's expected monthly outgoings. */
      salary_cover: z.strictObject({ min: z.number().min(1), max: z.number().min(1) }).refine((r) => r.min <= r.max, 'min must not exceed max'),
      salary_day: range,
      directory: z.array(directoryBank).min(1),
      accounts: z.array(accountSpec),
      spending: z.array(spending),
      atm: z.strictObject({ per_month: z.number().positive(), amount: range, locations: z.array(name).min(1) }),
      direct_debits: z.array(
        z.strictObject({
          name,
          statement_name: name,
          status: z.enum(['ACTIVE', 'INACTIVE']),
          every_months: z.union([z.literal(1), z.literal(3), z.literal(6), z.literal(12)]),
          day_of_month: dayOfMonth,
          amount: range,
          summer_factor: z.number().positive(),
        }),
      ),
      beneficiaries: z.array(beneficiary),
      standing_orders: z.array(standingOrder),
      scheduled_payments: z.array(z.strictObject({ payee: name, reference: name, amount: range, days_ahead: range })),
    })
    .superRefine((profile, ctx) => {
      const region = regionOf(profile.country);
      if (!region) {
        ctx.addIssue({ code: 'custom', path: ['country'], message: `no region for country ${profile.country}` });
        return;
      }
      if (!region.iban.bankCode.test(profile.iban_bank_code)) {
        ctx.addIssue({ code: 'custom', path: ['iban_bank_code'], message: `not a ${region.name} bank code` });
      }
      const subTypes = profile.accounts.map((account) => account.sub_type);
      for (const subType of ACCOUNT_SUB_TYPES) {
        const count = subTypes.filter((s) => s === subType).length;
        const wanted = region.accountSubTypes.includes(subType) ? 1 : 0;
        if (count !== wanted) ctx.addIssue({ code: 'custom', path: ['accounts'], message: `needs exactly ${wanted === 1 ? 'one' : 'no'} ${subType} account, has ${count}` });
      }
      profile.accounts.forEach((account, index) => {
        for (const field of NEEDS[account.sub_type] ?? []) {
          if (account[field] === undefined) ctx.addIssue({ code: 'custom', path: ['accounts', index, field], message: `required for ${account.sub_type}` });
        }
      });
      profile.spending.forEach((entry, index) => {
        if (!subTypes.includes(entry.account)) ctx.addIssue({ code: 'custom', path: ['spending', index, 'account'], message: `no ${entry.account} account` });
      });
      profile.holders.forEach((holder, index) => {
        if (holder.document !== undefined && !Object.hasOwn(region.identityDocuments, holder.document)) {
          ctx.addIssue({ code: 'custom', path: ['holders', index, 'document'], message: `not a ${region.name} identity document` });
        }
      });
      profile.directory.forEach((bank, index) => {
        if (bank.country !== region.country) return;
        const code = bank.bban_prefix.slice(0, profile.iban_bank_code.length);
        const rest = bank.bban_prefix.length - code.length + bank.account_digits;
        if (!region.iban.bankCode.test(code) || rest !== region.iban.accountLength) {
          ctx.addIssue({ code: 'custom', path: ['directory', index], message: `not a ${region.name} BBAN (bank code, then ${region.iban.accountLength} characters)` });
        }
      });
      const banks = new Set(profile.directory.map((bank) => bank.key));
      profile.beneficiaries.forEach((b, index) => {
        if (!banks.has(b.bank)) ctx.addIssue({ code: 'custom', path: ['beneficiaries', index, 'bank'], message: `unknown bank ${b.bank}` });
      });
      const payees = new Set(profile.beneficiaries.map((b) => b.key));
      profile.standing_orders.forEach((order, index) => {
        if ((order.payee === undefined) === (order.to_account === undefined)) {
          ctx.addIssue({ code: 'custom', path: ['standing_orders', index], message: 'needs exactly one of payee and to_account' });
        } else if (order.payee !== undefined && !payees.has(order.payee)) {
          ctx.addIssue({ code: 'custom', path: ['standing_orders', index, 'payee'], message: `unknown payee ${order.payee}` });
        } else if (order.to_account !== undefined && !subTypes.includes(order.to_account)) {
          ctx.addIssue({ code: 'custom', path: ['standing_orders', index, 'to_account'], message: `no ${order.to_account} account` });
        }
      });
      profile.scheduled_payments.forEach((payment, index) => {
        if (!payees.has(payment.payee)) ctx.addIssue({ code: 'custom', path: ['scheduled_payments', index, 'payee'], message: `unknown payee ${payment.payee}` });
      });
    })
    // The region is derived once here, so no reader looks the country up again.
    .transform((profile) => ({ ...profile, region: regionOf(profile.country)! as Region }));

  return { profileSchema, accountSpec, merchant, spending, directoryBank, beneficiary, standingOrder };
}

type Schemas = ReturnType<typeof buildSchemas>;
export type AccountSpec = z.infer<Schemas['accountSpec']>;
export type Merchant = z.infer<Schemas['merchant']>;
export type Spending = z.infer<Schemas['spending']>;
export type DirectoryBank = z.infer<Schemas['directoryBank']>;
export type BeneficiarySpec = z.infer<Schemas['beneficiary']>;
export type StandingOrderSpec = z.infer<Schemas['standingOrder']>;

const profileSchema = lazySchema(() => buildSchemas().profileSchema);

export type BankProfile = z.output<Schemas['profileSchema']>;

/** Validates a profile; throws a readable error naming every problem. */
export function parseBankProfile(json: unknown, source = 'bank profile'): BankProfile {
  // Parsed once per bank and process: zod's compiled fast path costs more to generate than it saves here.
  const result = profileSchema().safeParse(json, { jitless: true });
  if (!result.success) throw new Error(`${source} is malformed:\n${z.prettifyError(result.error)}`);
  return result.data;
}

/** The fixtures of the banks the sandbox can connect to, by bank identifier. */
const PROFILE_FILES: Record<string, string> = {
  LEAN_OF_RETAIL_UAE: 'lean-of-retail-uae.json',
  LEA1_SAMAOB_SAU: 'lea1-samaob-sau.json',
  LEA2_SAMAOB_SAU: 'lea2-samaob-sau.json',
};

const cache = new Map<string, BankProfile>();

/** The identifiers of the banks a simulated LinkSDK connect can reach. */
export function connectableBanks(): string[] {
  return Object.keys(PROFILE_FILES);
}

function readFixture(file: string): unknown {
  return JSON.parse(readFileSync(new URL(`../../../fixtures/${file}`, import.meta.url), 'utf8'));
}

/**
 * A fixture may name another with `extends` and list only what differs (a sister bank of the same
 * region): its top-level fields replace the base's.
 */
function resolveFixture(file: string): unknown {
  const json = readFixture(file);
  if (json === null || typeof json !== 'object' || Array.isArray(json) || !('extends' in json)) return json;
  const { extends: base, ...own } = json as Record<string, unknown>;
  if (typeof base !== 'string' || !/^[a-z0-9-]+\.json$/.test(base)) throw new Error(`fixtures/${file}: extends must name a fixture file`);
  return { ...(readFixture(base) as Record<string, unknown>), ...own };
}

/** The profile of a connectable bank, read and validated once; undefined for any other bank. */
export function bankProfile(identifier: string): BankProfile | undefined {
  const file = Object.hasOwn(PROFILE_FILES, identifier) ? PROFILE_FILES[identifier] : undefined;
  if (!file) return undefined;
  let profile = cache.get(identifier);
  if (!profile) {
    profile = parseBankProfile(resolveFixture(file), `fixtures/${file}`);
    cache.set(identifier, profile);
  }
  return profile;
}
