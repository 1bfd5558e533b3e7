import type { SeededRandom } from '../random.js';
import type { CreditDebit } from '../store/records.js';
import type { AccountPlan } from './accounts.js';
import { monthly, monthLabel, randomFils, randomShare, scattered } from './calendar.js';
import type { Counterparty, Leg, LegDetails, Posting, TransactionKind } from './ledger.js';
import { STANDING_ORDER_HOUR, type DirectDebitPlan, type StandingOrderPlan } from './mandates.js';
import type { Payee } from './payees.js';
import type { AccountSubType, BankProfile, Spending } from './profile.js';
import { fill } from './regions.js';

/**
 * A year of a salaried customer's banking, as postings: the salary, card spending, cash, bills,
 * standing orders, transfers to beneficiaries, and the money moving between the customer's own
 * accounts (card settlements, loan instalments, wallet top-ups, savings). Each kind of activity
 * draws from its own fork of the random source, so tuning one does not reshuffle the others.
 */

export interface ActivityContext {
  random: SeededRandom;
  profile: BankProfile;
  accounts: ReadonlyMap<AccountSubType, AccountPlan>;
  payees: ReadonlyMap<string, Payee>;
  standingOrders: readonly StandingOrderPlan[];
  directDebits: readonly DirectDebitPlan[];
  /** The history covers (start, end]. */
  start: number;
  end: number;
}

/** June to September (UTC months): air conditioning multiplies the electricity bill. */
const SUMMER = new Set([5, 6, 7, 8]);

function leg(account: AccountSubType, direction: CreditDebit, information: string, code: string, subCode: string, extra: Partial<LegDetails> = {}): Leg {
  return { account, direction, details: { information, code, subCode, merchant: null, card: false, ...extra } };
}

export function planActivity(context: ActivityContext): Posting[] {
  return [
    ...salary(context),
    ...spending(context),
    ...cash(context),
    ...transfers(context),
    ...bills(context),
    ...standingOrders(context),
    ...settlements(context),
    ...topUps(context),
    ...loans(context),
    ...savingsInterest(context),
  ];
}

function account(context: ActivityContext, subType: AccountSubType): AccountPlan {
  return context.accounts.get(subType)!;
}

/** The products of a list the bank actually has (a region's banks do not all carry every product). */
function present<T extends AccountSubType>(context: ActivityContext, subTypes: readonly T[]): T[] {
  return subTypes.filter((subType) => context.accounts.has(subType));
}

const kind = (type: TransactionKind['type'], subType: TransactionKind['subType']): TransactionKind => ({ type, subType });

/** Another of the customer's own accounts, as the other side of a transfer. */
function own(context: ActivityContext, plan: AccountPlan): Counterparty {
  const { servicer } = context.profile;
  return { iban: plan.iban, name: plan.spec.nickname, bic: servicer.identification, bank: servicer.name };
}

function payeeParty(payee: Payee): Counterparty {
  return { iban: payee.iban, name: payee.spec.name, bic: payee.bank.bic, bank: payee.bank.name };
}

/**
 * What leaves the current account in an average month (fils): its own spending and bills, the
 * cards it settles, the loans, wallets and savings it feeds.
 */
function expectedMonthlyOutflow(context: ActivityContext): number {
  const { profile } = context;
  const mean = (range: { min: number; max: number }): number => ((range.min + range.max) / 2) * 100;
  const settledFromCurrent = new Set(['CURRENT', 'CREDIT', 'CHARGE_CARD']);
  let total = 0;
  for (const entry of profile.spending) if (settledFromCurrent.has(entry.account)) total += ((entry.per_week * 52) / 12) * mean(entry.amount);
  total += profile.atm.per_month * mean(profile.atm.amount);
  for (const payee of context.payees.values()) {
    const plan = payee.spec.transfer;
    if (plan) total += ('every_months' in plan ? 1 / plan.every_months : plan.per_year / 12) * mean(plan.amount);
  }
  for (const plan of context.directDebits) {
    if (plan.spec.status === 'ACTIVE') total += (mean(plan.spec.amount) * (12 - SUMMER.size + SUMMER.size * plan.spec.summer_factor)) / 12 / plan.spec.every_months;
  }
  for (const plan of context.standingOrders) total += plan.amount;
  for (const plan of context.accounts.values()) {
    total += plan.installment ?? 0;
    if (plan.spec.top_up) total += plan.spec.top_up.per_month * mean(plan.spec.top_up.amount);
  }
  return Math.round(total);
}

