/** How far the samples scatter. Below 10 samples p10/p90 would be interpolated guesses, so min–max is reported instead. */
export interface Spread {
  kind: 'p10-p90' | 'min-max';
  low: number;
  high: number;
}

/** Linear interpolation between closest ranks; `sorted` must be ascending. */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) throw new Error('quantile of no samples');
  const position = (sorted.length - 1) * q;
  const below = sorted[Math.floor(position)]!;
  const above = sorted[Math.ceil(position)]!;
  return below + (above - below) * (position - Math.floor(position));
}

const ascending = (values: readonly number[]): number[] => [...values].sort((a, b) => a - b);

export function median(values: readonly number[]): number {
  return quantile(ascending(values), 0.5);
}

export function spread(values: readonly number[]): Spread {
  const sorted = ascending(values);
  return sorted.length >= 10
    ? { kind: 'p10-p90', low: quantile(sorted, 0.1), high: quantile(sorted, 0.9) }
    : { kind: 'min-max', low: sorted[0]!, high: sorted[sorted.length - 1]! };
}

export const fixed1 = (value: number): string => value.toFixed(1);
/** One decimal from 10 up, more below, so sub-millisecond latencies keep their digits. */
export const formatValue = (value: number): string =>
  value.toFixed(Math.abs(value) >= 10 ? 1 : Math.abs(value) >= 1 ? 2 : 3);
export const formatRatio = (ratio: number): string => `${ratio.toFixed(2)}×`;

export function formatSpread(s: Spread, format: (value: number) => string = formatValue): string {
  return `${format(s.low)}–${format(s.high)} ${s.kind === 'p10-p90' ? 'p10–p90' : 'min–max'}`;
}

/** Plain-text table: first row is the header; numeric-looking cells are right-aligned. */
export function formatTable(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length)));
  const line = (row: readonly string[]): string =>
    row
      .map((cell, column) => (/^[\d.<>=×]/.test(cell) ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!)))
      .join('  ')
      .trimEnd();
  const rule = widths.map((width) => '-'.repeat(width)).join('  ');
  return [line(rows[0]!), rule, ...rows.slice(1).map(line)].join('\n');
}
