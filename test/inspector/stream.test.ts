import { describe, expect, it } from 'vitest';
import { startLeanMock } from '../../src/server/lean-mock.js';
import { appTokenOf, call, presented } from '../support/mock-client.js';
import { admin, good, newestRequest, mock, pki, useInspectedMock } from './inspected-mock.js';
import { SseClient } from './sse-client.js';

useInspectedMock();

describe('the inspector page', () => {
  it('is served on GET / with a strict content security policy', async () => {
    const page = await admin('/');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toMatch(/^default-src 'self'(;|$)/);
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(page.text).toContain('<script type="module" src="/inspector/app.js"></script>');
    // Nothing inline (the policy would block it) and nothing from elsewhere.
    expect(page.text).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>|\sstyle=|\son[a-z]+=/i);
    expect(page.text).not.toMatch(/https?:\/\//);
  });

  it('serves its own scripts, stylesheet and icon, and nothing else', async () => {
    const expected = { 'app.js': 'text/javascript', 'inspector.css': 'text/css', 'favicon.svg': 'image/svg+xml' };
    for (const [file, type] of Object.entries(expected)) {
      const asset = await admin(`/inspector/${file}`);
      expect(asset.status, file).toBe(200);
      expect(asset.headers.get('content-type')).toContain(type);
      expect(asset.text).not.toMatch(/https?:\/\/(?!www\.w3\.org)/);
    }
    for (const path of ['/inspector/nope.js', '/inspector/..%2Fevents.js', '/inspector/..%2F..%2Fpackage.json', '/inspector/index.ts']) {
      expect(await admin(path), path).toMatchObject({ status: 404, json: { status: 'INVALID_URL' } });
    }
  });
});

describe('the event stream', () => {
  it('replays the journal oldest first, then shows a good and a bad client live, with the reason in plain words', async () => {
    mock.reset();
    await good();
    const stream = await SseClient.open(`${mock.adminUrl}/admin/v1/events`);
    try {
      expect(stream.response.headers['content-type']).toBe('text/event-stream; charset=utf-8');
      const ready = await stream.next((event) => event.event === 'ready');
      const replayed = stream.events.slice(0, stream.events.indexOf(ready));
      expect(replayed.map((event) => event.event)).toEqual(['handshake', 'request']);
      expect(replayed.map((event) => Number(event.id))).toEqual([...replayed.map((event) => Number(event.id))].sort((a, b) => a - b));
      expect(ready.data.replayed).toBe(2);

      await good('/customers/v1');
      const live = await stream.next((event) => event.event === 'request' && event.data.path === '/customers/v1');
      expect(live.data).toMatchObject({ method: 'GET', status: 200, app: 'my_app', reason: null, explanation: null });
      expect(live.id).toBe(String(live.data.id));

      await call(mock.url, pki, presented(pki, 'expired'), { headers: appTokenOf(pki) });
      const refused = await stream.next((event) => event.event === 'handshake' && event.data.verdict === 'rejected');
      expect(refused.data).toMatchObject({ reason: 'expired', raw_code: 'CERT_HAS_EXPIRED' });
      expect(refused.data.client.subject).toContain('CN=lean-mock bad certificate: expired');
      expect(refused.data.explanation.summary).toMatch(/^The client certificate \(CN=lean-mock bad certificate: expired\) expired on \d{4}-\d\d-\d\d \(30 days ago\)\.$/);
      expect(refused.data.explanation.fix).toBe(pki.variants.find((variant) => variant.name === 'expired')!.fix);

      await call(mock.url, pki, presented(pki, 'my_app'), { path: '/banks/v1' });
      const unauthenticated = await stream.next((event) => event.event === 'request' && event.data.reason === 'missing_credentials');
      expect(unauthenticated.data.explanation.summary).toContain('neither a lean-app-token header nor an Authorization: Bearer token');
    } finally {
      stream.close();
    }
  });

  it('replays only what came after Last-Event-ID, and everything for an id from another mock', async () => {
    mock.reset();
    await good();
    const lastSeen = newestRequest().id;
    await good('/customers/v1');
    const resumed = await SseClient.open(`${mock.adminUrl}/admin/v1/events`, { 'last-event-id': String(lastSeen) });
    const fromTheFuture = await SseClient.open(`${mock.adminUrl}/admin/v1/events`, { 'last-event-id': String(lastSeen + 1_000) });
    try {
      await resumed.next((event) => event.event === 'ready');
      expect(resumed.events.filter((event) => event.id !== null).every((event) => Number(event.id) > lastSeen)).toBe(true);
      expect(resumed.events.map((event) => event.data.path ?? event.event)).toEqual(['handshake', '/customers/v1', 'ready']);
      expect((await fromTheFuture.next((event) => event.event === 'ready')).data.replayed).toBe(4);
    } finally {
      resumed.close();
      fromTheFuture.close();
    }
  });

  it('answers HEAD at once, without keeping a watcher', async () => {
    const head = await fetch(`${mock.adminUrl}/admin/v1/events`, { method: 'HEAD', signal: AbortSignal.timeout(2_000) });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(mock.journal.listenerCount('request')).toBe(0);
  });

  it('tells the page when the mock is reset', async () => {
    const stream = await SseClient.open(`${mock.adminUrl}/admin/v1/events`);
    try {
      await stream.next((event) => event.event === 'ready');
      expect((await admin('/admin/v1/reset', { method: 'POST' })).status).toBe(200);
      await stream.next((event) => event.event === 'reset');
    } finally {
      stream.close();
    }
  });

  // A stream never ends by itself: were close() to wait for it, this test would hit its timeout.
  it('lets close() finish while a page is watching, ending the stream', async () => {
    const watched = await startLeanMock({ pki });
    const stream = await SseClient.open(`${watched.adminUrl}/admin/v1/events`);
    await stream.next((event) => event.event === 'ready');
    await watched.close();
    await expect.poll(() => stream.closed).toBe(true);
  });
});
