import { isIP } from 'node:net';

/** Longer URLs are refused: a typo'd paste, not a receiver. */
export const MAX_WEBHOOK_URL_LENGTH = 2048;

/** Where the mock itself listens: a webhook sent there would loop back into it. */
export interface SelfAddresses {
  /** The API and admin ports (those listening so far). */
  readonly ports: readonly number[];
  /** Hosts the mock is reached on besides the loopback aliases (its bind address when not loopback). */
  readonly hosts?: readonly string[];
}

/** Why `url` cannot receive webhooks, or null when it can. */
export function webhookUrlProblem(url: string, self?: SelfAddresses): string | null {
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
  if (self && pointsAtSelf(parsed, self)) return `points at lean-mock itself (port ${portOf(parsed)}): its webhooks would loop back into it`;
  return null;
}

function portOf(url: URL): number {
  return url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
}

function pointsAtSelf(url: URL, self: SelfAddresses): boolean {
  if (!self.ports.includes(portOf(url))) return false;
  const host = bare(url.hostname);
  return isLoopback(host) || (self.hosts ?? []).some((own) => bare(own) === host);
}

/** Without IPv6 brackets or the DNS root's trailing dot (`localhost.` is localhost). */
function bare(host: string): string {
  return host.replace(/^\[|\]$/g, '').replace(/\.$/, '').toLowerCase();
}

/**
 * Every spelling of "this machine" a client would connect through: the WHATWG URL parser has
 * already turned `0x7f.1`, `2130706433` and the like into dotted 127.x.x.x.
 */
export function isLoopback(host: string): boolean {
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (isIP(host) === 4) return host.startsWith('127.') || host === '0.0.0.0';
  if (isIP(host) === 6) {
    if (host === '::1' || host === '::') return true;
    // IPv4-mapped: the URL parser writes ::ffff:127.0.0.1 as ::ffff:7f00:1.
    const mapped = /^::ffff:([0-9a-f]{1,4}):[0-9a-f]{1,4}$/.exec(host);
    if (!mapped) return false;
    const high = parseInt(mapped[1]!, 16);
    return high >> 8 === 127 || high === 0;
  }
  return false;
}
