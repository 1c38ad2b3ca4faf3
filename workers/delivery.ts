import { Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { deliver } from '../src/delivery/deliver.js';
import type { Mailer } from '../src/delivery/mailer.js';
import type { DeliveryJob } from '../src/queues/registry.js';
import type { Runtime } from '../src/runtime.js';
import { stopOnPermanentFailure } from '../src/queues/poison.js';
import { safeError } from '../src/safe-error.js';
import { dispatchDeps, jobLock } from './deps.js';

/**
 * Sends result lists (`src/delivery/deliver.ts`). A worker that died while sending is noticed
 * within JOB_LOCK_SECONDS + 5 s (the next worker then marks its round `unknown`); a live worker
 * renews the lock every half of it, also while it writes a large list.
 */
export function startDeliveryWorker(rt: Runtime, connection: Redis, mailer: Mailer): Worker<DeliveryJob> {
  const deps = { ...dispatchDeps(rt), mailer };
  const worker = new Worker<DeliveryJob>(
    'delivery',
    stopOnPermanentFailure((job) => deliver(deps, job.data.deliveryId, { finalTry: job.attemptsMade + 1 >= (job.opts.attempts ?? 1) })),
    { connection, prefix: rt.config.QUEUE_PREFIX, concurrency: 2, ...jobLock(rt.config) },
  );
  worker.on('failed', (job, err) => rt.log.warn({ jobId: job?.id, tries: job?.attemptsMade, err: safeError(err) }, 'result-list delivery failed'));
  worker.on('error', (err) => rt.log.warn({ err }, 'delivery worker error'));
  return worker;
}
