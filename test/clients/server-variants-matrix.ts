import type { ClientFiles, ClientVerdict, ServerVariant, Target, TargetOutcome, TlsVersion, VariantStack } from '../support/server-variant-clients.js';

/**
 * Runs one client stack against every bad-server listener, on TLS 1.2 and 1.3, safe and insecure,
 * in ONE process, and pairs each target with the verdict the listener journaled for it.
 */

export const TLS_VERSIONS: readonly TlsVersion[] = ['1.2', '1.3'];
export const MODES = ['safe', 'insecure'] as const;
export type Mode = (typeof MODES)[number];

/** The listeners one stack run talks to, and their journal. Each run gets its own set. */
export interface VariantsUnderTest {
  readonly variants: readonly ServerVariant[];
  /** A listener with a good certificate: the control that proves the client's setup works. */
  readonly goodUrl: string;
  /** Every verdict so far, oldest first, once at least `count` connections have one. */
  waitForVerdicts(count: number): Promise<readonly ClientVerdict[]>;
  close(): Promise<void>;
}

export interface Case {
  readonly variant: string;
  readonly mustRefuse: boolean;
  readonly tls: TlsVersion;
  readonly mode: Mode;
  readonly outcome: TargetOutcome;
  /** What the listener journaled for this target's connection; undefined if the counts disagree. */
  readonly verdict: ClientVerdict | undefined;
}

export interface StackRun {
  readonly stack: VariantStack;
  readonly cases: readonly Case[];
  /** The good listener, per TLS version and mode. */
  readonly controls: readonly Case[];
  /** Wall time of the client process (and, for Go, its build). */
  readonly clientMs: number;
}

const GOOD = 'good';
const targetName = (variant: string, tls: TlsVersion, mode: Mode): string => `${variant}|${tls}|${mode}`;
/** How long to wait for the listeners' last verdicts after the client has exited: only a diagnosis. */
const VERDICT_DEADLINE_MS = 20_000;

export async function runStack(stack: VariantStack, files: ClientFiles, listeners: VariantsUnderTest): Promise<StackRun> {
  const plan: { target: Target; variant: string; mustRefuse: boolean; mode: Mode }[] = [];
  // Grouped by TLS version and mode, so consecutive connections to one listener are a whole
  // round of the others apart: its journal lists them in the client's order.
  for (const tls of TLS_VERSIONS) {
    for (const mode of MODES) {
      const insecure = mode === 'insecure';
      plan.push({ target: { name: targetName(GOOD, tls, mode), url: listeners.goodUrl, tls, insecure }, variant: GOOD, mustRefuse: false, mode });
      for (const variant of listeners.variants) {
        plan.push({ target: { name: targetName(variant.name, tls, mode), url: variant.url, tls, insecure }, variant: variant.name, mustRefuse: variant.mustRefuse, mode });
      }
    }
  }
  const started = performance.now();
  const outcomes = await stack.run(plan.map((entry) => entry.target), files);
  const clientMs = performance.now() - started;

  // Every target is one connection (the programs never retry); a missing verdict is reported, not awaited forever.
  let deadline: NodeJS.Timeout | undefined;
  const verdicts = await Promise.race([
    listeners.waitForVerdicts(plan.length),
    new Promise<never>((_, reject) => {
      deadline = setTimeout(
        () => reject(new Error(`${stack.name}: the listeners journaled fewer than ${plan.length} connections; the client said: ${JSON.stringify(outcomes.filter((outcome) => outcome.error?.startsWith('no line')))}`)),
        VERDICT_DEADLINE_MS,
      );
    }),
  ]).finally(() => clearTimeout(deadline));

  const queues = new Map<string, ClientVerdict[]>();
  for (const verdict of verdicts) queues.set(verdict.variant, [...(queues.get(verdict.variant) ?? []), verdict]);
  const expected = new Map<string, number>();
  for (const entry of plan) expected.set(entry.variant, (expected.get(entry.variant) ?? 0) + 1);

  // Counts that disagree (a retry, a connection lost) pair nothing: every case of that listener then fails.
  const paired = new Set([...expected].filter(([variant, count]) => queues.get(variant)?.length === count).map(([variant]) => variant));
  const all = plan.map((entry, index): Case => {
    const verdict = paired.has(entry.variant) ? queues.get(entry.variant)!.shift() : undefined;
    return { variant: entry.variant, mustRefuse: entry.mustRefuse, tls: entry.target.tls, mode: entry.mode, outcome: outcomes[index]!, verdict };
  });
  return { stack, cases: all.filter((entry) => entry.variant !== GOOD), controls: all.filter((entry) => entry.variant === GOOD), clientMs };
}

/**
 * Runs every stack, `lanes` at a time, each against listeners of its own (so a verdict is always
 * its stack's). The slowest start first: a JVM compiling its source overlaps the quick ones.
 */
export async function runStacks(
  stacks: readonly VariantStack[],
  files: ClientFiles,
  startListeners: () => Promise<VariantsUnderTest>,
  lanes: number,
): Promise<Map<VariantStack['name'], StackRun | Error>> {
  const SLOW_FIRST = ['java HttpClient', 'go net/http', 'python requests'];
  const queue = [...stacks].sort((a, b) => rank(b.name) - rank(a.name));
  function rank(name: string): number {
    const at = SLOW_FIRST.indexOf(name);
    return at < 0 ? 0 : SLOW_FIRST.length - at;
  }
  // A stack that fails fails its own tests, not its neighbours'.
  const runs = new Map<VariantStack['name'], StackRun | Error>();
  const lane = async (): Promise<void> => {
    for (let stack = queue.shift(); stack; stack = queue.shift()) {
      const listeners = await startListeners();
      try {
        runs.set(stack.name, await runStack(stack, files, listeners));
      } catch (error) {
        runs.set(stack.name, error instanceof Error ? error : new Error(String(error)));
      } finally {
        await listeners.close();
      }
    }
  };
  await Promise.all(Array.from({ length: lanes }, lane));
  return runs;
}
