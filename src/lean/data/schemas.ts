import { z } from 'zod';

/**
 * The data API's replies as zod schemas, written from Lean's data.yml. Strict objects: a field
 * Lean does not define fails, so a drifting reply fails its test. Optional fields are those Lean
 * marks optional and the sandbox's records may leave out.
 */

const uuid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
const timestamp = z.iso.datetime();
const date = z.iso.date();
const currency = z.string().regex(/^[A-Z]{3}$/);
const creditDebit = z.enum(['CREDIT', 'DEBIT', 'UNSUPPORTED']);
/** Carried by the objects of regions whose banks report it (KSA); Lean records it as null. */
export const MoneySchema = z.strictObject({ currency, amount: z.number() });

export const PageSchema = z.strictObject({
  number: z.number().int().min(0),
  size: z.number().int().min(1),
  total_elements: z.number().int().min(0),
  total_pages: z.number().int().min(0),
  sort: z.null(),
});

export const AccountSchema = z.strictObject({
  entity_id: uuid,
  account_id: uuid,
  account_holder_name: z.string(),
  account_holder_short_name: z.string(),
  status: z.enum(['DELETED', 'DISABLED', 'ENABLED', 'PENDING', 'PROFORMA', 'UNSUPPORTED']).nullable(),
  status_update_date_time: timestamp.nullable(),
  currency,
  account_type: z.enum(['PERSONAL', 'BUSINESS', 'UNSUPPORTED']),
  account_sub_type: z.enum([
    'CHARGE_CARD', 'CREDIT', 'CURRENT', 'EMONEY', 'LOAN', 'MORTGAGE', 'PERSONAL_LOAN', 'PREPAID', 'SAVINGS', 'CALL', 'UNSUPPORTED',
  ]),
  nickname: z.string().nullable(),
  description: z.string().nullable(),
  opening_date: date.nullable(),
  maturity_date: z.string().nullable(),
  account: z.array(z.strictObject({ scheme_name: z.string(), identification: z.string(), name: z.string() })),
  servicer: z.strictObject({ scheme_name: z.enum(['BICFI', 'OTHER', 'UNSUPPORTED']), identification: z.string() }),
  regional_data: z.record(z.string(), z.unknown()).nullable(),
});

export const BalanceSchema = z.strictObject({
  entity_id: uuid,
  account_id: uuid,
  credit_debit_indicator: creditDebit,
  amount: MoneySchema,
  type: z.string(),
  date_time: timestamp.nullable(),
  credit_line: z.array(z.strictObject({ included: z.boolean(), amount: MoneySchema, type: z.string() })),
  regional_data: z.record(z.string(), z.unknown()).nullable(),
});

const agent = z.strictObject({
  scheme_name: z.string().nullable().optional(),
  identification: z.string(),
  name: z.string().nullable(),
  postal_address: z.record(z.string(), z.string().nullable()).nullable().optional(),
});
const accountIdentifier = z.strictObject({ scheme_name: z.string().nullable(), identification: z.string(), name: z.string() });

export const TransactionSchema = z.strictObject({
  entity_id: uuid,
  account_id: uuid,
  transaction_id: z.string(),
  transaction_information: z.string(),
  transaction_reference: z.string(),
  credit_debit_indicator: creditDebit,
  amount: MoneySchema,
  transaction_mutability: z.enum(['IMMUTABLE', 'MUTABLE', 'UNSUPPORTED']),
  booking_date_time: timestamp,
  value_date_time: timestamp,
  status: z.string(),
  balance: z.strictObject({ type: z.string(), credit_debit_indicator: creditDebit, amount: MoneySchema }),
  bank_transaction_code: z.strictObject({ code: z.string(), sub_code: z.string() }).nullable(),
  merchant_details: z.strictObject({ merchant_category_code: z.string(), merchant_name: z.string() }).nullable(),
  insights: z.strictObject({ description_cleansed: z.string(), category: z.string(), category_confidence: z.number() }).nullable(),
  index: z.number().int().min(0),
  // Lean's further fields: null where the bank gives nothing (transaction-view.ts).
  statement_reference: z.array(z.string()),
  charge_amount: z.strictObject({ amount: z.number(), currency, charge_included: z.boolean() }).nullable(),
  card_instrument: z.strictObject({ authorization_type: z.string(), card_scheme_name: z.string(), identification: z.string(), name: z.string() }).nullable(),
  proprietary_bank_transaction_code: z.strictObject({ code: z.string(), issuer: z.string() }).nullable(),
  currency_exchange: z.record(z.string(), z.unknown()).nullable(),
  creditor_account: accountIdentifier.nullable(),
  creditor_agent: agent.nullable(),
  debtor_account: accountIdentifier.nullable(),
  debtor_agent: agent.nullable(),
  local_time_zone: z.string(),
  transaction_type: z.string(),
  sub_transaction_type: z.string(),
  payment_modes: z.string().nullable(),
  flags: z.array(z.string()),
  regional_data: z.record(z.string(), z.unknown()).nullable(),
});

