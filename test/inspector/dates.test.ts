import { describe, expect, it } from 'vitest';
import { relativeTo } from '../../src/doctor/words.js';
import { dayWithDistance } from '../../src/inspector/explain.js';

// The page's helpers are plain browser modules (no types for the test's compiler): loaded by URL.
const pageDom = new URL('../../src/inspector/page/dom.js', import.meta.url).href;
const { relative } = (await import(pageDom)) as { relative: (iso: string, now?: number) => string };

const NOW = new Date('2026-11-22T12:00:00.000Z');
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const distanceIn = (text: string): string => /\((.*)\)$/.exec(text)![1]!;

describe('how far a certificate date is, in the explanation, on the page and in the doctor', () => {
  it.each([
    ['30 days ago', -30 * DAY - HOUR],
    ['29 days ago', -30 * DAY + HOUR],
    ['29 days ago', -29.6 * DAY],
    ['1 day ago', -DAY - MINUTE],
    ['23 hours ago', -DAY + MINUTE],
    ['5 hours ago', -5.9 * HOUR],
    ['1 minute ago', -20_000],
    ['in 2 minutes', 2.5 * MINUTE],
    ['in 1 hour', 1.99 * HOUR],
    ['in 364 days', 364.9 * DAY],
    ['in 365 days', 365 * DAY],
  ])('reads "%s", counting whole units elapsed, rounded down', (expected, offset) => {
    const when = new Date(NOW.getTime() + offset);
    expect(relativeTo(when, NOW)).toBe(expected);
    expect(distanceIn(dayWithDistance(when.toISOString(), NOW))).toBe(expected);
    expect(relative(when.toISOString(), NOW.getTime())).toBe(expected);
  });

  it('gives the date beside the distance', () => {
    expect(dayWithDistance(new Date(NOW.getTime() - 30 * DAY).toISOString(), NOW)).toBe('2026-10-23 (30 days ago)');
  });
});
