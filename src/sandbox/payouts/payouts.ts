import { LeanError } from '../../app/errors.js';
import { checkAmountLimits, parseAmount } from '../payments/amount.js';
import { PAYMENT_COLLECTIONS, type PaymentSourceRecord, type SourceAccountRecord } from '../payments/records.js';
import type { SandboxStore } from '../store/store.js';
import { getPayoutDestination } from './destinations.js';
import { payoutErrors } from './errors.js';
import { payoutCreated, payoutUpdated } from './events.js';
import { PAYOUT_COLLECTIONS, PAYOUT_FAILURE_REASONS, type PayoutFailureReason, type PayoutRecord, type PayoutStatus } from './records.js';
import { assertPayoutMove } from './status.js';

/**
 * Payouts: the app pays destinations from its own business account, connected to Lean as a
 * payment source (here: a source made through the admin API; its account's `account_id` is the
 * payout account). Each destination of a request becomes one payout intent with one payment.
 */

export interface PayoutDestinationDetail {
  payment_destination_id: string;
  /** Unchecked here: the amount rules answer Lean's INVALID_AMOUNT, not a generic type error. */
  amount: unknown;
  description?: string;
  authorize_payment?: boolean;
}

export interface PayoutDetail {
  account_id: string;
  currency: string;
  destination_details: readonly PayoutDestinationDetail[];
}

export interface AdvancePayoutInput {
  status: PayoutStatus;
  failure_reason?: PayoutFailureReason;
}

export const payouts = (store: SandboxStore) => store.collection<PayoutRecord>(PAYOUT_COLLECTIONS.payouts);

function payoutAccount(store: SandboxStore, app: string, accountId: string): { source: PaymentSourceRecord; account: SourceAccountRecord } {
  for (const source of store.collection<PaymentSourceRecord>(PAYMENT_COLLECTIONS.sources).list(app)) {
    const account = source.accounts.find((candidate) => candidate.account_id === accountId);
    if (account) return { source, account };
  }
  throw payoutErrors.unknownAccount(accountId);
}

/** Checks every detail of every account before writing anything; then stores and announces each payout. */
export function createPayouts(store: SandboxStore, app: string, details: readonly PayoutDetail[]): PayoutRecord[] {
  const now = store.now().toISOString();
  const built = details.flatMap((detail, i) => {
    const { source, account } = payoutAccount(store, app, detail.account_id);
    if (detail.currency !== account.currency) throw payoutErrors.currencyMismatch(`payment_details[${i}].currency`, detail.currency, account.currency);
    return detail.destination_details.map((item): PayoutRecord => {
      const amount = parseAmount(item.amount);
      checkAmountLimits(amount, detail.currency);
      const destination = getPayoutDestination(store, app, item.payment_destination_id);
      const authorized = item.authorize_payment === true;
      const intentId = store.newId();
      return {
        id: store.newId(),
        payment_intent_id: intentId,
        initiate_payment_task_id: store.newId(),
        payment_source_id: source.id,
        customer_id: source.customer_id,
        account_id: account.account_id,
        bank_identifier: source.bank_identifier,
        payment_destination_id: destination.id,
        sender_details: { account_number: account.account_number, iban: account.iban, name: account.account_name },
        recipient_details: { account_number: destination.account_number, iban: destination.iban, name: destination.name },
        amount,
        currency: detail.currency,
        // Lean's default reference, as for payment intents: the intent's id without hyphens.
        description: item.description ?? intentId.replaceAll('-', ''),
        submission_timestamp: now,
        initiation_timestamp: now,
        status: authorized ? 'PENDING_WITH_BANK' : 'AWAITING_AUTHORIZATION',
        post_initiation_status: null,
        bank_transaction_reference: null,
        granular_status_code: null,
        status_additional_details: null,
        auto_authorized: authorized,
        history: [],
        created_at: now,
        updated_at: now,
      };
    });
  });
  if (built.length === 0) throw LeanError.missingParameter('payment_details[0].destination_details');
  return built.map((payout) => {
    const stored = withEvent(payout, 'payment.created', now);
    payouts(store).set(app, stored.id, stored);
    store.publish(payoutCreated(app, stored));
    return stored;
  });
}

export function getPayout(store: SandboxStore, app: string, id: string): PayoutRecord {
  const payout = payouts(store).get(app, id);
  if (!payout) throw payoutErrors.unknownPayout(id);
  return payout;
}

export function getPayoutByIntent(store: SandboxStore, app: string, intentId: string): PayoutRecord {
  const payout = payouts(store).list(app, (candidate) => candidate.payment_intent_id === intentId)[0];
  if (!payout) throw payoutErrors.unknownIntent(intentId);
  return payout;
}

/** The app's payouts, newest first (as a dashboard lists them), narrowed by status. */
export function listPayouts(store: SandboxStore, app: string, filter: { status?: PayoutStatus }): PayoutRecord[] {
  return payouts(store)
    .list(app, (payout) => filter.status === undefined || payout.status === filter.status)
    .reverse();
}

/** The app authorizes a payout, or the bank answers it: one move of the table in status.ts. */
export function advancePayout(store: SandboxStore, app: string, id: string, input: AdvancePayoutInput): PayoutRecord {
  const payout = getPayout(store, app, id);
  assertPayoutMove(payout.id, payout.status, input.status);
  if (input.failure_reason !== undefined && input.status !== 'FAILED') {
    throw new LeanError('INVALID_PARAMETERS', 400, 'A failure_reason is only taken with status FAILED, field: failure_reason');
  }
  const now = store.now().toISOString();
  // Refusing to authorize is the one failure whose reason is known without asking.
  const reason = input.status !== 'FAILED' ? null : (input.failure_reason ?? (payout.status === 'AWAITING_AUTHORIZATION' ? 'AUTHORIZATION_FAILED' : 'REJECTED_BY_BANK'));
  const accepted = input.status === 'ACCEPTED_BY_BANK';
  const updated: PayoutRecord = {
    ...payout,
    status: input.status,
    post_initiation_status: accepted ? 'PROCESSED' : null,
    // Lean's payout references are the bank's own: a number (256884595 in its recording).
    bank_transaction_reference: accepted ? bankReference(payout.id) : null,
    granular_status_code: reason,
    status_additional_details: reason === null ? null : PAYOUT_FAILURE_REASONS[reason],
    initiation_timestamp: input.status === 'PENDING_WITH_BANK' ? now : payout.initiation_timestamp,
    updated_at: now,
  };
  const stored = withEvent(updated, 'payment.updated', now);
  payouts(store).set(app, stored.id, stored);
  store.publish(payoutUpdated(app, stored));
  return stored;
}

function withEvent(payout: PayoutRecord, event: 'payment.created' | 'payment.updated', at: string): PayoutRecord {
  return { ...payout, history: [...payout.history, { event, status: payout.status, post_initiation_status: payout.post_initiation_status, published_at: at }] };
}

/** Nine digits derived from the payout's id, so the same payout always gets the same reference. */
function bankReference(id: string): string {
  return String(parseInt(id.replaceAll('-', '').slice(0, 8), 16) % 900_000_000 + 100_000_000);
}
