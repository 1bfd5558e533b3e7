import { performance } from 'node:perf_hooks';
import { median, spread, type Spread } from './stats.js';

export interface BenchOptions {
  /** Fewer runs: a smoke check of the harness, not figures to quote. */
  quick: boolean;
}

/**
 * What a figure counts: a time (lower is better), a rate (higher is better), a payload size reported
 * for context, or a process's peak resident memory (lower is better; its ratio is figure / baseline,
 * like a time's).
 */
export type Unit = 'ms' | 'req/s' | 'bytes' | 'MiB';

/**
 * `unit: 'ratio'` compares the baseline ratio, otherwise the median. Times and memory want `<` and rates `>=`,
 * ratios alike: a rate's ratio (figure / baseline) of at least the value is a figure at least that
 * fraction of its baseline's rate.
 */
export interface Target {
  op: '<' | '<=' | '>=';
  value: number;
  unit: Unit | 'ratio';
}

export interface BenchResult {
  name: string;
  unit: Unit;
  samples: number[];
  median: number;
  spread: Spread;
  /** Ratio = median of per-round ratios against a baseline measured in the same rounds. */
  baseline?: { name: string; ratio: number; ratioSpread: Spread };
  target?: Target;
  met?: boolean;
  /** Failed operations behind the figure (non-200 replies, dropped connections): any makes it suspect and fails its target. */
  errors?: number;
  /** Why the figure was not measured (e.g. a missing build); such a result has no samples. */
  skipped?: string;
}

export interface BenchSuite {
  name: string;
  /** What is measured and how, in a sentence or two, copied into results.json. */
  method: string;
  run(options: BenchOptions): Promise<BenchResult[]>;
}

/** One measured run: resolves to its own figure (elapsed ms, or a rate), so set-up and clean-up can stay untimed. */
export type Task = () => Promise<number>;

export async function timed(work: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await work();
  return performance.now() - start;
}

/**
 * Runs every task once per round (A B C, B C A, …) so machine noise hits all alike and no task
 * always goes first; the first `warmup` rounds are discarded.
 */
export async function interleave<K extends string>(
  tasks: Record<K, Task>,
  rounds: { runs: number; warmup: number },
): Promise<Record<K, number[]>> {
  const names = Object.keys(tasks) as K[];
  const samples = Object.fromEntries(names.map((name) => [name, [] as number[]])) as Record<K, number[]>;
  for (let round = 0; round < rounds.warmup + rounds.runs; round++) {
    for (let i = 0; i < names.length; i++) {
      const name = names[(round + i) % names.length]!;
      const elapsed = await tasks[name]();
      if (round >= rounds.warmup) samples[name].push(elapsed);
    }
  }
  return samples;
}

/** A row that could not be measured: no samples, no figures, only the reason, shown in the table. */
export function skipped(name: string, reason: string, unit: Unit = 'ms'): BenchResult {
  return { name, unit, samples: [], median: Number.NaN, spread: { kind: 'min-max', low: Number.NaN, high: Number.NaN }, skipped: reason };
}

/** Builds a result; `baseline` samples must come from the same rounds, index for index. */
export function summarize(
  name: string,
  samples: number[],
  extra: { unit?: Unit; baseline?: { name: string; samples: readonly number[] }; target?: Target; errors?: number } = {},
): BenchResult {
  const result: BenchResult = { name, unit: extra.unit ?? 'ms', samples, median: median(samples), spread: spread(samples) };
  if (extra.target && extra.target.unit !== 'ratio' && extra.target.unit !== result.unit) {
    throw new Error(`${name}: a target in ${extra.target.unit} for a figure in ${result.unit}`);
  }
  if (extra.baseline) {
    const ratios = samples.map((value, i) => value / extra.baseline!.samples[i]!);
    result.baseline = { name: extra.baseline.name, ratio: median(ratios), ratioSpread: spread(ratios) };
  }
  if (extra.target) {
    const { op, value, unit } = extra.target;
    const actual = unit === 'ratio' ? result.baseline?.ratio : result.median;
    if (actual === undefined) throw new Error(`${name}: a ratio target needs a baseline`);
    result.target = extra.target;
    result.met = op === '<' ? actual < value : op === '<=' ? actual <= value : actual >= value;
  }
  if (extra.errors) {
    result.errors = extra.errors;
    if (result.met !== undefined) result.met = false;
  }
  return result;
}
