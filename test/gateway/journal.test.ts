import { describe, expect, it } from 'vitest';
import { BODY_BUDGET_BYTES, Journal, MAX_BODY_BYTES, MAX_JOURNAL_STRING, type HandshakeRecord } from '../../src/gateway/journal.js';
import { seededRandom } from '../../src/sandbox/random.js';

const handshake = (reason: HandshakeRecord['reason']): Omit<HandshakeRecord, 'id' | 'at'> => ({
  remote: '127.0.0.1:1',
  tls_version: 'TLSv1.3',
  verdict: reason ? 'rejected' : 'accepted',
  reason,
  raw_code: null,
  client: null,
  app: null,
});

describe('the journal', () => {
  it('lists handshakes newest first, with increasing ids and the injected time', () => {
    const journal = new Journal({ clock: () => new Date('2030-01-02T03:04:05Z') });
    journal.recordHandshake(handshake('expired'));
    journal.recordHandshake(handshake(null));
    const [newest, oldest] = journal.handshakes();
    expect(newest!.verdict).toBe('accepted');
    expect(oldest!.reason).toBe('expired');
    expect(newest!.id).toBeGreaterThan(oldest!.id);
    expect(newest!.at).toBe('2030-01-02T03:04:05.000Z');
  });

  it('keeps only the newest entries once full, so memory stays bounded', () => {
    const journal = new Journal({ capacity: 3 });
    for (let i = 0; i < 10; i++) journal.recordHandshake(handshake(i % 2 ? 'revoked' : null));
    const kept = journal.handshakes();
    expect(kept).toHaveLength(3);
    expect(kept.map((record) => record.id)).toEqual([10, 9, 8]);
  });

  it('tells subscribers about every handshake and request as it happens', () => {
    const journal = new Journal();
    const seen: string[] = [];
    journal.on('handshake', (record) => seen.push(`handshake ${record.reason}`));
    journal.on('request', (record) => seen.push(`request ${record.status}`));
    journal.recordHandshake(handshake('unknown_ca'));
    journal.recordRequest({
      method: 'GET', path: '/banks/v1', status: 200, app: 'my_app', client_fingerprint: null,
      duration_ms: 1, handshake_id: 1, reason: null, correlation_id: 'abc',
    });
    expect(seen).toEqual(['handshake unknown_ca', 'request 200']);
  });

  it('resolves nextHandshake with the first match and rejects when none comes in time', async () => {
    const journal = new Journal();
    const waiting = journal.nextHandshake((record) => record.reason === 'revoked');
    journal.recordHandshake(handshake('expired'));
    journal.recordHandshake(handshake('revoked'));
    await expect(waiting).resolves.toMatchObject({ reason: 'revoked' });
    await expect(journal.nextHandshake(() => true, 20)).rejects.toThrow(/no matching handshake/);
    expect(journal.listenerCount('handshake')).toBe(0);
  });

  it('empties on clear and refuses a capacity that is not a positive integer', () => {
    const journal = new Journal();
    journal.recordHandshake(handshake(null));
    journal.clear();
    expect(journal.handshakes()).toEqual([]);
    expect(() => new Journal({ capacity: 0 })).toThrow(RangeError);
  });
});

describe('the journal is bounded in bytes, not only in records', () => {
  it(`keeps at most ${MAX_JOURNAL_STRING} characters of any string, marking how much it cut`, () => {
    const journal = new Journal({ capacity: 1000 });
    const path = `/${'a'.repeat(16_000)}`;
    const subject = `CN=${'s'.repeat(16_000)}`;
    for (let i = 0; i < 1000; i++) {
      journal.recordRequest({ method: 'GET', path, status: 404, app: null, client_fingerprint: null, duration_ms: 1, handshake_id: null, reason: null, correlation_id: 'c'.repeat(5_000) });
      journal.recordHandshake({
        remote: '127.0.0.1', tls_version: 'TLSv1.3', verdict: 'rejected', reason: 'unknown_ca', raw_code: 'x', app: null,
        client: { subject, issuer: subject, serial: '01', fingerprint256: 'f', not_before: 'b', not_after: 'a', ca: false, key_usage: null, extended_key_usage: null, faults: [] },
      });
    }
    const [request] = journal.requests();
    expect(request!.path).toBe(`${path.slice(0, MAX_JOURNAL_STRING)}…[${path.length - MAX_JOURNAL_STRING} more characters]`);
    expect(journal.handshakes()[0]!.client!.subject).toHaveLength(MAX_JOURNAL_STRING + '…[13955 more characters]'.length);
    // 16 MB of paths and 32 MB of subjects came in; about 2 kB a string is kept.
    const kept = JSON.stringify([journal.requests(), journal.handshakes()]).length;
    expect(kept).toBeLessThan(1000 * 4 * (MAX_JOURNAL_STRING + 64) + 1000 * 600);
  });
});

describe('request bodies in the journal', () => {
  const withBody = (text: string | null): Parameters<Journal['recordRequest']>[0] => ({
    method: 'POST', path: '/customers/v1', status: 200, app: null, client_fingerprint: null, duration_ms: 1, handshake_id: null, reason: null, correlation_id: 'c',
    body: { content_type: 'application/json', bytes: text === null ? null : Buffer.byteLength(text), text, omitted: null },
  });

  it(`keeps a body's text up to ${MAX_BODY_BYTES} bytes, and beyond that only its size`, () => {
    const journal = new Journal();
    const fits = 'é'.repeat(MAX_BODY_BYTES / 2);
    journal.recordRequest(withBody(fits));
    journal.recordRequest(withBody(`${fits}x`));
    const [tooLarge, kept] = journal.requests();
    expect(kept!.body).toMatchObject({ text: fits, omitted: null });
    expect(tooLarge!.body).toMatchObject({ text: null, omitted: 'too_large', bytes: MAX_BODY_BYTES + 1 });
    expect(journal.recordRequest({ ...withBody(null), body: undefined }).body).toBeNull();
  });

  it(`holds at most ${BODY_BUDGET_BYTES} bytes of body text whatever arrives, taking it from the oldest requests first`, () => {
    const random = seededRandom(7);
    const journal = new Journal({ capacity: 2_000 });
    for (let i = 0; i < 3_000; i++) {
      journal.recordRequest(withBody('x'.repeat(random.int(0, MAX_BODY_BYTES))));
      expect(journal.bodyTextBytes).toBeLessThanOrEqual(BODY_BUDGET_BYTES);
    }
    const records = journal.requests();
    expect(records).toHaveLength(2_000);
    const held = records.reduce((sum, record) => sum + Buffer.byteLength(record.body?.text ?? ''), 0);
    expect(held).toBe(journal.bodyTextBytes);
    // Newest first: once one request lost its text, every older one has too.
    const firstEvicted = records.findIndex((record) => record.body?.omitted === 'evicted');
    expect(firstEvicted).toBeGreaterThan(0);
    expect(records.slice(firstEvicted).every((record) => record.body?.omitted === 'evicted' || record.body?.text === '')).toBe(true);
    expect(records[0]!.body!.text).not.toBeNull();
  });

  it('stops counting the bodies of requests that left the ring, and forgets all on clear', () => {
    const journal = new Journal({ capacity: 10 });
    for (let i = 0; i < 25; i++) journal.recordRequest(withBody('y'.repeat(100)));
    expect(journal.bodyTextBytes).toBe(1_000);
    journal.clear();
    expect(journal.bodyTextBytes).toBe(0);
  });
});
