import { LeanError } from '../../app/errors.js';
import { bankByIbanCode, paymentBank } from '../payments/banks.js';
import { requireCustomer } from '../payments/customers.js';
import { uaeBankCode, validateIban } from '../payments/iban.js';
import { validateName } from '../payments/names.js';
import type { SandboxStore } from '../store/store.js';
import { payoutErrors } from './errors.js';
import { PAYOUT_COLLECTIONS, type PayoutDestinationRecord } from './records.js';

/**
 * Payout destinations: the accounts an app pays out to (merchants, sellers). Lean adds each as a
 * beneficiary of the app's payout account (`add_beneficiary_task_id`) and answers it CONFIRMED.
 */

export interface PayoutDestinationInput {
  bank_identifier?: string;
  name: string;
  iban: string;
  display_name: string;
  account_number: string;
  swift_code?: string;
  address: string;
  branch_address?: string;
  country: string;
  city: string;
  customer_id?: string;
  currency_iso_code?: string;
  postal_code?: string;
  ifsc?: string;
  sort_code?: string;
  routing_number?: string;
  transit_code?: string;
}

export const payoutDestinations = (store: SandboxStore) => store.collection<PayoutDestinationRecord>(PAYOUT_COLLECTIONS.destinations);

/** Every destination of the request is checked before any is stored: a refused batch leaves nothing. */
export function createPayoutDestinations(store: SandboxStore, app: string, inputs: readonly PayoutDestinationInput[]): PayoutDestinationRecord[] {
  const now = store.now().toISOString();
  const built = inputs.map((input, index): PayoutDestinationRecord => {
    const name = validateName(`[${index}].name`, input.name);
    const displayName = validateName(`[${index}].display_name`, input.display_name);
    const iban = validateIban(input.iban);
    if (input.customer_id !== undefined) requireCustomer(store, app, input.customer_id);
    const bank = input.bank_identifier === undefined ? bankByIbanCode(uaeBankCode(iban)) : paymentBank(input.bank_identifier);
    if (input.bank_identifier !== undefined && !bank) throw LeanError.invalidParameter(`[${index}].bank_identifier`, input.bank_identifier);
    return {
      id: store.newId(),
      add_beneficiary_task_id: store.newId(),
      bank_identifier: bank?.identifier ?? null,
      name,
      display_name: displayName,
      iban,
      account_number: input.account_number,
      swift_code: input.swift_code ?? null,
      address: input.address,
      branch_address: input.branch_address ?? null,
      country: input.country,
      city: input.city,
      customer_id: input.customer_id ?? null,
      currency_iso_code: input.currency_iso_code ?? 'AED',
      postal_code: input.postal_code ?? null,
      ifsc: input.ifsc ?? null,
      sort_code: input.sort_code ?? null,
      routing_number: input.routing_number ?? null,
      transit_code: input.transit_code ?? null,
      created_at: now,
    };
  });
  for (const destination of built) payoutDestinations(store).set(app, destination.id, destination);
  return built;
}

export function getPayoutDestination(store: SandboxStore, app: string, id: string): PayoutDestinationRecord {
  const destination = payoutDestinations(store).get(app, id);
  if (!destination) throw payoutErrors.unknownDestination(id);
  return destination;
}
