import type { SeededRandom } from '../random.js';

/**
 * Time and money arithmetic for the generator. Money is integer fils (1/100 AED) until it is
 * written into a record, so a year of running balances never drifts by a float rounding.
 */

export const DAY = 86_400_000;

/** A random amount in fils between two AED amounts. */
export function randomFils(random: SeededRandom, range: { min: number; max: number }): number {
  return random.int(Math.round(range.min * 100), Math.round(range.max * 100));
}

/** A random share in [min, max]. */
export function randomShare(random: SeededRandom, range: { min: number; max: number }): number {
  return range.min + random.next() * (range.max - range.min);
}

/** Lean's money: the amount positive, two decimals. */
export function money(fils: number, currency: string): { currency: string; amount: number } {
  return { currency, amount: Math.abs(fils) / 100 };
}

export function startOfDay(ms: number): number {
  return Math.floor(ms / DAY) * DAY;
}

export function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export function isoDateTime(ms: number): string {
  return new Date(ms).toISOString();
}

/** A time of day in UAE waking hours (08:00–24:00 at UTC+4), as ms after UTC midnight. */
export function daytime(random: SeededRandom): number {
  return random.int(4 * 3_600_000, 20 * 3_600_000 - 1);
}

/**
 * The instants in (start, end] of a monthly event on `day` of every `everyMonths`-th month,
 * counted back from the month of `end`, at a time of day drawn once per occurrence.
 */
export function monthly(random: SeededRandom, start: number, end: number, day: number, everyMonths = 1, hours = [4, 8]): number[] {
  const last = new Date(end);
  const out: number[] = [];
  for (let back = 0; back <= 13; back += everyMonths) {
    const time = random.int(hours[0]! * 3_600_000, hours[1]! * 3_600_000 - 1);
    const at = Date.UTC(last.getUTCFullYear(), last.getUTCMonth() - back, day) + time;
    if (at > start && at <= end) out.push(at);
  }
  return out.reverse();
}

/** Instants in (start, end] of an event happening `perWeek` times a week on average. */
export function scattered(random: SeededRandom, start: number, end: number, perWeek: number): number[] {
  const perDay = perWeek / 7;
  const out: number[] = [];
  for (let day = startOfDay(start); day <= end; day += DAY) {
    let count = Math.floor(perDay) + (random.next() < perDay % 1 ? 1 : 0);
    while (count-- > 0) {
      const at = day + daytime(random);
      if (at > start && at <= end) out.push(at);
    }
  }
  return out.sort((a, b) => a - b);
}

/** The same day of month and time, `months` later. */
export function addMonths(ms: number, months: number): number {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds());
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];

/** `MAR 2026`, as salary references name the month. */
export function monthLabel(ms: number): string {
  const d = new Date(ms);
  return `${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
}
