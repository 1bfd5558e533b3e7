import https from 'node:https';
import type { LeanBank } from 'lean-mock';
import { expectRejectedAt } from 'lean-mock/testing';
import { afterAll, describe, expect, inject, it } from 'vitest';

const lean = inject('lean'); // LeanContext, typed by global-setup.ts's ProvidedContext
type IdentityName = keyof typeof lean.identities;
const agents = new Map<IdentityName, https.Agent>();

/** A keep-alive agent presenting `identity`'s certificate, as the client under test would build it. */
function agentFor(identity: IdentityName): https.Agent {
  let agent = agents.get(identity);
  if (!agent) {
    const { cert, key, ca } = lean.identities[identity];
    agent = new https.Agent({ keepAlive: true, cert, key, ca });
    agents.set(identity, agent);
  }
  return agent;
}

function get<T>(path: string, agent: https.Agent): Promise<{ status: number | undefined; body: T }> {
  return new Promise((resolve, reject) => {
    const req = https.get(`${lean.url}${path}`, { agent, headers: { 'lean-app-token': lean.appToken } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode, body: JSON.parse(body) as T }));
    });
    req.on('error', reject);
  });
}

afterAll(() => {
  for (const agent of agents.values()) agent.destroy();
});

describe('my Lean client against the shared mock', () => {
  it('lists banks with the app certificate and token', async () => {
    const res = await get<LeanBank[]>('/banks/v1', agentFor('my_app'));
    expect(res.status).toBe(200);
    expect(res.body.map((bank) => bank.identifier)).toContain('LEAN_OF_RETAIL_UAE');
  });

  // The mock lives in the global setup's process: expectRejectedAt asks its admin API why.
  it('is refused with an expired certificate, and the mock says why', async () => {
    const handshake = await expectRejectedAt(lean.adminUrl, () => get('/banks/v1', agentFor('expired')));
    expect(handshake.reason).toBe('expired');
  });
});
