import { DelayedError, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { deliver, StoppedForShutdown } from '../src/delivery/deliver.js';
import type { Mailer } from '../src/delivery/mailer.js';
import type { DeliveryJob } from '../src/queues/registry.js';
import type { Runtime } from '../src/runtime.js';
import { stopOnPermanentFailure } from '../src/queues/poison.js';
import { safeError } from '../src/safe-error.js';
import { dispatchDeps, jobLock } from './deps.js';

/** When a delivery this process stopped for its shutdown is tried again. */
const SHUTDOWN_RETRY_MS = 1_000;

/**
 * Sends result lists (`src/delivery/deliver.ts`). Once the process shuts down, a delivery that has
 * not claimed its round yet goes back to the queue instead of starting a send that the kill
 * after the grace period could cut off. A worker that died while sending is noticed
 * within JOB_LOCK_SECONDS + 5 s (the next worker then marks its round `unknown`); a live worker
 * renews the lock every half of it, also while it writes a large list.
 */
export function startDeliveryWorker(rt: Runtime, connection: Redis, mailer: Mailer): Worker<DeliveryJob> {
  const deps = { ...dispatchDeps(rt), mailer };
  const worker: Worker<DeliveryJob> = new Worker<DeliveryJob>(
    'delivery',
    stopOnPermanentFailure(async (job, token) => {
      try {
        return await deliver(deps, job.data.deliveryId, { finalTry: job.attemptsMade + 1 >= (job.opts.attempts ?? 1), stopping: () => worker.closing !== undefined });
      } catch (err) {
        if (!(err instanceof StoppedForShutdown)) throw err;
        // Back for another process (or this one's next start), no try of the job used up.
        await job.moveToDelayed(Date.now() + SHUTDOWN_RETRY_MS, token);
        throw new DelayedError();
      }
    }),
    { connection, prefix: rt.config.QUEUE_PREFIX, concurrency: 2, ...jobLock(rt.config) },
  );
  worker.on('failed', (job, err) => rt.log.warn({ jobId: job?.id, tries: job?.attemptsMade, err: safeError(err) }, 'result-list delivery failed'));
  worker.on('error', (err) => rt.log.warn({ err }, 'delivery worker error'));
  return worker;
}
