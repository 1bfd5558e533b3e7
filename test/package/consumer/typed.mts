import { startTestMock, type HandshakeRecord, type TestMock } from 'lean-mock/testing';
import { createLeanPki, startLeanMock, type LeanAccount, type LeanBank, type LeanMock, type LeanTransaction } from 'lean-mock';

const mock: TestMock = await startTestMock();
const banks = (await (await mock.fetch('/banks/v1', { headers: mock.headers() })).json()) as LeanBank[];
const refused: HandshakeRecord = await mock.expectRejected(() => mock.fetch('/banks/v1', { identity: 'expired' }));
const server: LeanMock = await startLeanMock({ pki: await createLeanPki() });
const total = (accounts: LeanAccount[], transactions: LeanTransaction[]): number => accounts.length + transactions.length;
console.log(banks[0]?.identifier, refused.reason, server.url, total([], []));
await Promise.all([server.close(), mock.close()]);
