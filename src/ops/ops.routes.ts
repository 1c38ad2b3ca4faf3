import { Hono } from 'hono';
import type { AppEnv } from '../http/context.js';
import { errorBody } from '../http/errors.js';
import type { Metrics } from './metrics.js';
import { requireMetricsToken } from './metrics-auth.js';

/** Liveness and readiness, open as orchestrators expect; Prometheus metrics for the scraper's token only. */
export function opsRoutes(metrics: Metrics) {
  const app = new Hono<AppEnv>();
  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  app.get('/readyz', async (c) => {
    const { database, redis } = c.var.deps;
    const [pg, rd] = await Promise.allSettled([withTimeout(database.ping(), 2000), withTimeout(redis.ping(), 2000)]);
    const checks = { postgres: pg.status === 'fulfilled' ? 'ok' : 'down', redis: rd.status === 'fulfilled' ? 'ok' : 'down' };
    if (pg.status === 'fulfilled' && rd.status === 'fulfilled') return c.json({ status: 'ready', checks });
    return c.json({ ...errorBody('not_ready', 'A dependency does not answer', checks), checks }, 503);
  });
  app.get('/metrics', requireMetricsToken, async (c) => {
    c.header('Content-Type', metrics.registry.contentType);
    return c.body(await metrics.registry.metrics());
  });
  return app;
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error('timeout')), ms).unref())]);
}
