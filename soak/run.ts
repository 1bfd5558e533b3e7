/**
 * `npm run soak`: load and soak tests kept out of the default suite. One in-process lean-mock on an
 * ephemeral 127.0.0.1 port, scenarios each bounded in count and time, one line per check and
 * a summary; the exit code is 0 only when every check passed.
 */
import { startLeanMock } from '../src/server/lean-mock.js';
import { Checks, seconds } from './checks.js';
import { concurrentConnections, requestVolume } from './keep-alive.js';
import { silentSockets } from './silent.js';
import { handshakeStorm } from './storm.js';
import { slowWebhookReceivers } from './webhooks.js';

/** Small on purpose: the volume scenario proves the ring stays this size; the storm counts from events. */
const JOURNAL_CAPACITY = 1_000;

const checks = new Checks();
const started = performance.now();
// The admin port is on, as `lean-mock serve` has it: the inspector's capture of every reply is under load too.
const mock = await startLeanMock({ journalCapacity: JOURNAL_CAPACITY });
try {
  for (const [name, scenario] of [
    ['concurrent', () => concurrentConnections(mock, checks)],
    ['storm', () => handshakeStorm(mock, checks)],
    ['volume', () => requestVolume(mock, checks, JOURNAL_CAPACITY)],
    ['silent', () => silentSockets(mock, checks)],
    ['webhooks', () => slowWebhookReceivers(mock, checks)],
  ] as const) {
    const at = performance.now();
    try {
      await scenario();
    } catch (error) {
      checks.check(`${name}: ran to the end`, false, error instanceof Error ? error.message : String(error));
    }
    console.log(`      ${name} took ${seconds(at)}`);
  }
} finally {
  await mock.close();
}
console.log(`soak: ${checks.passed} passed, ${checks.failed} failed (${seconds(started)})`);
process.exitCode = checks.failed === 0 ? 0 : 1;
