import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLeanPki, type LeanPki } from '../../src/pki/lean-pki.js';
import { seededRandom } from '../../src/sandbox/random.js';
import { startLeanMock, type LeanMock } from '../../src/server/lean-mock.js';
import { appTokenOf, call, presented } from '../support/mock-client.js';
import type { Received } from '../support/raw-socket.js';
import { ABUSES, abuse, abusiveBytes, captureClientHello, onlyTlsRecords, openDescriptors, waitUntil, type Abuse } from '../support/socket-storm.js';

/**
 * Sockets that never become TLS connections — silent, a ClientHello cut short, a ClientHello cut
 * short and then a FIN, bytes that are no TLS at all — arrive by the hundred. The server closes
 * each one by its handshake timeout at the latest, never answers one in plaintext, never journals
 * one as an HTTP request, and ends with as many descriptors as it began with.
 */

const SEED = Number(process.env.LEAN_FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 32));
const PER_KIND = 80;
const BATCH = 50;
/** Short, so the test waits seconds, not the default 10 s; long enough for a real handshake on a loaded machine. */
const HANDSHAKE_TIMEOUT_MS = 1_000;
/** Far beyond the handshake timeout: a socket still open by then was never going to be closed. */
/** A hang detector, under the test's 120 s: a loaded machine closes 400 sockets slowly, never not at all. */
const CLOSED_WITHIN_MS = 100_000;

let pki: LeanPki;
let mock: LeanMock;
let hellos: Buffer[];

beforeAll(async () => {
  pki = await createLeanPki();
  mock = await startLeanMock({ pki, adminPort: 'off', handshakeTimeoutMs: HANDSHAKE_TIMEOUT_MS });
  hellos = [await captureClientHello({ maxVersion: 'TLSv1.2' }), await captureClientHello()];
  await ordinaryCall(); // first use of TLS may open descriptors for good: not the storm's doing
});

afterAll(async () => {
  await mock?.close();
});

async function ordinaryCall(): Promise<number> {
  const reply = await call(mock.url, pki, presented(pki, 'my_app'), { headers: appTokenOf(pki) });
  return reply.ok ? reply.status : 0;
}

describe(`a storm of sockets that never complete TLS (seed ${SEED}; replay with LEAN_FUZZ_SEED=${SEED})`, () => {
  it(`closes ${PER_KIND} of each kind, answers nothing in plaintext, journals no request, and gives every descriptor back`, async () => {
    const r = seededRandom(SEED);
    const kinds: Abuse[] = ABUSES.flatMap((kind) => Array.from({ length: PER_KIND }, () => kind));
    const requestsBefore = mock.journal.requests().length;
    const handshakesBefore = mock.journal.handshakes().length;
    const descriptorsBefore = openDescriptors();

    const storm: { kind: Abuse; received: Promise<Received> }[] = [];
    const servedMeanwhile: number[] = [];
    for (let start = 0; start < kinds.length; start += BATCH) {
      const batch = kinds.slice(start, start + BATCH);
      const opened = await Promise.all(batch.map((kind) => abuse(mock.port, kind, abusiveBytes(kind, r.pick(hellos), r), CLOSED_WITHIN_MS)));
      opened.forEach(({ received }, i) => storm.push({ kind: batch[i]!, received }));
      servedMeanwhile.push(await ordinaryCall());
    }
    expect(servedMeanwhile, 'an ordinary mTLS client is served while the storm is open').toEqual(servedMeanwhile.map(() => 200));

    const endings = await Promise.all(storm.map(async ({ kind, received }) => ({ kind, ...(await received) })));
    const stillOpen = endings.filter((ending) => ending.ending === 'timeout');
    expect(tally(stillOpen.map((ending) => ending.kind)), 'sockets the server never closed, by kind').toEqual({});
    const plaintext = endings.filter((ending) => !onlyTlsRecords(ending.text) || ending.text.includes('HTTP/'));
    expect(plaintext.map(({ kind, text }) => `${kind}: ${JSON.stringify(text.slice(0, 60))}`), 'replies that are not TLS').toEqual([]);

    await waitUntil('no connection open on the API port', async () => (await mock.connections()) === 0, CLOSED_WITHIN_MS);
    await waitUntil(`descriptors back to ${descriptorsBefore}`, () => openDescriptors() <= descriptorsBefore, CLOSED_WITHIN_MS);
    expect(await ordinaryCall(), 'served after the storm').toBe(200);

    const requests = mock.journal.requests().slice(0, mock.journal.requests().length - requestsBefore);
    expect(requests.filter((request) => request.status !== 200), 'HTTP requests journaled for the storm').toEqual([]);
    const handshakes = mock.journal.handshakes().slice(0, mock.journal.handshakes().length - handshakesBefore);
    for (const handshake of handshakes) {
      if (handshake.verdict === 'accepted') expect(handshake.app).toBe('my_app');
      else expect(handshake).toMatchObject({ reason: 'handshake_failed', raw_code: expect.any(String) });
    }
    // A socket the server gave up on is a handshake it ended: journaled, with the timeout's own code.
    const timedOut = handshakes.filter((handshake) => handshake.raw_code === 'ERR_TLS_HANDSHAKE_TIMEOUT');
    expect(timedOut.length).toBeGreaterThanOrEqual(PER_KIND);
  }, 120_000);
});

function tally(kinds: readonly Abuse[]): Partial<Record<Abuse, number>> {
  const counts: Partial<Record<Abuse, number>> = {};
  for (const kind of kinds) counts[kind] = (counts[kind] ?? 0) + 1;
  return counts;
}