/** A monthly salary that covers the month's outgoings with a margin, so the account neither starves nor balloons. */
function salary(context: ActivityContext): Posting[] {
  const random = context.random.fork('salary');
  const employer = random.pick(context.profile.employers);
  const amount = Math.round((expectedMonthlyOutflow(context) * randomShare(random, context.profile.salary_cover)) / 50_000) * 50_000;
  const day = random.int(context.profile.salary_day.min, context.profile.salary_day.max);
  return monthly(random, context.start, context.end, day, 1, [3, 6]).map((at) => ({
    at,
    amount,
    legs: [
      leg('CURRENT', 'CREDIT', fill(context.profile.region.statements.salary, { employer, month: monthLabel(at) }), 'Received Credit Transfers', 'Salary', {
        kind: kind('LOCAL_BANK_TRANSFER', 'DEPOSIT'),
      }),
    ],
  }));
}

const CHANNELS: Record<Spending['channel'], { prefix: string; code: string; subCode: string; card: boolean; kind: TransactionKind }> = {
  POS: { prefix: 'POS PURCHASE', code: 'Card Payments', subCode: 'POS Purchase', card: true, kind: kind('POS', 'PURCHASE') },
  ECOMMERCE: { prefix: 'ONLINE PURCHASE', code: 'Card Payments', subCode: 'Online Purchase', card: true, kind: kind('E_COMMERCE', 'PURCHASE') },
  WALLET: { prefix: 'WALLET PAYMENT', code: 'Wallet Payments', subCode: 'Merchant Payment', card: false, kind: kind('E_COMMERCE', 'PURCHASE') },
  BILL: { prefix: 'BILL PAYMENT', code: 'Payments', subCode: 'Bill Payment', card: false, kind: kind('BILL_PAYMENTS', 'NOT_APPLICABLE') },
};

function spending(context: ActivityContext): Posting[] {
  return context.profile.spending.flatMap((entry, index) => {
    const random = context.random.fork(`spending:${index}`);
    const channel = CHANNELS[entry.channel];
    const card = account(context, entry.account).last4;
    return scattered(random, context.start, context.end, entry.per_week).map((at) => {
      const merchant = random.pick(entry.merchants);
      const where = channel.card ? ` ${merchant.city} CARD XXXX${card}` : '';
      return {
        at,
        amount: randomFils(random, entry.amount),
        legs: [
          leg(entry.account, 'DEBIT', `${channel.prefix} ${merchant.name}${where}`, channel.code, channel.subCode, {
            merchant: { merchant_category_code: merchant.mcc, merchant_name: merchant.name },
            card: channel.card,
            kind: channel.kind,
          }),
        ],
      };
    });
  });
}

function cash(context: ActivityContext): Posting[] {
  const random = context.random.fork('atm');
  const { atm } = context.profile;
  const card = account(context, 'CURRENT').last4;
  return scattered(random, context.start, context.end, (atm.per_month * 12) / 52).map((at) => ({
    at,
    // Cash machines pay out in hundreds.
    amount: random.int(Math.ceil(atm.amount.min / 100), Math.floor(atm.amount.max / 100)) * 10_000,
    legs: [
      leg('CURRENT', 'DEBIT', `ATM CASH WITHDRAWAL ${random.pick(atm.locations)} CARD XXXX${card}`, 'Counter Transactions', 'Cash Withdrawal', {
        kind: kind('ATM', 'WITHDRAWAL'),
      }),
    ],
  }));
}

function transfers(context: ActivityContext): Posting[] {
  return [...context.payees.values()].flatMap((payee) => {
    const plan = payee.spec.transfer;
    if (!plan) return [];
    const random = context.random.fork(`transfer:${payee.spec.key}`);
    const times =
      'every_months' in plan
        ? monthly(random, context.start, context.end, plan.day_of_month, plan.every_months)
        : scattered(random, context.start, context.end, plan.per_year / 52);
    const [information, subCode] = payee.international
      ? [`INTERNATIONAL TRANSFER TO ${payee.spec.name.toUpperCase()} ${payee.bank.bic} REF ${payee.spec.reference}`, 'Cross-Border Credit Transfer']
      : [`OUTWARD TRANSFER TO ${payee.spec.name.toUpperCase()} ${payee.bank.name.toUpperCase()} REF ${payee.spec.reference}`, 'Domestic Credit Transfer'];
    const extra = { kind: kind(payee.international ? 'INTERNATIONAL_TRANSFER' : 'LOCAL_BANK_TRANSFER', 'MONEY_TRANSFER'), counterparty: payeeParty(payee) };
    return times.map((at) => ({ at, amount: randomFils(random, plan.amount), legs: [leg('CURRENT', 'DEBIT', information, 'Issued Credit Transfers', subCode, extra)] }));
  });
}

