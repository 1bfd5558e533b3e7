import type { SeededRandom } from '../random.js';
import { alphanumerics, digits, uuid } from './ids.js';
import type { Account, Entity, EntityPermissions, Identity } from '../store/records.js';
import { addMonths, DAY, isoDate, isoDateTime, randomFils, randomShare } from './calendar.js';
import { iban } from './iban.js';
import type { Bounds } from './ledger.js';
import { LIABILITIES, type AccountSpec, type AccountSubType, type BankProfile } from './profile.js';
import { carries, withRegionalFields, type Region } from './regions.js';

const CARD_PRODUCTS: ReadonlySet<AccountSubType> = new Set(['CREDIT', 'CHARGE_CARD', 'PREPAID']);

/** The customer the bank knows: one person holds every account of the entity. */
export interface Holder {
  first: string;
  middle: string;
  last: string;
  gender: 'MALE' | 'FEMALE';
  /** "Mohammed Ahmed Al Mansoori" */
  name: string;
  /** The identity document the holder's national id is (one of the region's). */
  document: string;
}

/** One account before it becomes a record: its numbers, its opening state and its limits. */
export interface AccountPlan {
  spec: AccountSpec;
  subType: AccountSubType;
  accountId: string;
  iban: string;
  bban: string;
  /** The masked card number of card products. */
  pan: string | null;
  /** Last four digits of the card (or, without a card, of the account number), as statements show them. */
  last4: string;
  openedAt: number;
  maturityAt: number | null;
  bounds: Bounds;
  /** Credit limit in fils (cards). */
  limit: number | null;
  /** Monthly instalment in fils (loans). */
  installment: number | null;
}

export function pickHolder(random: SeededRandom, profile: BankProfile): Holder {
  const { first_name: first, middle_name: middle, last_name: last, gender, document } = random.pick(profile.holders);
  return { first, middle, last, gender, name: `${first} ${middle} ${last}`, document: document ?? Object.keys(profile.region.identityDocuments)[0]! };
}

/** Every account of the profile, opened before the year of history starts. */
export function planAccounts(random: SeededRandom, profile: BankProfile, asOf: number, historyStart: number): AccountPlan[] {
  const { iban: format } = profile.region;
  return profile.accounts.map((spec) => {
    const accountNumber = format.accountAlphabet === 'digits' ? digits(random, format.accountLength) : alphanumerics(random, format.accountLength);
    const bban = `${profile.iban_bank_code}${accountNumber}`;
    const cardLast4 = spec.card_bin ? digits(random, 4) : null;
    const openedAt = Math.min(asOf - Math.round(randomShare(random, spec.years_open) * 365.25) * DAY, historyStart - DAY);
    const owed = LIABILITIES.has(spec.sub_type);
    const opening = randomFils(random, spec.opening_balance) * (owed ? -1 : 1);
    const limit = spec.credit_limit ? Math.round(randomFils(random, spec.credit_limit) / 100_000) * 100_000 : null;
    const installment = spec.installment_percent ? Math.round((-opening * randomShare(random, spec.installment_percent)) / 100) : null;
    const termYears = spec.term_years ? random.int(spec.term_years.min, spec.term_years.max) : null;
    return {
      spec,
      subType: spec.sub_type,
      accountId: uuid(random),
      iban: iban(profile.country, bban),
      bban,
      pan: spec.card_bin && cardLast4 ? `${profile.region.panMask === 'bin' ? spec.card_bin : '******'}******${cardLast4}` : null,
      last4: cardLast4 ?? accountNumber.slice(-4),
      openedAt,
      maturityAt: termYears === null ? null : addMonths(openedAt, termYears * 12),
      bounds: boundsOf(spec.sub_type, opening, limit),
      limit,
      installment,
    };
  });
}

