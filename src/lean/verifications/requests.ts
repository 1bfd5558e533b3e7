import { z } from 'zod';
import { LeanError } from '../../app/errors.js';
import { leanId } from '../../app/validation.js';
import { COUNTRY_CODES, COUNTRY_RULES, type CountryCode, type CountryRule } from '../../sandbox/verifications/countries.js';

/**
 * What the verification endpoints accept, as Lean's recorded requests show them. Account
 * verification has one schema per country, built from the country table (the account's form and
 * the bank identifier it needs), not from branches. Unknown body keys are ignored, as Lean's
 * Spring services do.
 */

/**
 * Parses like `parseInput`, naming the field the way Lean's verification services do
 * (`identifications->[0]->type`, recorded on the freelancer endpoint).
 */
export function parseVerificationInput<Schema extends z.ZodType>(schema: Schema, input: unknown): z.infer<Schema> {
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const field = leanField(issue.path);
  if (valueAt(input, issue.path) === undefined && issue.code !== 'custom') {
    throw new LeanError('MISSING_PARAMETERS', 400, `A required parameter is missing, field: ${field}`, { field });
  }
  throw new LeanError(
    'INVALID_PARAMETERS',
    400,
    `The request is badly formatted or a parameter of the wrong type has been provided, field: ${field}`,
    { field },
  );
}

export function leanField(path: readonly PropertyKey[]): string {
  return path.map((key) => (typeof key === 'number' ? `[${key}]` : String(key))).join('->') || 'body';
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let current: unknown = input;
  for (const key of path) {
    if (current === null || typeof current !== 'object' || !Object.hasOwn(current, key)) return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

const text = z.string().regex(/\S/).max(255);
const NAME_TYPES = { whole: ['FULL_NAME'], split: ['GIVEN_NAME', 'SURNAME'] } as const;
const ID_TYPES = ['NATIONAL_ID', 'REGISTRATION_ID'] as const;

function countryBody(code: CountryCode, rule: CountryRule) {
  const identification = z.object({ type: z.enum([...(rule.splitName ? NAME_TYPES.split : NAME_TYPES.whole), ...ID_TYPES]), value: text });
  const value = rule.account === 'IBAN' ? z.string().regex(/^[A-Za-z0-9 ]{5,64}$/) : z.string().regex(rule.accountPattern!);
  const bank = rule.bankIdentifier
    ? z.object({ type: z.literal(rule.bankIdentifier.type), value: z.string().regex(rule.bankIdentifier.pattern) })
    : z.object({ type: z.enum(['BIC', 'CLEARING_ID']), value: text }).optional();
  return z.object({
    country_code: z.literal(code),
    type: z.enum(['PERSONAL', 'BUSINESS']),
    account_details: z.object({ type: z.literal(rule.account), value }),
    identifications: z.array(identification).min(1).max(10),
    bank_identifier: bank,
  });
}

const accountBodies = new Map<CountryCode, ReturnType<typeof countryBody>>();

/**
 * One schema per country (`accountBody('GB')` takes an 8-digit account number and a 6-digit sort
 * code), each built on its first request: building all 27 up front was the costliest module
 * initialisation of a cold `lean-mock serve` (about 80 ms of its start, measured for issue 18).
 */
export function accountBody(code: CountryCode): ReturnType<typeof countryBody> {
  let schema = accountBodies.get(code);
  if (schema === undefined) accountBodies.set(code, (schema = countryBody(code, COUNTRY_RULES[code])));
  return schema;
}

const countryOnly = z.object({ country_code: z.enum(COUNTRY_CODES) });

export type AccountVerificationBody = z.infer<ReturnType<typeof countryBody>> & { country_code: CountryCode };

/** The country first (its own error), then that country's shape. */
export function parseAccountVerification(input: unknown): AccountVerificationBody {
  const { country_code } = parseVerificationInput(countryOnly, input);
  return parseVerificationInput(accountBody(country_code), input) as AccountVerificationBody;
}

/** Lean's documented constraints: two words or more of letters, `'`, `,`, `.`, `-` and spaces; no digits. */
const fullName = z
  .string()
  .min(2)
  .max(255)
  .regex(/^[\p{L}\p{M}',.\- ]+$/u)
  .refine((name) => name.trim().split(/\s+/u).length >= 2, 'two words or more');

/** Lean's collection sends `"async": "false"`, its docs a boolean: both are taken. */
const asyncFlag = z.union([z.boolean(), z.enum(['true', 'false']).transform((flag) => flag === 'true')]).optional();

export const nameVerificationBody = z.object({ entity_id: leanId, full_name: fullName, async: asyncFlag });

export const ENTITY_ID_TYPES = ['NATIONAL_ID', 'IQAMA_NUMBER', 'UNIFIED_NUMBER', 'FREELANCER_NUMBER', 'FULL_NAME'] as const;
export const entityVerificationBody = z.object({
  entity_id: leanId,
  identifications: z.array(z.object({ type: z.enum(ENTITY_ID_TYPES), value: text })).min(1).max(10),
});

export const beneficiaryNameBody = z.object({ iban: z.string().regex(/^[A-Za-z0-9 ]{5,64}$/) });

const unifiedNumber = z.string().regex(/^7[0-9]{9}$/);
const nationalId = z.string().regex(/^[12][0-9]{9}$/);
const language = z.enum(['en', 'ar']).optional();

export const corporateBody = z.object({
  type: z.enum(['FULL', 'BASIC', 'CONTRACT', 'ADDRESS']),
  language,
  identifications: z.array(z.object({ type: z.literal('UNIFIED_NUMBER'), value: unifiedNumber })).length(1),
});

/** Exactly the corporate's unified number and the manager's national id, in either order. */
export const managersBody = z.object({
  language,
  identifications: z
    .array(z.discriminatedUnion('type', [z.object({ type: z.literal('UNIFIED_NUMBER'), value: unifiedNumber }), z.object({ type: z.literal('NATIONAL_ID'), value: nationalId })]))
    .length(2)
    .refine((ids) => new Set(ids.map((id) => id.type)).size === 2, 'one UNIFIED_NUMBER and one NATIONAL_ID'),
});

export const freelancerBody = z.object({
  type: z.enum(['FULL', 'FULL_LIST', 'BASIC']),
  identifications: z
    .array(z.discriminatedUnion('type', [z.object({ type: z.literal('NATIONAL_ID'), value: nationalId }), z.object({ type: z.literal('FREELANCER_NUMBER'), value: z.string().regex(/^FL-[0-9]{9}$/) })]))
    .min(1)
    .max(2),
});
