import os from 'node:os';
import type { DoubleAssignmentWatch, LoadCounters } from './agents.js';
import type { BaselineResult } from './baselines.js';
import { round } from './stats.js';

/**
 * DESIGN.md section 13 (revised): saturated throughput at least the SKIP LOCKED pull and a tenth
 * of the bare BullMQ loop of the same run, at most 3 ms CPU per assignment over API, workers,
 * PostgreSQL and Redis, API RSS ≤ 200 MB, no doubles; p99 ≤ 25 ms at a carried load (a run
 * with `--think-ms`: a saturated run's latency is queueing, reported but not judged).
 */
export const TARGET = { p99Ms: 25, rssMb: 200, vsBullmq: 0.1, vsSkipLocked: 1, cpuMs: 3 };

/** What bench/dispatch/child-probe.ts writes for the measured window. */
export interface ProbeReport {
  cpuSeconds: number;
  delayMs: { p50: number; p99: number; max: number };
  heapStartMb: number;
  heapUsedMb: number;
  writesByPort: Record<string, number>;
  /** The main thread's GC pauses in the window: count, total and longest (ms). */
  gcMs: Record<'minor' | 'major', { count: number; total: number; max: number }>;
}

type Summary = { n: number; p50: number; p90: number; p99: number; max: number };
type LoopDelay = { p50: number; p99: number; max: number };

/** The window after the saturated one, with agents pausing to ask for about half its throughput. */
export interface CarriedWindow {
  thinkMs: number;
  seconds: number;
  assignments: number;
  next: Summary;
  outcome: Summary;
  errors: Record<string, number>;
  /** The bench's own event-loop delay in the window (part of each latency it measures). */
  benchEventLoopDelayMs: LoopDelay;
  /** Cores used in the window, by process (as `ResultInput.cpu`). */
  cpu: Record<string, number>;
  /** As `ResultInput.others`. */
  others: Record<string, number>;
  probes: { api: ProbeReport; workers: ProbeReport };
}

export interface ResultInput {
  cfg: { clients: number; cases: number; agents: number; thinkMs: number; apiProcesses: number };
  loadSeconds: number;
  next: Summary;
  outcome: Summary;
  carried?: CarriedWindow;
  /** The bench's own event-loop delay in the saturated (or only) window. */
  benchEventLoopDelayMs: LoopDelay;
  counters: LoadCounters;
  watch: DoubleAssignmentWatch;
  db: { doubled: number; overlapping: number; recorded: number };
  outcomeBacklogMax: number;
  drainSeconds: number;
  apiRss: { max: number; idle: number };
  cpu: Record<string, number>;
  /** Cores used in the window by processes outside the bench, by command name (`othersBetween`). */
  others: Record<string, number>;
  loadAvg: number;
  probes: { api: ProbeReport; workers: ProbeReport };
  ports: { postgres: string; redis: string };
  baselines: { bareBullmq: BaselineResult; skipLocked: BaselineResult };
}

/** Cores used by the four processes of the product (API, workers, PostgreSQL, Redis). */
const productCores = (cpu: Record<string, number>) => (cpu.api ?? 0) + (cpu.workers ?? 0) + (cpu.postgres ?? 0) + (cpu.redis ?? 0);

/**
 * Cost of one assignment (its next and its outcome) in a window: CPU of the four processes
 * (cores × seconds / assignments), and API and workers each; a socket write is about one round trip.
 */
function perAssignmentOf(cpu: Record<string, number>, seconds: number, assignments: number, probes: ResultInput['probes'], ports: ResultInput['ports']) {
  const per = (x: number) => round(x / Math.max(1, assignments), 2);
  return {
    cpuMs: per(productCores(cpu) * seconds * 1000),
    apiCpuMs: per(probes.api.cpuSeconds * 1000),
    workersCpuMs: per(probes.workers.cpuSeconds * 1000),
    apiPostgresWrites: per(probes.api.writesByPort[ports.postgres] ?? 0),
    apiRedisWrites: per(probes.api.writesByPort[ports.redis] ?? 0),
    workersPostgresWrites: per(probes.workers.writesByPort[ports.postgres] ?? 0),
    workersRedisWrites: per(probes.workers.writesByPort[ports.redis] ?? 0),
  };
}

const pick = (x: Summary) => ({ p50: x.p50, p90: x.p90, p99: x.p99, max: x.max, calls: x.n });

