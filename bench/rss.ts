/**
 * Peak resident memory of a process tree, read from outside the processes through Linux /proc:
 * VmHWM in /proc/<pid>/status is the kernel's high-water mark of the process's resident set since
 * it started, so one read after a load is the peak during it, with no sampling to miss a spike.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';

export interface TreeMemory {
  /** Sum of the VmHWM of the process and its descendants, MiB. */
  mib: number;
  /** How many processes were summed. */
  processes: number;
}

export const canReadPeakRss = (): boolean => existsSync(`/proc/${process.pid}/status`);

function readOrUndefined(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    // The process exited between listing and reading: it holds no memory any more.
    return undefined;
  }
}

/**
 * The process and every descendant. Parents come from the fourth field of each /proc/<pid>/stat,
 * read after the command name's closing parenthesis (a name may hold spaces or parentheses); the
 * kernel here lacks /proc/<pid>/task/<tid>/children, so the whole table is scanned once.
 */
export function processTree(root: number): number[] {
  const childrenOf = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readOrUndefined(`/proc/${entry}/stat`);
    const parent = stat === undefined ? undefined : Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (parent === undefined || Number.isNaN(parent)) continue;
    childrenOf.set(parent, [...(childrenOf.get(parent) ?? []), Number(entry)]);
  }
  const tree = [root];
  for (let i = 0; i < tree.length; i++) tree.push(...(childrenOf.get(tree[i]!) ?? []));
  return tree;
}

/** VmHWM of one process, KiB; undefined once it has exited. */
function peakKiB(pid: number): number | undefined {
  const status = readOrUndefined(`/proc/${pid}/status`);
  const match = status === undefined ? null : /^VmHWM:\s+(\d+) kB$/m.exec(status);
  return match ? Number(match[1]) : undefined;
}

/**
 * The peak RSS of `root`'s tree: the sum of each live process's own peak. With one process that is
 * its exact peak; with several it is an upper bound (their peaks need not coincide, and pages they
 * share count once per process). Throws if `root` itself cannot be read.
 */
export function treePeakRss(root: number): TreeMemory {
  let kib = 0;
  let processes = 0;
  for (const pid of processTree(root)) {
    const peak = peakKiB(pid);
    if (peak === undefined) {
      if (pid === root) throw new Error(`no /proc/${root}/status: the server process is gone`);
      continue;
    }
    kib += peak;
    processes++;
  }
  return { mib: kib / 1024, processes };
}
