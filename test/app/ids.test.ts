import { describe, expect, it } from 'vitest';
import { leanHeaders, newCorrelationId, newTraceId } from '../../src/app/conventions.js';

/**
 * Correlation and trace ids come from random bytes drawn in bulk: each id must still be fresh
 * (no bytes handed out twice, across refills of the pool) and keep Lean's format.
 */

describe('request ids', () => {
  it('are never handed out twice, across many refills of the random pool, in Lean\'s formats', () => {
    const correlation = new Set<string>();
    const trace = new Set<string>();
    // Interleaved as replies draw them (one of each), over several refills of the pool.
    for (let i = 0; i < 3_000; i++) {
      correlation.add(newCorrelationId());
      trace.add(newTraceId());
      const headers = leanHeaders('x');
      trace.add(headers['lean-trace-id']!);
    }
    expect(correlation.size).toBe(3_000);
    expect(trace.size).toBe(6_000);
    expect([...correlation].every((id) => /^[A-Za-z0-9]{16}$/.test(id))).toBe(true);
    expect([...trace].every((id) => /^[0-9a-f]{32}$/.test(id))).toBe(true);
  });

  it('draw bytes that are not the same from one id to the next (no id reuses another\'s bytes)', () => {
    // Two trace ids are 16 bytes each: a pool that failed to advance would repeat one exactly.
    const ids = Array.from({ length: 600 }, () => newTraceId());
    for (let i = 1; i < ids.length; i++) expect(ids[i]).not.toBe(ids[i - 1]);
  });

  it('keep Lean\'s header names in their order', () => {
    expect(Object.keys(leanHeaders('abc'))).toEqual([
      'lean-correlation-id',
      'lean-trace-id',
      'cache-control',
      'strict-transport-security',
      'x-content-type-options',
      'x-frame-options',
    ]);
  });
});
