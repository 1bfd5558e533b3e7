import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** How often the launcher is looked for: a syscall or two, on an unref'd timer. */
const POLL_MS = 200;
const SHELLS = new Set(['sh', 'dash', 'bash', 'zsh', 'ash', 'ksh']);

/**
 * Calls `onGone` once the process that launched us through npm is gone, and answers a function
 * that stops watching. `npx lean-mock serve` (and `npm start`) run npm → `sh -c` → node; stopping
 * npx forwards SIGTERM to the sh only, which dies without passing it on (npm 11, measured), and
 * SIGKILL reaches neither: either way node would keep the ports. So we watch our parent (orphaned:
 * our ppid changes) and, when the parent is such a shell, its parent (npm) too.
 *
 * Only under npm (`npm_command` in the environment): a `lean-mock serve &` that a shell script
 * leaves running on purpose must outlive the script.
 */
export function watchLauncher(parent: number, onGone: (who: string) => void, env: NodeJS.ProcessEnv = process.env): () => void {
  if (env.npm_command === undefined || process.platform === 'win32') return () => {};
  const npm = isShell(parent) ? parentOf(parent) : undefined;
  const check = (): void => {
    if (process.ppid !== parent) stop('its parent process exited');
    else if (npm !== undefined && !alive(npm)) stop('npm exited');
  };
  const timer = setInterval(check, POLL_MS).unref();
  let stopped = false;
  const stop = (who?: string): void => {
    if (stopped) return;
    stopped = true;
    clearInterval(timer);
    if (who !== undefined) onGone(who);
  };
  check();
  return () => stop();
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Name and parent of `pid`: from /proc on Linux, else one `ps` (only under npm, once). */
function describe(pid: number): { name: string; parent: number } | undefined {
  try {
    if (process.platform === 'linux') {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      // "pid (name) state ppid …": the name may hold spaces and parentheses, so split at the last ')'.
      const close = stat.lastIndexOf(')');
      return { name: stat.slice(stat.indexOf('(') + 1, close), parent: Number(stat.slice(close + 2).split(' ')[1]) };
    }
    const [parent, ...name] = execFileSync('ps', ['-o', 'ppid=,comm=', '-p', String(pid)], { encoding: 'utf8' }).trim().split(/\s+/);
    return { name: (name.join(' ').split('/').pop() ?? '').replace(/^-/, ''), parent: Number(parent) };
  } catch {
    return undefined;
  }
}

function isShell(pid: number): boolean {
  return SHELLS.has(describe(pid)?.name ?? '');
}

function parentOf(pid: number): number | undefined {
  const parent = describe(pid)?.parent;
  return parent !== undefined && Number.isInteger(parent) && parent > 1 ? parent : undefined;
}
