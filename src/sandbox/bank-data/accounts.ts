import type { SeededRandom } from '../random.js';
import { digits, uuid } from './ids.js';
import type { Account, Entity, EntityPermissions, Identity } from '../store/records.js';
import { addMonths, DAY, isoDate, isoDateTime, randomFils, randomShare } from './calendar.js';
import { iban } from './iban.js';
import type { Bounds } from './ledger.js';
import { LIABILITIES, type AccountSpec, type AccountSubType, type BankProfile } from './profile.js';

const CARD_PRODUCTS: ReadonlySet<AccountSubType> = new Set(['CREDIT', 'CHARGE_CARD', 'PREPAID']);

/** The customer the bank knows: one person holds every account of the entity. */
export interface Holder {
  first: string;
  middle: string;
  last: string;
  gender: 'MALE' | 'FEMALE';
  /** "Mohammed Ahmed Al Mansoori" */
  name: string;
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
  const { first_name: first, middle_name: middle, last_name: last, gender } = random.pick(profile.holders);
  return { first, middle, last, gender, name: `${first} ${middle} ${last}` };
}

/** Every account of the profile, opened before the year of history starts. */
export function planAccounts(random: SeededRandom, profile: BankProfile, asOf: number, historyStart: number): AccountPlan[] {
  return profile.accounts.map((spec) => {
    const accountNumber = digits(random, 16);
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
      pan: spec.card_bin && cardLast4 ? `${spec.card_bin}******${cardLast4}` : null,
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

export function accountRecord(plan: AccountPlan, entityId: string, holder: Holder, profile: BankProfile): Account {
  const identifications: Account['account'] = [
    { scheme_name: 'IBAN', identification: plan.iban, name: holder.name },
    { scheme_name: 'BBAN', identification: plan.bban, name: holder.name },
  ];
  // A current account's debit card is not how the account is identified; a card product's number is.
  if (plan.pan && CARD_PRODUCTS.has(plan.subType)) identifications.push({ scheme_name: 'PAN', identification: plan.pan, name: holder.name });
  return {
    entity_id: entityId,
    account_id: plan.accountId,
    account_holder_name: holder.name,
    account_holder_short_name: holder.first,
    status: 'ENABLED',
    status_update_date_time: isoDateTime(plan.openedAt),
    currency: profile.currency,
    account_type: profile.account_type,
    account_sub_type: plan.subType,
    nickname: plan.spec.nickname,
    description: plan.spec.description,
    opening_date: isoDate(plan.openedAt),
    maturity_date: plan.maturityAt === null ? null : isoDateTime(plan.maturityAt),
    account: identifications,
    servicer: { scheme_name: profile.servicer.scheme_name, identification: profile.servicer.identification },
  };
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

/** The entity, with the account-access consent an Open Finance bank grants for a year. */
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
    consents: [
      {
        id: uuid(random),
        bank_consent_id: `aac-${uuid(random)}`,
        bank_identifier: profile.bank_identifier,
        consent_type: 'ACCOUNT_ACCESS',
        consent_status: 'ACTIVE',
        standard_consent_status: 'AUTHORISED',
        permissions: { ...ALL_PERMISSIONS },
        creation_date_time: isoDateTime(asOf),
        status_update_date_time: isoDateTime(asOf),
        expiration_date_time: isoDateTime(asOf + 365 * DAY),
        transaction_from_date_time: isoDateTime(historyStart),
        transaction_to_date_time: isoDateTime(asOf + 365 * DAY),
        accounts: plans.map((plan) => ({ scheme_name: 'IBAN', identification: plan.iban, name: holder.name })),
      },
    ],
  };
}

export function identityRecord(random: SeededRandom, entityId: string, holder: Holder, profile: BankProfile, asOf: number): Identity {
  const home = random.pick(profile.addresses);
  const villa = home.building_type === 'Villa';
  const unit = villa ? String(random.int(1, 120)) : `${random.int(1, 45)}${String(random.int(1, 12)).padStart(2, '0')}`;
  const streetAddress = `${villa ? 'Villa ' : ''}${unit} ${home.building_name}, ${home.street}`;
  const mobile = `+9715${random.pick(['0', '2', '4', '5', '6', '8'])}${digits(random, 7)}`;
  const born = new Date(asOf);
  const birth = Date.UTC(born.getUTCFullYear() - random.int(25, 55), random.int(0, 11), random.int(1, 28));
  const partyNumber = digits(random, 16);
  return {
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
  };
}
