/**
 * The UAE banks a payment source can be at, and how their IBANs start: enough to name a
 * destination's bank and to give a simulated customer account a plausible IBAN. Names follow
 * `fixtures/banks.json`, except the mock bank's, which follows Lean's payment_source webhook.
 */
export interface PaymentBank {
  identifier: string;
  name: string;
  /** The three-digit code a UAE IBAN carries after its check digits. */
  ibanCode: string;
}

export const PAYMENT_BANKS: readonly PaymentBank[] = [
  { identifier: 'LEAN_OF_RETAIL_UAE', name: 'Lean Open Finance MockBank', ibanCode: '999' },
  { identifier: 'LEAN_SME_MB1_UAE', name: 'Lean SME Mock Bank 1', ibanCode: '998' },
  { identifier: 'ENBD_UAE', name: 'Emirates NBD', ibanCode: '026' },
  { identifier: 'FAB_UAE', name: 'First Abu Dhabi Bank', ibanCode: '035' },
  { identifier: 'ADCB_UAE', name: 'Abu Dhabi Commercial Bank', ibanCode: '003' },
  { identifier: 'HSBC_UAE', name: 'HSBC Bank Middle East', ibanCode: '020' },
];

/** The bank a simulated payment source is at unless the simulation names another. */
export const DEFAULT_SOURCE_BANK = 'LEAN_OF_RETAIL_UAE';

export function paymentBank(identifier: string): PaymentBank | undefined {
  return PAYMENT_BANKS.find((bank) => bank.identifier === identifier);
}

export function bankByIbanCode(code: string | undefined): PaymentBank | undefined {
  return code === undefined ? undefined : PAYMENT_BANKS.find((bank) => bank.ibanCode === code);
}
