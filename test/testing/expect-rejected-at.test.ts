import { request } from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectRejectedAt, startTestMock, type TestMock } from '../../src/testing/index.js';

let mock: TestMock;
beforeAll(async () => {
  mock = await startTestMock();
});
afterAll(() => mock.close());

/** A plain https call, as a client in another process would make it. */
function get(identity: 'my_app' | 'revoked'): Promise<number> {
  const { cert, key, ca } = mock.identities[identity];
  return new Promise((resolve, reject) => {
    const req = request(new URL('/banks/v1', mock.url), { cert, key, ca, agent: false, headers: mock.headers() }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('expectRejectedAt, for a mock in another process', () => {
  it("resolves with the verdict the admin API reports for the call's handshake", async () => {
    await get('my_app'); // an older, accepted handshake must not be taken for the answer
    const handshake = await expectRejectedAt(mock.adminUrl!, () => get('revoked'));
    expect(handshake).toMatchObject({ verdict: 'rejected', reason: 'revoked' });
  });

  it('rejects when the call is not refused', async () => {
    await expect(expectRejectedAt(mock.adminUrl!, () => get('my_app'))).rejects.toThrow(/succeeded/);
  });
});
