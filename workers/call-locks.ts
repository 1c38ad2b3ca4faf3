import { Job } from 'bullmq';
import { and, eq, isNull, lt, lte, sql } from 'drizzle-orm';
import type { Redis } from 'ioredis';
import { assignments } from '../src/db/schema.js';
import { openCaseQueues, personalQueues } from './open-case-queues.js';
import type { Runtime } from '../src/runtime.js';
import { defaultJobOptions, type CallJob } from '../src/queues/registry.js';
import { LostLocks, type LostJob } from '../src/queues/lost-locks.js';
import { expiredAt } from '../src/dispatch/assignment-end.js';
import { holdAfterDial } from '../src/dispatch/dial-hold.js';
import { every } from './periodic.js';

/**
 * Lock expiry for assignments. The API hands call jobs out with a lock that heartbeats renew;
 * here one check per interval (half the lock, 0.5–5 s) finds the handed-out jobs of every watched
 * queue whose lock is gone (`LostLocks`: one Redis script, however many queues), ends their
 * assignment as expired in PostgreSQL when its time is up, and puts the job back into its
 * queue, no attempt counted. A job without any assignment (its API process died between the
 * pull and the insert, or between the outcome and completing the job) goes back the same way.
 *
 * Watched are the queues of live assignments and of the ready index, and once a minute every
 * queue with open cases and every agent's personal-callback queue: a queue whose only job is
 * held by an agent who vanished while this process was down is in neither of the first two.
 */
export function startCallLockWatch(rt: Runtime, connection: Redis): { close: () => Promise<void> } {
  const lockMs = rt.config.LOCK_SECONDS * 1000;
  const interval = Math.min(5_000, Math.max(500, lockMs / 2));
  const lost = new LostLocks(connection, rt.config.QUEUE_PREFIX);
  const db = rt.database.db;
  let watched = new Set<string>();
  let lastFullScan = 0;

  const watchedQueues = async (): Promise<string[]> => {
    const live = await db.selectDistinct({ queue: assignments.queue }).from(assignments).where(isNull(assignments.endedAt));
    const current = [...live.map((r) => r.queue), ...(await rt.calls.ready.all())];
    if (Date.now() - lastFullScan > 60_000) {
      lastFullScan = Date.now();
      // Rebuilt from scratch: a queue in none of the sets holds no job to watch.
      watched = new Set([...(await openCaseQueues(db)), ...(await personalQueues(db))]);
    }
    for (const q of current) watched.add(q);
    return [...watched];
  };

  /** PostgreSQL first: the assignment ends as expired, then the job goes back (a crash in between: the next check). */
  const returnLostJob = async (job: LostJob) => {
    const now = rt.clock.now();
    const ofJob = and(eq(assignments.queue, job.queue), eq(assignments.jobId, job.jobId), isNull(assignments.endedAt));
    // The end and the hold after a dial in one transaction: a crash between them would leave the
    // assignment ended and the case free at once (the next check finds nothing left to end).
    const ended = await db.transaction(async (tx) => {
      const rows = await tx
        .update(assignments)
        .set({ endedAt: expiredAt(now), endReason: 'expired' })
        .where(and(ofJob, lte(assignments.expiresAt, now)))
        .returning({ id: assignments.id, caseId: assignments.caseId });
      // The agent vanished after dialling: the customer's phone may have rung, as after a release.
      for (const assignment of rows) await holdAfterDial(tx, assignment, now);
      return rows;
    });
    if (ended.length === 0) {
      // Still held in PostgreSQL's eyes (its lock in Redis ran out a moment early): its time comes.
      const [held] = await db.select({ id: assignments.id }).from(assignments).where(ofJob);
      if (held) return;
    }
    // A handle on its Queue: `calls.heldJob` would build a Worker for every queue it is used on.
    const handle = new Job<CallJob>(rt.queues.calls(job.queue), 'call', {} as CallJob, defaultJobOptions.calls, job.jobId);
    if (!(await lost.takeOver(job, (token) => handle.moveToWait(token)))) return;
    await rt.calls.ready.refresh([job.queue], now.getTime());
    rt.log.info({ queue: job.queue, jobId: job.jobId }, ended.length ? 'assignment lock expired; case back in its queue' : 'call job without a holder back in its queue');
  };

  const check = async () => {
    for (const job of await lost.find(await watchedQueues())) await returnLostJob(job);
    // Assignments whose lock ran out long ago but whose job was never found (Redis lost it):
    // ended, with the hold after a dial, before reconcile rebuilds their jobs from the cases.
    const now = rt.clock.now();
    const stale = new Date(now.getTime() - lockMs - 60_000);
    await db.transaction(async (tx) => {
      const ended = await tx
        .update(assignments)
        .set({ endedAt: sql`${assignments.expiresAt}`, endReason: 'expired' })
        .where(and(isNull(assignments.endedAt), lt(assignments.expiresAt, stale)))
        .returning({ id: assignments.id, caseId: assignments.caseId });
      for (const assignment of ended) await holdAfterDial(tx, assignment, now);
    });
  };

  return every(interval, check, (err) => rt.log.warn({ err }, 'checking call job locks failed'), { immediately: true });
}
