import { createHash, timingSafeEqual } from 'node:crypto';
import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../http/context.js';
import { errorBody } from '../http/errors.js';

const sha256 = (s: string) => createHash('sha256').update(s).digest();

/**
 * `/metrics` tells requests by route and status (failed logins among them, as 401s of
 * POST /api/session), each client's call queues with their backlog, and the Node.js version,
 * so only the operator's scraper reads it: `Authorization: Bearer <METRICS_TOKEN>`. Without
 * METRICS_TOKEN the endpoint does not exist (404, like any unknown path): an operator who never
 * set one has nothing open.
 * Both sides are hashed first, so the comparison takes the same time for every guess,
 * whatever its length.
 */
export const requireMetricsToken = createMiddleware<AppEnv>(async (c, next) => {
  const token = c.var.deps.config.METRICS_TOKEN;
  if (!token) return c.json(errorBody('not_found', `No route for ${c.req.method} ${c.req.path}`), 404);
  const given = /^Bearer +(\S+)$/i.exec(c.req.header('authorization') ?? '')?.[1] ?? '';
  if (!timingSafeEqual(sha256(given), sha256(token))) {
    c.header('WWW-Authenticate', 'Bearer realm="metrics"');
    return c.json(errorBody('unauthorized', 'Metrics need Authorization: Bearer <METRICS_TOKEN>'), 401);
  }
  await next();
});
