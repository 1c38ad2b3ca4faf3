import { Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { queueDueDeliveries } from '../src/delivery/deliveries.js';
import { reconcile } from '../src/dispatch/reconcile.js';
import { recover } from '../src/recovery/recover.js';
import { refreshReachRates } from '../src/reach/refresh-reach-rates.js';
import { purgeExpiredLists } from '../src/retention/purge.js';
import { POISON_PREFIX, stopOnPermanentFailure } from '../src/queues/poison.js';
import { safeError } from '../src/safe-error.js';
import type { MaintenanceJob } from '../src/queues/registry.js';
import type { Runtime } from '../src/runtime.js';
import { dispatchDeps } from './deps.js';
import { waitForRedis } from '../src/redis/connection.js';
import { every } from './periodic.js';
import { MaintenanceRuns } from '../src/ops/maintenance-runs.js';

const RECONCILE_EVERY_MS = 5 * 60_000;
/** The outbox sweep is a few indexed queries: often enough that nothing waits long. */
const RECOVER_EVERY_MS = 60_000;
/** Retention runs nightly, when nobody works the lists. */
const RETENTION_CRON = '17 3 * * *';
/** Reach rates move slowly (90 days of attempts); hourly keeps a new client's first day visible. */
const REACH_RATES_EVERY_MS = 60 * 60_000;

/**
 * Outcome jobs that used up their tries on transient failures (a long database outage) get
 * another round. A permanent failure (`stopOnPermanentFailure`) stays failed: retrying it
 * cannot help, and admins see it (`GET /api/admin/failed-jobs`).
 */
export async function retryFailedOutcomes(rt: Runtime): Promise<number> {
  const failed = await rt.queues.get('outcomes').getFailed(0, 999);
  // Whatever is not poison: also a job BullMQ failed for stalling too often (its worker died with
  // it in hand) after a try or two. Recording is idempotent, and the agent was answered 202.
  const transient = failed.filter((job) => !job.failedReason?.startsWith(POISON_PREFIX));
  for (const job of transient) await job.retry('failed');
  if (transient.length) rt.log.warn({ count: transient.length }, 'retrying failed outcome jobs');
  return transient.length;
}

/**
 * Periodic tasks on the `maintenance` queue, driven by BullMQ job schedulers (one per task,
 * upserted at every start, so several worker processes share one schedule). Reconcile also
 * runs once right at start and after every reconnect, since a restarted Redis may have lost jobs.
 */
export async function startMaintenance(rt: Runtime, connection: Redis): Promise<{ close: () => Promise<void> }> {
  const deps = dispatchDeps(rt);
  const queue = rt.queues.get('maintenance');
  await schedule(rt);
  const runs = new MaintenanceRuns(rt.redis, rt.config.QUEUE_PREFIX);
  const run = async (task: MaintenanceJob['task']) => {
    switch (task) {
      case 'reconcile':
        return { ...(await reconcile(deps)), retriedOutcomes: await retryFailedOutcomes(rt) };
      case 'deliver-due':
        return queueDueDeliveries(deps);
      case 'retention':
        return purgeExpiredLists(deps);
      case 'recover':
        return recover(deps);
      case 'reach-rates':
        return refreshReachRates(deps.db, deps.clock.now());
    }
  };
  // The run's end recorded for `/metrics` (`maintenance-runs.ts`); a Redis too far away to take
  // the record does not change the run's own result.
  const record = (task: MaintenanceJob['task'], ok: boolean) =>
    runs.record(task, ok, rt.clock.now()).catch((err: Error) => rt.log.warn({ err, task }, 'recording a maintenance run failed'));
  const worker = new Worker<MaintenanceJob>(
    'maintenance',
    // What a failed run leaves in Redis (and Bull Board) is the safe part of its error, as for
    // every other queue: a failed query's text carries its parameters.
    stopOnPermanentFailure(async (job) => {
      const { task } = job.data;
      try {
        const result = await run(task);
        await record(task, true);
        return result;
      } catch (err) {
        // In the log too, by task: a nightly retention or delivery sweep failing must not be silent.
        rt.log.error({ task, err: safeError(err) }, 'maintenance task failed');
        await record(task, false);
        throw err;
      }
    }),
    { connection, prefix: rt.config.QUEUE_PREFIX, concurrency: 1 },
  );
  worker.on('error', (err) => rt.log.warn({ err }, 'maintenance worker error'));
  // Once right away, as jobs: they run in the background (a large backlog takes a while) and
  // a shutdown waits for them like for any other job. Deliveries whose job Redis lost are
  // queued again from PostgreSQL.
  // One id per task: processes starting together run each once.
  const once = (task: 'reconcile' | 'deliver-due' | 'reach-rates') => queue.add(task, { task }, { jobId: `${task}-at-start`, removeOnComplete: true, removeOnFail: true });
  await once('reconcile');
  await once('deliver-due');
  await once('reach-rates');
  repairAfterReconnect(rt, connection);
  const watch = watchSchedules(rt);
  return {
    close: async () => {
      await watch.close();
      await worker.close();
    },
  };
}

async function schedule(rt: Runtime): Promise<void> {
  const queue = rt.queues.get('maintenance');
  // BullMQ runs a new `every` scheduler at once; these two already ran once at start (`once`),
  // so their schedules begin one interval later (a second reconcile of every open case at start
  // doubled its load while agents were already working).
  const after = (ms: number) => ({ every: ms, startDate: rt.clock.now().getTime() + ms });
  await queue.upsertJobScheduler('reconcile', after(RECONCILE_EVERY_MS), { name: 'reconcile', data: { task: 'reconcile' } });
  await queue.upsertJobScheduler('recover', { every: RECOVER_EVERY_MS }, { name: 'recover', data: { task: 'recover' } });
  // In the call center's time, as retention: a container's zone is UTC, and replicas must agree.
  await queue.upsertJobScheduler('deliver-due', { pattern: rt.config.DELIVERY_CRON, tz: 'Europe/Berlin' }, { name: 'deliver-due', data: { task: 'deliver-due' } });
  await queue.upsertJobScheduler('reach-rates', after(REACH_RATES_EVERY_MS), { name: 'reach-rates', data: { task: 'reach-rates' } });
  await queue.upsertJobScheduler('retention', { pattern: RETENTION_CRON, tz: 'Europe/Berlin' }, { name: 'retention', data: { task: 'retention' } });
}

/** How long after a reconnect the repair runs: a failover settles first. */
const REPAIR_DELAY_MS = 2_000;

/**
 * Redis came back after the connection was lost (restarted, or a failover to another primary):
 * whatever it lost — call jobs, outcome jobs, the schedules themselves — is rebuilt now, not at
 * the next scheduled round (up to 5 minutes later). One job id per task, so a burst of
 * reconnects, and several processes, repair once.
 */
function repairAfterReconnect(rt: Runtime, connection: Redis): void {
  let connected = connection.status === 'ready';
  connection.on('ready', () => {
    if (!connected) {
      connected = true;
      return;
    }
    rt.log.warn('Redis connection back: rebuilding what it may have lost');
    // Queued through the process's command connection, which may come back a moment later.
    waitForRedis(rt.redis, 30_000)
      .then(() => rebuild(rt))
      .catch((err: Error) => rt.log.warn({ err }, 'queueing the repair after a reconnect failed'));
  });
}

/** The schedules upserted again, and `recover` and `reconcile` queued: what a Redis that lost its data needs. */
async function rebuild(rt: Runtime): Promise<void> {
  const queue = rt.queues.get('maintenance');
  const repair = (task: 'reconcile' | 'recover') => queue.add(task, { task }, { jobId: `${task}-after-reconnect`, delay: REPAIR_DELAY_MS, removeOnComplete: true, removeOnFail: true });
  await Promise.all([schedule(rt), repair('recover'), repair('reconcile')]);
}

/**
 * A Redis flushed (or failed over to an empty replica) without dropping the connection loses
 * every schedule, and nothing else would notice: no reconcile would restore the call jobs, no
 * outcome left in the outbox would be queued, no result list mailed. So every so often (30 s,
 * or the lock time when shorter) each workers process looks for the `recover` schedule and
 * rebuilds when it is gone — from a timer of its own, not from Redis.
 */
function watchSchedules(rt: Runtime): { close: () => Promise<void> } {
  const interval = Math.min(30_000, rt.config.LOCK_SECONDS * 1000);
  const check = async () => {
    if (await rt.queues.get('maintenance').getJobScheduler('recover')) return;
    rt.log.warn('Redis holds no maintenance schedules (flushed?): rebuilding what it may have lost');
    await rebuild(rt);
  };
  return every(interval, check, (err) => rt.log.warn({ err }, 'checking the maintenance schedules failed'));
}