/** The one JSON line: figures, targets met or not, and what explains them. */
export function buildResult(r: ResultInput) {
  const { next: n, outcome: o, counters, cpu, probes, ports } = r;
  const { bareBullmq, skipLocked } = r.baselines;
  const assignmentsPerSec = round(counters.assignments / r.loadSeconds);
  const doubleAssignments = r.watch.doubles + r.db.doubled;
  const ratios = { vsBullmq: round(assignmentsPerSec / bareBullmq.pullsPerSec, 3), vsSkipLocked: round(assignmentsPerSec / skipLocked.pullsPerSec, 2) };
  // Latency is judged at a carried load: the carried window, or a single window with a fixed pause.
  const carried = r.cfg.thinkMs > 0;
  const judged = r.carried ?? (carried ? { next: n, outcome: o } : undefined);
  const systemCores = productCores(cpu);
  const perAssignment = perAssignmentOf(cpu, r.loadSeconds, counters.assignments, probes, ports);
  const pass = {
    nextP99: !judged || judged.next.p99 <= TARGET.p99Ms,
    outcomeP99: !judged || judged.outcome.p99 <= TARGET.p99Ms,
    noDoubles: doubleAssignments === 0,
    apiRss: r.apiRss.max <= TARGET.rssMb,
    cpuPerAssignment: perAssignment.cpuMs <= TARGET.cpuMs,
    vsBullmq: carried || ratios.vsBullmq >= TARGET.vsBullmq,
    vsSkipLocked: carried || ratios.vsSkipLocked >= TARGET.vsSkipLocked,
    all: false,
  };
  pass.all = Object.entries(pass).every(([k, v]) => k === 'all' || v);
  const ours = systemCores + (cpu.bench ?? 0);
  return {
    bench: 'dispatch',
    ...r.cfg,
    seconds: round(r.loadSeconds, 2),
    assignments: counters.assignments,
    assignmentsPerSec,
    next: { p50: n.p50, p90: n.p90, p99: n.p99, max: n.max, calls: n.n, empty: counters.empty },
    outcome: { p50: o.p50, p90: o.p90, p99: o.p99, max: o.max, calls: o.n },
    ...(r.carried
      ? {
          carried: {
            thinkMs: r.carried.thinkMs,
            assignmentsPerSec: round(r.carried.assignments / r.carried.seconds),
            next: pick(r.carried.next),
            outcome: pick(r.carried.outcome),
            errors: r.carried.errors,
            cpuCores: r.carried.cpu,
            otherProcesses: r.carried.others,
            perAssignment: perAssignmentOf(r.carried.cpu, r.carried.seconds, r.carried.assignments, r.carried.probes, ports),
            apiEventLoopDelayMs: r.carried.probes.api.delayMs,
            workersEventLoopDelayMs: r.carried.probes.workers.delayMs,
            benchEventLoopDelayMs: r.carried.benchEventLoopDelayMs,
            apiGcPausesMs: r.carried.probes.api.gcMs,
            workersGcPausesMs: r.carried.probes.workers.gcMs,
          },
        }
      : {}),
    doubleAssignments,
    ...(r.watch.examples.length ? { doubleExamples: r.watch.examples } : {}),
    overlappingAssignmentsInDb: r.db.overlapping,
    errors: counters.errors,
    outcomesAccepted: counters.outcomesAcceptedTotal,
    outcomesRecorded: r.db.recorded,
    outcomeBacklogMax: r.outcomeBacklogMax,
    drainSeconds: r.drainSeconds,
    apiRssMb: round(r.apiRss.max),
    apiRssIdleMb: round(r.apiRss.idle),
    apiHeapMb: { start: probes.api.heapStartMb, end: probes.api.heapUsedMb },
    cpuCores: cpu,
    // The machine may be shared: CPU of processes that are not part of this bench, and the load average.
    otherCpuCores: round(Math.max(0, (cpu.machineBusy ?? 0) * os.cpus().length - ours), 2),
    otherProcesses: r.others,
    loadAvg1m: round(r.loadAvg, 2),
    apiEventLoopDelayMs: probes.api.delayMs,
    workersEventLoopDelayMs: probes.workers.delayMs,
    benchEventLoopDelayMs: r.benchEventLoopDelayMs,
    apiGcPausesMs: probes.api.gcMs,
    workersGcPausesMs: probes.workers.gcMs,
    perAssignment,
    bareBullmq: { pullsPerSec: bareBullmq.pullsPerSec, p50: bareBullmq.p50, p99: bareBullmq.p99 },
    skipLocked: { pullsPerSec: skipLocked.pullsPerSec, p50: skipLocked.p50, p99: skipLocked.p99 },
    ratios,
    pass,
  };
}

export type Result = ReturnType<typeof buildResult>;

/** A window's cost per assignment, as one line. */
const perLine = (p: Result['perAssignment']) =>
  `${p.cpuMs} ms CPU; API ${p.apiCpuMs} ms, ${p.apiPostgresWrites} Postgres and ${p.apiRedisWrites} Redis writes; workers ${p.workersCpuMs} ms, ${p.workersPostgresWrites} Postgres, ${p.workersRedisWrites} Redis`;

