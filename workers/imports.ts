import { Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { runImport } from '../src/lists/run-import.js';
import type { ImportJob } from '../src/queues/registry.js';
import type { Runtime } from '../src/runtime.js';
import type { Logger } from '../src/log.js';
import { stopOnPermanentFailure } from '../src/queues/poison.js';
import { safeError } from '../src/safe-error.js';
import { dispatchDeps, jobLock } from './deps.js';

/**
 * The import's progress on its job, for the lead's screen; best effort: Redis losing the job
 * meanwhile (a flush, a failover to an empty replica) must not fail an import that PostgreSQL
 * holds — it finishes, and `recover` leaves the list to it (`import-lock.ts`).
 */
export const reportProgress = (job: Job<ImportJob>, log: Logger) => (p: { percent: number; rows: number }) =>
  job.updateProgress(p).catch((err: unknown) => log.warn({ jobId: job.id, err: safeError(err) }, 'import progress not reported'));

/** Imports uploaded lists (`src/lists/run-import.ts`), two at a time per process. */
export function startImportsWorker(rt: Runtime, connection: Redis): Worker<ImportJob> {
  const deps = dispatchDeps(rt);
  const worker = new Worker<ImportJob>('imports', stopOnPermanentFailure((job) => runImport(deps, job.data.listId, reportProgress(job, rt.log))), {
    connection,
    prefix: rt.config.QUEUE_PREFIX,
    concurrency: 2,
    // The lock is renewed every half of it while a list imports; a worker that died is noticed
    // within JOB_LOCK_SECONDS + 5 s and its import starts over (the job is retried once; `recover`
    // queues it again after).
    ...jobLock(rt.config),
  });
  worker.on('failed', (job, err) => rt.log.error({ jobId: job?.id, err: safeError(err) }, 'import job failed'));
  worker.on('error', (err) => rt.log.warn({ err }, 'imports worker error'));
  return worker;
}
