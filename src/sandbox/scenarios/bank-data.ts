import { generateBankData, type BankData } from '../bank-data/generate.js';
import { isoDateTime, money, startOfDay } from '../bank-data/calendar.js';
import { digits } from '../bank-data/ids.js';
import type { BankProfile } from '../bank-data/profile.js';
import type { AccountSubType } from '../bank-data/regions.js';
import type { SeededRandom } from '../random.js';
import type { Account, Balance, CreditDebit, Identity, Transaction } from '../store/records.js';
import type { AccountSpec, EntitySpec, TransactionSpec } from './schema.js';

/**
 * A scenario entity's bank data: the bank's generator gives everything the file leaves out (the
 * holder, the identity, the consent, numbers, a year of history), then the file's accounts,
 * balances and transactions replace the generated ones. Balances and the running balance on each
 * transaction are one ledger: the newest transaction's balance is the account's balance now, and
 * each older one is the next newer's minus that transaction. What the data API, insights and
 * verifications serve is then exactly this.
 */

export interface EntityRequest {
  spec: EntitySpec;
  profile: BankProfile;
  customerId: string;
  entityId: string;
  random: SeededRandom;
  asOf: Date;
}

const signedFils = (indicator: CreditDebit, amount: number): number => Math.round(amount * 100) * (indicator === 'DEBIT' ? -1 : 1);
const direction = (fils: number): CreditDebit => (fils < 0 ? 'DEBIT' : 'CREDIT');

export function scenarioBankData(request: EntityRequest): BankData {
  const { spec, profile, customerId, entityId, random, asOf } = request;
  const generate = (from: SeededRandom): BankData => generateBankData({ random: from, asOf, customerId, entityId, profile });
  const base = generate(random.fork('bank-data'));
  const holder = spec.holder_name ?? base.accounts[0]!.account_holder_name;
  const data = spec.accounts === undefined ? base : withAccounts(base, spec.accounts, { ...request, generate });
  if (spec.holder_name === undefined && spec.accounts === undefined) return data;
  return withHolder(data, holder, profile);
}

interface AccountContext extends EntityRequest {
  generate(from: SeededRandom): BankData;
}

function withAccounts(base: BankData, specs: readonly AccountSpec[], context: AccountContext): BankData {
  const out: BankData = { ...base, accounts: [], balances: [], transactions: [], beneficiaries: [], directDebits: [], scheduledPayments: [], standingOrders: [] };
  const seen = new Map<AccountSubType, number>();
  specs.forEach((spec, index) => {
    const nth = seen.get(spec.type) ?? 0;
    seen.set(spec.type, nth + 1);
    // A second account of a product gets its own generated numbers and history.
    const template = nth === 0 ? base : context.generate(context.random.fork(`account:${index}`));
    const generated = template.accounts.find((account) => account.account_sub_type === spec.type)!;
    const accountId = spec.account_id ?? generated.account_id;
    const currency = spec.currency ?? generated.currency;
    const account = accountRecord(generated, spec, accountId, currency);
    const generatedBalances = template.balances.filter((balance) => balance.account_id === generated.account_id);
    const generatedClosing = closingFils(generatedBalances);
    const closing = spec.balance === undefined ? generatedClosing : Math.round(spec.balance * 100);

    const transactions =
      spec.transactions === undefined
        ? rebased(template.transactions.filter((t) => t.account_id === generated.account_id), accountId, currency, closing - generatedClosing)
        : fromSpec(spec.transactions, { entityId: context.entityId, accountId, currency, closing, random: context.random.fork(`account:${index}:transactions`) });
    out.accounts.push(account);
    out.transactions.push(...transactions);
    out.balances.push(...generatedBalances.map((balance) => balanceRecord(balance, accountId, currency, closing, transactions, context.asOf)));

    const mine = <T extends { account_id: string }>(records: readonly T[]): T[] =>
      nth === 0 ? records.filter((record) => record.account_id === generated.account_id).map((record) => ({ ...record, account_id: accountId })) : [];
    out.beneficiaries.push(...mine(base.beneficiaries));
    // Mandates and their payments come from the generated history: kept only where that history is.
    if (spec.transactions === undefined) {
      out.directDebits.push(...mine(base.directDebits));
      out.scheduledPayments.push(...mine(base.scheduledPayments));
      out.standingOrders.push(...mine(base.standingOrders));
    }
  });
  out.entity = { ...base.entity, consents: base.entity.consents.map((consent) => ({ ...consent, accounts: out.accounts.map(consentAccount) })) };
  return out;
}

function accountRecord(generated: Account, spec: AccountSpec, accountId: string, currency: string): Account {
  const rename = (text: string): string => text.replace(generated.nickname, spec.name);
  const identifications = generated.account.map((identification) => {
    const name = rename(identification.name);
    if (spec.iban === undefined) return { ...identification, name };
    if (identification.scheme_name === 'IBAN') return { ...identification, identification: spec.iban, name };
    if (identification.scheme_name === 'BBAN') return { ...identification, identification: spec.iban.slice(4), name };
    return { ...identification, name };
  });
  return { ...generated, account_id: accountId, currency, nickname: spec.name, description: rename(generated.description), account: identifications };
}

