import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Agent } from 'undici';
import { startTestMock } from 'lean-mock/testing';

let mock;
const dispatchers = [];

/**
 * Node's global fetch takes a client certificate only through an undici dispatcher. undici 6 is
 * the major Node 20 bundles, so its Agent plugs into the global fetch.
 */
function dispatcherFor(identity) {
  const { cert, key, ca } = mock.identities[identity];
  const dispatcher = new Agent({ connect: { cert, key, ca } });
  dispatchers.push(dispatcher);
  return dispatcher;
}

before(async () => {
  mock = await startTestMock();
});

after(async () => {
  await Promise.all(dispatchers.map((dispatcher) => dispatcher.close()));
  await mock.close();
});

test('lists banks with the app certificate and token', async () => {
  const res = await fetch(`${mock.url}/banks/v1`, { headers: mock.headers(), dispatcher: dispatcherFor('my_app') });
  assert.equal(res.status, 200);
  assert.ok((await res.json()).length > 0);
});

test('is refused with an expired certificate, and the mock says why', async () => {
  const dispatcher = dispatcherFor('expired');
  const refused = await mock.expectRejected(() => fetch(`${mock.url}/banks/v1`, { headers: mock.headers(), dispatcher }));
  assert.equal(refused.reason, 'expired');
});
