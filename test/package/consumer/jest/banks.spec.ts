import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { startTestMock, type TestMock } from 'lean-mock/testing';

let mock: TestMock;
beforeAll(async () => { mock = await startTestMock(); });      // fresh PKI, loopback, ephemeral ports
afterAll(() => mock.close());
it('lists banks', async () => {
  expect((await mock.fetch('/banks/v1', { headers: mock.headers() })).status).toBe(200);
});
it('refuses an expired certificate, and the mock says why', async () => {
  expect((await mock.expectRejected(() => mock.fetch('/banks/v1', { identity: 'expired' }))).reason).toBe('expired');
});
it('sees Lean down', async () => {
  mock.use({ path: '/banks/v1', status: 503 });
  expect((await mock.fetch('/banks/v1', { headers: mock.headers() })).status).toBe(503);
});
