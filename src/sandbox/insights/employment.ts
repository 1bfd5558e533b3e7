import { incomeRows } from './income.js';
import type { InsightLedger } from './ledger.js';
import { Minor, round2, stddev, type InsightObject } from './money.js';
import { dayTime } from './stats.js';

/**
 * `GET /insights/v2/income/employment`: one entry per employer paying a salary in the window
 * (the employer named in the salary line). The sandbox holds no register of employers, so the
 * matched reference employer is the bank's own name for it, with no Arabic name or CR number.
 */
export function employmentInsight(ledger: InsightLedger): InsightObject {
  const byEmployer = new Map<string, { day: string; units: number }[]>();
  // Oldest first, so each employer's first salary is its first entry.
  for (const { row, source } of incomeRows(ledger).reverse()) {
    if (!source.salary) continue;
    const name = source.name ?? 'UNKNOWN EMPLOYER';
    byEmployer.set(name, [...(byEmployer.get(name) ?? []), { day: row.day, units: row.units }]);
  }
  return {
    employment_details: [...byEmployer].map(([name, salaries]) => {
      const paidMonths = new Set(salaries.map((s) => s.day.slice(0, 7)));
      const firstMonth = salaries[0]!.day.slice(0, 7);
      // Consistent: a salary in every complete month of the window since the first one.
      const expected = ledger.months.filter((month) => month.complete && month.key >= firstMonth);
      return {
        bank_employer_name: name,
        matched_reference_employer: { name: { en: name, ar: null }, cr_number: null },
        salary_consistent: expected.every((month) => paidMonths.has(month.key)),
        salary_date_variance: round2(stddev(salaries.map((s) => Number(s.day.slice(8, 10))))),
        salary_amount_variance: new Minor(Math.round(stddev(salaries.map((s) => s.units))), ledger.scale),
        first_salary_date: dayTime(salaries[0]!.day),
      };
    }),
  };
}
