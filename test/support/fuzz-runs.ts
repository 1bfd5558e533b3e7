/**
 * How many runs the fuzz and property tests make. The default `npm test` makes fewer, still seeded
 * and replayable (LEAN_FUZZ_SEED), so the suite stays near five minutes; `LEAN_FUZZ_RUNS=full`
 * (`npm run test:full`) makes the full counts, as before issue 18. Each test names its count in
 * its title, so a report says which was run.
 */
export const FULL_FUZZ = ['full', '1', 'true'].includes((process.env.LEAN_FUZZ_RUNS ?? '').toLowerCase());

/** `quick` in the default run, `full` under LEAN_FUZZ_RUNS=full. */
export function fuzzRuns(quick: number, full: number): number {
  return FULL_FUZZ ? full : quick;
}
