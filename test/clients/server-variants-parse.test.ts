import { describe, expect, it } from 'vitest';
import { seededRandom, type SeededRandom } from '../../src/sandbox/random.js';
import { parseOutcomes, type Target, type VariantStackName } from '../support/server-variant-clients.js';
import { shortError } from './server-variants-table.js';

/*
 * A client program's stdout is read by name, whatever else it prints: a stack that crashes half
 * way, warns on stdout or answers a name twice must leave every target with an outcome, in order,
 * and never lend one target's answer to another.
 */

const RUNS = 300;

function garbage(random: SeededRandom, names: readonly string[]): string {
  const name = random.pick([...names, 'unknown', '', 'expired|1.2|safe ']);
  return random.pick([
    () => '',
    () => 'WARNING: something on stdout',
    () => String.fromCharCode(...Array.from({ length: random.int(1, 40) }, () => random.int(0, 0xffff))),
    () => JSON.stringify([name, true]),
    () => 'null',
    () => '42',
    () => JSON.stringify({ name, ok: 'yes', status: 200 }),
    () => JSON.stringify({ name: 7, ok: true }),
    () => JSON.stringify({ name, ok: true, status: 200 }).slice(0, random.int(1, 20)),
    () => JSON.stringify({ name: `${name}x`, ok: true, status: 200 }),
  ])();
}

describe('parseOutcomes', () => {
  it(`gives every target one outcome, in order, from its own line only (${RUNS} generated outputs)`, () => {
    for (let seed = 1; seed <= RUNS; seed += 1) {
      const random = seededRandom(seed);
      const targets: Target[] = Array.from({ length: random.int(0, 12) }, (_, index) => ({
        name: `${random.pick(['expired', 'wrong_host', 'good'])}|${random.pick(['1.2', '1.3'])}|${index}`,
        url: 'https://127.0.0.1:1/',
        tls: '1.2',
        insecure: random.next() < 0.5,
      }));
      const names = targets.map((target) => target.name);
      const answered = new Map<string, { ok: boolean; status?: number; error?: string }>();
      const lines: string[] = [];
      for (const target of targets) {
        if (random.next() < 0.3) continue; // the program died before this one
        const answer = random.next() < 0.5 ? { ok: true, status: random.int(100, 599) } : { ok: false, error: `e${random.int(0, 9)}\t"\\` };
        answered.set(target.name, answer);
        lines.push(JSON.stringify({ name: target.name, ...answer }));
      }
      for (let extra = random.int(0, 6); extra > 0; extra -= 1) lines.splice(random.int(0, lines.length), 0, garbage(random, names));

      const outcomes = parseOutcomes(targets, lines.join(random.pick(['\n', '\r\n'])), 'exit 1: boom');

      expect(outcomes.map((outcome) => outcome.name), `seed ${seed}`).toEqual(names);
      outcomes.forEach((outcome, index) => {
        const answer = answered.get(names[index]!);
        if (answer) expect(outcome, `seed ${seed}`).toEqual({ name: names[index], ...answer });
        else expect(outcome, `seed ${seed}`).toEqual({ name: names[index], ok: false, error: 'no line from the client: exit 1: boom' });
      });
    }
  });
});

describe('shortError', () => {
  const stacks: VariantStackName[] = ['curl', 'python requests', 'node https', 'node undici', 'node axios', 'go net/http', 'ruby Net::HTTP', 'java HttpClient'];

  it('keeps no port of the run (so the README table does not change from run to run)', () => {
    for (let seed = 1; seed <= RUNS; seed += 1) {
      const random = seededRandom(seed);
      const port = random.int(1, 65535);
      const error = random.pick([
        `curl: (60) SSL: no alternative certificate subject name matches target host name '127.0.0.1:${port}'`,
        `SSLError: HTTPSConnectionPool(host='127.0.0.1', port=${port}): x 127.0.0.1:${port}`,
        `OpenSSL::SSL::SSLError: SSL_connect returned=1 errno=0 peeraddr=127.0.0.1:${port} state=error: certificate verify failed (hostname mismatch)`,
        `Get "https://127.0.0.1:${port}/": x509: certificate signed by unknown authority`,
        `javax.net.ssl.SSLHandshakeException: seen at 127.0.0.1:${port} <- java.io.IOException: x`,
      ]);
      for (const stack of stacks) expect(shortError(stack, error)).not.toMatch(new RegExp(`\\b${port}\\b`));
    }
  });
});
