import { startTestMock } from 'lean-mock/testing';
import { TLS_REJECTION_REASONS } from 'lean-mock';

const mock = await startTestMock();
try {
  const banks = await mock.fetch('/banks/v1', { headers: mock.headers() });
  const refused = await mock.expectRejected(() => mock.fetch('/banks/v1', { identity: 'expired' }));
  const page = await fetch(`${mock.adminUrl}/`);
  const css = await fetch(`${mock.adminUrl}/inspector/inspector.css`);
  console.log(JSON.stringify({ banks: banks.status, count: (await banks.json()).length, reason: refused.reason, known: TLS_REJECTION_REASONS.includes(refused.reason), page: page.status, html: (await page.text()).startsWith('<!doctype html>'), css: css.status }));
} finally {
  await mock.close();
}
