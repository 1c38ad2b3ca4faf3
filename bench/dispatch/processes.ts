import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { sleep } from './stats.js';

/**
 * The processes under test. API and workers each run as a child (`node --import tsx …`, no
 * wrapper process), so the API's RSS and CPU are its own, read from /proc.
 */
export interface Child {
  name: string;
  proc: ChildProcess;
  pid: number;
  /** The last lines of its output, for the error message when it dies. */
  tail: string[];
  exited: boolean;
}

/** `args`: node's arguments as the npm script has them (`nodeArgsOf('start:api')`), the script last. */
export function startChild(name: string, args: string[], env: Record<string, string>, opts: { cwd: string; preload?: string }): Child {
  const preload = opts.preload ? ['--import', opts.preload] : [];
  const proc = spawn(process.execPath, [...args.slice(0, -1), ...preload, args.at(-1)!], {
    cwd: opts.cwd,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const child: Child = { name, proc, pid: proc.pid!, tail: [], exited: false };
  const keep = (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n')) if (line.trim()) child.tail.push(line);
    if (child.tail.length > 200) child.tail.splice(0, child.tail.length - 200);
  };
  proc.stdout!.on('data', keep);
  proc.stderr!.on('data', keep);
  proc.on('exit', () => (child.exited = true));
  return child;
}

/** Resolves once `check` is true; rejects when the child dies or `timeoutMs` passes. */
export async function waitFor(child: Child, what: string, check: () => Promise<boolean> | boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exited) throw new Error(`${child.name} exited while waiting for ${what}:\n${child.tail.slice(-20).join('\n')}`);
    if (await Promise.resolve().then(check).catch(() => false)) return;
    await sleep(200);
  }
  throw new Error(`${child.name}: no ${what} within ${timeoutMs} ms:\n${child.tail.slice(-20).join('\n')}`);
}

/** SIGTERM (graceful: the app's own shutdown runs, a CPU profile gets written), SIGKILL after `graceMs`. */
export async function stopChild(child: Child, graceMs = 10_000): Promise<void> {
  if (child.exited) return;
  const gone = new Promise<void>((resolve) => child.proc.once('exit', () => resolve()));
  child.proc.kill('SIGTERM');
  const timer = setTimeout(() => {
    if (!child.exited) child.proc.kill('SIGKILL');
  }, graceMs);
  await gone;
  clearTimeout(timer);
}

/** Resident set size of `pid` in MB (VmRSS), or null when it is gone. */
export function rssMb(pid: number): number | null {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : null;
  } catch {
    return null;
  }
}

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

/** utime + stime of one process, in seconds. */
function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name is in parentheses and may contain spaces: split after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

interface ProcessCpu {
  comm: string;
  ppid: number;
  cpu: number;
}

/** Every process's command name, parent and CPU seconds so far, by pid (one pass over /proc). */
function everyProcess(): Map<number, ProcessCpu> {
  const out = new Map<number, ProcessCpu>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      out.set(Number(entry), { comm, ppid: Number(fields[1]), cpu: (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND });
    } catch {
      // the process ended between readdir and read
    }
  }
  return out;
}

/** The servers counted by command name, since they run many processes (all Postgres backends, say). */
const SERVER_COMMANDS = { postgres: 'postgres', redis: 'redis-server' } as const;

/** Busy and total jiffies of the whole machine (first line of /proc/stat). */
function machineTicks(): { busy: number; total: number } {
  const [, ...values] = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/);
  const n = values.map(Number);
  const idle = (n[3] ?? 0) + (n[4] ?? 0);
  const total = n.reduce((a, b) => a + b, 0);
  return { busy: total - idle, total };
}

export interface CpuSnapshot {
  at: number;
  byName: Record<string, number>;
  /** Every process by pid: one that ends between snapshots must not count negative. */
  processes: Map<number, ProcessCpu>;
  machine: { busy: number; total: number };
}

/** CPU seconds used so far by the named pids, the Postgres and Redis servers and this process. */
export function cpuSnapshot(pids: Record<string, number>): CpuSnapshot {
  const byName: Record<string, number> = {};
  for (const [name, pid] of Object.entries(pids)) byName[name] = cpuSeconds(pid);
  byName.bench = cpuSeconds(process.pid);
  return { at: performance.now(), byName, processes: everyProcess(), machine: machineTicks() };
}

/** Share of one core each used between two snapshots (1.0 = one core busy), and the machine's busy share. */
export function cpuBetween(a: CpuSnapshot, b: CpuSnapshot): Record<string, number> {
  const seconds = (b.at - a.at) / 1000;
  const out: Record<string, number> = {};
  const share = (cpu: number) => Math.round((cpu / seconds) * 100) / 100;
  for (const name of Object.keys(b.byName)) out[name] = share(b.byName[name]! - (a.byName[name] ?? 0));
  for (const [name, comm] of Object.entries(SERVER_COMMANDS)) {
    let used = 0;
    for (const [pid, p] of b.processes) if (p.comm === comm) used += p.cpu - (a.processes.get(pid)?.cpu ?? 0);
    out[name] = share(used);
  }
  const total = b.machine.total - a.machine.total;
  out.machineBusy = total > 0 ? Math.round(((b.machine.busy - a.machine.busy) / total) * 100) / 100 : 0;
  return out;
}

/**
 * The processes that are not part of the bench and used CPU between two snapshots, by command
 * name, busiest first (cores; those under 0.005 left out). A machine shared with other servers
 * or kernel threads shows here: on two cores, their bursts are what the carried tail waits on.
 */
export function othersBetween(a: CpuSnapshot, b: CpuSnapshot): Record<string, number> {
  const seconds = (b.at - a.at) / 1000;
  const servers = new Set<string>(Object.values(SERVER_COMMANDS));
  // The bench's own tree: its ancestors (npm, tsx) and descendants (API, workers, esbuild).
  const tree = new Set<number>([process.pid]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const [pid, p] of b.processes) {
      if (tree.has(pid) || !tree.has(p.ppid)) continue;
      tree.add(pid);
      grew = true;
    }
  }
  for (let pid = b.processes.get(process.pid)?.ppid ?? 0; pid > 1 && !tree.has(pid); pid = b.processes.get(pid)?.ppid ?? 0) tree.add(pid);
  const used = new Map<string, number>();
  for (const [pid, p] of b.processes) {
    if (tree.has(pid) || servers.has(p.comm)) continue;
    const cpu = p.cpu - (a.processes.get(pid)?.cpu ?? 0); // started in the window: all of it
    if (cpu > 0) used.set(p.comm, (used.get(p.comm) ?? 0) + cpu);
  }
  return Object.fromEntries(
    [...used]
      .map(([comm, cpu]) => [comm, Math.round((cpu / seconds) * 1000) / 1000] as const)
      .filter(([, cores]) => cores >= 0.005)
      .sort((x, y) => y[1] - x[1]),
  );
}
