import { startTestMock, type TestMock } from 'lean-mock/testing';
import type { LeanAccount, LeanPayment } from 'lean-mock';

export async function firstAccount(mock: TestMock): Promise<LeanAccount | undefined> {
  const res = await mock.fetch('/data/v2/accounts', { headers: mock.headers() });
  return ((await res.json()) as { data: { accounts: LeanAccount[] } }).data.accounts[0];
}
export const start: () => Promise<TestMock> = startTestMock;
export type Paid = Pick<LeanPayment, 'id' | 'status'>;