function bills(context: ActivityContext): Posting[] {
  return context.directDebits.flatMap((plan) => {
    if (plan.spec.status !== 'ACTIVE') return [];
    const random = context.random.fork(plan.source);
    return monthly(random, context.start, context.end, plan.spec.day_of_month, plan.spec.every_months).map((at) => ({
      at,
      amount: Math.round(randomFils(random, plan.spec.amount) * (SUMMER.has(new Date(at).getUTCMonth()) ? plan.spec.summer_factor : 1)),
      legs: [
        leg('CURRENT', 'DEBIT', fill(context.profile.region.statements.bill, { biller: plan.spec.statement_name, mandate: plan.mandate }), 'Issued Direct Debits', 'Direct Debit Payment', {
          source: plan.source,
          kind: kind('BILL_PAYMENTS', 'NOT_APPLICABLE'),
        }),
      ],
    }));
  });
}

function standingOrders(context: ActivityContext): Posting[] {
  const current = account(context, 'CURRENT');
  return context.standingOrders.flatMap((plan) => {
    const random = context.random.fork(plan.source);
    const times = monthly(random, context.start, context.end, plan.spec.day_of_month, 1, [STANDING_ORDER_HOUR, STANDING_ORDER_HOUR + 1]);
    const target = plan.spec.to_account;
    return times
      .filter((at) => plan.finalAt === null || at <= plan.finalAt)
      .map((at) => ({
        at,
        amount: plan.amount,
        legs: target
          ? [
              leg('CURRENT', 'DEBIT', `STANDING ORDER ${plan.spec.reference} TO ACCOUNT XXXX${account(context, target).last4}`, 'Account Transfers', 'Internal Transfer', {
                source: plan.source,
                kind: kind('SAME_BANK_TRANSFER', 'MONEY_TRANSFER'),
                counterparty: own(context, account(context, target)),
              }),
              leg(target, 'CREDIT', `TRANSFER FROM ACCOUNT XXXX${current.last4} ${plan.spec.reference}`, 'Account Transfers', 'Internal Transfer', {
                kind: kind('SAME_BANK_TRANSFER', 'DEPOSIT'),
                counterparty: own(context, current),
              }),
            ]
          : [
              leg('CURRENT', 'DEBIT', `STANDING ORDER ${plan.spec.reference} TO ${plan.account.name.toUpperCase()}`, 'Issued Credit Transfers', 'Standing Order', {
                source: plan.source,
                kind: kind('LOCAL_BANK_TRANSFER', 'MONEY_TRANSFER'),
                counterparty: { iban: plan.account.identification, name: plan.account.name, bic: plan.agent.identification, bank: plan.agent.name },
              }),
            ],
      }));
  });
}

/** Card bills paid from the current account: a share of what is owed, or all of it for a charge card. */
function settlements(context: ActivityContext): Posting[] {
  const current = account(context, 'CURRENT');
  return present(context, ['CREDIT', 'CHARGE_CARD'] as const).flatMap((subType) => {
    const card = account(context, subType);
    const random = context.random.fork(`settlement:${subType}`);
    const share = card.spec.repayment_share!;
    return monthly(random, context.start, context.end, card.spec.repayment_day!, 1, [5, 9]).map((at) => {
      const portion = randomShare(random, share);
      return {
        at,
        amount: (balanceOf: (a: AccountSubType) => number) => Math.round(-balanceOf(subType) * portion),
        legs: [
          leg('CURRENT', 'DEBIT', `CARD PAYMENT ${card.spec.nickname.toUpperCase()} XXXX${card.last4}`, 'Account Transfers', 'Card Repayment', {
            kind: kind('SAME_BANK_TRANSFER', 'MONEY_TRANSFER'),
            counterparty: own(context, card),
          }),
          leg(subType, 'CREDIT', `PAYMENT RECEIVED FROM ACCOUNT XXXX${current.last4} - THANK YOU`, 'Card Payments', 'Card Repayment', {
            kind: kind('SAME_BANK_TRANSFER', 'DEPOSIT'),
            counterparty: own(context, current),
          }),
        ],
      };
    });
  });
}