export const IdentitySchema = z.strictObject({
  entity_id: uuid,
  full_legal_name: z.string(),
  name: z.string(),
  national_id: z.string().nullable(),
  birth_date: date,
  gender: z.string(),
  email_address: z.string(),
  legal_structure: z.string().optional(),
  phone: z.string(),
  mobile_number: z.string(),
  address: z.record(z.string(), z.string().nullable()),
  account_role: z.string().optional(),
  party_type: z.enum(['DELEGATE', 'JOINT', 'SOLE', 'UNSUPPORTED']).optional(),
  party_id: z.string().optional(),
  party_number: z.string().optional(),
  regional_data: z.record(z.string(), z.unknown()).nullable(),
});

export const BeneficiarySchema = z.strictObject({
  account_id: uuid,
  account_holder_name: z.string(),
  account_holder_short_name: z.string(),
  beneficiary_id: z.string(),
  beneficiary_type: z.enum(['TRUSTED', 'ORDINARY', 'OTHER', 'UNSUPPORTED']),
  creditor_agent: agent,
  creditor_account: z.strictObject({
    scheme_name: z.enum(['PAN', 'MASKED_PAN', 'IBAN', 'BBAN', 'UNSUPPORTED', 'OTHER']),
    identification: z.string(),
    name: z.string(),
  }),
  reference: z.string(),
  supplementary_data: z.record(z.string(), z.string()).nullable(),
  regional_data: z.record(z.string(), z.unknown()).nullable(),
});

const frequency = z.enum(['MONTHLY', 'QUARTERLY', 'HALF_YEARLY', 'ANNUAL', 'FORTNIGHTLY', 'DAILY', 'WEEKLY', 'NOT_KNOWN', 'UNSUPPORTED']);

export const DirectDebitSchema = z.strictObject({
  entity_id: uuid,
  account_id: uuid,
  direct_debit_id: z.string(),
  name: z.string(),
  status_code: z.enum(['ACTIVE', 'INACTIVE', 'UNSUPPORTED']),
  frequency,
  mandate_identification: z.string(),
  previous_payment_date_time: timestamp,
  previous_payment_amount: MoneySchema,
  regional_data: z.record(z.string(), z.unknown()).nullable(),
});

const creditorAgent = z.strictObject({
  scheme_name: z.string().nullable(),
  identification_type: z.string(),
  identification: z.string(),
  name: z.string(),
  postal_address: z.record(z.string(), z.string()).optional(),
});
const creditorAccount = z.strictObject({ scheme_name: z.string(), identification: z.string(), name: z.string() });

export const ScheduledPaymentSchema = z.strictObject({
  entity_id: uuid,
  account_id: uuid,
  account_holder_name: z.string(),
  account_holder_short_name: z.string(),
  scheduled_payment_id: z.string(),
  scheduled_type: z.enum(['ARRIVAL', 'EXECUTION', 'UNSUPPORTED']),
  scheduled_payment_date_time: timestamp,
  debtor_reference: z.string(),
  reference: z.string().nullable(),
  instructed_amount: MoneySchema,
  creditor_agent: creditorAgent,
  creditor_account: creditorAccount,
  regional_data: z.record(z.string(), z.unknown()).nullable(),
});

