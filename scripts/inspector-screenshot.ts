// `npm run screenshot`: docs/inspector.png, the inspector with a realistic mix of accepted and
// rejected traffic and one rejection's explanation open. Runs the built mock (dist/), so the page
// is served exactly as `lean-mock serve` serves it. Needs /usr/bin/chromium (or CHROMIUM=path).
import { mkdir } from 'node:fs/promises';
import { request } from 'node:https';
import { chromium } from 'playwright-core';
import { startLeanMock, type LeanMock } from '../dist/server/lean-mock.js';

interface Identity {
  cert?: string;
  key?: string;
}

const OUT = new URL('../docs/inspector.png', import.meta.url);

function identityOf(mock: LeanMock, name: string): Identity {
  const app = mock.pki.apps.find((candidate) => candidate.name === name);
  if (app) return { cert: app.credential.certificatePem, key: app.credential.privateKeyPem };
  const variant = mock.pki.variants.find((candidate) => candidate.name === name);
  if (!variant) throw new Error(`no identity ${name}`);
  return { cert: variant.credential?.certificatePem, key: variant.credential?.privateKeyPem };
}

/** One call on a fresh connection; a refused handshake is an outcome, not an error. */
function call(mock: LeanMock, who: string, path: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<string> {
  const { cert, key } = identityOf(mock, who);
  return new Promise((resolve) => {
    const req = request(new URL(path, mock.url), { method: init.method ?? 'GET', headers: init.headers, cert, key, ca: mock.pki.chainPem, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(String(res.statusCode)));
    });
    req.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
    req.end(init.body);
  });
}

async function makeTraffic(mock: LeanMock): Promise<void> {
  const [main, other] = mock.pki.apps;
  const token = { 'lean-app-token': main!.appToken };
  const json = { ...token, 'content-type': 'application/json' };
  const steps: [string, string, Parameters<typeof call>[3]?][] = [
    ['my_app', '/banks/v1', { headers: token }],
    ['my_app', '/customers/v1', { headers: token }],
    ['my_app', '/customers/v1', { method: 'POST', headers: json, body: JSON.stringify({ app_user_id: 'user-1042' }) }],
    ['expired', '/banks/v1', { headers: token }],
    ['my_app', '/customers/v1'],
    ['unknown_ca', '/banks/v1', { headers: token }],
    ['my_app', '/banks/v1?country_codes=ARE', { headers: token }],
    ['incomplete_chain', '/banks/v1', { headers: token }],
    ['other_app', '/customers/v1', { headers: token }],
    ['my_app', '/oauth2/token', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ client_id: main!.clientId, client_secret: main!.clientSecret, grant_type: 'client_credentials', scope: 'api' }).toString(),
    }],
    ['revoked', '/banks/v1', { headers: token }],
    ['other_app', '/banks/v1', { headers: { 'lean-app-token': other!.appToken } }],
    ['my_app', '/payments/v1/destinations', { headers: token }],
  ];
  for (const [who, path, init] of steps) {
    await call(mock, who, path, init);
    await new Promise((resolve) => setTimeout(resolve, 60)); // distinct timestamps, as real traffic has
  }
}

const mock = await startLeanMock();
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
});
try {
  await makeTraffic(mock);
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 }, colorScheme: 'light' });
  await page.goto(`${mock.adminUrl}/`);
  await page.locator('#status[data-state="live"]').waitFor();
  await page.locator('#rows tr.rejected[data-kind="handshake"]').nth(1).waitFor();
  // The incomplete_chain handshake: the rejection people find hardest to diagnose.
  await page.locator('#rows tr[data-kind="handshake"]', { hasText: 'incomplete_chain' }).click();
  await page.locator('#details .explanation').waitFor();
  await mkdir(new URL('.', OUT), { recursive: true });
  await page.screenshot({ path: OUT.pathname });
  console.log(`wrote ${OUT.pathname}`);
} finally {
  await browser.close();
  await mock.close();
}
