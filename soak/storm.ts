/**
 * Scenario 2: a storm of fresh handshakes mixing the app certificate with bad ones. Every good
 * client must get its 200, every bad one must fail on its own side, and the journal must hold one
 * rejected handshake per bad client with exactly the reason its certificate stands for.
 */
import { createSecureContext, type SecureContext } from 'node:tls';
import { clientContext, dial, rawGet } from '../bench/tls-load.js';
import type { VariantName } from '../src/pki/catalogue.js';
import type { HandshakeRecord } from '../src/gateway/journal.js';
import type { LeanMock } from '../src/server/lean-mock.js';
import { Checks, seconds } from './checks.js';

const ATTEMPTS = 2_000;
const LOOPS = 32;
const BAD_SHARE = 0.3;
const BAD: readonly VariantName[] = ['expired', 'revoked', 'unknown_ca', 'wrong_purpose', 'no_certificate'];
const TIME_LIMIT_MS = 120_000;
const ATTEMPT_MS = 10_000;

interface Client {
  name: 'my_app' | VariantName;
  context: SecureContext;
  /** The journal reason a bad client must be rejected with; null for the good one. */
  reason: string | null;
}

/** One fresh connection sending one request: the reply's status, or 0 when the connection failed. */
function attempt(port: number, context: SecureContext, request: Buffer): Promise<number> {
  return new Promise((resolve) => {
    const socket = dial(port, context);
    let head = '';
    let settled = false;
    const done = (): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ? Number(head.slice(9, 12)) : 0);
    };
    const timer = setTimeout(done, ATTEMPT_MS);
    socket.once('secureConnect', () => socket.write(request));
    socket.on('data', (chunk: Buffer) => {
      if (head.length < 64) head += chunk.toString('latin1');
    });
    socket.on('error', () => {
      head = '';
      done();
    });
    socket.on('close', done);
  });
}

/** A tiny seeded generator, so every run sends the same mix. */
function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export async function handshakeStorm(mock: LeanMock, checks: Checks): Promise<void> {
  const started = performance.now();
  const { pki } = mock;
  const app = pki.apps[0]!;
  const request = rawGet('/banks/v1', app.appToken, true);
  const good: Client = { name: 'my_app', context: clientContext(pki, app), reason: null };
  const bad: Client[] = BAD.map((name) => {
    const variant = pki.variants.find((candidate) => candidate.name === name);
    if (!variant) throw new Error(`the catalogue has no ${name}`);
    const context = variant.credential
      ? createSecureContext({ cert: variant.credential.certificatePem, key: variant.credential.privateKeyPem, ca: pki.chainPem })
      : createSecureContext({ ca: pki.chainPem });
    return { name, context, reason: variant.expected };
  });

  // Counted from events, not the ring: the ring is kept small for the volume scenario.
  const journaled = new Map<string, number>();
  const onHandshake = (record: HandshakeRecord): void => {
    const key = record.verdict === 'accepted' ? 'accepted' : (record.reason ?? 'null');
    journaled.set(key, (journaled.get(key) ?? 0) + 1);
  };
  mock.journal.on('handshake', onHandshake);

  const random = mulberry32(20_240_601);
  const sent = new Map<string, number>();
  let next = 0;
  let goodOk = 0;
  let goodFailed = 0;
  let badRejected = 0;
  let badAnswered = 0;
  const deadline = started + TIME_LIMIT_MS;
  await Promise.all(
    Array.from({ length: LOOPS }, async () => {
      while (next < ATTEMPTS && performance.now() < deadline) {
        next++;
        const client = random() < BAD_SHARE ? bad[Math.floor(random() * bad.length)]! : good;
        const key = client.reason ?? 'accepted';
        sent.set(key, (sent.get(key) ?? 0) + 1);
        const status = await attempt(mock.port, client.context, request);
        if (client.reason === null) status === 200 ? goodOk++ : goodFailed++;
        else status === 0 ? badRejected++ : badAnswered++;
      }
    }),
  );
  // A server may journal a refusal a moment after the client has seen the alert.
  const settle = performance.now() + 2_000;
  while (!sameCounts(sent, journaled) && performance.now() < settle) await new Promise((r) => setTimeout(r, 50));
  mock.journal.off('handshake', onHandshake);

  const total = goodOk + goodFailed + badRejected + badAnswered;
  checks.check('storm: all attempts made in time', total === ATTEMPTS, `${total}/${ATTEMPTS} fresh connections from ${LOOPS} loops in ${seconds(started)}`);
  checks.check('storm: every good client got 200', goodFailed === 0 && goodOk > 0, `${goodOk} ok, ${goodFailed} failed`);
  checks.check('storm: every bad client failed client-side', badAnswered === 0 && badRejected > 0, `${badRejected} rejected, ${badAnswered} answered`);
  checks.check('storm: journal counts by reason equal what was sent', sameCounts(sent, journaled), `sent ${show(sent)}; journaled ${show(journaled)}`);
}

function sameCounts(a: Map<string, number>, b: Map<string, number>): boolean {
  const keys = new Set([...a.keys(), ...b.keys()]);
  return [...keys].every((key) => (a.get(key) ?? 0) === (b.get(key) ?? 0));
}

function show(counts: Map<string, number>): string {
  return [...counts.entries()].sort(([x], [y]) => x.localeCompare(y)).map(([key, n]) => `${key}=${n}`).join(' ');
}
