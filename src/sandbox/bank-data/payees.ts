import type { SeededRandom } from '../random.js';
import { digits, uuid } from './ids.js';
import { DAY, isoDateTime, money, randomFils, startOfDay } from './calendar.js';
import { iban } from './iban.js';
import type { AccountPlan, Holder } from './accounts.js';
import type { BankProfile, BeneficiarySpec, DirectoryBank } from './profile.js';
import { withRegionalFields, type Region } from './regions.js';
import type { Beneficiary, CreditorAccount, CreditorAgent, ScheduledPayment } from './records.js';

/** Someone the customer pays: a beneficiary saved at the bank, with its account at another bank. */
export interface Payee {
  spec: BeneficiarySpec;
  bank: DirectoryBank;
  iban: string;
  /** Paid across borders (another country than the customer's bank). */
  international: boolean;
}

export function planPayees(random: SeededRandom, profile: BankProfile): Map<string, Payee> {
  const payees = new Map<string, Payee>();
  for (const spec of profile.beneficiaries) {
    const bank = profile.directory.find((entry) => entry.key === spec.bank)!;
    const bban = `${bank.bban_prefix}${digits(random, bank.account_digits)}`;
    payees.set(spec.key, { spec, bank, iban: iban(bank.country, bban), international: bank.country !== profile.country });
  }
  return payees;
}

export function creditorAgentOf(payee: Payee): CreditorAgent {
  return { identification_type: 'BICFI', identification: payee.bank.bic, name: payee.bank.name };
}

export function creditorAccountOf(payee: Payee): CreditorAccount {
  return { scheme_name: 'IBAN', identification: payee.iban, name: payee.spec.name };
}

/** The beneficiaries saved on the account; `account_holder_*` name the account's holder, as in Lean's scheduled payments. */
export function beneficiaryRecords(random: SeededRandom, payees: ReadonlyMap<string, Payee>, account: AccountPlan, holder: Holder, region: Region): Beneficiary[] {
  return [...payees.values()].map((payee) => {
    const { address } = payee.bank;
    return withRegionalFields(region, 'beneficiary', {
      account_id: account.accountId,
      account_holder_name: holder.name,
      account_holder_short_name: holder.first,
      beneficiary_id: uuid(random),
      beneficiary_type: payee.spec.type,
      creditor_agent: {
        scheme_name: 'BICFI',
        identification: payee.bank.bic,
        name: payee.bank.name,
        postal_address: {
          address_type: 'BUSINESS',
          ...address,
          address_line: [address.building_number, address.street_name, address.town_name, address.post_code, address.country]
            .filter((part) => part !== undefined)
            .join(', '),
        },
      },
      creditor_account: creditorAccountOf(payee),
      reference: payee.spec.reference,
    });
  });
}

/** One-off payments the customer has booked for the coming weeks. */
export function scheduledPaymentRecords(
  random: SeededRandom,
  context: { profile: BankProfile; payees: ReadonlyMap<string, Payee>; entityId: string; account: AccountPlan; holder: Holder; asOf: number },
): ScheduledPayment[] {
  const { profile, payees, entityId, account, holder, asOf } = context;
  return profile.scheduled_payments.map((spec) => {
    const payee = payees.get(spec.payee)!;
    const at = startOfDay(asOf) + random.int(Math.max(1, spec.days_ahead.min), Math.max(1, spec.days_ahead.max)) * DAY + 6 * 3_600_000;
    return withRegionalFields(profile.region, 'scheduledPayment', {
      entity_id: entityId,
      account_id: account.accountId,
      account_holder_name: holder.name,
      account_holder_short_name: holder.first,
      scheduled_payment_id: uuid(random),
      scheduled_type: 'EXECUTION',
      scheduled_payment_date_time: isoDateTime(at),
      debtor_reference: spec.reference,
      instructed_amount: money(randomFils(random, spec.amount), profile.region.currency),
      creditor_agent: creditorAgentOf(payee),
      creditor_account: creditorAccountOf(payee),
    }, { reference: spec.reference });
  });
}
