// The README's lean-mock/testing example, as written there (vitest globals imported here).
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestMock, type TestMock } from '../../src/testing/index.js';

let mock: TestMock;
beforeAll(async () => { mock = await startTestMock(); });
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