/** What each product lets its balance do: no overdrafts, cards within their limit, loans never in credit. */
function boundsOf(subType: AccountSubType, opening: number, limit: number | null): Bounds {
  switch (subType) {
    case 'CREDIT':
    case 'CHARGE_CARD':
      return { opening, min: -(limit ?? 0), max: 0 };
    case 'MORTGAGE':
    case 'PERSONAL_LOAN':
      return { opening, min: -Infinity, max: 0 };
    case 'UNSUPPORTED':
      return { opening, min: opening, max: opening };
    default:
      return { opening, min: 0, max: Infinity };
  }
}

/** How the account's identifications are named, and the holder's short name, as the region's banks write them. */
export function accountLabels(plan: AccountPlan, holder: Holder, region: Region): { label: string; shortName: string; description: string } {
  if (region.accountLabels === 'holder') return { label: holder.name, shortName: holder.first, description: plan.spec.description };
  const shortName = `${holder.first} ${holder.last}`;
  const label = `${shortName} ${plan.spec.nickname}`;
  return { label, shortName, description: label };
}

export function accountRecord(plan: AccountPlan, entityId: string, holder: Holder, profile: BankProfile): Account {
  const { label, shortName, description } = accountLabels(plan, holder, profile.region);
  const identifications: Account['account'] = [
    { scheme_name: 'IBAN', identification: plan.iban, name: label },
    { scheme_name: 'BBAN', identification: plan.bban, name: label },
  ];
  // A current account's debit card is not how the account is identified; a card product's number is.
  if (plan.pan && CARD_PRODUCTS.has(plan.subType)) identifications.push({ scheme_name: 'PAN', identification: plan.pan, name: label });
  return withRegionalFields(profile.region, 'account', {
    entity_id: entityId,
    account_id: plan.accountId,
    account_holder_name: holder.name,
    account_holder_short_name: shortName,
    status: 'ENABLED',
    status_update_date_time: isoDateTime(plan.openedAt),
    currency: profile.region.currency,
    account_type: profile.account_type,
    account_sub_type: plan.subType,
    nickname: plan.spec.nickname,
    description,
    opening_date: isoDate(plan.openedAt),
    maturity_date: plan.maturityAt === null ? null : isoDateTime(plan.maturityAt),
    account: identifications,
    servicer: { scheme_name: profile.servicer.scheme_name, identification: profile.servicer.identification },
  });
}

export const ALL_PERMISSIONS: EntityPermissions = {
  identity: true,
  accounts: true,
  balance: true,
  transactions: true,
  identities: true,
  scheduled_payments: true,
  standing_orders: true,
  direct_debits: true,
  beneficiaries: true,
};

interface ConsentContext {
  random: SeededRandom;
  profile: BankProfile;
  plans: readonly AccountPlan[];
  holder: Holder;
  asOf: number;
  historyStart: number;
}

/** What every scheme's consent says the same way: every permission, for a year from `asOf`. */
const yearOfAccess = (asOf: number, historyStart: number) => ({
  permissions: { ...ALL_PERMISSIONS },
  creation_date_time: isoDateTime(asOf),
  status_update_date_time: isoDateTime(asOf),
  expiration_date_time: isoDateTime(asOf + 365 * DAY),
  transaction_from_date_time: isoDateTime(historyStart),
  transaction_to_date_time: isoDateTime(asOf + 365 * DAY),
});

