import { z } from '@hono/zod-openapi';

export const FailedJobSchema = z
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
