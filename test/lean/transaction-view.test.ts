import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestMock, type TestMock } from '../../src/testing/index.js';

/**
 * Lean's further transaction fields are read off the generated year of the demo customer: the
 * card from the narrative, the counterparties from the account and its beneficiaries, the types
 * from the bank code. Checked over every transaction of every account, and byte-stable.
 */

const TYPES = ['POS', 'E_COMMERCE', 'ATM', 'BILL_PAYMENTS', 'LOCAL_BANK_TRANSFER', 'SAME_BANK_TRANSFER', 'INTERNATIONAL_TRANSFER', 'TELLER', 'CHEQUE', 'OTHER', 'UNSUPPORTED'];
type Tx = Record<string, any> & { transaction_information: string; credit_debit_indicator: string };

let mock: TestMock;
let entityId: string;

beforeAll(async () => {
  mock = await startTestMock({ seed: 3, asOf: '2026-03-15', clock: () => new Date('2026-03-15T09:30:00Z') });
  const customers = (await (await mock.fetch('/customers/v1/app-user-id/demo-customer', { headers: mock.headers() })).json()) as { customer_id: string };
  const entities = (await (await mock.fetch(`/customers/v1/${customers.customer_id}/entities`, { headers: mock.headers() })).json()) as { id: string }[];
  entityId = entities[0]!.id;
});
afterAll(() => mock?.close());

async function json(path: string): Promise<any> {
  return (await mock.fetch(path, { headers: mock.headers() })).json();
}

describe('transactions in Lean’s full shape', () => {
  it('derive card, counterparties and types from each transaction, the same bytes every time', async () => {
    const accounts = (await json(`/data/v2/accounts?entity_id=${entityId}`)).data.accounts as { account_id: string; account: { identification: string }[] }[];
    let cards = 0;
    let payees = 0;
    for (const account of accounts) {
      const path = `/data/v2/accounts/${account.account_id}/transactions?entity_id=${entityId}&size=100`;
      const first = (await json(path)).data.transactions as Tx[];
      const again = (await json(path)).data.transactions as Tx[];
      expect(JSON.stringify(again)).toBe(JSON.stringify(first));
      const own = account.account[0]?.identification;
      for (const t of first) {
        expect(TYPES).toContain(t.transaction_type);
        const last4 = /X{2,}(\d{4})\b/.exec(t.transaction_information)?.[1];
        if (t.card_instrument) {
          cards++;
          expect(t.card_instrument.identification).toBe(last4);
        }
        const ownSide = t.credit_debit_indicator === 'DEBIT' ? t.debtor_account : t.creditor_account;
        if (own) expect(ownSide?.identification).toBe(own);
        if (t.credit_debit_indicator === 'DEBIT' && t.creditor_account) {
          payees++;
          expect(t.transaction_information.toUpperCase()).toContain(t.creditor_account.name.toUpperCase().split(' ')[0]);
        }
      }
    }
    // The year has card spending and transfers to beneficiaries: both must show.
    expect(cards).toBeGreaterThan(0);
    expect(payees).toBeGreaterThan(0);
  });
});
