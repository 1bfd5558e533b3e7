/** Insight windows and their calendar months, in UTC days (`YYYY-MM-DD`). */

export interface Month {
  year: number;
  /** 1–12. */
  month: number;
  /** `YYYY-MM`. */
  key: string;
  first: string;
  last: string;
  /** The window covers the whole month and the month has ended. */
  complete: boolean;
}

export const MONTH_NAMES = [
  'January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December',
] as const;

const iso = (date: Date): string => date.toISOString().slice(0, 10);

/** `day` minus `months` calendar months, clamped to the shorter month's end (May 31 − 3 → Feb 28). */
export function monthsBefore(day: string, months: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const target = new Date(Date.UTC(y, m - 1 - months, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(d, lastDay));
  return iso(target);
}

/** The months the window [start, today] touches, newest first. */
export function windowMonths(start: string, today: string): Month[] {
  const out: Month[] = [];
  const cursor = new Date(`${start.slice(0, 7)}-01T00:00:00.000Z`);
  while (iso(cursor) <= today) {
    const first = iso(cursor);
    const last = iso(new Date(Date.UTC(cursor.getUTCFullYear(), cursor.getUTCMonth() + 1, 0)));
    out.push({ year: cursor.getUTCFullYear(), month: cursor.getUTCMonth() + 1, key: first.slice(0, 7), first, last, complete: first >= start && last < today });
    cursor.setUTCMonth(cursor.getUTCMonth() + 1);
  }
  return out.reverse();
}

/** Whole days from a to b. */
export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(b) - Date.parse(a)) / 86_400_000);
}

/** Every day of [start, end], oldest first. */
export function eachDay(start: string, end: string): string[] {
  const out: string[] = [];
  for (let t = Date.parse(start); t <= Date.parse(end); t += 86_400_000) out.push(iso(new Date(t)));
  return out;
}

/** The periods Lean reports factors for, as the newest n months of the window. */
export const PERIODS = [
  { period: 'P3M', months: 3 },
  { period: 'P6M', months: 6 },
  { period: 'P9M', months: 9 },
  { period: 'P12M', months: 12 },
] as const;
