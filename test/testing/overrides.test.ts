import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestMock, type TestMock } from '../../src/testing/index.js';

let mock: TestMock;
beforeAll(async () => {
  mock = await startTestMock();
});
afterAll(() => mock.close());
beforeEach(() => mock.reset());

const banks = (init: { identity?: string; method?: string } = {}) =>
  mock.fetch('/banks/v1', { ...init, headers: mock.headers(init.identity) });

describe('use(): canned responses', () => {
  it("answers the canned status with Lean's envelope, on every matching call, until resetOverrides()", async () => {
    mock.use({ method: 'GET', path: '/banks/v1', status: 503 });
    for (let i = 0; i < 3; i++) {
      const res = await banks();
      expect(res.status).toBe(503);
      expect(await res.json()).toMatchObject({ status: 'INTERNAL_SERVER_ERROR', metadata: null });
    }
    mock.resetOverrides();
    expect((await banks()).status).toBe(200);
  });

  it('answers the canned body when one is given, and only for the method and app it names', async () => {
    mock.use({ method: 'GET', path: '/banks/*', app: 'my_app', status: 429, body: { status: 'RATE_LIMIT_EXCEEDED', note: 'canned' } });
    const canned = await banks();
    expect(canned.status).toBe(429);
    expect(await canned.json()).toEqual({ status: 'RATE_LIMIT_EXCEEDED', note: 'canned' });
    expect((await banks({ identity: 'other_app' })).status).toBe(200);
    expect((await banks({ method: 'POST' })).status).toBe(405);
  });

  it('lets the latest use() win where several match, and the earlier one show again once that is disposed of', async () => {
    mock.use({ path: '/banks/v1', status: 500 });
    const dispose = mock.use({ path: '/banks/v1', status: 502 });
    expect((await banks()).status).toBe(502);
    dispose();
    expect((await banks()).status).toBe(500);
    dispose(); // twice is harmless
    expect((await banks()).status).toBe(500);
  });

  it('reaches only authenticated requests: credentials are checked first, as at Lean', async () => {
    mock.use({ path: '/banks/v1', status: 503 });
    expect((await mock.fetch('/banks/v1')).status).toBe(401);
  });
});

describe('use(): network faults', () => {
  it('resets the connection, then stops after resetOverrides()', async () => {
    mock.use({ path: '/banks/v1', reset: true });
    await expect(banks()).rejects.toMatchObject({ code: expect.stringMatching(/ECONNRESET|EPIPE/) });
    await expect(banks()).rejects.toThrow();
    mock.resetOverrides();
    expect((await banks()).status).toBe(200);
  });

  it('sends a truncated JSON body with 200', async () => {
    mock.use({ path: '/banks/v1', malformed: true });
    const res = await banks();
    expect(res.status).toBe(200);
    await expect(res.json()).rejects.toThrow(SyntaxError);
  });

  it('delays the real answer', async () => {
    mock.use({ path: '/banks/v1', delay_ms: 150 });
    const started = performance.now();
    expect((await banks()).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    mock.resetOverrides();
    const again = performance.now();
    await banks();
    expect(performance.now() - again).toBeLessThan(140);
  });
});

describe('use(): lifetime and validation', () => {
  it('is cleared by reset() too', async () => {
    mock.use({ path: '/banks/v1', status: 503 });
    mock.reset();
    expect((await banks()).status).toBe(200);
    expect(mock.lean.faults.list()).toEqual([]);
  });

  it('leaves faults armed otherwise in place on resetOverrides()', async () => {
    mock.lean.faults.add({ match: { path: '/customers/v1' }, count: 1, fault: { status: 500 } });
    mock.use({ path: '/banks/v1', status: 503 });
    mock.resetOverrides();
    expect(mock.lean.faults.list().map((fault) => fault.match.path)).toEqual(['/customers/v1']);
  });

  it('answers a canned success with the body given, until reset', async () => {
    const canned = [{ identifier: 'ONLY_BANK' }];
    mock.use({ method: 'GET', path: '/banks/v1', status: 200, body: canned });
    const first = await mock.fetch('/banks/v1', { headers: mock.headers() });
    const second = await mock.fetch('/banks/v1', { headers: mock.headers() });
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual(canned);
    expect(await second.json()).toEqual(canned);
    mock.resetOverrides();
    const real = await mock.fetch('/banks/v1', { headers: mock.headers() });
    expect(((await real.json()) as unknown[]).length).toBeGreaterThan(1);
  });

  it('refuses an invalid override, naming the field, and arms none of the batch', () => {
    expect(() => mock.use({ path: '/banks/v1', status: 503 }, { path: '/banks/v1', status: 200 })).toThrow(
      /is not a valid override: .*field: body/,
    );
    expect(() => mock.use({ path: 'banks', status: 503 })).toThrow(/field: path/);
    expect(mock.lean.faults.list()).toEqual([]);
  });
});
