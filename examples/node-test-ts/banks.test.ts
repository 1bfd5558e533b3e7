import assert from 'node:assert/strict';
import https from 'node:https';
import { after, before, test } from 'node:test';
import type { LeanBank } from 'lean-mock';
import { startTestMock, type IdentityName, type TestMock } from 'lean-mock/testing';

let mock: TestMock;

before(async () => {
  mock = await startTestMock();
});

after(() => mock.close());

/** The client under test: node's https with the identity's certificate through `mock.agent()`. */
function getBanks(identity: IdentityName = 'my_app'): Promise<{ status: number | undefined; banks: LeanBank[] }> {
  return new Promise((resolve, reject) => {
    const req = https.get(`${mock.url}/banks/v1`, { agent: mock.agent(identity), headers: mock.headers() }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode, banks: JSON.parse(body) as LeanBank[] }));
    });
    req.on('error', reject);
  });
}

test('lists banks with the app certificate and token', async () => {
  const { status, banks } = await getBanks();
  assert.equal(status, 200);
  assert.ok(banks.some((bank) => bank.country_code === 'SAU'));
});

test('is refused with an expired certificate, and the mock says why', async () => {
  const refused = await mock.expectRejected(() => getBanks('expired'));
  assert.equal(refused.reason, 'expired');
});
