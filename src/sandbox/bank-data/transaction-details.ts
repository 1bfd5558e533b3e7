import type { SeededRandom } from '../random.js';
import type { AccountPlan } from './accounts.js';
import { isoDateTime } from './calendar.js';
import type { Counterparty, LedgerEntry } from './ledger.js';
import type { Region } from './regions.js';

/**
 * What an Open Banking bank tells about each payment beyond its statement line (Lean's
 * `card_instrument`, `creditor_account`, `transaction_type`, …), derived from the leg that booked
 * it: the card it was paid with, who was paid or paid in, the kind of payment and its charges.
 */

export interface DetailsContext {
  /** Draws only what the leg does not decide (how a card was presented). */
  random: SeededRandom;
  region: Region;
  holderName: string;
  servicer: { identification: string; name: string; postal_address?: Readonly<Record<string, string | null>> };
}

/** The card scheme of a card number, by its first digit (ISO/IEC 7812), unless the product names one. */
function cardScheme(account: AccountPlan): string {
  if (account.spec.card_scheme) return account.spec.card_scheme;
  const first = account.spec.card_bin?.[0];
  return first === '4' ? 'VISA' : first === '5' || first === '2' ? 'MASTERCARD' : first === '3' ? 'AMEX' : 'UNSUPPORTED';
}

const identification = (iban: string, name: string) => ({ scheme_name: 'IBAN', identification: iban, name });
const agent = (bic: string, name: string, postalAddress?: Readonly<Record<string, string | null>>) => ({ scheme_name: 'BICFI', identification: bic, name, postal_address: postalAddress ?? null });

export function transactionDetails(entry: LedgerEntry, account: AccountPlan, context: DetailsContext): Record<string, unknown> {
  const { region, holderName, servicer } = context;
  const kind = entry.details.kind ?? { type: 'OTHER', subType: 'NOT_APPLICABLE' };
  const party: Counterparty | undefined = entry.details.counterparty;
  const mine = { account: identification(account.iban, holderName), agent: agent(servicer.identification, servicer.name, servicer.postal_address) };
  const theirs = party ? { account: identification(party.iban, party.name), agent: agent(party.bic, party.bank) } : null;
  // The creditor of a debit is the other side, of a credit the customer; a purchase names only its merchant.
  const [creditor, debtor] = theirs === null ? [null, null] : entry.direction === 'DEBIT' ? [theirs, mine] : [mine, theirs];
  const charge = region.charges[kind.type];
  const presented = kind.type === 'POS' ? context.random.pick(['PIN', 'CONTACTLESS', 'CONSUMER_DEVICE']) : 'OTHER';
  return {
    // One statement a month per account, as the bank numbers them.
    statement_reference: [`${isoDateTime(entry.at).slice(0, 7).replace('-', '')}-${account.last4}`],
    charge_amount: charge === undefined ? null : { amount: charge, currency: region.currency, charge_included: false },
    card_instrument: entry.details.card
      ? {
          authorization_type: presented,
          card_scheme_name: cardScheme(account),
          identification: account.pan ?? `************${account.last4}`,
          name: holderName,
        }
      : null,
    proprietary_bank_transaction_code: { code: `${kind.type}:${kind.subType}`, issuer: servicer.identification },
    currency_exchange: null,
    creditor_account: creditor?.account ?? null,
    creditor_agent: creditor?.agent ?? null,
    debtor_account: debtor?.account ?? null,
    debtor_agent: debtor?.agent ?? null,
    local_time_zone: region.timeZone,
    transaction_type: kind.type,
    sub_transaction_type: kind.subType,
    payment_modes: null,
    flags: [],
    regional_data: null,
  };
}
