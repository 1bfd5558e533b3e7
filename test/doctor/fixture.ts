import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { DoctorCheck, DoctorOptions, DoctorReport, Finding } from '../../src/doctor/index.js';
import { writePkiFolder } from '../../src/pki/folder.js';
import { createLeanPki, type LeanPki } from '../../src/pki/lean-pki.js';
import { presented } from '../support/mock-client.js';

/** A fresh Lean PKI, in memory and written as the certificate folder users get. */
export interface PkiFolder {
  readonly pki: LeanPki;
  readonly dir: string;
  /** `{ path }` of a file in the folder, for `diagnose`. */
  file(relative: string): { path: string };
  remove(): Promise<void>;
}

export async function pkiFolder(): Promise<PkiFolder> {
  const pki = await createLeanPki();
  const dir = await mkdtemp(join(tmpdir(), 'lean-mock-doctor-'));
  await writePkiFolder(pki, dir);
  return {
    pki,
    dir,
    file: (relative) => ({ path: join(dir, relative) }),
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}

/** The one finding of `check`; fails the test if the report has none. */
export function findingOf(report: DoctorReport, check: DoctorCheck): Finding {
  const found = report.findings.find((entry) => entry.check === check);
  expect(found, `no ${check} finding in ${JSON.stringify(report.findings.map((entry) => entry.check))}`).toBeDefined();
  return found!;
}

/** The ids of the checks that failed, in report order. */
export function failedChecks(report: DoctorReport): DoctorCheck[] {
  return report.findings.filter((entry) => entry.status === 'fail').map((entry) => entry.check);
}

/** `2026-10-23`: the day part of the doctor's dates, to look for in messages. */
export function day(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** What a named client presents (see test/support/mock-client.ts), as in-memory doctor sources. */
export function identity(pki: LeanPki, who: string): Pick<DoctorOptions, 'cert' | 'key'> {
  const { cert, key } = presented(pki, who);
  return cert && key ? { cert: { data: cert, name: `${who}.crt` }, key: { data: key, name: `${who}.pem` } } : {};
}