export const StandingOrderSchema = z.strictObject({
  account_id: uuid,
  standing_order_id: z.string(),
  standing_order_status_code: z.string(),
  standing_order_type: z.enum([
    'BETWEEN_MY_ACCOUNTS', 'SAME_BANK_TRANSFER', 'LOCAL_BANK_TRANSFER', 'INTERNATIONAL_TRANSFER', 'CHARITY', 'UNSUPPORTED',
  ]),
  purpose: z.string(),
  first_payment_date_time: timestamp.nullable(),
  last_payment_date_time: timestamp.nullable(),
  next_payment_date_time: timestamp.nullable(),
  final_payment_date_time: timestamp.nullable(),
  frequency: z.strictObject({
    frequency_type: z.enum(['DAILY', 'WEEKLY', 'FORTNIGHTLY', 'MONTHLY', 'QUARTERLY', 'HALF_YEARLY', 'YEARLY', 'OTHER']),
    interval: z.string().nullable(),
  }),
  number_of_payments: z.number().int().nullable(),
  reference: z.string().nullable(),
  first_payment_amount: MoneySchema.nullable(),
  last_payment_amount: MoneySchema.nullable(),
  next_payment_amount: MoneySchema.nullable(),
  final_payment_amount: MoneySchema.nullable(),
  creditor_agent: creditorAgent,
  creditor_account: creditorAccount,
  regional_data: z.record(z.string(), z.unknown()).nullable(),
});

const meta = z.record(z.string(), z.string()).nullable();
const statusDetail = z.strictObject({ granular_status_code: z.string().nullable(), status_additional_info: z.string().nullable() });

/** A v2 OK reply around its `data`. */
export function v2OkSchema<Data extends z.ZodType>(type: string, data: Data) {
  return z.strictObject({
    status: z.literal('OK'),
    results_id: uuid,
    message: z.literal('Data successfully retrieved'),
    meta,
    timestamp,
    status_detail: z.union([z.null(), statusDetail, z.strictObject({})]),
    data,
    type: z.literal(type),
    refreshed_at: timestamp,
  });
}

/** `data` of a v2 reply: `{type, <key>: items, page}` (standing orders: no `type`; identities: `account_id` too). */
export function v2DataSchema<Key extends string, Item extends z.ZodType>(type: string, key: Key, item: Item) {
  const items = { [key]: z.array(item) } as Record<Key, z.ZodArray<Item>>;
  if (type === 'identity') return z.strictObject({ type: z.literal(type), account_id: z.null(), ...items, page: PageSchema });
  if (type === 'identities') return z.strictObject({ account_id: uuid, type: z.literal(type), ...items, page: PageSchema });
  return z.strictObject({ type: z.literal(type), ...items, page: PageSchema });
}

/** PENDING, RECONNECT_REQUIRED and FAILED v2 replies: no data. */
function v2NoData<Status extends string, Detail extends z.ZodType>(status: Status, message: z.ZodType<string>, detail: Detail) {
  return z.strictObject({
    status: z.literal(status),
    results_id: uuid,
    message,
    meta,
    timestamp,
    status_detail: detail,
    data: z.null(),
    type: z.null(),
    refreshed_at: z.null(),
  });
}

export const V2PendingSchema = v2NoData('PENDING', z.literal('Please wait for a webhook or try again later.'), z.null());
export const V2ReconnectSchema = v2NoData('RECONNECT_REQUIRED', z.literal('User input is required to reconnect with the bank'), z.null());
export const V2FailedSchema = v2NoData('FAILED', z.string(), statusDetail);

/** Data-API errors: Lean's error envelope with `results_id` first. */
export const DataErrorSchema = z.strictObject({
  results_id: uuid,
  timestamp,
  status: z.string(),
  message: z.string(),
  metadata: z.record(z.string(), z.unknown()).nullable(),
});

export const V1AccountSchema = z.strictObject({
  account_id: uuid,
  name: z.string().nullable(),
  currency_code: currency.nullable(),
  type: z.string().nullable(),
  iban: z.string().nullable(),
  account_number: z.string().nullable(),
  credit: z
    .strictObject({
      card_number_last_four: z.string().optional(),
      limit: z.number().optional(),
      next_payment_due_date: date.optional(),
      next_payment_due_amount: z.number().optional(),
    })
    .nullable(),
});

export const V1AccountsPayloadSchema = z.strictObject({ type: z.literal('accounts'), accounts: z.array(V1AccountSchema) });

export const V1BalancePayloadSchema = z.strictObject({
  type: z.literal('balance'),
  balance: z.number(),
  currency_code: currency,
  account_id: uuid,
  account_name: z.string(),
  account_type: z.string(),
});

