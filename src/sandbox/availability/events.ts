import type { SandboxEvent } from '../store/store.js';
import { copyAvailability, type BankAvailabilityRecord } from './records.js';

/**
 * `bank.availability.updated`, field for field as Lean's KSA samples
 * (`reference/lean-webhooks/KSA-bank.availability.updated-*.json`): the bank's identifier and its
 * whole availability after the change, as the receiving app sees it.
 */
export function bankAvailabilityUpdated(app: string, record: BankAvailabilityRecord): SandboxEvent {
  return {
    app,
    type: 'bank.availability.updated',
    message: 'The bank status has been updated.',
    payload: { identifier: record.identifier, availability: copyAvailability(record.availability) },
  };
}
