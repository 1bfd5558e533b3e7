import { fixOf, type VariantName } from '../pki/catalogue.js';
import {
  DOCTOR_CHECKS,
  type DiagnosedCertificate,
  type DoctorCheck,
  type DoctorInputs,
  type DoctorReport,
  type DoctorSummary,
  type Finding,
  type FindingStatus,
} from './types.js';

interface FindingExtras {
  fix?: string | undefined;
  variant?: VariantName | undefined;
}

/** A finding; `fix` and `variant` are left out of the object when not given, so JSON stays tidy. */
export function finding(check: DoctorCheck, status: FindingStatus, message: string, extras: FindingExtras = {}): Finding {
  return {
    check,
    status,
    message,
    ...(extras.fix ? { fix: extras.fix } : {}),
    ...(extras.variant ? { variant: extras.variant } : {}),
  };
}

/** A failure that matches a catalogue variant, with the catalogue's own fix unless another is given. */
export function variantFailure(check: DoctorCheck, variant: VariantName, message: string, fix = fixOf(variant)): Finding {
  return finding(check, 'fail', message, { fix, variant });
}


export function summarise(findings: readonly Finding[]): DoctorSummary {
  const count = (status: FindingStatus): number => findings.filter((entry) => entry.status === status).length;
  return { total: findings.length, passed: count('pass'), warned: count('warn'), failed: count('fail'), skipped: count('skip') };
}

export function buildReport(
  findings: readonly Finding[],
  inputs: DoctorInputs,
  certificate: DiagnosedCertificate | null,
): DoctorReport {
  const order = (entry: Finding): number => DOCTOR_CHECKS.indexOf(entry.check);
  const sorted = [...findings].sort((a, b) => order(a) - order(b));
  const summary = summarise(sorted);
  return { ok: summary.failed === 0, summary, inputs, certificate, findings: sorted };
}

/** "3 checks failed, 8 passed, 1 skipped" / "all 11 checks passed" / "all 10 checks passed, 1 with a warning, 1 skipped". */
export function summaryLine(summary: DoctorSummary): string {
  const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
  const skipped = summary.skipped > 0 ? `, ${summary.skipped} skipped` : '';
  if (summary.failed > 0) {
    const warned = summary.warned > 0 ? `, ${plural(summary.warned, 'warning')}` : '';
    return `${plural(summary.failed, 'check')} failed, ${summary.passed} passed${warned}${skipped}`;
  }
  const ran = summary.passed + summary.warned;
  if (ran === 0) return `no check could run${skipped}`;
  const warned = summary.warned > 0 ? `, ${summary.warned} with a warning` : '';
  return `all ${plural(ran, 'check')} passed${warned}${skipped}`;
}
