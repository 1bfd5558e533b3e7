import type { SeededRandom } from '../random.js';
import type { SandboxStore } from '../store/store.js';
import { paymentBank } from './banks.js';
import { putDestination } from './destinations.js';
import { buildIban } from './iban.js';

/**
 * Seeds each app's default payment destination (Lean's sandbox gives every app one, owned by
 * the application, that intents pay into when they name none). Ids and account numbers come
 * from the seeded random only, the date from the store's clock.
 */
export function seedPayments(store: SandboxStore, random: SeededRandom): void {
  const bank = paymentBank('ENBD_UAE')!;
  for (const app of store.apps) {
    const appRandom = random.fork(app);
    const accountNumber = `10${Array.from({ length: 11 }, () => appRandom.int(0, 9)).join('')}`;
    putDestination(store, app, {
      id: appRandom.uuid(),
      status: 'ACTIVE',
      default: true,
      name: 'Sandbox Merchant LLC',
      display_name: 'Sandbox Merchant',
      iban: buildIban('AE', `${bank.ibanCode}000${accountNumber}`),
      address: 'Office 1201, Sandbox Tower, Sheikh Zayed Road',
      city: 'Dubai',
      country: 'ARE',
      swift_code: 'EBILAEADXXX',
      account_number: accountNumber,
      currency: 'AED',
      bank_identifier: bank.identifier,
      created_at: store.now().toISOString(),
    });
  }
}
