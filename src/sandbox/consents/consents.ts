import { LeanError } from '../../app/errors.js';
import type { SandboxStore } from '../store/store.js';
import { DEFAULT_SOURCE_BANK, paymentBank } from '../payments/banks.js';
import { requireCustomer } from '../payments/customers.js';
import { getDestination } from '../payments/destinations.js';
import { paymentErrors } from '../payments/errors.js';
import { buildIban } from '../payments/iban.js';
import { validateName } from '../payments/names.js';
import { consentErrors } from './errors.js';
import { consentCreated, consentUpdated } from './events.js';
import { statusOf } from './status.js';
import {
  CONSENT_COLLECTIONS,
  type AofPaymentRecord,
  type ConsentRecord,
  type ConsentStatus,
  type ControlParameters,
  type HistoryEntry,
  type HistoryType,
  type ImmediatePayment,
} from './records.js';

/**
 * AoF consents: created by the app for a customer and a destination, AWAITING_AUTHORISATION until
 * the customer authorises (or rejects) it in the LinkSDK — here the admin API — then AUTHORISED
 * until revoked, expired or consumed, each a final status. Every check comes before the first write.
 */

export const consents = (store: SandboxStore) => store.collection<ConsentRecord>(CONSENT_COLLECTIONS.consents);
export const aofPayments = (store: SandboxStore) => store.collection<AofPaymentRecord>(CONSENT_COLLECTIONS.aofPayments);

/** UAE Open Finance AoF is in dirhams. */
export const CONSENT_CURRENCIES = ['AED'] as const;
/** The simulated account a customer authorises from starts with this balance (as payment sources do). */
export const CONSENTED_ACCOUNT_BALANCE = 50_000;
const DEFAULT_HOLDER = 'John Doe';
const YEAR_MS = 365 * 86_400_000;

export interface CreateConsentInput {
  customer_id: string;
  destination_account_id: string;
  currency: string;
  reference: string;
  purpose: string;
  control_parameters: Omit<ControlParameters, 'type'>;
  start_date_time?: string | null;
  expiration_date_time?: string | null;
  immediate_payment?: ImmediatePayment | null;
}

export function getConsent(store: SandboxStore, app: string, id: string): ConsentRecord {
  const consent = consents(store).get(app, id);
  if (!consent) throw consentErrors.unknownConsent(id);
  return consent;
}

export function paymentsOf(store: SandboxStore, app: string, consentId: string): AofPaymentRecord[] {
  return aofPayments(store).list(app, (payment) => payment.consent_id === consentId);
}

/** Newest first, as a customer's consents are usually read. */
export function listConsents(store: SandboxStore, app: string, filter: { customer_id?: string; status?: readonly ConsentStatus[] }): ConsentRecord[] {
  if (filter.customer_id !== undefined) requireCustomer(store, app, filter.customer_id);
  const now = store.now();
  return consents(store)
    .list(app, (c) => (filter.customer_id === undefined || c.customer_id === filter.customer_id) && (!filter.status?.length || filter.status.includes(statusOf(c, now))))
    .reverse();
}

export function createConsent(store: SandboxStore, app: string, appId: string, input: CreateConsentInput): ConsentRecord {
  requireCustomer(store, app, input.customer_id);
  const destination = getDestination(store, app, input.destination_account_id);
  // A customer's own destination takes payments from that customer only (as payment sources).
  if (destination.customer_id !== undefined && destination.customer_id !== input.customer_id) throw paymentErrors.unknownDestination(destination.id);
  if (!(CONSENT_CURRENCIES as readonly string[]).includes(input.currency)) throw LeanError.invalidParameter('currency', input.currency);
  const p = input.control_parameters;
  if (p.max_individual_amount === null && p.max_cumulative_amount === null && p.max_cumulative_number_of_payments === null) {
    throw new LeanError(
      'INVALID_PARAMETERS',
      400,
      'At least one of max_individual_amount, max_cumulative_amount or max_cumulative_number_of_payments must be provided, field: control_parameters.',
    );
  }
  const now = store.now();
  const start = input.start_date_time ? new Date(input.start_date_time) : now;
  const expiration = input.expiration_date_time ? new Date(input.expiration_date_time) : new Date(start.getTime() + YEAR_MS);
  if (expiration.getTime() <= start.getTime()) throw LeanError.invalidParameter('expiration_date_time', input.expiration_date_time);
  if (expiration.getTime() <= now.getTime()) throw LeanError.invalidParameter('expiration_date_time', input.expiration_date_time);
  const immediate = input.immediate_payment ?? null;
  // Lean's WithinMaxIndividualAmountLimit; the other amount limits too, so authorising can always pay it.
  const amountLimits = [['max_individual_amount', p.max_individual_amount], ['max_cumulative_amount', p.max_cumulative_amount], ['max_cumulative_amount_per_period', p.max_cumulative_amount_per_period]] as const;
  for (const [name, max] of amountLimits) {
    if (immediate && max !== null && immediate.amount > max) {
      throw new LeanError('INVALID_PARAMETERS', 400, `The immediate payment is over ${name} (${max}), field: immediate_payment.amount, value: ${immediate.amount}.`);
    }
  }

  const at = now.toISOString();
  const consent: ConsentRecord = {
    consent_id: store.newId(),
    application_id: appId,
    customer_id: input.customer_id,
    destination_account_id: destination.id,
    status: 'AWAITING_AUTHORISATION',
    start_date_time: start.toISOString(),
    expiration_date_time: expiration.toISOString(),
    reference: input.reference,
    currency: input.currency,
    purpose: input.purpose,
    control_parameters: { type: 'VariableOnDemand', ...p },
    immediate_payment: immediate,
    account: null,
    history: [],
    created_at: at,
  };
  consent.history.push(historyEntry(store, 'CONSENT_CREATED', 'LEAN', null));
  consents(store).set(app, consent.consent_id, consent);
  store.publish(consentCreated(app, consent, [], now));
  return consent;
}

