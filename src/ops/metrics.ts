import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { createMiddleware } from 'hono/factory';
import { routePath } from 'hono/route';
import type { AppEnv } from '../http/context.js';

/** One registry per app instance, so tests can build several apps in one process. */
export function createMetrics(failedJobs?: () => Promise<Record<string, number>>) {
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
    help: 'Outcomes accepted from agents (recorded by the workers), by effect',
    labelNames: ['effect'] as const,
    registers: [registry],
  });
  if (failedJobs) {
    new Gauge({
      name: 'mahn_failed_jobs',
      help: 'Background jobs in the failed state, by queue (see GET /api/admin/failed-jobs)',
      labelNames: ['queue'] as const,
      registers: [registry],
      async collect() {
        // Redis away: the gauge keeps its last values rather than failing the whole scrape.
        const counts = await failedJobs().catch(() => ({}));
        for (const [queue, n] of Object.entries(counts)) this.set({ queue }, n);
      },
    });
  }
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