/** The consent each region's scheme reports: a year of account access over every account. */
const CONSENTS: Record<Region['consent'], (context: ConsentContext) => Record<string, unknown>> = {
  'uae-open-finance': ({ random, profile, plans, holder, asOf, historyStart }) => ({
    id: uuid(random),
    bank_consent_id: `aac-${uuid(random)}`,
    bank_identifier: profile.bank_identifier,
    consent_type: 'ACCOUNT_ACCESS',
    consent_status: 'ACTIVE',
    standard_consent_status: 'AUTHORISED',
    ...yearOfAccess(asOf, historyStart),
    accounts: plans.map((plan) => ({ scheme_name: 'IBAN', identification: plan.iban, name: holder.name, secondary_identification: null })),
  }),
  // As Lean's recorded SAMA entities: a numeric bank consent id, the scheme's own fields null, and
  // each account listed by IBAN, by account number and (cards) by masked card number.
  'sama-open-banking': ({ random, profile, plans, holder, asOf, historyStart }) => ({
    id: uuid(random),
    bank_consent_id: String(random.int(100_000, 999_999)),
    bank_identifier: null,
    consent_type: null,
    consent_status: 'ACTIVE',
    standard_consent_status: null,
    ...yearOfAccess(asOf, historyStart),
    accounts: plans.flatMap((plan) => {
      const { label } = accountLabels(plan, holder, profile.region);
      const card = plan.pan && CARD_PRODUCTS.has(plan.subType) ? [{ scheme_name: 'MASKED_PAN', identification: plan.pan, name: null, secondary_identification: null }] : [];
      return [
        { scheme_name: 'IBAN', identification: plan.iban, name: label, secondary_identification: null },
        ...card,
        { scheme_name: 'ACCOUNT_NUMBER', identification: plan.bban.slice(profile.iban_bank_code.length), name: label, secondary_identification: null },
      ];
    }),
  }),
};

/** The entity, with the account-access consent its bank grants for a year. */
export function entityRecord(
  random: SeededRandom,
  ids: { entityId: string; customerId: string },
  profile: BankProfile,
  plans: readonly AccountPlan[],
  holder: Holder,
  asOf: number,
  historyStart: number,
): Entity {
  return {
    id: ids.entityId,
    customer_id: ids.customerId,
    bank_identifier: profile.bank_identifier,
    permissions: { ...ALL_PERMISSIONS },
    bank_type: profile.bank_type,
    created_at: isoDateTime(asOf),
    consents: [CONSENTS[profile.region.consent]({ random, profile, plans, holder, asOf, historyStart })],
  };
}

/** The holder's national id: the document's leading digits, then digits to its length. */
function nationalId(random: SeededRandom, holder: Holder, region: Region): string {
  const document = region.identityDocuments[holder.document]!;
  return `${document.leading}${digits(random, document.digits - document.leading.length)}`;
}

export function identityRecord(random: SeededRandom, entityId: string, holder: Holder, profile: BankProfile, asOf: number): Identity {
  const home = random.pick(profile.addresses);
  const villa = home.building_type === 'Villa';
  const unit = villa ? String(random.int(1, 120)) : `${random.int(1, 45)}${String(random.int(1, 12)).padStart(2, '0')}`;
  const streetAddress = `${villa ? 'Villa ' : ''}${unit} ${home.building_name}, ${home.street}`;
  const { mobile: phone } = profile.region;
  const mobile = `${phone.prefix}${random.pick(phone.operators)}${digits(random, phone.rest)}`;
  const born = new Date(asOf);
  const birth = Date.UTC(born.getUTCFullYear() - random.int(25, 55), random.int(0, 11), random.int(1, 28));
  const partyNumber = digits(random, 16);
  // Drawn from its own fork, and only where the region's identities carry it, so other regions' bytes stay as they were.
  const extras = carries(profile.region, 'identity', 'national_id') ? { national_id: nationalId(random.fork('document'), holder, profile.region) } : {};
  return withRegionalFields(profile.region, 'identity', {
    entity_id: entityId,
    full_legal_name: holder.name.toUpperCase(),
    name: holder.first.toUpperCase(),
    phone: mobile,
    email_address: `${holder.first}.${holder.last.replace(/ /g, '')}${random.int(70, 99)}@example.com`.toLowerCase(),
    mobile_number: mobile,
    birth_date: isoDate(birth),
    gender: holder.gender,
    address: {
      address_type: 'RESIDENTIAL',
      ...home,
      apartment_or_villa_number: unit,
      country: profile.country,
      street_address: streetAddress,
      address_line: `${streetAddress}, ${home.area}, ${home.town_name}, ${profile.country}`,
    },
    account_role: 'ADMINISTRATOR',
    party_type: 'SOLE',
    party_id: `PT_${partyNumber}`,
    party_number: partyNumber,
    legal_structure: '',
  }, extras);
}
