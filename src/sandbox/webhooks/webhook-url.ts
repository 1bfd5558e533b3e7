/** Longer URLs are refused: a typo'd paste, not a receiver. */
export const MAX_WEBHOOK_URL_LENGTH = 2048;

/** Why `url` cannot receive webhooks, or null when it can. */
export function webhookUrlProblem(url: string): string | null {
  if (url.length > MAX_WEBHOOK_URL_LENGTH) return `longer than ${MAX_WEBHOOK_URL_LENGTH} characters`;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'not an absolute URL';
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return 'not an http or https URL';
  // fetch refuses them, and the delivery log (which shows the URL) must not leak them.
  if (parsed.username || parsed.password) return 'must not contain credentials';
  return null;
}
