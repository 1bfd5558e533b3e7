/**
 * Lean retries an undelivered webhook after 1, 2, 5, 10, 60 and 180 minutes, then gives up
 * (lean-api.md §6). Each delay is counted from the failed attempt before it: seven attempts in
 * all, the last about four and a half hours after the first.
 */
export const RETRY_DELAYS_MINUTES = [1, 2, 5, 10, 60, 180] as const;

export const MAX_ATTEMPTS = RETRY_DELAYS_MINUTES.length + 1;

/**
 * Each retry waits up to this fraction longer than Lean's schedule: events that failed together
 * (a receiver down) come back spread over a tenth of the delay instead of in one burst.
 */
export const RETRY_JITTER = 0.1;

/**
 * How long to wait after the `failedAttempts`-th failure, in milliseconds, with the schedule
 * multiplied by `timeScale` (0.001 turns minutes into 60 ms) and stretched by `jitter` (0 ≤ jitter
 * < 1, a random draw) times {@link RETRY_JITTER}; null once every retry is spent.
 */
export function retryDelayMs(failedAttempts: number, timeScale: number, jitter = 0): number | null {
  const minutes = RETRY_DELAYS_MINUTES[failedAttempts - 1];
  const spread = 1 + RETRY_JITTER * Math.min(Math.max(jitter, 0), 1);
  // Whole milliseconds, at least one: what a timer can wait, and exact in `next_attempt_at`.
  return minutes === undefined ? null : Math.max(1, Math.round(minutes * 60_000 * timeScale * spread));
}
