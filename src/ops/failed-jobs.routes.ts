import { createRoute, z } from '@hono/zod-openapi';
import { requireRole } from '../auth/guard.js';
import { authErrors, createRouter, json } from '../http/router.js';
import { failedJobs } from '../queues/poison.js';
import { FailedJobSchema } from './failed-jobs.schemas.js';

const route = createRoute({
  method: 'get', path: '/admin/failed-jobs', tags: ['Operations'], middleware: requireRole('admin'),
  summary: 'Background jobs that failed (outcomes, imports, result-list mails), newest first',
  responses: { 200: json(z.array(FailedJobSchema), 'Failed jobs (at most 200)'), ...authErrors },
});

export function failedJobsRoutes() {
  const app = createRouter();
  app.openapi(route, async (c) => c.json(await failedJobs(c.var.deps.queues), 200));
  return app;
}
