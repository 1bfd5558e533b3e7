import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLeanPki, type LeanPki } from '../../src/pki/lean-pki.js';
import { startLeanMock, type LeanMock } from '../../src/server/lean-mock.js';
import { appTokenOf, call, presented } from '../support/mock-client.js';
import { eventually } from '../support/eventually.js';

let pki: LeanPki;
let mock: LeanMock;
beforeAll(async () => {
  pki = await createLeanPki();
  mock = await startLeanMock({ pki });
});
afterAll(() => mock.close());

const admin = async (path: string, init?: RequestInit): Promise<{ status: number; json: any }> => {
  const response = await fetch(`${mock.adminUrl}${path}`, init);
  return { status: response.status, json: await response.json() };
};

describe('the admin API', () => {
  it('listens on loopback only, on its own plain-HTTP port', () => {
    expect(mock.adminUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(mock.adminUrl).not.toContain(String(mock.port));
  });

  it('refuses requests addressed to another host name (DNS rebinding), answering loopback names', async () => {
    const withHost = (host: string) =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = request(`${mock.adminUrl}/admin/v1/handshakes`, { headers: { host } }, (res) => {
          let body = '';
          res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        });
        req.on('error', reject).end();
      });
    const port = new URL(mock.adminUrl!).port;
    const foreign = await withHost(`attacker.example:${port}`);
    expect(foreign.status).toBe(403);
    expect(JSON.parse(foreign.body)).toMatchObject({ status: 'FORBIDDEN_HOST' });
    expect(JSON.parse(foreign.body).message).toContain('attacker.example');
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `LOCALHOST`]) {
      expect((await withHost(host)).status).toBe(200);
    }
  });

  it('refuses changes sent by a page of another site, and still takes them from scripts and loopback pages', async () => {
    const reset = (headers: Record<string, string>) => fetch(`${mock.adminUrl}/admin/v1/reset`, { method: 'POST', headers });
    const crossSite = await reset({ origin: 'https://evil.example', 'sec-fetch-site': 'cross-site', 'content-type': 'text/plain' });
    expect(crossSite.status).toBe(403);
    expect(await crossSite.json()).toMatchObject({ status: 'FORBIDDEN_ORIGIN' });
    expect((await reset({ origin: 'null' })).status).toBe(403);
    expect((await reset({ 'sec-fetch-site': 'same-site' })).status).toBe(403);
    expect((await reset({})).status).toBe(200); // curl, test code: no Origin, no Sec-Fetch-Site
    expect((await reset({ origin: mock.adminUrl!, 'sec-fetch-site': 'same-origin' })).status).toBe(200);
    const read = await fetch(`${mock.adminUrl}/admin/v1/revocations`, { headers: { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' } });
    expect(read.status).toBe(200); // reading is the Host check's business, and the browser's same-origin policy
  });

  it('lists handshakes and requests newest first, filtered by verdict and reason', async () => {
    await call(mock.url, pki, presented(pki, 'my_app'), { headers: appTokenOf(pki) });
    await call(mock.url, pki, presented(pki, 'revoked'), { headers: appTokenOf(pki) });
    await eventually(() => mock.journal.handshakes().some((handshake) => handshake.reason === 'revoked'));
    const all = await admin('/admin/v1/handshakes');
    expect(all.status).toBe(200);
    expect(all.json[0]).toMatchObject({ verdict: 'rejected', reason: 'revoked', raw_code: 'CERT_REVOKED' });
    expect(Object.keys(all.json[0]).sort()).toEqual(['app', 'at', 'client', 'id', 'raw_code', 'reason', 'remote', 'tls_version', 'verdict']);
    const accepted = await admin('/admin/v1/handshakes?verdict=accepted&limit=1');
    expect(accepted.json).toHaveLength(1);
    expect(accepted.json[0]).toMatchObject({ verdict: 'accepted', app: 'my_app' });
    const requests = await admin('/admin/v1/requests');
    expect(requests.json[0]).toMatchObject({ method: 'GET', path: '/banks/v1', status: 200, app: 'my_app' });
  });

  it('answers bad queries and bodies with Lean errors naming the field', async () => {
    expect(await admin('/admin/v1/handshakes?limit=-3')).toMatchObject({ status: 400, json: { status: 'INVALID_PARAMETERS', message: expect.stringContaining('field: limit') } });
    expect(await admin('/admin/v1/handshakes?verdict=maybe')).toMatchObject({ status: 400 });
    const post = (body: string) => admin('/admin/v1/revocations', { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect(await post('{}')).toMatchObject({ status: 400, json: { status: 'MISSING_PARAMETERS' } });
    expect(await post('{"serial":"xyz"}')).toMatchObject({ status: 400, json: { status: 'INVALID_PARAMETERS' } });
    expect(await post('{"serial":')).toMatchObject({ status: 400, json: { status: 'INVALID_PARAMETERS' } });
    expect(await admin('/admin/v1/nothing')).toMatchObject({ status: 404, json: { status: 'INVALID_URL' } });
    expect(await admin('/admin/v1/reset')).toMatchObject({ status: 405, json: { status: 'INVALID_HTTP_METHOD' } });
  });

  it('revokes a certificate for new connections, and reset brings back the seeded state', async () => {
    const serial = pki.apps[0]!.credential.serialNumber;
    const revoked = await admin('/admin/v1/revocations', {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ serial: serial.toLowerCase() }),
    });
    expect(revoked).toMatchObject({ status: 201, json: { serial, issuer: 'intermediate' } });
    expect((await admin('/admin/v1/revocations')).json.serials).toContain(serial);
    const refused = await call(mock.url, pki, presented(pki, 'my_app'), { headers: appTokenOf(pki) });
    expect(refused.ok).toBe(false);

    expect(await admin('/admin/v1/reset', { method: 'POST' })).toMatchObject({ status: 200, json: { status: 'OK' } });
    expect((await admin('/admin/v1/handshakes')).json).toEqual([]);
    expect((await admin('/admin/v1/revocations')).json.serials).not.toContain(serial);
    const back = await call(mock.url, pki, presented(pki, 'my_app'), { headers: appTokenOf(pki) });
    expect(back.ok && back.status).toBe(200);
  });
});
