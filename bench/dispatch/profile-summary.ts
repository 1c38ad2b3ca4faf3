import { readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Where a `.cpuprofile` (node --cpu-prof) spent its time: the functions with the most self
 * time, and the project's own functions (src/, workers/) with the most inclusive time.
 * Run alone: `tsx bench/dispatch/profile-summary.ts <file.cpuprofile> [root]`.
 */

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export interface ProfileLine {
  ms: number;
  share: number;
  frame: string;
}

export function summariseProfile(file: string, root: string, top = 25): { totalMs: number; idleMs: number; self: ProfileLine[]; projectInclusive: ProfileLine[] } {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

  const label = (n: ProfileNode) => {
    const { functionName, url, lineNumber } = n.callFrame;
    const where = url ? `${url.startsWith('file://') ? path.relative(root, new URL(url).pathname) : url}:${lineNumber + 1}` : '';
    return `${functionName || '(anonymous)'} ${where}`.trim();
  };
  const isProject = (n: ProfileNode) => {
    const url = n.callFrame.url;
    return url.startsWith(`file://${root}/src/`) || url.startsWith(`file://${root}/workers/`);
  };

  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  let totalMs = 0;
  profile.samples.forEach((id, i) => {
    const ms = (profile.timeDeltas[i] ?? 0) / 1000;
    totalMs += ms;
    const node = byId.get(id)!;
    self.set(label(node), (self.get(label(node)) ?? 0) + ms);
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const n = byId.get(cur)!;
      if (!isProject(n)) continue;
      const key = label(n);
      if (seen.has(key)) continue;
      seen.add(key);
      inclusive.set(key, (inclusive.get(key) ?? 0) + ms);
    }
  });
  const rank = (m: Map<string, number>) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([frame, ms]) => ({ ms: Math.round(ms), share: Math.round((ms / totalMs) * 1000) / 10, frame }));
  return { totalMs: Math.round(totalMs), idleMs: Math.round(self.get('(idle)') ?? 0), self: rank(self), projectInclusive: rank(inclusive) };
}

/**
 * With `cpuSeconds` (the process's CPU in the profiled window) it also says how much of the
 * sampled time the process can have spent on a core at most. V8 samples on a wall-clock timer:
 * while the main thread is runnable but waiting for a core (two cores shared with PostgreSQL,
 * Redis and the other process), its samples land on the native call it last made, mostly a
 * socket write (`writeBuffer`, `writev`) that woke the peer which then took the core. Such
 * self times are waiting, not work; `perf record -a` tells the two apart.
 */
export function printProfile(title: string, s: ReturnType<typeof summariseProfile>, cpuSeconds?: number): void {
  console.error(`\n${title}: ${s.totalMs} ms sampled`);
  if (cpuSeconds !== undefined) {
    const busyMs = s.totalMs - s.idleMs;
    console.error(`  process CPU ${Math.round(cpuSeconds * 1000)} ms (all threads) against ${busyMs} ms of non-idle samples: at least ${Math.max(0, Math.round(((busyMs - cpuSeconds * 1000) / s.totalMs) * 100))} % of the samples are the main thread waiting for a core`);
  }
  console.error('  self time:');
  for (const l of s.self) console.error(`    ${String(l.share).padStart(5)} %  ${l.frame}`);
  console.error('  project functions, inclusive:');
  for (const l of s.projectInclusive) console.error(`    ${String(l.share).padStart(5)} %  ${l.frame}`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [file, root = process.cwd()] = process.argv.slice(2);
  if (!file) throw new Error('usage: tsx bench/dispatch/profile-summary.ts <file.cpuprofile> [root]');
  printProfile(file, summariseProfile(file, path.resolve(root)));
}