const consentAccount = (account: Account) => {
  const iban = account.account.find((identification) => identification.scheme_name === 'IBAN');
  return { scheme_name: 'IBAN', identification: iban?.identification ?? account.account_id, name: iban?.name ?? account.account_holder_name, secondary_identification: null };
};

function closingFils(balances: readonly Balance[]): number {
  const closing = balances.find((balance) => balance.type === 'CLOSING_AVAILABLE');
  return closing ? signedFils(closing.credit_debit_indicator, closing.amount.amount) : 0;
}

/** Generated history moved to the account's id and currency, every running balance shifted by `delta` fils. */
function rebased(transactions: readonly Transaction[], accountId: string, currency: string, delta: number): Transaction[] {
  return transactions.map((t) => {
    const running = signedFils(t.balance.credit_debit_indicator, t.balance.amount.amount) + delta;
    return {
      ...t,
      account_id: accountId,
      amount: { ...t.amount, currency },
      balance: { ...t.balance, credit_debit_indicator: direction(running), amount: money(running, currency) },
    };
  });
}

interface LedgerContext {
  entityId: string;
  accountId: string;
  currency: string;
  /** Signed fils now. */
  closing: number;
  random: SeededRandom;
}

/** `2026-11-01` is midnight UTC; a date-time is taken at its instant. */
export function instantOf(day: string): number {
  return Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(day) ? `${day}T00:00:00.000Z` : day);
}

/** The file's transactions as the bank's statement: newest first (a tie keeps the file's order), each with its running balance. */
function fromSpec(specs: readonly TransactionSpec[], context: LedgerContext): Transaction[] {
  const ordered = specs.map((spec, order) => ({ spec, order, at: instantOf(spec.booking_date) })).sort((a, b) => b.at - a.at || a.order - b.order);
  let running = context.closing;
  return ordered.map(({ spec, at }, index): Transaction => {
    const ids = context.random.fork(`transaction:${index}`);
    const booked = isoDateTime(at);
    const after = running;
    running -= signedFils(spec.credit_debit_indicator, spec.amount);
    const pending = spec.status === 'PENDING';
    return {
      entity_id: context.entityId,
      account_id: context.accountId,
      transaction_id: spec.transaction_id ?? ids.uuid(),
      transaction_information: spec.description,
      transaction_reference: spec.reference ?? `FT${booked.slice(2, 4)}${booked.slice(5, 7)}${booked.slice(8, 10)}${digits(ids, 8)}`,
      credit_debit_indicator: spec.credit_debit_indicator,
      amount: { currency: context.currency, amount: spec.amount },
      transaction_mutability: pending ? 'MUTABLE' : 'IMMUTABLE',
      booking_date_time: booked,
      value_date_time: spec.value_date === undefined ? booked : isoDateTime(instantOf(spec.value_date)),
      status: pending ? 'PENDING' : 'BOOKED',
      balance: { type: 'CLOSING_AVAILABLE', credit_debit_indicator: direction(after), amount: money(after, context.currency) },
      bank_transaction_code: spec.bank_transaction_code ? { ...spec.bank_transaction_code } : null,
      merchant_details: spec.merchant ? { merchant_category_code: spec.merchant.category_code, merchant_name: spec.merchant.name } : null,
      insights: null,
      index,
    };
  });
}

/**
 * The generated balance record with the ledger's figure: CLOSING_AVAILABLE is the balance now,
 * OPENING_AVAILABLE the balance at the start of the day (now minus what was booked since).
 */
function balanceRecord(generated: Balance, accountId: string, currency: string, closing: number, transactions: readonly Transaction[], asOf: Date): Balance {
  let fils = closing;
  if (generated.type === 'OPENING_AVAILABLE') {
    const midnight = startOfDay(asOf.getTime());
    for (const t of transactions) if (Date.parse(t.booking_date_time) >= midnight) fils -= signedFils(t.credit_debit_indicator, t.amount.amount);
  }
  const creditLine = generated.credit_line.map((line) => ({ ...line, amount: { ...line.amount, currency } }));
  return { ...generated, account_id: accountId, credit_debit_indicator: direction(fils), amount: money(fils, currency), credit_line: creditLine };
}

/** Every account and the identity in one holder's name, as one bank login holds them. */
function withHolder(data: BankData, holder: string, profile: BankProfile): BankData {
  const words = holder.split(/\s+/);
  const first = words[0]!;
  const short = profile.region.accountLabels === 'holder' ? first : `${first} ${words.at(-1)!}`;
  const accounts = data.accounts.map((account) => {
    const relabel = (text: string): string => text.replace(account.account_holder_name, holder).replace(account.account_holder_short_name, short);
    return {
      ...account,
      account_holder_name: holder,
      account_holder_short_name: short,
      description: relabel(account.description),
      account: account.account.map((identification) => ({ ...identification, name: relabel(identification.name) })),
    };
  });
  const identity: Identity = { ...data.identity, full_legal_name: holder.toUpperCase(), name: first.toUpperCase() };
  return { ...data, identity, accounts };
}
