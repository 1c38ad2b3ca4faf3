import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { createMiddleware } from 'hono/factory';
import { routePath } from 'hono/route';
import type { AppEnv } from '../http/context.js';
import type { MetricSources } from './metric-sources.js';

/** One registry per app instance, so tests can build several apps in one process. */
export function createMetrics(sources?: MetricSources) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'mahn_' });
  const httpDuration = new Histogram({
    name: 'mahn_http_request_duration_seconds',
    help: 'HTTP request duration by method, route and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10],
    registers: [registry],
  });
  const assignments = new Counter({
    name: 'mahn_assignments_total',
    help: 'Cases handed to agents (a held case asked for again not counted)',
    registers: [registry],
  });
  const outcomes = new Counter({
    name: 'mahn_outcomes_total',
    help: 'Outcomes accepted from agents (answered 202) by this API process, by effect; recorded later by the workers',
    labelNames: ['effect'] as const,
    registers: [registry],
  });
  if (sources) registerSourceGauges(registry, sources);
  // Route templates, not raw paths, as labels: ids in paths would explode the series count.
  const middleware = createMiddleware<AppEnv>(async (c, next) => {
    const end = httpDuration.startTimer();
    try {
      await next();
    } finally {
      end({ method: c.req.method, route: routePath(c) || 'unmatched', status: String(c.res.status) });
    }
  });
  return { registry, middleware, assignments, outcomes };
}

export type Metrics = ReturnType<typeof createMetrics>;

/**
 * Gauges read at scrape time from PostgreSQL and Redis (`MetricSources`). A source that fails
 * (a dependency away) leaves its gauge at its last values rather than failing the scrape.
 */
function registerSourceGauges(registry: Registry, sources: MetricSources): void {
  const gauge = <L extends string>(name: string, help: string, labelNames: readonly L[], fill: (g: Gauge<L>) => Promise<void>) =>
    new Gauge<L>({
      name,
      help,
      labelNames,
      registers: [registry],
      async collect() {
        await fill(this).catch(() => {});
      },
    });
  // Reset before setting: a label value the source no longer returns (a status no row has any
  // more) must not keep its last count. The sources return every known status, 0 included.
  const byLabel = (label: string, read: () => Promise<Record<string, number>>) => async (g: Gauge<string>) => {
    const counts = await read();
    g.reset();
    for (const [value, n] of Object.entries(counts)) g.set({ [label]: value }, n);
  };
  gauge('mahn_failed_jobs', 'Background jobs in the failed state, by queue (see GET /api/admin/failed-jobs)', ['queue'], byLabel('queue', sources.failedJobs));
  gauge('mahn_lists', 'Dunning lists by status (importing, active, paused, completed, failed, cancelled)', ['status'], byLabel('status', sources.listsByStatus));
  gauge('mahn_deliveries', 'Result-list deliveries by status', ['status'], byLabel('status', sources.deliveriesByStatus));
  gauge('mahn_assignments_expired', 'Assignments whose lock ran out (agent gone without an outcome), all time', [], async (g) => g.set(await sources.expiredAssignments()));
  // Both call-queue gauges come from one read per scrape (prom-client collects them at once).
  let snapshot: { at: number; read: ReturnType<MetricSources['callQueues']> } | undefined;
  const callQueues = () => {
    if (!snapshot || Date.now() - snapshot.at > 1_000) snapshot = { at: Date.now(), read: sources.callQueues() };
    return snapshot.read;
  };
  gauge('mahn_call_queue_jobs', 'Call jobs per call queue (client × language) by state', ['queue', 'state'], async (g) => {
    const queues = await callQueues();
    g.reset();
    for (const q of queues) {
      g.set({ queue: q.queue, state: 'waiting' }, q.waiting);
      g.set({ queue: q.queue, state: 'delayed' }, q.delayed);
    }
  });
  const maintenance = (outcome: 'ok' | 'failed') => async (g: Gauge<string>) => {
    const runs = await sources.maintenanceRuns();
    g.reset();
    for (const r of runs) if (r.outcome === outcome) g.set({ task: r.task }, r.at);
  };
  gauge('mahn_maintenance_last_success_timestamp_seconds', 'When each maintenance task (reconcile, recover, deliver-due, retention, reach-rates) last ran to its end, by any workers process', ['task'], maintenance('ok'));
  gauge('mahn_maintenance_last_failure_timestamp_seconds', 'When each maintenance task last failed, by any workers process', ['task'], maintenance('failed'));
  gauge(
    'mahn_call_queue_unserved_seconds',
    'Per call queue with a job due: seconds since a pull last took a job from it, or since it had a job due if that is later (grows while no agent pulls from it)',
    ['queue'],
    async (g) => {
      const queues = await callQueues();
      g.reset();
      for (const q of queues) g.set({ queue: q.queue }, q.unservedSeconds);
    },
  );
}
