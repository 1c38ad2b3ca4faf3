/**
 * Preloaded into the API and workers children (`--import`) by the dispatch bench; no part of
 * the app. SIGUSR2 starts a measuring window, the next SIGUSR2 ends it and writes into
 * BENCH_PROBE_DIR: `<name>.w<n>.loop.json` for the n-th window (event-loop delay during the
 * window) and, for the first window only: with BENCH_PROBE_PROFILE=1, `<name>.cpuprofile` (a
 * CPU profile of the window, its frames mapped back to the TypeScript lines through the build's
 * source maps); with BENCH_PROBE_HEAP=1, `<name>.heapprofile` (V8's sampling heap profile of
 * what the window allocated, collected objects included). It also counts socket writes
 * by remote port, to tell round trips to Postgres and Redis per assignment, and the main
 * thread's garbage-collection pauses (count, total and longest, minor and major).
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { findSourceMap } from 'node:module';
import net from 'node:net';
import path from 'node:path';
import { constants, monitorEventLoopDelay, PerformanceObserver, type PerformanceEntry } from 'node:perf_hooks';

const dir = process.env.BENCH_PROBE_DIR;
const name = process.env.BENCH_PROBE_NAME ?? String(process.pid);
const profile = process.env.BENCH_PROBE_PROFILE === '1';
const heapProfile = process.env.BENCH_PROBE_HEAP === '1';
/** The PostgreSQL and Redis ports whose writes are counted (a private PostgreSQL may listen on any port). */
const serverPorts = new Set((process.env.BENCH_PROBE_PORTS ?? '').split(',').filter(Boolean).map(Number));

interface Frame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}

/** Map frames of compiled code back to the TypeScript source. */
function mapFrames(nodes: Array<{ callFrame: Frame }>): void {
  for (const { callFrame: f } of nodes) {
    if (!f.url.startsWith('file://') || f.url.includes('/node_modules/')) continue;
    const entry = findSourceMap(f.url)?.findEntry(f.lineNumber, f.columnNumber);
    if (entry && 'originalLine' in entry) {
      if (entry.originalSource) f.url = entry.originalSource;
      f.lineNumber = entry.originalLine;
      f.columnNumber = entry.originalColumn;
    }
  }
}

/** Socket writes by remote port: one write is about one round trip (a query, a Redis command). */
const writes = new Map<number, number>();
function countWrites(): void {
  const original = net.Socket.prototype.write;
  net.Socket.prototype.write = function (this: net.Socket, ...args: unknown[]) {
    const port = this.remotePort;
    // Server ports only (Postgres, Redis), not the answers to the bench's HTTP clients.
    if (port !== undefined && serverPorts.has(port)) writes.set(port, (writes.get(port) ?? 0) + 1);
    return (original as (...a: unknown[]) => boolean).apply(this, args);
  } as typeof original;
}

/** GC pauses of the main thread in the window, by kind: minor (scavenge) and major (mark-compact and the rest). */
type Pauses = { count: number; totalMs: number; maxMs: number };
const gc = { minor: { count: 0, totalMs: 0, maxMs: 0 } as Pauses, major: { count: 0, totalMs: 0, maxMs: 0 } as Pauses };
const gcObserver = new PerformanceObserver((list) => {
  for (const entry of list.getEntries() as Array<PerformanceEntry & { detail?: { kind?: number } }>) {
    const p = entry.detail?.kind === constants.NODE_PERFORMANCE_GC_MINOR ? gc.minor : gc.major;
    p.count++;
    p.totalMs += entry.duration;
    p.maxMs = Math.max(p.maxMs, entry.duration);
  }
});

if (dir) {
  countWrites();
  const session = new Session();
  session.connect();
  const delay = monitorEventLoopDelay({ resolution: 5 });
  let open = false;
  let window = 0;
  let windowStart = 0;
  let cpuStart = process.cpuUsage();
  let heapStartMb = 0;
  process.on('SIGUSR2', () => {
    void (async () => {
      if (!open) {
        open = true;
        windowStart = performance.now();
        cpuStart = process.cpuUsage();
        heapStartMb = Math.round(process.memoryUsage().heapUsed / 1048576);
        delay.reset();
        delay.enable();
        writes.clear();
        for (const p of [gc.minor, gc.major]) Object.assign(p, { count: 0, totalMs: 0, maxMs: 0 });
        gcObserver.observe({ entryTypes: ['gc'] });
        window++;
        if (profile && window === 1) {
          await session.post('Profiler.enable');
          await session.post('Profiler.setSamplingInterval', { interval: 500 });
          await session.post('Profiler.start');
        }
        if (heapProfile && window === 1) {
          await session.post('HeapProfiler.enable');
          // Every allocation counts, also what the next scavenge frees (most of a request's garbage).
          await session.post('HeapProfiler.startSampling', { samplingInterval: 16384, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
        }
        return;
      }
      open = false;
      delay.disable();
      gcObserver.disconnect();
      const cpu = process.cpuUsage(cpuStart);
      const ms = (ns: number) => Math.round(ns / 1e4) / 100;
      const loop = {
        seconds: (performance.now() - windowStart) / 1000,
        cpuSeconds: (cpu.user + cpu.system) / 1e6,
        delayMs: { p50: ms(delay.percentile(50)), p99: ms(delay.percentile(99)), max: ms(delay.max), mean: ms(delay.mean) },
        heapStartMb,
        heapUsedMb: Math.round(process.memoryUsage().heapUsed / 1048576),
        writesByPort: Object.fromEntries(writes),
        gcMs: Object.fromEntries(Object.entries(gc).map(([kind, p]) => [kind, { count: p.count, total: Math.round(p.totalMs), max: Math.round(p.maxMs * 10) / 10 }])),
      };
      if (profile && window === 1) {
        const { profile: p } = await session.post('Profiler.stop');
        mapFrames(p.nodes as unknown as Array<{ callFrame: Frame }>);
        writeFileSync(path.join(dir, `${name}.cpuprofile`), JSON.stringify(p));
      }
      if (heapProfile && window === 1) {
        const { profile: h } = await session.post('HeapProfiler.stopSampling');
        writeFileSync(path.join(dir, `${name}.heapprofile`), JSON.stringify(h));
      }
      writeFileSync(path.join(dir, `${name}.w${window}.loop.json`), JSON.stringify(loop));
    })().catch((err: Error) => console.error(`bench probe: ${err.message}`));
  });
}
