import https from 'node:https';
import { expectRejectedAt } from 'lean-mock/testing';
import { afterAll, describe, expect, inject, it } from 'vitest';

const lean = inject('lean');
const agents = new Map();

/** A keep-alive agent presenting `identity`'s certificate, as the client under test would build it. */
function agentFor(identity) {
  if (!agents.has(identity)) {
    const { cert, key, ca } = lean.identities[identity];
    agents.set(identity, new https.Agent({ keepAlive: true, cert, key, ca }));
  }
  return agents.get(identity);
}

function get(path, agent) {
  return new Promise((resolve, reject) => {
    const req = https.get(`${lean.url}${path}`, { agent, headers: { 'lean-app-token': lean.appToken } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode, body: JSON.parse(body) }));
    });
    req.on('error', reject);
  });
}

afterAll(() => {
  for (const agent of agents.values()) agent.destroy();
});

describe('my Lean client against the shared mock', () => {
  it('lists banks with the app certificate and token', async () => {
    const res = await get('/banks/v1', agentFor('my_app'));
    expect(res.status).toBe(200);
    expect(res.body.length).toBeGreaterThan(0);
  });

  // The mock lives in the global setup's process: expectRejectedAt asks its admin API why.
  it('is refused with an expired certificate, and the mock says why', async () => {
    const handshake = await expectRejectedAt(lean.adminUrl, () => get('/banks/v1', agentFor('expired')));
    expect(handshake.reason).toBe('expired');
  });
});