export const V1IdentityPayloadSchema = z.strictObject({
  type: z.literal('identity'),
  full_name: z.string(),
  mobile_number: z.string(),
  gender: z.string(),
  national_identity_number: z.string().optional(),
  birth_date: date,
  email_address: z.string(),
  address: z.string(),
});

export const V1TransactionSchema = z.strictObject({
  id: z.string(),
  description: z.string(),
  amount: z.number(),
  currency_code: currency,
  index: z.number().int().min(0),
  pending: z.boolean(),
  timestamp,
  running_balance: z.number(),
  transaction_reference: z.string(),
  value_timestamp: timestamp,
  transaction_timestamp: timestamp,
  insights: z.strictObject({ description_cleansed: z.string(), category: z.string(), category_confidence: z.number() }).optional(),
});

export const V1TransactionsPayloadSchema = z.strictObject({ type: z.literal('transactions'), transactions: z.array(V1TransactionSchema) });

/** A v1 reply: `{status, payload, results_id, message, timestamp, meta}`. */
export function v1Schema<Payload extends z.ZodType>(status: string, message: string, payload: Payload) {
  return z.strictObject({ status: z.literal(status), payload, results_id: uuid, message: z.literal(message), timestamp, meta: z.null() });
}

export const v1OkSchema = <Payload extends z.ZodType>(payload: Payload) => v1Schema('OK', 'Data successfully retrieved', payload);
export const V1PendingSchema = v1Schema('PENDING', 'Results not yet returned. Please try again later', z.null());
export const V1ReconnectSchema = v1Schema(
  'RECONNECT_REQUIRED',
  'User input is required to reconnect with the bank',
  z.strictObject({ reconnect_id: uuid, type: z.literal('reconnect') }),
);

export const V1FailedSchema = z.strictObject({
  status: z.literal('FAILED'),
  payload: z.null(),
  results_id: uuid,
  message: z.string(),
  timestamp,
  meta: z.null(),
  status_detail: statusDetail,
});

export const TriggerRefreshSchema = z.strictObject({
  refresh_id: uuid,
  status: z.literal('OK'),
  message: z.literal('Data refresh triggered successfully'),
  timestamp,
});

export const RefreshReconnectSchema = z.strictObject({
  reconnect_id: uuid,
  refresh_id: uuid,
  status: z.literal('RECONNECT_REQUIRED'),
  message: z.literal('User input is required to reconnect with the bank.'),
  timestamp,
  metadata: z.null(),
});

const refreshStatus = z.enum(['PENDING', 'FINISHED']);
const dataStatus = z.enum(['PENDING', 'OK', 'FAILED', 'UNSUPPORTED']);
const accountStatuses = {
  account_id: uuid,
  balance: dataStatus,
  identity: dataStatus,
  transactions: dataStatus,
  scheduled_payments: dataStatus,
  direct_debits: dataStatus,
  standing_orders: dataStatus,
  beneficiaries: dataStatus,
};

export const RefreshListSchema = z.strictObject({
  content: z.array(
    z.strictObject({
      created_at: timestamp,
      customer_id: uuid,
      entity_id: uuid,
      refresh_id: uuid,
      status: refreshStatus,
      updated_at: timestamp,
    }),
  ),
  page: PageSchema,
});

export const RefreshStatusSchema = z.strictObject({
  refresh_id: uuid,
  entity_id: uuid,
  customer_id: uuid,
  status: refreshStatus,
  data_status: z.strictObject({
    accounts: dataStatus,
    identity: dataStatus,
    account_data: z.array(
      z.strictObject({ ...accountStatuses, transactionAvailability: z.strictObject({ start: date, end: date }).optional() }),
    ),
  }),
  created_at: timestamp,
  updated_at: timestamp,
});

/** `entity.data.refresh.updated`'s payload (Lean's UAE sample). */
export const RefreshWebhookPayloadSchema = z.strictObject({
  entity_id: uuid,
  refresh_id: uuid,
  customer_id: uuid,
  status: z.literal('OK'),
  data_status: z.strictObject({
    accounts: dataStatus,
    identity: dataStatus,
    account_data: z.array(
      z.strictObject({
        ...accountStatuses,
        transaction_availability: z.strictObject({ start: date, end: date, complete_months: z.number().int().min(0) }),
      }),
    ),
  }),
  app_user_id: z.string().nullable(),
});
