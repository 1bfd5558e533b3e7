import { describe, expect, it } from 'vitest';
import { startLeanMock } from '../../src/server/lean-mock.js';
import { appTokenOf, call, presented } from '../support/mock-client.js';
import { admin, good, newestRequest, mock, pki, useInspectedMock } from './inspected-mock.js';
import { SseClient } from './sse-client.js';

useInspectedMock();

describe('request details', () => {
  it('shows the request, the handshake it rode on and Lean’s response, with the token hidden', async () => {
    await good('/banks/v1?country_codes=ARE');
    const record = newestRequest();
    const { status, json, text } = await admin(`/admin/v1/requests/${record.id}`);
    expect(status).toBe(200);
    expect(json.request).toMatchObject({ id: record.id, method: 'GET', path: '/banks/v1', status: 200, explanation: null });
    expect(json.handshake).toMatchObject({ id: record.handshake_id, verdict: 'accepted', app: 'my_app' });
    expect(json.exchange.url).toBe('/banks/v1?country_codes=ARE');
    expect(json.exchange.request.headers['lean-app-token']).toBe('[redacted]');
    expect(json.exchange.response.headers).toMatchObject({ 'content-type': 'application/json; charset=utf-8', 'lean-correlation-id': record.correlation_id });
    expect(json.exchange.response.body.kind).toBe('json');
    expect(json.exchange.response.body.value.map((bank: { identifier: string }) => bank.identifier)).toContain('ENBD_UAE');
    expect(text).not.toContain(pki.apps[0]!.appToken);
  });

  it('never shows a client secret, a bearer token or an app token, in headers, bodies or the query string', async () => {
    const app = pki.apps[0]!;
    const form = new URLSearchParams({ client_id: app.clientId, client_secret: app.clientSecret, grant_type: 'client_credentials', scope: 'api' });
    const issued = await call(mock.url, pki, presented(pki, 'my_app'), {
      method: 'POST', path: '/oauth2/token', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form.toString(),
    });
    const accessToken = (issued.ok && (issued.json as { access_token: string }).access_token) as string;
    expect(accessToken).toMatch(/^eyJ/);
    const tokenDetails = await admin(`/admin/v1/requests/${newestRequest().id}`);
    expect(tokenDetails.json.exchange.request.body.value).toEqual({ client_id: '[redacted]', client_secret: '[redacted]', grant_type: 'client_credentials', scope: 'api' });
    expect(tokenDetails.json.exchange.response.body.value).toMatchObject({ access_token: '[redacted]', token_type: 'Bearer' });

    await call(mock.url, pki, presented(pki, 'my_app'), {
      path: `/customers/v1?client_secret=${app.clientSecret}&echo=${app.appToken}`, headers: { authorization: `Bearer ${accessToken}` },
    });
    const bearerDetails = await admin(`/admin/v1/requests/${newestRequest().id}`);
    expect(bearerDetails.json.exchange.request.headers.authorization).toBe('[redacted]');
    expect(bearerDetails.json.exchange.url).toBe('/customers/v1?client_secret=%5Bredacted%5D&echo=[redacted]');
    for (const details of [tokenDetails, bearerDetails]) {
      for (const secret of [app.appToken, app.clientSecret, accessToken]) expect(details.text).not.toContain(secret);
    }
  });

  it('hides an app token sent in the path, in the live event and in the details', async () => {
    const token = pki.apps[0]!.appToken;
    const stream = await SseClient.open(`${mock.adminUrl}/admin/v1/events`);
    try {
      await stream.next((event) => event.event === 'ready');
      await good(`/customers/v1/${token}`);
      const live = await stream.next((event) => event.event === 'request' && event.data.id === newestRequest().id);
      expect(live.data.path).toBe('/customers/v1/[redacted]');
      const details = await admin(`/admin/v1/requests/${live.data.id}`);
      expect(details.json.request.path).toBe('/customers/v1/[redacted]');
      expect(details.json.exchange.url).toBe('/customers/v1/[redacted]');
      expect(details.text).not.toContain(token);
    } finally {
      stream.close();
    }
  });

  it(`keeps a request body up to 16 kB, and of a larger one only its size`, async () => {
    const post = (body: string) =>
      call(mock.url, pki, presented(pki, 'my_app'), { method: 'POST', path: '/customers/v1', headers: { ...appTokenOf(pki), 'content-type': 'application/json' }, body });
    await post(JSON.stringify({ app_user_id: 'small-body' }));
    expect((await admin(`/admin/v1/requests/${newestRequest().id}`)).json.exchange.request.body).toMatchObject({ kind: 'json', value: { app_user_id: 'small-body' } });
    const big = JSON.stringify({ app_user_id: 'big-body', note: 'x'.repeat(100_000) });
    await post(big);
    const details = await admin(`/admin/v1/requests/${newestRequest().id}`);
    expect(details.json.exchange.request.body).toEqual({ kind: 'text', text: `[not kept: ${big.length} bytes, over the 16384-byte limit]`, bytes: big.length, truncated: true });
  });

  it('captures the 403 of a certificate refused in the http style, explained from its handshake', async () => {
    const httpStyle = await startLeanMock({ pki, rejection: 'http' });
    try {
      const refused = await call(httpStyle.url, pki, presented(pki, 'revoked'), { headers: appTokenOf(pki) });
      expect(refused.ok && refused.status).toBe(403);
      const response = await fetch(`${httpStyle.adminUrl}/admin/v1/requests/${httpStyle.journal.requests()[0]!.id}`);
      const details = (await response.json()) as any;
      expect(details.request).toMatchObject({ status: 403, reason: 'revoked' });
      expect(details.request.explanation.summary).toContain('CN=lean-mock bad certificate: revoked');
      expect(details.handshake).toMatchObject({ verdict: 'rejected', reason: 'revoked' });
      expect(details.exchange.response.body.value).toMatchObject({ status: 'INVALID_CERTIFICATE', metadata: { reason: 'revoked' } });
    } finally {
      await httpStyle.close();
    }
  });

  it('answers an unknown id with a Lean 404 and a malformed one with a 400', async () => {
    expect(await admin('/admin/v1/requests/999999')).toMatchObject({ status: 404, json: { status: 'UNKNOWN_REQUEST' } });
    expect(await admin('/admin/v1/requests/abc')).toMatchObject({ status: 400, json: { status: 'INVALID_PARAMETERS', message: expect.stringContaining('field: id') } });
    expect(await admin('/admin/v1/requests/1', { method: 'DELETE' })).toMatchObject({ status: 405, json: { status: 'INVALID_HTTP_METHOD' } });
  });
});
