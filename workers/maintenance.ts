import { Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { reconcile } from '../src/dispatch/reconcile.js';
import type { MaintenanceJob } from '../src/queues/registry.js';
import type { Runtime } from '../src/runtime.js';
import { dispatchDeps } from './deps.js';

const RECONCILE_EVERY_MS = 5 * 60_000;

/** Outcome jobs that used up their tries (a long database outage) get another round. */
async function retryFailedOutcomes(rt: Runtime): Promise<number> {
  const failed = await rt.queues.get('outcomes').getFailed(0, 999);
  for (const job of failed) await job.retry('failed');
  if (failed.length) rt.log.warn({ count: failed.length }, 'retrying failed outcome jobs');
  return failed.length;
}

/**
 * Periodic tasks on the `maintenance` queue, driven by BullMQ job schedulers (one per task,
 * upserted at every start, so several worker processes share one schedule). Reconcile also
 * runs once right at start, since a restarted Redis may have lost jobs.
 */
export async function startMaintenance(rt: Runtime, connection: Redis): Promise<Worker<MaintenanceJob>> {
  const deps = dispatchDeps(rt);
  const queue = rt.queues.get('maintenance');
  await queue.upsertJobScheduler('reconcile', { every: RECONCILE_EVERY_MS }, { name: 'reconcile', data: { task: 'reconcile' } });
  const worker = new Worker<MaintenanceJob>(
    'maintenance',
    async (job) => {
      if (job.data.task === 'reconcile') {
        const retried = await retryFailedOutcomes(rt);
        return { ...(await reconcile(deps)), retriedOutcomes: retried };
      }
      return null;
    },
    { connection, prefix: rt.config.QUEUE_PREFIX, concurrency: 1 },
  );
  worker.on('error', (err) => rt.log.warn({ err: err.message }, 'maintenance worker error'));
  // Once right away, as a job: it runs in the background (a large backlog takes a while) and
  // a shutdown waits for it like for any other job.
  await queue.add('reconcile', { task: 'reconcile' });
  return worker;
}
