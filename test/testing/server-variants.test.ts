import { request } from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SERVER_CATALOGUE } from '../../src/pki/server-variants/catalogue.js';
import { startTestMock, type TestMock } from '../../src/testing/index.js';

let mock: TestMock;
beforeAll(async () => {
  mock = await startTestMock();
});
afterAll(() => mock.close());

/** A Lean client as an application would write it: the app's certificate, trusting Lean's chain. */
function listBanks(url: string, insecure = false): Promise<number> {
  const identity = mock.identities.my_app;
  return new Promise((resolve, reject) => {
    const req = request(`${url}/banks/v1`, {
      ca: identity.ca,
      cert: identity.cert,
      key: identity.key,
      headers: mock.headers(),
      agent: false,
      rejectUnauthorized: !insecure,
    }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('mock.expectClientRefusesServer', () => {
  it.each(SERVER_CATALOGUE.filter((variant) => variant.mustRefuse).map((variant) => variant.name))(
    'resolves when a verifying client refuses %s',
    async (variant) => {
      const refusal = await mock.expectClientRefusesServer(variant, (url) => listBanks(url));
      expect(refusal).toMatchObject({ variant, alert: null, handshake: { server_variant: variant, client_verdict: 'refused' } });
      expect((refusal.error as NodeJS.ErrnoException).code).toBe(SERVER_CATALOGUE.find((entry) => entry.name === variant)!.expectedClientError.nodeCode);
    },
  );

  it('rejects naming the variant, and what it means, when the client accepts', async () => {
    await expect(mock.expectClientRefusesServer('expired', (url) => listBanks(url, true))).rejects.toThrow(
      /expectClientRefusesServer\(expired\): the client ACCEPTED a server certificate it must refuse .*does not verify the server/,
    );
  });

  it('rejects when the call never reaches the listener', async () => {
    await expect(mock.expectClientRefusesServer('wrong_host', async () => undefined, { timeoutMs: 200 })).rejects.toThrow(
      /never connected to https:\/\/127\.0\.0\.1:\d+ within 200 ms/,
    );
  });
});
