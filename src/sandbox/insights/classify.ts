import type { Account, Transaction } from '../store/records.js';

/**
 * What a transaction is, read from its own classification fields — Lean's `insights.category`
 * when the bank data carries one, the merchant category code, the bank transaction code and
 * sub-code, and the statement text — never from its amount. One table per question, so the
 * README can state the rules as they are here.
 */

/** Accounts whose balance is owed to the bank (data.yml `AccountSubType`, both spellings). */
const LIABILITY_SUB_TYPES = new Set(['CREDIT', 'CREDIT_CARD', 'CHARGE_CARD', 'MORTGAGE', 'PERSONAL_LOAN', 'LOAN']);
const CARD_SUB_TYPES = new Set(['CREDIT', 'CREDIT_CARD', 'CHARGE_CARD']);

export const isLiability = (account: Account): boolean => LIABILITY_SUB_TYPES.has(account.account_sub_type);
export const isCard = (account: Account): boolean => CARD_SUB_TYPES.has(account.account_sub_type);

const code = (t: Transaction): string => t.bank_transaction_code?.code ?? '';
const subCode = (t: Transaction): string => t.bank_transaction_code?.sub_code ?? '';

/** Money moving between the customer's own accounts (transfers, top-ups, card bills): neither income nor spending. */
export function isOwnTransfer(t: Transaction): boolean {
  return code(t) === 'Account Transfers' || ['Internal Transfer', 'Top-up', 'Card Repayment'].includes(subCode(t));
}

export const isLoanRepayment = (t: Transaction): boolean => code(t) === 'Loans' && subCode(t) === 'Repayment';
export const isInterestCharge = (t: Transaction): boolean => subCode(t) === 'Interest Charge';
export const isCardRepayment = (t: Transaction): boolean => subCode(t) === 'Card Repayment';
export const isLoanDisbursement = (t: Transaction): boolean => code(t) === 'Loans' && /DISBURSE/i.test(t.transaction_information);

export interface IncomeSource {
  salary: boolean;
  type: string;
  name: string | null;
}

const SALARY_WORDS = /\b(SALARY|PAYROLL|WPS)\b/i;

/**
 * A credit on an account the customer owns money in, unless it comes from another of their own
 * accounts: salary when the bank codes it so or its text says salary/payroll/WPS, else by source.
 */
export function incomeSourceOf(t: Transaction, account: Account): IncomeSource | null {
  if (t.credit_debit_indicator !== 'CREDIT' || isLiability(account) || isOwnTransfer(t) || code(t) === 'Loans') return null;
  const text = t.transaction_information;
  if (subCode(t) === 'Salary' || SALARY_WORDS.test(text)) return { salary: true, type: 'EMPLOYMENT', name: employerOf(text) };
  if (code(t) === 'Interest' || /\bINTEREST\b/i.test(text)) return { salary: false, type: 'INTEREST', name: null };
  if (code(t) === 'Counter Transactions' || /\b(CASH|CHQ|CHEQUE) DEPOSIT\b/i.test(text)) return { salary: false, type: 'CASH_DEPOSIT', name: null };
  if (code(t) === 'Received Credit Transfers') return { salary: false, type: 'TRANSFER', name: null };
  return { salary: false, type: 'OTHER', name: null };
}

const MONTH_WORDS = /\b(JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC)[A-Z]*\b/gi;

/** The employer named in a salary line: the text without the salary words, month labels and numbers. */
export function employerOf(text: string): string | null {
  const name = text
    .replace(/\b(SALARY|PAYROLL|WPS|CREDIT|FROM|TRANSFER)\b/gi, ' ')
    .replace(MONTH_WORDS, ' ')
    .replace(/[\d/:-]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return name === '' ? null : name;
}

/**
 * Spending: a debit that is not a move between the customer's own accounts and not interest
 * charged to a loan (the instalments that pay it are counted already).
 */
export function isExpense(t: Transaction): boolean {
  return t.credit_debit_indicator === 'DEBIT' && !isOwnTransfer(t) && !isInterestCharge(t);
}

/** Merchant category codes (ISO 18245) by Lean's expense categories; first match wins. */
const MCC_RANGES: readonly [number, number, string][] = [
  [5411, 5411, 'GROCERIES'], [5422, 5499, 'GROCERIES'],
  [5811, 5814, 'RESTAURANTS_DINING'],
  [3000, 3999, 'TRAVEL'], [4411, 4411, 'TRAVEL'], [4511, 4511, 'TRAVEL'], [4722, 4723, 'TRAVEL'], [7011, 7012, 'TRAVEL'], [7512, 7512, 'TRAVEL'],
  [4111, 4131, 'TRANSPORT'], [4784, 4789, 'TRANSPORT'], [5541, 5542, 'TRANSPORT'], [7523, 7523, 'TRANSPORT'],
  [4812, 4816, 'RENT_AND_SERVICES'], [4899, 4899, 'ENTERTAINMENT'], [4900, 4900, 'RENT_AND_SERVICES'], [6513, 6513, 'RENT_AND_SERVICES'],
  [5815, 5818, 'ENTERTAINMENT'], [7832, 7841, 'ENTERTAINMENT'], [7911, 7999, 'ENTERTAINMENT'],
  [5912, 5912, 'HEALTH_AND_WELLBEING'], [8011, 8099, 'HEALTH_AND_WELLBEING'], [7297, 7298, 'HEALTH_AND_WELLBEING'],
  [8211, 8299, 'EDUCATION'],
  [8398, 8398, 'CHARITY'], [8661, 8661, 'CHARITY'],
  [9211, 9399, 'GOVERNMENT'],
  [6010, 6011, 'OTHER'],
  [5000, 5999, 'RETAIL'],
];

/** Bank transaction codes (or code/sub-code) by category, for debits without a merchant. */
const CODES: Record<string, string> = {
  'Loans': 'LOAN',
  'Issued Direct Debits': 'RENT_AND_SERVICES',
  'Payments/Bill Payment': 'RENT_AND_SERVICES',
  'Issued Credit Transfers': 'TRANSFER',
  'Counter Transactions': 'OTHER',
  'Charges': 'BANK_FEES_AND_CHARGES',
  'Fees': 'BANK_FEES_AND_CHARGES',
};

/** The expense category: Lean's own, else the merchant's code, else the bank code, else the text. */
export function expenseCategoryOf(t: Transaction): string {
  const own = t.insights?.['category'];
  if (typeof own === 'string' && own !== '') return own;
  const mcc = Number(t.merchant_details?.merchant_category_code);
  if (Number.isInteger(mcc)) for (const [low, high, category] of MCC_RANGES) if (mcc >= low && mcc <= high) return category;
  const text = t.transaction_information;
  // Rent is usually a transfer: the word decides before the transfer code does.
  if (/\bRENT\b/i.test(text)) return 'RENT_AND_SERVICES';
  const byCode = CODES[`${code(t)}/${subCode(t)}`] ?? CODES[code(t)];
  if (byCode) return byCode;
  if (/\b(FEE|FEES|CHARGE)\b/i.test(text)) return 'BANK_FEES_AND_CHARGES';
  if (/\bTRANSFER\b/i.test(text)) return 'TRANSFER';
  return 'OTHER';
}

/** The name a recurring payment goes by: the merchant, else the statement text with its numbers masked. */
export function payeeNameOf(t: Transaction): string {
  return t.merchant_details?.merchant_name ?? t.transaction_information.replace(/\d+/g, '#').replace(/\s+/g, ' ').trim();
}