function topUps(context: ActivityContext): Posting[] {
  const current = account(context, 'CURRENT');
  return present(context, ['PREPAID', 'EMONEY'] as const).flatMap((subType) => {
    const wallet = account(context, subType);
    const plan = wallet.spec.top_up!;
    const random = context.random.fork(`top-up:${subType}`);
    const spacing = Math.floor(28 / plan.per_month);
    const first = random.int(1, spacing);
    return Array.from({ length: plan.per_month }, (_, k) => first + k * spacing)
      .flatMap((day) => monthly(random, context.start, context.end, day, 1, [6, 18]))
      .map((at) => ({
        at,
        amount: Math.round(randomFils(random, plan.amount) / 5_000) * 5_000,
        legs: [
          leg('CURRENT', 'DEBIT', `TOP-UP ${wallet.spec.nickname.toUpperCase()} XXXX${wallet.last4}`, 'Account Transfers', 'Top-up', {
            kind: kind('SAME_BANK_TRANSFER', 'MONEY_TRANSFER'),
            counterparty: own(context, wallet),
          }),
          leg(subType, 'CREDIT', `TOP-UP FROM ACCOUNT XXXX${current.last4}`, 'Account Transfers', 'Top-up', {
            kind: kind('SAME_BANK_TRANSFER', 'DEPOSIT'),
            counterparty: own(context, current),
          }),
        ],
      }));
  });
}

/** Instalments from the current account, and the month's interest charged on what is still owed. */
function loans(context: ActivityContext): Posting[] {
  const current = account(context, 'CURRENT');
  return present(context, ['MORTGAGE', 'PERSONAL_LOAN'] as const).flatMap((subType) => {
    const loan = account(context, subType);
    const random = context.random.fork(`loan:${subType}`);
    const monthlyRate = loan.spec.annual_rate_percent! / 100 / 12;
    const instalments = monthly(random, context.start, context.end, loan.spec.installment_day!, 1, [3, 5]).map((at) => ({
      at,
      amount: loan.installment!,
      legs: [
        leg('CURRENT', 'DEBIT', `LOAN INSTALMENT ${loan.spec.nickname.toUpperCase()} XXXX${loan.last4}`, 'Loans', 'Repayment', {
          kind: kind('SAME_BANK_TRANSFER', 'MONEY_TRANSFER'),
          counterparty: own(context, loan),
        }),
        leg(subType, 'CREDIT', `INSTALMENT RECEIVED FROM ACCOUNT XXXX${current.last4}`, 'Loans', 'Repayment', {
          kind: kind('SAME_BANK_TRANSFER', 'DEPOSIT'),
          counterparty: own(context, current),
        }),
      ],
    }));
    const interest = monthly(random, context.start, context.end, 28, 1, [20, 21]).map((at) => ({
      at,
      amount: (balanceOf: (a: AccountSubType) => number) => Math.round(-balanceOf(subType) * monthlyRate),
      legs: [leg(subType, 'DEBIT', `INTEREST CHARGED ${monthLabel(at)}`, 'Loans', 'Interest Charge', { kind: kind('OTHER', 'NOT_APPLICABLE') })],
    }));
    return [...instalments, ...interest];
  });
}

/** Interest on savings, credited at the end of each calendar quarter. */
function savingsInterest(context: ActivityContext): Posting[] {
  const savings = account(context, 'SAVINGS');
  const quarterlyRate = savings.spec.annual_rate_percent! / 100 / 4;
  const random = context.random.fork('savings-interest');
  return monthly(random, context.start, context.end, 28, 1, [20, 21])
    .filter((at) => new Date(at).getUTCMonth() % 3 === 2)
    .map((at) => ({
      at,
      amount: (balanceOf: (a: AccountSubType) => number) => Math.round(balanceOf('SAVINGS') * quarterlyRate),
      legs: [
        leg('SAVINGS', 'CREDIT', `INTEREST CREDIT Q${Math.floor(new Date(at).getUTCMonth() / 3) + 1} ${new Date(at).getUTCFullYear()}`, 'Interest', 'Interest Credit', {
          kind: kind('OTHER', 'DEPOSIT'),
        }),
      ],
    }));
}
