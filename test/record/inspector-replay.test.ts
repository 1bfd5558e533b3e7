import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLeanMock, type LeanMock } from '../../src/server/lean-mock.js';
import { appTokenOf, call, presented } from '../support/mock-client.js';

// As test/inspector/browser.test.ts: Debian's chromium; a machine without it skips this file.
const CHROMIUM = '/usr/bin/chromium';

describe.skipIf(!existsSync(CHROMIUM))('the inspector marks replayed replies', () => {
  let dir: string;
  let mock: LeanMock;
  let browser: Browser | undefined;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lean-mock-replay-inspector-'));
    const exchange = {
      lean_mock_exchange: 1,
      recorded_at: '2026-12-01T10:00:00.000Z',
      upstream: 'https://sandbox.leantech.me',
      request: { method: 'GET', path: '/banks/v1', query: {}, headers: {} },
      response: { status: 200, headers: { 'content-type': 'application/json' }, body: [] },
    };
    await writeFile(join(dir, '0001-GET-banks-v1.json'), JSON.stringify(exchange));
    mock = await startLeanMock({ replay: dir });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
  });
  afterAll(async () => {
    await browser?.close();
    await mock?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('with a REPLAY badge naming the file, and none on what the sandbox answered', async () => {
    const page = await browser!.newPage();
    await page.goto(`${mock.adminUrl}/`);
    await page.locator('#status[data-state="live"]').waitFor();
    await call(mock.url, mock.pki, presented(mock.pki, 'my_app'), { headers: appTokenOf(mock.pki) });
    await call(mock.url, mock.pki, presented(mock.pki, 'my_app'), { path: '/customers/v1', headers: appTokenOf(mock.pki) });

    const replayed = page.locator('#rows tr[data-kind="request"]', { hasText: '/banks/v1' });
    const simulated = page.locator('#rows tr[data-kind="request"]', { hasText: '/customers/v1' });
    await simulated.waitFor();
    await expect.poll(() => replayed.locator('.chip.replayed').getAttribute('title')).toBe('replayed from 0001-GET-banks-v1.json');
    expect(await replayed.locator('.chip.replayed').textContent()).toBe('REPLAY');
    expect(await simulated.locator('.chip.replayed').count()).toBe(0);
    await page.locator('#text-filter').fill('replayed');
    await expect.poll(() => page.locator('#rows tr[data-kind="request"]').count()).toBe(1);
    await page.close();
  });
});
