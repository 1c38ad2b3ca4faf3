import { createRoute, z } from '@hono/zod-openapi';
import { requireRole } from '../auth/guard.js';
import { authErrors, createRouter, json } from '../http/router.js';
import { failedJobs } from '../queues/poison.js';

const FailedJobSchema = z
  .object({
    queue: z.enum(['outcomes', 'imports', 'delivery']),
    jobId: z.string(),
    failedAt: z.string().nullable(),
    tries: z.number().int(),
    permanent: z.boolean().openapi({ description: 'Retrying cannot fix it (the data was refused); otherwise it used up its tries on transient failures' }),
    reason: z.string().openapi({ description: 'The error, without SQL parameters or quoted values' }),
    listId: z.uuid().nullable(),
    caseId: z.uuid().nullable(),
  })
  .openapi('FailedJob');

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
