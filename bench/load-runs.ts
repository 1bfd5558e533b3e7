/**
 * Runs bench/load-client.ts as a child process, one load per run, and keeps what each run printed:
 * the peers suite's servers and its load generator are all separate processes, so no figure
 * carries another server's work or shares an event loop with the client.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { errorText } from './processes.js';

const LOAD_CLIENT = fileURLToPath(new URL('./load-client.ts', import.meta.url));

export type LoadMode = 'handshake' | 'keepalive';

export interface LoadSpec {
  url: string;
  mode: LoadMode;
  connections: number;
  seconds: number;
  ca: string;
  cert?: string;
  key?: string;
  token?: string;
  bytes?: number;
}

/** What load-client.ts prints. */
export interface LoadReport {
  rate: number;
  p50: number;
  p99: number;
  errors: number;
  ok: number;
  seconds: number;
}

export async function runLoadClient(spec: LoadSpec): Promise<LoadReport> {
  const args = ['--import', 'tsx', LOAD_CLIENT, '--url', spec.url, '--mode', spec.mode, '--connections', String(spec.connections), '--seconds', String(spec.seconds), '--ca', spec.ca];
  if (spec.cert && spec.key) args.push('--cert', spec.cert, '--key', spec.key);
  if (spec.token) args.push('--token', spec.token);
  if (spec.bytes !== undefined) args.push('--bytes', String(spec.bytes));
  const { stdout } = await promisify(execFile)(process.execPath, args, { timeout: (spec.seconds + 60) * 1000 });
  const line = stdout.trim().split('\n').pop() ?? '';
  return JSON.parse(line) as LoadReport;
}

/** Every run's report by key, so rates, latencies and errors behind a figure are read back after the rounds. */
export class LoadLog {
  private readonly reports = new Map<string, (LoadReport | undefined)[]>();
  constructor(private readonly warmup: number) {}

  /** A task for interleave(): one load-client run, resolving to its rate (NaN when the client failed). */
  task(key: string, spec: () => LoadSpec): () => Promise<number> {
    return async () => {
      let report: LoadReport | undefined;
      try {
        report = await runLoadClient(spec());
      } catch (error) {
        process.stderr.write(`peers: load ${key} failed: ${errorText(error)}\n`);
      }
      this.reports.set(key, [...(this.reports.get(key) ?? []), report]);
      return report?.rate ?? Number.NaN;
    };
  }

  private measured(key: string): (LoadReport | undefined)[] {
    return (this.reports.get(key) ?? []).slice(this.warmup);
  }

  /** Per measured round, index for index with interleave()'s samples. */
  p99(key: string): number[] {
    return this.measured(key).map((report) => report?.p99 ?? Number.NaN);
  }

  /** Failed requests in measured rounds, plus one per round whose client failed or served nothing. */
  errors(key: string): number {
    return this.measured(key).reduce((sum, report) => sum + (report ? report.errors + (report.ok === 0 ? 1 : 0) : 1), 0);
  }
}
