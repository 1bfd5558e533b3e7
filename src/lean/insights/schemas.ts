import { z } from 'zod';

/**
 * Insights' replies as zod schemas, written from Lean's recorded responses (both regions). Strict
 * where the mock's shape is settled (income, expenses, cashflows), so a drifting reply fails its
 * test; the other insights are checked for their envelope and top-level keys.
 */

const uuid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
const dateTime = z.iso.datetime();
const currency = z.string().regex(/^[A-Z]{3}$/);
const MoneySchema = z.strictObject({ currency, amount: z.number() });
const MonthAmount = z.strictObject({ month: z.number().int().min(1).max(12), year: z.number().int(), amount: z.number() });

const envelope = <T extends z.ZodType>(type: string, insights: T) =>
  z.strictObject({
    status: z.literal('OK'),
    results_id: uuid,
    message: z.string(),
    meta: z.record(z.string(), z.string()).nullable(),
    timestamp: dateTime,
    status_detail: z.null(),
    type: z.literal(type),
    insights,
  });

const IncomeGroup = z.strictObject({
  currency,
  total: z.strictObject({
    amount: z.number(),
    count: z.number().int(),
    last_date_time: dateTime.nullable(),
    first_date_time: dateTime.nullable(),
    average_monthly_amount: z.number(),
    average_monthly_count: z.number(),
    average_monthly_received_value: z.number(),
    maximum_monthly_amount: MonthAmount.nullable(),
    minimum_monthly_amount: MonthAmount.nullable(),
  }),
  monthly_totals: z.array(
    z.strictObject({ month: z.number().int(), year: z.number().int(), amount: z.number(), count: z.number().int(), is_month_complete: z.boolean() }),
  ),
  transactions: z.array(
    z.strictObject({
      account_id: uuid,
      transaction_id: uuid,
      transaction_information: z.string(),
      booking_date_time: dateTime,
      amount: z.number().positive(),
      income_source: z.strictObject({ type: z.string(), name: z.string().nullable() }).nullable(),
    }),
  ),
  income_factors: z.strictObject({
    periods: z.array(z.strictObject({ period: z.enum(['P3M', 'P6M', 'P9M', 'P12M']), income_variation: z.number(), average_income: MoneySchema })),
    delta_min_max: z.number(),
    average_monthly_income_change: z.number(),
  }),
});
export type IncomeGroup = z.infer<typeof IncomeGroup>;

export const IncomeInsightSchema = envelope('income', z.strictObject({ salary: IncomeGroup.optional(), non_salary: IncomeGroup.optional() }));

const CategoryShare = z.strictObject({ category: z.string(), amount: z.number(), count: z.number().int(), fraction_of_total_expenses: z.number() });

export const ExpensesInsightSchema = envelope(
  'expenses',
  z.strictObject({
    currency,
    total: z.strictObject({
      count: z.number().int(),
      amount: z.number(),
      first_date_time: dateTime.nullable(),
      last_date_time: dateTime.nullable(),
      average_monthly_count: z.number(),
      average_monthly_amount: z.number(),
      minimum_monthly_amount: MonthAmount.nullable(),
      maximum_monthly_amount: MonthAmount.nullable(),
      breakdown: z.array(
        z.strictObject({
          by: z.literal('category'),
          breakdowns: z.array(
            CategoryShare.extend({
              average_days_between_transactions: z.number(),
              last_date_time: dateTime,
              first_date_time: dateTime,
              average_monthly_amount: z.number(),
              average_monthly_count: z.number(),
              maximum_monthly_amount: MonthAmount,
              minimum_monthly_amount: MonthAmount,
            }),
          ),
        }),
      ),
    }),
    monthly_totals: z.array(
      z.strictObject({
        month: z.number().int(),
        year: z.number().int(),
        amount: z.number(),
        count: z.number().int(),
        is_month_complete: z.boolean(),
        breakdown: z.array(z.strictObject({ by: z.literal('category'), breakdowns: z.array(CategoryShare) })),
      }),
    ),
  }),
);
export type ExpensesInsight = z.infer<typeof ExpensesInsightSchema>;

const Flow = (category: 'inflow' | 'outflow') => z.array(z.strictObject({ category: z.literal(category), amount: MoneySchema, count: z.number().int() }));
const Flows = { inwards: Flow('inflow'), outwards: Flow('outflow'), net: z.strictObject({ overall_amount: MoneySchema, net_cashflow: z.null() }) };

export const CashflowsInsightSchema = envelope(
  'cashflows',
  z.strictObject({
    total: z.strictObject(Flows),
    monthly_totals: z.array(z.strictObject({ month: z.number().int(), year: z.number().int(), is_month_complete: z.boolean(), ...Flows })),
    credit_debit_behaviour: z.strictObject({ periods: z.array(z.record(z.string(), z.unknown())) }),
    big_payments: z.strictObject({ periods: z.array(z.record(z.string(), z.unknown())) }),
  }),
);
export type CashflowsInsight = z.infer<typeof CashflowsInsightSchema>;

const loose = (type: string, keys: readonly string[]) =>
  envelope(type, z.strictObject(Object.fromEntries(keys.map((key) => [key, z.unknown()]))));

export const BalancesInsightSchema = loose('balances', ['total', 'monthly_totals', 'balance_factors']);
export const CreditObligationsInsightSchema = loose('credits-obligations', ['current_credit_cards_balance', 'number_of_credit_cards', 'total', 'monthly_totals']);
export const NonCreditObligationsInsightSchema = loose('non-credits-obligations', ['total', 'monthly_totals']);
export const EmploymentInsightSchema = loose('employment', ['employment_details']);
export const FreelancerInsightSchema = loose('freelancer-cashflow', ['account_information', 'total', 'monthly_totals']);

/** The PENDING reply to `async=true` (202), and what the results endpoint answers until ready. */
export const InsightPendingSchema = z.strictObject({
  status: z.literal('PENDING'),
  results_id: uuid,
  message: z.string(),
  meta: z.record(z.string(), z.string()).nullable(),
  timestamp: dateTime,
  status_detail: z.null(),
  type: z.null(),
  insights: z.null(),
});
