const { startTestMock } = require('lean-mock/testing');
const { readPkiFolder, TLS_REJECTION_REASONS } = require('lean-mock');
const { existsSync } = require('node:fs');

/** The files an error's stack names inside lean-mock (run with --enable-source-maps): each must exist. */
async function stackFiles() {
  const error = await readPkiFolder('/nonexistent/lean-mock-folder').catch((caught) => caught);
  const files = [...error.stack.matchAll(/(?:file:\/\/)?(\/[^\s():]+):\d+:\d+/g)]
    .map(([, file]) => file)
    .filter((file) => file.includes('/node_modules/lean-mock/'));
  return { named: files.length, missing: files.filter((file) => !existsSync(file)) };
}

(async () => {
  const mock = await startTestMock();
  try {
    const banks = await mock.fetch('/banks/v1', { headers: mock.headers() });
    const refused = await mock.expectRejected(() => mock.fetch('/banks/v1', { identity: 'expired' }));
    const page = await fetch(`${mock.adminUrl}/`);
    const css = await fetch(`${mock.adminUrl}/inspector/inspector.css`);
    console.log(JSON.stringify({ banks: banks.status, count: (await banks.json()).length, reason: refused.reason, known: TLS_REJECTION_REASONS.includes(refused.reason), page: page.status, html: (await page.text()).startsWith('<!doctype html>'), css: css.status, stack: await stackFiles() }));
  } finally {
    await mock.close();
  }
})();
