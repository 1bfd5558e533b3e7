import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { dataSuite } from './data.js';
import { gatewaySuite } from './gateway.js';
import { memorySuite } from './memory.js';
import { peersSuite } from './peers.js';
import { pkiSuite } from './pki.js';
import { renderResultsMd } from './results-md.js';
import { startupSuite } from './startup.js';
import { formatRatio, formatSpread, formatTable, formatValue } from './stats.js';
import type { BenchResult, BenchSuite, Target } from './suite.js';

/** New suites are added here, in the order they run. */
const SUITES: readonly BenchSuite[] = [pkiSuite, gatewaySuite, dataSuite, startupSuite, peersSuite, memorySuite];

const RESULTS_PATH = fileURLToPath(new URL('./results.json', import.meta.url));
const RESULTS_MD_PATH = fileURLToPath(new URL('./RESULTS.md', import.meta.url));

function parseArgs(argv: readonly string[]): { quick: boolean; only: string[] } {
  const only = argv.filter((arg) => !arg.startsWith('--'));
  const unknownFlag = argv.find((arg) => arg.startsWith('--') && arg !== '--quick');
  const unknownSuite = only.find((name) => !SUITES.some((suite) => suite.name === name));
  if (unknownFlag || unknownSuite) {
    throw new Error(`usage: npm run bench -- [--quick] [${SUITES.map((suite) => suite.name).join('|')} …]`);
  }
  return { quick: argv.includes('--quick'), only };
}

/** Load average is recorded before and after: on a shared machine it tells how much to trust the run. */
function machine() {
  const cpus = os.cpus();
  return {
    cpuModel: cpus[0]?.model ?? 'unknown',
    cpuCount: cpus.length,
    cpuMHz: cpus[0]?.speed ?? 0,
    totalMemGiB: Number((os.totalmem() / 2 ** 30).toFixed(1)),
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    node: process.version,
    uvThreadpoolSize: process.env.UV_THREADPOOL_SIZE ?? '4 (default)',
    loadAvgAtStart: os.loadavg().map((load) => Number(load.toFixed(2))),
  };
}

const formatTarget = (target: Target | undefined): string =>
  target ? `${target.op} ${target.unit === 'ratio' ? formatRatio(target.value) : `${formatValue(target.value)} ${target.unit}`}` : '';

function tableRow(result: BenchResult): string[] {
  if (result.skipped) return [`${result.name}  -- skipped: ${result.skipped}`, '–', '', result.unit, '', '', '', ''];
  return [
    // A figure with failed operations behind it is flagged where the eye lands first.
    result.errors ? `${result.name}  !! ${result.errors} errors` : result.name,
    formatValue(result.median),
    formatSpread(result.spread),
    result.unit,
    // Rows are named "<group>: <figure>" and a baseline lives in its row's group, so the figure part suffices.
    result.baseline ? result.baseline.name.slice(result.baseline.name.lastIndexOf(': ') + 2) : '',
    result.baseline ? `${formatRatio(result.baseline.ratio)}  ${formatSpread(result.baseline.ratioSpread, (r) => r.toFixed(2))}` : '',
    formatTarget(result.target),
    result.met === undefined ? '' : result.met ? 'yes' : 'NO',
  ];
}

async function main(): Promise<void> {
  const { quick, only } = parseArgs(process.argv.slice(2));
  const startedAt = new Date();
  const info = machine();
  const suites = [];
  for (const suite of SUITES.filter((s) => only.length === 0 || only.includes(s.name))) {
    process.stderr.write(`running ${suite.name}${quick ? ' (quick)' : ''}…\n`);
    const start = performance.now();
    const results = await suite.run({ quick });
    suites.push({ name: suite.name, method: suite.method, seconds: Number(((performance.now() - start) / 1000).toFixed(1)), results });
  }

  const header = ['figure', 'median', 'spread', 'unit', 'baseline', 'ratio', 'target', 'met'];
  console.log(formatTable([header, ...suites.flatMap((suite) => suite.results.map(tableRow))]));
  console.log(`\n${info.cpuCount}× ${info.cpuModel}, node ${info.node}, load ${info.loadAvgAtStart.join(' ')} → ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);

  const report = {
    method: {
      summary:
        'Each figure is the median of repeated runs with its spread (p10–p90 from 10 runs up, min–max below). ' +
        'Baselines are measured in the same run, interleaved round by round with the figures they divide.',
      quick,
      startedAt: startedAt.toISOString(),
      machine: { ...info, loadAvgAtEnd: os.loadavg().map((load) => Number(load.toFixed(2))) },
    },
    suites,
  };
  // Microsecond resolution is all a timer on a shared machine can honestly claim.
  const rounded = (_key: string, value: unknown) => (typeof value === 'number' ? Math.round(value * 1000) / 1000 : value);
  await writeFile(RESULTS_PATH, `${JSON.stringify(report, rounded, 2)}\n`);
  console.log(`wrote ${RESULTS_PATH}`);
  // RESULTS.md is rewritten only by a run of every suite: a partial run would drop the other suites' tables.
  if (only.length === 0) {
    await writeFile(RESULTS_MD_PATH, renderResultsMd(JSON.parse(JSON.stringify(report, rounded)) as Parameters<typeof renderResultsMd>[0]));
    console.log(`wrote ${RESULTS_MD_PATH}`);
  } else {
    console.log(`not writing ${RESULTS_MD_PATH}: only a run of every suite rewrites it`);
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
