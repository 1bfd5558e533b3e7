import type { HandshakeRecord, Journal } from '../gateway/journal.js';

export interface ExpectRejectedOptions {
  /** How long to wait, once the call has settled, for the server to journal the refusal. Default 2000 ms. */
  timeoutMs?: number;
}

/**
 * Runs `call`, checks that it was refused for its certificate, and resolves with the server's
 * journal entry for that handshake; rejects with a message saying what happened instead.
 *
 * Refused means: the promise rejected (any error: on TLS 1.3 the client's handshake "succeeds"
 * and the refusal surfaces on its first read as ECONNRESET, EPIPE, a hang-up or a
 * certificate_required alert, racily) or it resolved with a 403 (`status` or `statusCode`, or a
 * Lean envelope whose status is INVALID_CERTIFICATE), as in the `http` rejection style. Either
 * way the server must have journaled a rejected handshake: a client that fails on its own
 * (`key_mismatch`, a wrong URL, an untrusted server) is reported as such.
 *
 * Watches handshakes from before the call, so a refusal journaled before the client even sees it
 * is not missed. Run one at a time per mock: it takes the first rejected handshake it sees.
 */
export async function expectRejected(
  journal: Journal,
  call: () => Promise<unknown>,
  options: ExpectRejectedOptions = {},
): Promise<HandshakeRecord> {
  return judge(watchHandshakes(journal), call, options);
}

/**
 * {@link expectRejected} for a mock running in another process (a vitest `globalSetup`, a
 * `lean-mock serve` in CI): it reads the verdict from the admin API instead of the journal.
 *
 * @example
 * const handshake = await expectRejectedAt(inject('leanAdminUrl'), () => get('/banks/v1', expiredAgent));
 * expect(handshake.reason).toBe('expired');
 */
export async function expectRejectedAt(
  adminUrl: string,
  call: () => Promise<unknown>,
  options: ExpectRejectedOptions = {},
): Promise<HandshakeRecord> {
  return judge(await pollHandshakes(adminUrl), call, options);
}

async function judge(watch: HandshakeWatch, call: () => Promise<unknown>, options: ExpectRejectedOptions): Promise<HandshakeRecord> {
  const timeoutMs = options.timeoutMs ?? 2000;
  try {
    let outcome: { failed: true; error: unknown } | { failed: false; value: unknown };
    try {
      outcome = { failed: false, value: await call() };
    } catch (error) {
      outcome = { failed: true, error };
    }
    if (!outcome.failed && !isCertificateRefusal(outcome.value)) {
      throw new Error(
        `expectRejected: the call succeeded (${describeValue(outcome.value)}) instead of being refused for its certificate${watch.seen()}`,
      );
    }
    // No need to wait for a server that never heard of the call.
    const record = await watch.firstRejected(outcome.failed && failedLocally(outcome.error) ? 0 : timeoutMs);
    if (record) return record;
    const what = outcome.failed ? `failed (${describeError(outcome.error)})` : 'was answered 403';
    throw new Error(
      `expectRejected: the call ${what}, but the server journaled no rejected handshake within ${timeoutMs} ms${watch.seen()}. ` +
        'A client that fails before its certificate reaches the server (key_mismatch, a wrong URL, an untrusted server certificate) is not a rejection by the mock.',
    );
  } finally {
    watch.stop();
  }
}

interface HandshakeWatch {
  /** The first rejected handshake since the watch began, waiting up to `timeoutMs` for one; null if none came. */
  firstRejected(timeoutMs: number): Promise<HandshakeRecord | null>;
  /** What the server journaled meanwhile, for an error message. */
  seen(): string;
  stop(): void;
}

/**
 * Like `journal.nextHandshake`, but cancellable: a call that unexpectedly succeeds must not leave
 * a listener and a pending timer behind (an open handle in the user's test run).
 */