const DESCRIPTIONS: Record<HistoryType, string> = {
  CONSENT_CREATED: 'A new consent was created.',
  CONSENT_AUTHORISED: 'The customer authorised the consent.',
  CONSENT_REJECTED: 'The customer did not authorise the consent.',
  CONSENT_REVOKED: 'The consent was revoked.',
  CONSENT_EXPIRED: 'The consent expired.',
  CONSENT_CONSUMED: 'The consent reached its limits.',
};

function historyEntry(store: SandboxStore, type: HistoryType, by: HistoryEntry['updated_by'], reason: string | null): HistoryEntry {
  return { id: store.newId(), type, description: DESCRIPTIONS[type], timestamp: store.now().toISOString(), updated_by: by, reason };
}

const TARGET_HISTORY: Partial<Record<ConsentStatus, HistoryType>> = {
  AUTHORISED: 'CONSENT_AUTHORISED',
  REJECTED: 'CONSENT_REJECTED',
  REVOKED: 'CONSENT_REVOKED',
  EXPIRED: 'CONSENT_EXPIRED',
  CONSUMED: 'CONSENT_CONSUMED',
};

/** Which status each status may move to; the final ones move nowhere. */
const MOVES: Readonly<Record<ConsentStatus, readonly ConsentStatus[]>> = {
  AWAITING_AUTHORISATION: ['AUTHORISED', 'REJECTED', 'EXPIRED'],
  AUTHORISED: ['REVOKED', 'EXPIRED', 'CONSUMED'],
  SUSPENDED: ['AUTHORISED', 'REVOKED', 'EXPIRED'],
  REVOKED: [],
  REJECTED: [],
  EXPIRED: [],
  CONSUMED: [],
};

/** The consent in its new status, stored, with its history entry and webhook. Throws if the move is not allowed. */
export function moveConsent(
  store: SandboxStore,
  app: string,
  consent: ConsentRecord,
  to: ConsentStatus,
  by: HistoryEntry['updated_by'],
  extra: { reason?: string | null; account?: ConsentRecord['account'] } = {},
): ConsentRecord {
  const now = store.now();
  // Expiring records what the clock already shows: an open consent past its date may still be expired.
  const from = to === 'EXPIRED' ? consent.status : statusOf(consent, now);
  if (!MOVES[from].includes(to)) {
    const why = MOVES[from].length === 0 ? `${from} is a final status` : `a ${from} consent can only move to ${MOVES[from].join(', ')}`;
    throw consentErrors.invalidTransition('Consent', consent.consent_id, from, to, why);
  }
  const updated: ConsentRecord = {
    ...consent,
    status: to,
    // Expired early (admin): it is over from now, whatever date it was given.
    ...(to === 'EXPIRED' && now.getTime() < new Date(consent.expiration_date_time).getTime() ? { expiration_date_time: now.toISOString() } : {}),
    ...(extra.account === undefined ? {} : { account: extra.account }),
    history: [...consent.history, historyEntry(store, TARGET_HISTORY[to]!, by, extra.reason ?? null)],
  };
  consents(store).set(app, updated.consent_id, updated);
  store.publish(consentUpdated(app, updated, paymentsOf(store, app, updated.consent_id), now));
  return updated;
}

export interface AuthoriseInput {
  bank_identifier?: string;
  holder_name?: string;
}

/** The account the customer picks in the LinkSDK: a simulated current account at their bank. */
export function consentedAccount(store: SandboxStore, input: AuthoriseInput): NonNullable<ConsentRecord['account']> {
  const bank = paymentBank(input.bank_identifier ?? DEFAULT_SOURCE_BANK);
  if (!bank) throw LeanError.invalidParameter('bank_identifier', input.bank_identifier);
  const holder = input.holder_name === undefined ? DEFAULT_HOLDER : validateName('holder_name', input.holder_name);
  const id = store.newId();
  const digits = [...id.replaceAll('-', '')].map((c) => String(parseInt(c, 16) % 10)).join('').slice(-13);
  return {
    sender_account_id: id,
    bank_identifier: bank.identifier,
    iban: buildIban('AE', `${bank.ibanCode}000${digits}`),
    holder_name: holder,
    balance: CONSENTED_ACCOUNT_BALANCE,
  };
}

/** Revocation by the app (Lean's API), the customer or the bank (the admin API): AUTHORISED consents only. */
export function revokeConsent(store: SandboxStore, app: string, id: string, by: HistoryEntry['updated_by'], reason: string | null): ConsentRecord {
  const consent = getConsent(store, app, id);
  const status = statusOf(consent, store.now());
  if (status !== 'AUTHORISED') throw consentErrors.notRevocable(id, status);
  return moveConsent(store, app, consent, 'REVOKED', by, { reason });
}
