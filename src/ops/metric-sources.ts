import { count, eq } from 'drizzle-orm';
import { assignments, deliveries, deliveryStatusEnum, dunningLists, listStatusEnum } from '../db/schema.js';
import type { Db } from '../db/client.js';
import type { AppDeps } from '../http/context.js';
import { failedJobCounts } from '../queues/poison.js';
import { MaintenanceRuns } from './maintenance-runs.js';

/**
 * What `/metrics` reads at scrape time, from PostgreSQL and Redis: the truth of every process,
 * not the counts of the one API process that happens to be scraped (imports, mails and lock
 * expiries happen in the workers).
 */
export interface MetricSources {
  failedJobs(): Promise<Record<string, number>>;
  listsByStatus(): Promise<Record<string, number>>;
  deliveriesByStatus(): Promise<Record<string, number>>;
  expiredAssignments(): Promise<number>;
  /**
   * Per call queue of the ready index: jobs waiting or delayed, and for how long (s) a queue with
   * a job due has gone without a pull taking one (0 when none is due). Not the wait of its
   * longest-due job: BullMQ does not keep when a job became due once it leaves the delayed set
   * (promotion sets its `delay` to 0), and finding that job among the prioritized ones (ordered
   * by amount, not by age) would read every job of the queue at each scrape.
   */
  callQueues(): Promise<Array<{ queue: string; waiting: number; delayed: number; unservedSeconds: number }>>;
  /** When each maintenance task last succeeded and last failed (s since the epoch), as far as Redis knows. */
  maintenanceRuns(): ReturnType<MaintenanceRuns['read']>;
}

/** Assignments whose lock ran out, all time: read through the partial index `assignments_expired`. */
export const expiredAssignmentsQuery = (db: Db) => db.select({ n: count() }).from(assignments).where(eq(assignments.endReason, 'expired'));

export function metricSources(deps: AppDeps): MetricSources {
  const db = deps.database.db;
  // Every status of the enum, 0 where GROUP BY finds no row: a status nothing has any more reads 0.
  const byStatus = (statuses: readonly string[], rows: Array<{ status: string; n: number }>) => ({
    ...Object.fromEntries(statuses.map((s) => [s, 0])),
    ...Object.fromEntries(rows.map((r) => [r.status, r.n])),
  });
  const runs = new MaintenanceRuns(deps.redis, deps.config.QUEUE_PREFIX);
  return {
    maintenanceRuns: () => runs.read(),
    failedJobs: () => failedJobCounts(deps.queues),
    listsByStatus: async () => byStatus(listStatusEnum.enumValues, await db.select({ status: dunningLists.status, n: count() }).from(dunningLists).groupBy(dunningLists.status)),
    deliveriesByStatus: async () => byStatus(deliveryStatusEnum.enumValues, await db.select({ status: deliveries.status, n: count() }).from(deliveries).groupBy(deliveries.status)),
    expiredAssignments: async () => (await expiredAssignmentsQuery(db))[0]?.n ?? 0,
    callQueues: async () => {
      const now = deps.clock.now().getTime();
      const ready = await deps.calls.ready.scores();
      return Promise.all(
        ready.map(async ({ queue, readyAt }) => {
          const counts = await deps.queues.calls(queue).getJobCounts('waiting', 'prioritized', 'delayed');
          return {
            queue,
            waiting: (counts.waiting ?? 0) + (counts.prioritized ?? 0),
            delayed: counts.delayed ?? 0,
            // The ready index's score: when the queue had a job due, moved to the time of each
            // pull that takes one of its jobs (ready queues take turns, `pull-script.ts`).
            unservedSeconds: readyAt <= now ? Math.round((now - readyAt) / 1000) : 0,
          };
        }),
      );
    },
  };
}

