import type { SeededRandom } from '../random.js';
import { digits, uuid } from './ids.js';
import { isoDateTime, money, randomFils } from './calendar.js';
import type { AccountPlan } from './accounts.js';
import type { LedgerEntry } from './ledger.js';
import { creditorAccountOf, creditorAgentOf, type Payee } from './payees.js';
import type { AccountSubType, BankProfile, StandingOrderSpec } from './profile.js';
import type { CreditorAccount, CreditorAgent, DirectDebit, StandingOrder } from './records.js';
import { withRegionalFields, type Region } from './regions.js';

/**
 * Standing orders and direct debits of the current account. They are planned before the year is
 * booked (their payments are part of it) and become records after, so each record's last payment
 * is the one actually on the statement.
 */

/** Standing orders run in the bank's early-morning batch. */
export const STANDING_ORDER_HOUR = 2;

export interface StandingOrderPlan {
  spec: StandingOrderSpec;
  id: string;
  /** Fils, the same every month. */
  amount: number;
  firstAt: number;
  /** The final payment, for an order with an end (a lease); null when open-ended. */
  finalAt: number | null;
  payments: number | null;
  agent: CreditorAgent;
  account: CreditorAccount;
  /** Marks the order's legs in the ledger. */
  source: string;
}

export interface DirectDebitPlan {
  spec: BankProfile['direct_debits'][number];
  id: string;
  mandate: string;
  source: string;
}

/** The instant of the order's payment in the month `offset` months after asOf's month. */
function paymentIn(asOf: number, day: number, offset: number): number {
  const d = new Date(asOf);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + offset, day, STANDING_ORDER_HOUR);
}

export function planStandingOrders(
  random: SeededRandom,
  context: { profile: BankProfile; payees: ReadonlyMap<string, Payee>; accounts: ReadonlyMap<AccountSubType, AccountPlan>; asOf: number },
): StandingOrderPlan[] {
  const { profile, payees, accounts, asOf } = context;
  return profile.standing_orders.map((spec) => {
    const startedMonthsAgo = random.int(13, 36);
    const remaining = spec.remaining_months ? random.int(spec.remaining_months.min, spec.remaining_months.max) : null;
    const payee = spec.payee === undefined ? undefined : payees.get(spec.payee);
    const own = spec.to_account === undefined ? undefined : accounts.get(spec.to_account);
    return {
      spec,
      id: uuid(random),
      amount: Math.round(randomFils(random, spec.amount) / 10_000) * 10_000,
      firstAt: paymentIn(asOf, spec.day_of_month, -startedMonthsAgo),
      finalAt: remaining === null ? null : paymentIn(asOf, spec.day_of_month, remaining),
      payments: remaining === null ? null : startedMonthsAgo + remaining + 1,
      agent: payee ? creditorAgentOf(payee) : { identification_type: 'BICFI', identification: profile.servicer.identification, name: profile.servicer.name },
      account: payee ? creditorAccountOf(payee) : { scheme_name: 'IBAN', identification: own!.iban, name: own!.spec.nickname },
      source: `so:${spec.key}`,
    };
  });
}

export function planDirectDebits(random: SeededRandom, profile: BankProfile): DirectDebitPlan[] {
  return profile.direct_debits.map((spec, index) => ({
    spec,
    id: uuid(random),
    mandate: `${profile.region.statements.mandatePrefix}-${spec.statement_name.replace(/[^A-Z0-9]/g, '').slice(0, 8)}-${digits(random, 8)}`,
    source: `dd:${index}`,
  }));
}

function lastFrom(entries: readonly LedgerEntry[], source: string): LedgerEntry | undefined {
  for (let i = entries.length - 1; i >= 0; i--) if (entries[i]!.details.source === source) return entries[i];
  return undefined;
}

export function standingOrderRecords(
  plans: readonly StandingOrderPlan[],
  context: { account: AccountPlan; entries: readonly LedgerEntry[]; asOf: number; region: Region },
): StandingOrder[] {
  const { account, entries, asOf, region } = context;
  const { currency } = region;
  return plans.map((plan) => {
    const last = lastFrom(entries, plan.source);
    const nextThisMonth = paymentIn(asOf, plan.spec.day_of_month, 0);
    const next = nextThisMonth > asOf ? nextThisMonth : paymentIn(asOf, plan.spec.day_of_month, 1);
    const pending = plan.finalAt === null || next <= plan.finalAt;
    const amount = money(plan.amount, currency);
    return withRegionalFields(region, 'standingOrder', {
      account_id: account.accountId,
      standing_order_id: plan.id,
      standing_order_status_code: 'ACTIVE',
      standing_order_type: plan.spec.type,
      purpose: plan.spec.purpose,
      first_payment_date_time: isoDateTime(plan.firstAt),
      last_payment_date_time: last ? isoDateTime(last.at) : null,
      next_payment_date_time: pending ? isoDateTime(next) : null,
      final_payment_date_time: plan.finalAt === null ? null : isoDateTime(plan.finalAt),
      frequency: { frequency_type: 'MONTHLY', interval: null },
      number_of_payments: plan.payments,
      reference: plan.spec.reference,
      first_payment_amount: amount,
      last_payment_amount: last ? money(last.amount, currency) : null,
      next_payment_amount: pending ? amount : null,
      final_payment_amount: plan.finalAt === null ? null : amount,
      creditor_agent: plan.agent,
      creditor_account: plan.account,
    });
  });
}

const FREQUENCIES = { 1: 'MONTHLY', 3: 'QUARTERLY', 6: 'HALF_YEARLY', 12: 'ANNUAL' } as const;

/**
 * Direct debits with their latest collection from the statement. An inactive mandate (or one whose
 * every collection bounced) last collected before the statement's year.
 */
export function directDebitRecords(
  random: SeededRandom,
  plans: readonly DirectDebitPlan[],
  context: { entityId: string; account: AccountPlan; entries: readonly LedgerEntry[]; asOf: number; region: Region },
): DirectDebit[] {
  const { entityId, account, entries, asOf, region } = context;
  const { currency } = region;
  return plans.map((plan) => {
    const last = plan.spec.status === 'ACTIVE' ? lastFrom(entries, plan.source) : undefined;
    const previousAt = last?.at ?? paymentIn(asOf, plan.spec.day_of_month, -random.int(13, 18)) + 5 * 3_600_000;
    const previousAmount = last?.amount ?? randomFils(random, plan.spec.amount);
    return withRegionalFields(region, 'directDebit', {
      entity_id: entityId,
      account_id: account.accountId,
      direct_debit_id: plan.id,
      name: plan.spec.name,
      status_code: plan.spec.status,
      frequency: FREQUENCIES[plan.spec.every_months],
      mandate_identification: plan.mandate,
      previous_payment_date_time: isoDateTime(previousAt),
      previous_payment_amount: money(previousAmount, currency),
    });
  });
}