function watchHandshakes(journal: Journal): HandshakeWatch {
  const records: HandshakeRecord[] = [];
  let waiter: ((record: HandshakeRecord | null) => void) | null = null;
  let timer: NodeJS.Timeout | undefined;
  const onHandshake = (record: HandshakeRecord): void => {
    // A bad-server-certificate listener judges the client, not its certificate: not this API's concern.
    if (record.server_variant !== undefined) return;
    records.push(record);
    if (record.verdict === 'rejected') waiter?.(record);
  };
  journal.on('handshake', onHandshake);
  const stop = (): void => {
    journal.off('handshake', onHandshake);
    clearTimeout(timer);
    waiter = null;
  };
  return {
    firstRejected(timeoutMs) {
      const found = records.find((record) => record.verdict === 'rejected');
      if (found) return Promise.resolve(found);
      return new Promise((resolve) => {
        waiter = resolve;
        timer = setTimeout(() => resolve(null), timeoutMs);
      });
    },
    seen: () => describeSeen(records),
    stop,
  };
}

/** Handshakes newer than the newest one now, read from the admin API (polled: it has no push). */
async function pollHandshakes(adminUrl: string): Promise<HandshakeWatch> {
  const read = async (query: string): Promise<HandshakeRecord[]> => {
    const response = await fetch(new URL(`/admin/v1/handshakes?${query}`, adminUrl));
    if (!response.ok) throw new Error(`expectRejectedAt: ${adminUrl} answered ${response.status} for its handshakes`);
    return (await response.json()) as HandshakeRecord[];
  };
  const since = (await read('limit=1'))[0]?.id ?? 0;
  const newer = async (): Promise<HandshakeRecord[]> => (await read('limit=1000')).filter((record) => record.id > since && record.server_variant === undefined).reverse();
  let seen: HandshakeRecord[] = [];
  let stopped = false;
  return {
    async firstRejected(timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        seen = await newer();
        const found = seen.find((record) => record.verdict === 'rejected');
        if (found || stopped || Date.now() >= deadline) return found ?? null;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    seen: () => describeSeen(seen),
    stop: () => {
      stopped = true;
    },
  };
}

function describeSeen(records: readonly HandshakeRecord[]): string {
  if (records.length === 0) return '; the server journaled no new handshake (a kept-alive connection makes none)';
  const shown = records.map((r) => `#${r.id} ${r.verdict}${r.reason ? ` (${r.reason})` : ''}${r.app ? ` as ${r.app}` : ''}`);
  return `; the server journaled handshake ${shown.join(', ')}`;
}

/** Errors a client raises before any byte reaches the server. */
const LOCAL_FAILURES = new Set([
  'ERR_OSSL_X509_KEY_VALUES_MISMATCH',
  'ERR_OSSL_PEM_NO_START_LINE',
  'ERR_INVALID_URL',
  'ECONNREFUSED',
  'ENOTFOUND',
]);

function failedLocally(error: unknown): boolean {
  for (let current = error, depth = 0; current instanceof Error && depth < 5; current = current.cause, depth++) {
    const code = (current as NodeJS.ErrnoException).code;
    if (code !== undefined && LOCAL_FAILURES.has(code)) return true;
  }
  return false;
}

function isCertificateRefusal(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const { status, statusCode } = value as { status?: unknown; statusCode?: unknown };
  return status === 403 || statusCode === 403 || status === 'INVALID_CERTIFICATE';
}

function describeValue(value: unknown): string {
  if (typeof value === 'object' && value !== null) {
    const { status, statusCode } = value as { status?: unknown; statusCode?: unknown };
    if (typeof status === 'number') return `HTTP ${status}`;
    if (typeof statusCode === 'number') return `HTTP ${statusCode}`;
    if (typeof status === 'string') return `status ${status}`;
  }
  return value === undefined ? 'it resolved' : `it resolved with ${typeof value}`;
}

function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as NodeJS.ErrnoException).code;
  // fetch-style wrappers put the network error in `cause`.
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return `${code ? `${code} ` : ''}${error.message}${cause}`;
}
