import type { z } from 'zod';
import type { BankSchema } from './bank-schema.js';
import type { CustomerPageSchema, CustomerSchema } from './customers/schemas.js';
import type {
  AccountSchema,
  BalanceSchema,
  BeneficiarySchema,
  DirectDebitSchema,
  IdentitySchema,
  MoneySchema,
  ScheduledPaymentSchema,
  StandingOrderSchema,
  TransactionSchema,
} from './data/schemas.js';
import type { EntityConsentSchema, EntityPageSchema, EntitySchema } from './entities/schemas.js';
import type { CashflowsInsightSchema, ExpensesInsightSchema, IncomeInsightSchema, InsightPendingSchema } from './insights/schemas.js';
import type {
  PaymentDestinationSchema,
  PaymentIntentSchema,
  PaymentSchema,
  PaymentSourceSchema,
} from './payments/schemas.js';

/**
 * Lean's response objects, as TypeScript types for a client's own code. Each is inferred from the
 * schema this server holds its replies to (the conformance test checks those schemas against
 * Lean's recorded replies), so the types cannot drift from what the mock serves.
 */

export type LeanMoney = z.infer<typeof MoneySchema>;
export type LeanBank = z.infer<typeof BankSchema>;
export type LeanCustomer = z.infer<typeof CustomerSchema>;
export type LeanCustomerPage = z.infer<typeof CustomerPageSchema>;
export type LeanEntity = z.infer<typeof EntitySchema>;
export type LeanEntityConsent = z.infer<typeof EntityConsentSchema>;
export type LeanEntityPage = z.infer<typeof EntityPageSchema>;

// The data API (v2 objects, as `data.accounts[]`, `data.transactions[]`, …).
export type LeanAccount = z.infer<typeof AccountSchema>;
export type LeanBalance = z.infer<typeof BalanceSchema>;
export type LeanTransaction = z.infer<typeof TransactionSchema>;
export type LeanIdentity = z.infer<typeof IdentitySchema>;
export type LeanBeneficiary = z.infer<typeof BeneficiarySchema>;
export type LeanDirectDebit = z.infer<typeof DirectDebitSchema>;
export type LeanScheduledPayment = z.infer<typeof ScheduledPaymentSchema>;
export type LeanStandingOrder = z.infer<typeof StandingOrderSchema>;

// Payments.
export type LeanPayment = z.infer<typeof PaymentSchema>;
export type LeanPaymentIntent = z.infer<typeof PaymentIntentSchema>;
export type LeanPaymentSource = z.infer<typeof PaymentSourceSchema>;
export type LeanPaymentDestination = z.infer<typeof PaymentDestinationSchema>;

// Insights (the three whose every field the mock computes; the others are checked by key only).
export type LeanIncomeInsight = z.infer<typeof IncomeInsightSchema>;
export type LeanExpensesInsight = z.infer<typeof ExpensesInsightSchema>;
export type LeanCashflowsInsight = z.infer<typeof CashflowsInsightSchema>;
export type LeanInsightPending = z.infer<typeof InsightPendingSchema>;
