/**
 * Lean retries an undelivered webhook after 1, 2, 5, 10, 60 and 180 minutes, then gives up
 * (lean-api.md §6). Each delay is counted from the failed attempt before it: seven attempts in
 * all, the last about four and a half hours after the first.
 */
export const RETRY_DELAYS_MINUTES = [1, 2, 5, 10, 60, 180] as const;

export const MAX_ATTEMPTS = RETRY_DELAYS_MINUTES.length + 1;

/**
 * How long to wait after the `failedAttempts`-th failure, in milliseconds, with the schedule
 * multiplied by `timeScale` (0.001 turns minutes into 60 ms); null once every retry is spent.
 */
export function retryDelayMs(failedAttempts: number, timeScale: number): number | null {
  const minutes = RETRY_DELAYS_MINUTES[failedAttempts - 1];
  // Whole milliseconds, at least one: what a timer can wait, and exact in `next_attempt_at`.
  return minutes === undefined ? null : Math.max(1, Math.round(minutes * 60_000 * timeScale));
}
