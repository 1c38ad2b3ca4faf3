import { Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { recordOutcome } from '../src/dispatch/record-outcome.js';
import type { OutcomeJob } from '../src/queues/registry.js';
import type { Runtime } from '../src/runtime.js';
import { stopOnPermanentFailure } from '../src/queues/poison.js';
import { safeError } from '../src/safe-error.js';
import { dispatchDeps } from './deps.js';

/**
 * Records agents' outcomes (`src/dispatch/record-outcome.ts`); retried with backoff on a
 * transient failure, ended at once on a permanent one (`stopOnPermanentFailure`).
 */
export function startOutcomesWorker(rt: Runtime, connection: Redis): Worker<OutcomeJob> {
  const deps = dispatchDeps(rt);
  const worker = new Worker<OutcomeJob>('outcomes', stopOnPermanentFailure((job) => recordOutcome(deps, job.data)), {
    connection,
    prefix: rt.config.QUEUE_PREFIX,
    concurrency: 16,
    // Recording takes milliseconds: a worker that died with outcomes in hand is noticed within
    // ~15 s (the lock is renewed every 5 s while one records).
    lockDuration: 10_000,
    stalledInterval: 5_000,
    // A job in hand when its worker died goes back, up to this often before BullMQ fails it (a
    // crash loop); recording is idempotent, and maintenance gives a failed one another round.
    maxStalledCount: 5,
  });
  worker.on('failed', (job, err) => rt.log.error({ jobId: job?.id, err: safeError(err) }, 'recording an outcome failed'));
  worker.on('error', (err) => rt.log.warn({ err }, 'outcomes worker error'));
  return worker;
}
