import { accountList, entityAccounts } from '../data-access.js';
import { bankProfile } from '../bank-data/profile.js';
import { listCustomers } from '../customers.js';
import { listCustomerEntities } from '../entities.js';
import { paymentBank } from '../payments/banks.js';
import { listDestinations } from '../payments/destinations.js';
import { listSources } from '../payments/sources.js';
import type { SandboxStore } from '../store/store.js';
import { ALPHA3 } from './countries.js';

/**
 * Every account the sandbox knows a holder for, as verifications see it: the accounts of
 * connected entities, payment destinations, payment sources' accounts and the beneficiaries saved
 * on entities' accounts. Read through the products' own read modules, scoped to the app, so
 * another app's accounts are as unknown as any other.
 */

export interface HeldAccount {
  iban?: string;
  accountNumber?: string;
  /** Alpha-2, where the record says (an IBAN says it itself). */
  country?: string;
  holder: string;
  bank: { name: string; bic: string | null } | null;
  currency: string | null;
  /** The owner's government identifiers (Emirates ID, trade licence…), compared exactly. */
  ids: string[];
  /** The customer who owns it, when the sandbox knows one. */
  customerId?: string;
}

export function heldAccounts(store: SandboxStore, app: string): HeldAccount[] {
  const held: HeldAccount[] = [];
  for (const customer of listCustomers(store, app)) {
    const ids = (customer.government_identifiers ?? []).map((id) => id.value);
    for (const entity of listCustomerEntities(store, app, customer.customer_id)) {
      const servicer = bankProfile(entity.bank_identifier)?.bank_details.name ?? entity.bank_identifier;
      for (const account of entityAccounts(store, app, entity.id)) {
        const iban = account.account.find((id) => id.scheme_name === 'IBAN')?.identification;
        const bban = account.account.find((id) => id.scheme_name === 'BBAN')?.identification;
        held.push({
          ...(iban ? { iban } : {}),
          ...(bban ? { accountNumber: bban } : {}),
          holder: account.account_holder_name,
          bank: { name: servicer, bic: account.servicer.identification },
          currency: account.currency,
          ids,
          customerId: customer.customer_id,
        });
        for (const saved of accountList(store, app, 'beneficiaries', account.account_id)) held.push(...beneficiary(saved));
      }
    }
    for (const source of listSources(store, app, customer.customer_id)) {
      const bank = paymentBank(source.bank_identifier);
      for (const account of source.accounts) {
        held.push({
          iban: account.iban,
          accountNumber: account.account_number,
          holder: source.holder_name,
          bank: bank ? { name: bank.name, bic: null } : null,
          currency: account.currency,
          ids,
          customerId: customer.customer_id,
        });
      }
    }
  }
  for (const destination of listDestinations(store, app)) {
    held.push({
      ...(destination.iban ? { iban: destination.iban } : {}),
      accountNumber: destination.account_number,
      ...(ALPHA3[destination.country] ? { country: ALPHA3[destination.country] } : {}),
      holder: destination.name,
      bank: destination.swift_code ? { name: destination.bank_identifier ?? destination.swift_code, bic: destination.swift_code } : null,
      currency: destination.currency ?? null,
      ids: destination.government_identifier ? [destination.government_identifier.value] : [],
      ...(destination.customer_id ? { customerId: destination.customer_id } : {}),
    });
  }
  return held;
}

/** A beneficiary's account: the payee's name and IBAN as the bank saved them. */
function beneficiary(saved: Record<string, unknown>): HeldAccount[] {
  const account = saved.creditor_account as { scheme_name?: string; identification?: string; name?: string } | undefined;
  const agent = saved.creditor_agent as { identification?: string; name?: string } | undefined;
  if (account?.scheme_name !== 'IBAN' || !account.identification || !account.name) return [];
  return [{ iban: account.identification, holder: account.name, bank: agent?.name ? { name: agent.name, bic: agent.identification ?? null } : null, currency: null, ids: [] }];
}

/** The held account with this IBAN (the sandbox's own records first, then what its accounts saved). */
export function findByIban(store: SandboxStore, app: string, iban: string): HeldAccount | undefined {
  return heldAccounts(store, app).find((account) => account.iban === iban);
}

/** The held account with this local account number in this country. */
export function findByAccountNumber(store: SandboxStore, app: string, country: string, accountNumber: string): HeldAccount | undefined {
  return heldAccounts(store, app).find((account) => account.country === country && account.accountNumber === accountNumber);
}
