import type { SeededRandom } from '../random.js';
import type { Account, Balance, Entity, Identity, Transaction } from '../store/records.js';
import { accountRecord, entityRecord, identityRecord, pickHolder, planAccounts } from './accounts.js';
import { planActivity } from './activity.js';
import { DAY } from './calendar.js';
import { book } from './ledger.js';
import { directDebitRecords, planDirectDebits, planStandingOrders, standingOrderRecords } from './mandates.js';
import { beneficiaryRecords, planPayees, scheduledPaymentRecords } from './payees.js';
import type { AccountSubType, BankProfile } from './profile.js';
import type { Beneficiary, DirectDebit, ScheduledPayment, StandingOrder } from './records.js';
import { balanceRecords, transactionRecords } from './statements.js';

/** How far back transactions go, as Lean's consents allow a year. */
export const HISTORY_DAYS = 365;

export interface BankDataRequest {
  random: SeededRandom;
  /** The moment of the connection: the history ends here. */
  asOf: Date;
  customerId: string;
  entityId: string;
  profile: BankProfile;
}

/** Everything the bank shares about one connection. */
export interface BankData {
  entity: Entity;
  identity: Identity;
  accounts: Account[];
  /** Two per account: CLOSING_AVAILABLE (now) and OPENING_AVAILABLE (start of today). */
  balances: Balance[];
  /** Account by account, in account order, each account's newest first. */
  transactions: Transaction[];
  /** The current account's beneficiaries, direct debits, scheduled payments and standing orders. */
  beneficiaries: Beneficiary[];
  directDebits: DirectDebit[];
  scheduledPayments: ScheduledPayment[];
  standingOrders: StandingOrder[];
}

/**
 * A connection's data, generated from the profile: the same random state and asOf give the same
 * data, deep-equal. A year of history for one entity takes a few milliseconds.
 */
export function generateBankData(request: BankDataRequest): BankData {
  const { random, profile, entityId, customerId } = request;
  const asOf = request.asOf.getTime();
  const start = asOf - HISTORY_DAYS * DAY;
  const { region } = profile;

  const holder = pickHolder(random.fork('holder'), profile);
  const plans = planAccounts(random.fork('accounts'), profile, asOf, start);
  const bySubType = new Map<AccountSubType, (typeof plans)[number]>(plans.map((plan) => [plan.subType, plan]));
  const current = bySubType.get('CURRENT')!;
  const payees = planPayees(random.fork('payees'), profile);
  const standingOrders = planStandingOrders(random.fork('standing-orders'), { profile, payees, accounts: bySubType, asOf });
  const directDebits = planDirectDebits(random.fork('direct-debits'), profile);

  const postings = planActivity({ random: random.fork('activity'), profile, accounts: bySubType, payees, standingOrders, directDebits, start, end: asOf });
  const ledger = book(postings, new Map(plans.map((plan) => [plan.subType, plan.bounds])));
  const entriesOf = (subType: AccountSubType) => ledger.get(subType) ?? [];
  const currentEntries = entriesOf('CURRENT');

  const statements = random.fork('statements');
  const details = { random: random.fork('transaction-details'), region, holderName: holder.name, servicer: profile.servicer };
  return {
    entity: entityRecord(random.fork('entity'), { entityId, customerId }, profile, plans, holder, asOf, start),
    identity: identityRecord(random.fork('identity'), entityId, holder, profile, asOf),
    accounts: plans.map((plan) => accountRecord(plan, entityId, holder, profile)),
    balances: plans.flatMap((plan) => balanceRecords({ entityId, account: plan, entries: entriesOf(plan.subType), asOf, region })),
    transactions: plans.flatMap((plan) => transactionRecords(statements, { entityId, account: plan, entries: entriesOf(plan.subType), asOf, region, details })),
    beneficiaries: beneficiaryRecords(random.fork('beneficiaries'), payees, current, holder, region),
    directDebits: directDebitRecords(random.fork('direct-debit-records'), directDebits, { entityId, account: current, entries: currentEntries, asOf, region }),
    scheduledPayments: scheduledPaymentRecords(random.fork('scheduled-payments'), { profile, payees, entityId, account: current, holder, asOf }),
    standingOrders: standingOrderRecords(standingOrders, { account: current, entries: currentEntries, asOf, region }),
  };
}
