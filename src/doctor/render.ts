import { summaryLine } from './report.js';
import type { DoctorReport, FindingStatus } from './types.js';

const MARKERS: Record<FindingStatus, string> = { pass: '✓', warn: '!', fail: '✗', skip: '–' };

/**
 * The report for a person: a title, one line per check (marker, id, message) with an indented
 * `fix:` line under failures and warnings, and a summary line.
 */
export function renderHuman(report: DoctorReport): string {
  const width = Math.max(...report.findings.map((entry) => entry.check.length), 0);
  const lines = [`lean-mock doctor: ${title(report)}`];
  for (const entry of report.findings) {
    lines.push(`${MARKERS[entry.status]} ${entry.check.padEnd(width)}  ${entry.message}`);
    if (entry.fix && (entry.status === 'fail' || entry.status === 'warn')) lines.push(`    fix: ${entry.fix}`);
  }
  lines.push(summaryLine(report.summary));
  return `${lines.join('\n')}\n`;
}

function title(report: DoctorReport): string {
  const { inputs } = report;
  const material = inputs.p12 ?? [inputs.certificate, inputs.key].filter(Boolean).join(' + ');
  const parts = [material || 'no client certificate'];
  if (inputs.ca) parts.push(`trusting ${inputs.ca}`);
  if (inputs.url) parts.push(`against ${inputs.url}`);
  return parts.join(', ');
}
