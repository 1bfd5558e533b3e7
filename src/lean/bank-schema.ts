import { z } from 'zod';

/** Lean's `Bank` (banks.yml), apart from the router so its type reaches no HTTP framework. */

export const BANK_ACCOUNT_TYPES = ['PERSONAL', 'BUSINESS'] as const;
export const BANK_COUNTRY_CODES = ['ARE', 'SAU'] as const;
export const CONNECTION_TYPES = ['REVERSE_ENGINEERED', 'OPEN_BANKING', 'DIRECT_CONNECTION'] as const;
export const BANK_ACCOUNT_SUB_TYPES = [
  'CHARGE_CARD', 'CREDIT', 'CURRENT', 'EMONEY', 'LOAN', 'MORTGAGE', 'PREPAID', 'SAVINGS', 'CALL',
] as const;

const hexColour = z.string().regex(/^#[0-9A-Fa-f]{6}$/);
const currency = z.string().regex(/^[A-Z]{3}$/);
const transferLimit = z.strictObject({ currency, min: z.number().nonnegative(), max: z.number().positive() });
const switches = z.strictObject({ payments: z.boolean(), data: z.boolean() });

/**
 * Stricter than Lean's schema on purpose: every field, even those Lean marks optional, must be
 * present and no unknown field is allowed, so the fixture cannot drift from the documented shape.
 */
export const BankSchema = z.strictObject({
  identifier: z.string().regex(/^[A-Z0-9_]+$/),
  name: z.string().min(1),
  arabic_name: z.string().min(1),
  commercial_name: z.string().nullable(),
  commercial_name_arabic: z.string().nullable(),
  logo: z.url(),
  logo_alt: z.url(),
  main_color: hexColour,
  background_color: hexColour,
  theme: z.enum(['dark', 'light']),
  country_code: z.enum(BANK_COUNTRY_CODES),
  active: z.boolean(),
  mock: z.boolean(),
  traits: z.array(z.string()),
  // Lean types the deprecated `supported_account_types` with the sub-type enum too.
  supported_account_types: z.array(z.enum(BANK_ACCOUNT_SUB_TYPES)),
  supported_account_sub_types: z.array(z.enum(BANK_ACCOUNT_SUB_TYPES)),
  bank_type: z.enum(['RETAIL', 'SME']),
  swift_code: z.string().regex(/^[A-Z0-9]{8}([A-Z0-9]{3})?$/).nullable(),
  transfer_limits: z.array(transferLimit),
  international_transfer_limits: z.array(transferLimit),
  international_destinations: z.array(
    z.strictObject({
      country_iso_code: z.string().regex(/^[A-Z]{3}$/),
      country_name: z.string().min(1),
      supported_currencies: z.array(currency),
    }),
  ),
  account_type: z.enum(BANK_ACCOUNT_TYPES),
  connection_type: z.enum(CONNECTION_TYPES),
  relates_to: z.array(z.string()).nullable(),
  availability: z.strictObject({ active: switches, enabled: switches }),
});

export const BanksSchema = z.array(BankSchema).superRefine((banks, ctx) => {
  const seen = new Set<string>();
  banks.forEach((bank, index) => {
    if (seen.has(bank.identifier)) {
      ctx.addIssue({ code: 'custom', path: [index, 'identifier'], message: `duplicate identifier ${bank.identifier}` });
    }
    seen.add(bank.identifier);
  });
});

export type Bank = z.infer<typeof BankSchema>;
export type BankAccountType = (typeof BANK_ACCOUNT_TYPES)[number];
export type BankCountryCode = (typeof BANK_COUNTRY_CODES)[number];
