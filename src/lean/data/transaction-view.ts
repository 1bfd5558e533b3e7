import type { Beneficiary } from '../../sandbox/bank-data/records.js';
import type { Account, Transaction } from '../../sandbox/store/records.js';

/**
 * A stored transaction as Lean's v2 transactions list it: every field of Lean's recorded
 * transactions, in its order. What the sandbox does not store is read off the transaction itself
 * (its bank code, its narrative, its account and the account's beneficiaries), never drawn at
 * random, so the same data gives the same bytes. Lean sends null where a bank gives nothing.
 */

export interface TransactionContext {
  account: Account;
  /** The account's beneficiaries: an outgoing transfer names one of them as its creditor. */
  beneficiaries: readonly Beneficiary[];
}

type Kind = { type: string; sub: string; mode: string | null };

/** Lean's transaction_type / sub_transaction_type (data.yml enums) for the sandbox's bank codes. */
const KINDS: Record<string, Kind> = {
  'POS Purchase': { type: 'POS', sub: 'PURCHASE', mode: 'OFFLINE' },
  'Online Purchase': { type: 'E_COMMERCE', sub: 'PURCHASE', mode: 'ONLINE' },
  'Merchant Payment': { type: 'E_COMMERCE', sub: 'PURCHASE', mode: 'ONLINE' },
  'Bill Payment': { type: 'BILL_PAYMENTS', sub: 'NOT_APPLICABLE', mode: 'ONLINE' },
  'Cash Withdrawal': { type: 'ATM', sub: 'WITHDRAWAL', mode: 'OFFLINE' },
  'Domestic Credit Transfer': { type: 'LOCAL_BANK_TRANSFER', sub: 'MONEY_TRANSFER', mode: 'ONLINE' },
  'Cross-Border Credit Transfer': { type: 'INTERNATIONAL_TRANSFER', sub: 'MONEY_TRANSFER', mode: 'ONLINE' },
  'Internal Transfer': { type: 'SAME_BANK_TRANSFER', sub: 'MONEY_TRANSFER', mode: 'ONLINE' },
  'Top-up': { type: 'SAME_BANK_TRANSFER', sub: 'MONEY_TRANSFER', mode: 'ONLINE' },
  'Card Repayment': { type: 'SAME_BANK_TRANSFER', sub: 'REPAYMENTS', mode: 'ONLINE' },
  Repayment: { type: 'SAME_BANK_TRANSFER', sub: 'REPAYMENTS', mode: 'BATCH' },
  'Direct Debit Payment': { type: 'BILL_PAYMENTS', sub: 'NOT_APPLICABLE', mode: 'BATCH' },
  'Salary Credit': { type: 'LOCAL_BANK_TRANSFER', sub: 'DEPOSIT', mode: 'BATCH' },
  'Profit Credit': { type: 'OTHER', sub: 'PROFIT', mode: 'BATCH' },
  'Interest Credit': { type: 'OTHER', sub: 'INTEREST', mode: 'BATCH' },
};
const OTHER: Kind = { type: 'OTHER', sub: 'NOT_APPLICABLE', mode: null };

/** Card schemes by the first digit of a card's last four (deterministic, and all three Lean shows). */
const SCHEMES = ['VISA', 'MASTERCARD', 'AMERICAN_EXPRESS'] as const;

function kindOf(t: Transaction): Kind {
  const sub = t.bank_transaction_code?.sub_code ?? '';
  return KINDS[sub] ?? (/salary/i.test(t.transaction_information) ? KINDS['Salary Credit']! : OTHER);
}

const accountRef = (account: Account) => {
  const id = account.account[0];
  return id ? { name: account.account_holder_name, scheme_name: id.scheme_name, identification: id.identification } : null;
};

const agentOf = (identification: string | null | undefined) =>
  identification ? { scheme_name: null, identification, name: null, postal_address: null } : null;

function counterparty(t: Transaction, beneficiaries: readonly Beneficiary[]): Beneficiary | undefined {
  const narrative = t.transaction_information.toUpperCase();
  return beneficiaries.find((b) => narrative.includes(b.creditor_account.name.toUpperCase()) || narrative.includes(b.account_holder_name.toUpperCase()));
}

/**
 * A stored transaction as Lean lists it. A field the sandbox stored (a region whose banks report
 * it, e.g. KSA's card_instrument and counterparties, booked from the ledger leg itself) is served
 * as stored; only what it lacks is read off the transaction.
 */
export function transactionView(t: Transaction, context: TransactionContext): Record<string, unknown> {
  const view = derivedView(t, context);
  const stored = t as unknown as Record<string, unknown>;
  for (const field of Object.keys(view)) if (Object.hasOwn(stored, field)) view[field] = stored[field];
  return view;
}

function derivedView(t: Transaction, context: TransactionContext): Record<string, unknown> {
  const kind = kindOf(t);
  const own = accountRef(context.account);
  const ownAgent = agentOf(context.account.servicer.identification);
  const payee = t.credit_debit_indicator === 'DEBIT' ? counterparty(t, context.beneficiaries) : undefined;
  const last4 = /X{2,}(\d{4})\b/.exec(t.transaction_information)?.[1];
  const card = last4 && (kind.type === 'POS' || kind.type === 'E_COMMERCE' || kind.type === 'ATM')
    ? {
        authorization_type: kind.type === 'E_COMMERCE' ? 'CONSUMER_DEVICE' : 'PIN',
        card_scheme_name: SCHEMES[Number(last4[0]) % SCHEMES.length],
        identification: last4,
        name: context.account.account_holder_name,
      }
    : null;
  const isDebit = t.credit_debit_indicator === 'DEBIT';
  const payeeAccount = payee ? { name: payee.creditor_account.name, scheme_name: payee.creditor_account.scheme_name, identification: payee.creditor_account.identification } : null;
  return {
    entity_id: t.entity_id,
    account_id: t.account_id,
    transaction_id: t.transaction_id,
    transaction_information: t.transaction_information,
    transaction_reference: t.transaction_reference,
    credit_debit_indicator: t.credit_debit_indicator,
    amount: t.amount,
    transaction_mutability: t.transaction_mutability,
    booking_date_time: t.booking_date_time,
    insights: t.insights,
    balance: t.balance,
    status: t.status,
    statement_reference: [t.transaction_reference],
    value_date_time: t.value_date_time,
    index: t.index,
    charge_amount: { amount: 0, currency: t.amount.currency, charge_included: false },
    bank_transaction_code: t.bank_transaction_code,
    card_instrument: card,
    merchant_details: t.merchant_details,
    proprietary_bank_transaction_code: t.bank_transaction_code
      ? { code: t.bank_transaction_code.sub_code, issuer: context.account.servicer.identification }
      : null,
    currency_exchange: null,
    creditor_account: isDebit ? payeeAccount : own,
    creditor_agent: isDebit ? (payee ? agentOf(payee.creditor_agent.identification) : null) : ownAgent,
    debtor_account: isDebit ? own : null,
    debtor_agent: isDebit ? ownAgent : null,
    local_time_zone: 'UTC+00:00',
    transaction_type: kind.type,
    sub_transaction_type: kind.sub,
    payment_modes: kind.mode,
    flags: [],
    regional_data: null,
  };
}
