/**
 * How lean-mock words durations for people. The doctor and the inspector both say how long ago a
 * certificate expired; one rule (whole units, rounded down) keeps them from disagreeing by a day.
 */

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/** `30 days ago`, `in 365 days`, `in 5 hours`. */
export function relativeTo(date: Date, now: Date): string {
  const delta = date.getTime() - now.getTime();
  const magnitude = Math.abs(delta);
  const amount =
    magnitude >= DAY_MS
      ? plural(Math.floor(magnitude / DAY_MS), 'day')
      : magnitude >= HOUR_MS
        ? plural(Math.floor(magnitude / HOUR_MS), 'hour')
        : plural(Math.max(1, Math.floor(magnitude / 60_000)), 'minute');
  return delta < 0 ? `${amount} ago` : `in ${amount}`;
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
