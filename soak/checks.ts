/** The soak's verdicts: one printed line per check, tallied for the summary and the exit code. */
export class Checks {
  passed = 0;
  failed = 0;

  check(name: string, ok: boolean, detail: string): void {
    if (ok) this.passed++;
    else this.failed++;
    console.log(`${ok ? 'PASS' : 'FAIL'}  ${name} — ${detail}`);
  }
}

export const seconds = (since: number): string => `${((performance.now() - since) / 1000).toFixed(1)} s`;
