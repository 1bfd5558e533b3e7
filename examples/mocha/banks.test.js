import assert from 'node:assert/strict';
import https from 'node:https';
import { startTestMock } from 'lean-mock/testing';

/** The client under test: node `https.request` with the identity's certificate through `mock.agent()`. */
function getBanks(mock, identity = 'my_app') {
  return new Promise((resolve, reject) => {
    const req = https.request(`${mock.url}/banks/v1`, { agent: mock.agent(identity), headers: mock.headers() }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode, body: JSON.parse(body) }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('my Lean client', () => {
  let mock;
  before(async () => {
    mock = await startTestMock();
  });
  after(() => mock.close());

  it('lists banks with the app certificate and token', async () => {
    const res = await getBanks(mock);
    assert.equal(res.status, 200);
    assert.ok(res.body.length > 0);
  });

  it('is refused with an expired certificate, and the mock says why', async () => {
    const refused = await mock.expectRejected(() => getBanks(mock, 'expired'));
    assert.equal(refused.reason, 'expired');
  });
});
