import type { DriftReport, DriftRow } from './run.js';

const MARKERS: Record<DriftRow['verdict'], string> = { same: '✓', drift: '✗', skipped: '–', failed: '!' };

/**
 * One line per probe (marker, name, route, the two statuses), and under each drifted probe one
 * indented line per difference: the path, then what the upstream and the mock had there.
 */
export function renderDrift(report: DriftReport): string {
  const nameWidth = Math.max(...report.rows.map((row) => row.probe.length));
  const routeWidth = Math.max(...report.rows.map((row) => row.route.length));
  const lines = [`lean-mock drift: ${report.upstream} against a fresh lean-mock, ${report.rows.length} probes`];
  lines.push(`  ${'probe'.padEnd(nameWidth)}  ${'request'.padEnd(routeWidth)}  upstream  mock`);
  for (const row of report.rows) {
    const statuses = `${String(row.upstream ?? '-').padEnd(8)}  ${row.mock ?? '-'}`;
    lines.push(`${MARKERS[row.verdict]} ${row.probe.padEnd(nameWidth)}  ${row.route.padEnd(routeWidth)}  ${statuses}`);
    // A skipped probe's reason is the same for many: said once, under the table.
    if (row.note && row.verdict !== 'skipped') lines.push(`    ${row.note}`);
    for (const difference of row.differences) {
      lines.push(`    ${difference.path}: upstream ${difference.upstream ?? 'absent'}, mock ${difference.mock ?? 'absent'}`);
    }
  }
  const skipped = report.rows.filter((row) => row.verdict === 'skipped');
  for (const note of new Set(skipped.map((row) => row.note))) {
    const names = skipped.filter((row) => row.note === note).map((row) => row.probe);
    lines.push(`– ${names.length} skipped (${names.join(', ')}): ${note ?? 'not run'}`);
  }
  lines.push(summaryLine(report));
  return `${lines.join('\n')}\n`;
}

export function summaryLine(report: DriftReport): string {
  const { summary } = report;
  const rest = [`${summary.same} same`, `${summary.skipped} skipped`, `${summary.failed} failed`].join(', ');
  return summary.drifted || summary.failed
    ? `drift: ${summary.drifted} of ${summary.probes} probes differ (${rest})`
    : `no drift: ${summary.same} of ${summary.probes} probes match (${rest})`;
}