/** GC pauses of a window, as one line: scavenges and mark-compacts, each count, total and longest. */
const gcLine = (gc: ProbeReport['gcMs']) =>
  `${gc.minor.count} scavenges ${gc.minor.total} ms (longest ${gc.minor.max}), ${gc.major.count} mark-compacts ${gc.major.total} ms (longest ${gc.major.max})`;

/** Processes outside the bench by cores used, busiest first, as one phrase. */
const othersLine = (others: Record<string, number>) =>
  Object.keys(others).length ? Object.entries(others).map(([comm, cores]) => `${comm} ${cores}`).join(', ') : 'none above 0.005 cores';

/** The human summary, on stderr. */
export function printSummary(r: Result): void {
  const ok = (b: boolean) => (b ? 'ok  ' : 'FAIL');
  const c = 'carried' in r ? r.carried : undefined;
  const latency = (b: boolean) => (r.thinkMs > 0 || c ? ok(b) : '--  ');
  const judged = c ?? r;
  const p = r.perAssignment;
  console.error(
    [
      `  throughput   ${r.assignmentsPerSec} assignments/s (${r.assignments} in ${r.seconds} s; ${r.next.empty} empty nexts; ${r.apiProcesses} API process${r.apiProcesses > 1 ? "es" : ""})`,
      ...(c
        ? [
            `  saturated    next p50 ${r.next.p50} ms, p99 ${r.next.p99} ms; outcome p50 ${r.outcome.p50} ms, p99 ${r.outcome.p99} ms (queueing, not judged)`,
            `  carried      ${c.assignmentsPerSec} assignments/s, agents pausing ~${c.thinkMs} ms per call; machine busy ${c.cpuCores.machineBusy}`,
            `               per assignment ${perLine(c.perAssignment)}`,
            `               event loop p99 API ${c.apiEventLoopDelayMs.p99} ms, workers ${c.workersEventLoopDelayMs.p99} ms, bench ${c.benchEventLoopDelayMs.p99} ms; API GC ${gcLine(c.apiGcPausesMs)}`,
            `               other processes ${othersLine(c.otherProcesses)}`,
          ]
        : []),
      `  ${latency(r.pass.nextP99)} next      p50 ${judged.next.p50} ms, p99 ${judged.next.p99} ms (target ≤ ${TARGET.p99Ms} at a carried load)`,
      `  ${latency(r.pass.outcomeP99)} outcome   p50 ${judged.outcome.p50} ms, p99 ${judged.outcome.p99} ms (target ≤ ${TARGET.p99Ms} at a carried load)`,
      `  ${ok(r.pass.noDoubles)} doubles   ${r.doubleAssignments}${r.doubleExamples ? `: ${r.doubleExamples.join('; ')}` : ''} (overlapping in the database: ${r.overlappingAssignmentsInDb})`,
      `  ${ok(r.pass.apiRss)} API RSS   max ${r.apiRssMb} MB (idle ${r.apiRssIdleMb} MB, heap ${r.apiHeapMb.start} → ${r.apiHeapMb.end} MB; target ≤ ${TARGET.rssMb})`,
      `  ${ok(r.pass.cpuPerAssignment)} CPU       ${p.cpuMs} ms per assignment over API, workers, PostgreSQL, Redis (target ≤ ${TARGET.cpuMs})`,
      `  ${ok(r.pass.vsBullmq)} vs BullMQ ${r.ratios.vsBullmq} of ${r.bareBullmq.pullsPerSec} pulls/s (p99 ${r.bareBullmq.p99} ms; target ≥ ${TARGET.vsBullmq} saturated)`,
      `  ${ok(r.pass.vsSkipLocked)} vs SKIP LOCKED ${r.ratios.vsSkipLocked}× of ${r.skipLocked.pullsPerSec} pulls/s (target ≥ ${TARGET.vsSkipLocked}× saturated)`,
      `  outcomes     ${r.outcomesAccepted} accepted, ${r.outcomesRecorded} recorded; backlog max ${r.outcomeBacklogMax}, drained in ${r.drainSeconds} s`,
      `  errors       ${Object.keys(r.errors).length ? JSON.stringify(r.errors) : 'none'}`,
      `  CPU (cores)  ${Object.entries(r.cpuCores).map(([k, v]) => `${k} ${v}`).join(', ')}; not this bench ${r.otherCpuCores}: ${othersLine(r.otherProcesses)} (load avg ${r.loadAvg1m})`,
      `  per assignment  ${perLine(p)}`,
      `  event loop   API delay p50 ${r.apiEventLoopDelayMs.p50} ms, p99 ${r.apiEventLoopDelayMs.p99} ms, max ${r.apiEventLoopDelayMs.max} ms; workers p99 ${r.workersEventLoopDelayMs.p99} ms; bench p99 ${r.benchEventLoopDelayMs.p99} ms`,
      `  API GC       ${gcLine(r.apiGcPausesMs)}`,
      `  => ${r.pass.all ? 'PASS' : 'FAIL'}`,
    ].join('\n'),
  );
}
