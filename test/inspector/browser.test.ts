import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CATALOGUE } from '../../src/pki/catalogue.js';
import { createLeanPki, type LeanPki } from '../../src/pki/lean-pki.js';
import { startLeanMock, type LeanMock } from '../../src/server/lean-mock.js';
import { appTokenOf, call, presented } from '../support/mock-client.js';
import { adminFetch } from './admin-fetch.js';

// Debian's chromium, installed by .ci/run. Locally a missing one skips this file with the reason;
// in CI it fails, as the other client stacks do.
const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
const inCi = !['', '0', 'false'].includes((process.env.CI ?? '').toLowerCase());
if (!hasChromium && !inCi) console.warn(`inspector browser tests SKIPPED locally (CI would fail): ${CHROMIUM} is missing (apt-get install chromium)`);

if (!hasChromium && inCi) {
  describe('the inspector in headless Chromium', () => {
    it('has Chromium to run in, since CI installs it (.ci/run: need_apt chromium chromium)', () => {
      expect.fail(`${CHROMIUM} is missing (apt-get install chromium)`);
    });
  });
}

const fixOf = (name: string): string => CATALOGUE.find((variant) => variant.name === name)!.fix;

describe.skipIf(!hasChromium)('the inspector in headless Chromium', () => {
  let pki: LeanPki;
  let mock: LeanMock;
  let browser: Browser | undefined;
  let page: Page;
  const problems: string[] = [];

  const connect = (who: string, options: Parameters<typeof call>[3] = { headers: appTokenOf(pki) }) => call(mock.url, pki, presented(pki, who), options);
  const rows = () => page.locator('#rows tr');
  const row = (kind: 'handshake' | 'request', text: string) => page.locator(`#rows tr[data-kind="${kind}"]`, { hasText: text });

  beforeAll(async () => {
    pki = await createLeanPki();
    mock = await startLeanMock({ pki });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.setDefaultTimeout(5_000);
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') problems.push(`console ${message.type()}: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('requestfailed', (request) => problems.push(`failed: ${request.url()} ${request.failure()?.errorText}`));
    page.on('response', (response) => {
      if (response.status() >= 400) problems.push(`HTTP ${response.status()}: ${response.url()}`);
    });
  });

  afterAll(async () => {
    await browser?.close();
    await mock?.close();
  });

  // Each test starts from an empty journal, a seeded sandbox and the traffic tab with no filter.
  beforeEach(async () => {
    if (page.url() === 'about:blank') {
      await page.goto(`${mock.adminUrl}/`);
      await page.locator('#status[data-state="live"]').waitFor();
    }
    await page.locator('[role="tab"][data-tab="traffic"]').click();
    mock.reset();
    await page.locator('#verdict-filter [data-verdict="all"]').click();
    await page.locator('#app-filter').selectOption('');
    await page.locator('#text-filter').fill('');
    if ((await page.locator('#pause').getAttribute('aria-pressed')) === 'true') await page.locator('#pause').click();
    await expect.poll(() => page.locator('#count').textContent()).toBe('0 of 0 shown');
  });

  afterEach(() => {
    const seen = problems.splice(0);
    expect(seen, 'console errors, page errors or failed requests').toEqual([]);
  });

  it('loads, replays the journal and goes live', async () => {
    await connect('my_app');
    const fresh = await browser!.newPage();
    try {
      await fresh.goto(`${mock.adminUrl}/`);
      await fresh.locator('#status[data-state="live"]').waitFor();
      await expect.poll(() => fresh.locator('#rows tr').count()).toBe(2);
      await expect.poll(() => fresh.locator('#count').textContent()).toBe('2 of 2 shown');
    } finally {
      await fresh.close();
    }
    // The page that was open all along got them live.
    await expect.poll(() => page.locator('#count').textContent()).toBe('2 of 2 shown');
  });

  it('shows a good and two bad clients as they connect, without a reload, with the reasons in plain words', async () => {
    await connect('my_app', { path: '/customers/v1', headers: appTokenOf(pki) });
    await connect('expired');
    await connect('incomplete_chain');
    await row('request', '/customers/v1').waitFor();
    const expired = row('handshake', 'expired');
    await expect.poll(() => expired.getAttribute('class')).toBe('rejected');
    await expect.poll(() => row('handshake', 'incomplete_chain').getAttribute('class')).toBe('rejected');
    expect(await row('request', '/customers/v1').getAttribute('class')).toBe('accepted');

    await expired.click();
    const explanation = page.locator('#details .explanation');
    await expect.poll(() => explanation.textContent()).toMatch(/expired on \d{4}-\d\d-\d\d \(30 days ago\)/);
    expect(await explanation.textContent()).toContain(fixOf('expired'));

    await row('handshake', 'incomplete_chain').click();
    await expect.poll(() => explanation.textContent()).toContain('was not sent, and the server does not hold it');
    expect(await explanation.textContent()).toContain('my_app_cert_and_chain.crt');
  });

  it('filters by verdict, by app and by text', async () => {
    await connect('my_app');
    await connect('my_app', { path: '/customers/v1', headers: appTokenOf(pki) });
    await connect('expired');
    await connect('incomplete_chain');
    await expect.poll(() => rows().count()).toBe(6);
    await page.locator('#verdict-filter [data-verdict="rejected"]').click();
    await expect.poll(() => rows().count()).toBe(2);
    expect(await page.locator('#rows tr.accepted').count()).toBe(0);
    await page.locator('#verdict-filter [data-verdict="accepted"]').click();
    await expect.poll(() => page.locator('#rows tr.rejected').count()).toBe(0);
    expect(await rows().count()).toBe(4);
    await page.locator('#verdict-filter [data-verdict="all"]').click();

    await page.locator('#app-filter').selectOption('my_app');
    await expect.poll(() => rows().count()).toBe(4);
    expect(await page.locator('#rows td.app').allTextContents()).toEqual(['my_app', 'my_app', 'my_app', 'my_app']);
    await page.locator('#app-filter').selectOption({ label: 'No app' });
    await expect.poll(() => rows().count()).toBe(2);
    await page.locator('#app-filter').selectOption('');

    await page.locator('#text-filter').fill('incomplete');
    await expect.poll(() => rows().count()).toBe(1);
    expect(await page.locator('#count').textContent()).toBe('1 of 6 shown');
    await page.locator('#text-filter').fill('');
    await expect.poll(() => rows().count()).toBe(6);
  });

  it('shows Lean’s response for a request, with the app token hidden', async () => {
    await connect('my_app');
    await row('request', '/banks/v1').click();
    const body = page.locator('#details pre.json').first();
    await expect.poll(() => body.textContent()).toContain('"identifier": "LEAN_OF_RETAIL_UAE"');
    const details = await page.locator('#details').textContent();
    expect(details).toContain('lean-app-token[redacted]');
    expect(details).not.toContain(pki.apps[0]!.appToken);
  });

  it('lists the seeded customers in the state tab, and what a client creates', async () => {
    await page.locator('[role="tab"][data-tab="state"]').click();
    await page.locator('#collections [data-collection="customers"]').click();
    const customers = page.locator('#records tbody tr');
    await expect.poll(() => customers.allTextContents()).toEqual([expect.stringContaining('demo-customer')]);
    const created = await connect('my_app', {
      method: 'POST', path: '/customers/v1', headers: { ...appTokenOf(pki), 'content-type': 'application/json' }, body: JSON.stringify({ app_user_id: 'browser-user' }),
    });
    expect(created.ok && created.status).toBe(200);
    // The POST arrives as a live event, and the tab refreshes by itself.
    await expect.poll(() => customers.count()).toBe(2);
    expect(await customers.first().textContent()).toContain('browser-user');
    await customers.first().click();
    await expect.poll(() => page.locator('#record pre.json').textContent()).toContain('"app_user_id": "browser-user"');
  });

  it('refreshes the state tab on its own, for changes that made no request (the admin port’s)', async () => {
    await page.locator('[role="tab"][data-tab="state"]').click();
    const customer = (await adminFetch(mock.adminUrl, '/admin/v1/state/my_app/customers')).json.records.at(-1).id;
    await page.locator('#collections [data-collection="payment_sources"]').click();
    await expect.poll(() => page.locator('#pager').textContent()).toContain('No records.');
    const source = await adminFetch(mock.adminUrl, `/admin/v1/customers/${customer}/payment-sources`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(source.status).toBe(201);
    await expect.poll(() => page.locator('#records tbody tr').count()).toBe(1);
    expect(await page.locator('#records tbody tr').first().textContent()).toContain(customer);
  });

  it('holds new rows back while paused, and clears the view on demand', async () => {
    await page.locator('[role="tab"][data-tab="traffic"]').click();
    const before = await rows().count();
    await page.locator('#pause').click();
    await connect('self_signed');
    await expect.poll(() => page.locator('#pause').textContent()).toBe('Resume (1 new)');
    expect(await rows().count()).toBe(before);
    await page.locator('#pause').click();
    await expect.poll(() => rows().count()).toBe(before + 1);
    expect(await rows().first().textContent()).toContain('self_signed');

    await page.locator('#clear').click();
    await expect.poll(() => rows().count()).toBe(0);
    await connect('my_app');
    await expect.poll(() => page.locator('#count').textContent()).toBe('2 of 2 shown');
  });
});
