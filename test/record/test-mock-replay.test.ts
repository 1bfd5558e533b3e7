import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ExchangeFile } from '../../src/record/exchange-file.js';
import { startTestMock, type TestMock } from '../../src/testing/index.js';

/** `startTestMock({ replay })`: a client suite replays what `lean-mock record` captured, in process. */
let dir: string;
let mock: TestMock;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lean-mock-test-replay-'));
  const recorded: ExchangeFile = {
    lean_mock_exchange: 1,
    recorded_at: '2026-12-01T10:00:00.000Z',
    upstream: 'https://sandbox.leantech.me',
    request: { method: 'GET', path: '/banks/v1', query: {}, headers: {} },
    response: { status: 200, headers: { 'content-type': 'application/json' }, body_text: '[{"identifier":"RECORDED_BANK"}]' },
  };
  await writeFile(join(dir, '0001-GET-banks-v1.json'), JSON.stringify(recorded));
  mock = await startTestMock({ replay: dir });
});
afterAll(async () => {
  await mock?.close();
  await rm(dir, { recursive: true, force: true });
});

it('answers a recorded request from the file, and the journal names it', async () => {
  const reply = await mock.fetch('/banks/v1', { headers: mock.headers() });
  expect(await reply.text()).toBe('[{"identifier":"RECORDED_BANK"}]');
  expect(mock.journal.requests().find((record) => record.path === '/banks/v1')?.replayed).toBe('0001-GET-banks-v1.json');
});

it('leaves everything else to the sandbox', async () => {
  const reply = await mock.fetch('/customers/v1', { method: 'POST', headers: { ...mock.headers(), 'content-type': 'application/json' }, body: JSON.stringify({ app_user_id: 'replay-fallthrough' }) });
  expect(reply.status).toBe(200);
  expect(((await reply.json()) as { app_user_id: string }).app_user_id).toBe('replay-fallthrough');
});
