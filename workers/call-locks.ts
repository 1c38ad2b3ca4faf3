import { Worker } from 'bullmq';
import { and, eq, isNull, lt, lte, sql } from 'drizzle-orm';
import type { Redis } from 'ioredis';
import { assignments, cases } from '../src/db/schema.js';
import { caseQueue } from '../src/dispatch/case-state.js';
import { anyLanguageQueue, caseLanguages } from '../src/dispatch/routing.js';
import type { Runtime } from '../src/runtime.js';
import { sharedConnectionBackend } from '../src/queues/shared-connection.js';
import { expiredAt } from '../src/dispatch/assignment-end.js';

/**
 * Lock expiry for assignments. The API hands call jobs out through processor-less Workers,
 * which run no stalled check; here one stalled checker per call queue puts a job whose lock
 * expired (agent gone) back into its queue, no attempt counted, and the assignment is recorded
 * as expired. The set of queues is refreshed periodically, since clients and languages come
 * and go.
 */
export function startCallLockWatch(rt: Runtime, connection: Redis): { close: () => Promise<void> } {
  const lockMs = rt.config.LOCK_SECONDS * 1000;
  const stalledInterval = Math.min(5_000, Math.max(500, lockMs / 2));
  const watchers = new Map<string, Worker>();
  let lastFullScan = 0;
  const db = rt.database.db;

  const watch = async (queue: string) => {
    if (watchers.has(queue)) return;
    const w = new Worker(queue, null, {
      connection,
      prefix: rt.config.QUEUE_PREFIX,
      lockDuration: lockMs,
      stalledInterval,
      // Abandoned calls are normal here; a job must never fail for being abandoned often.
      maxStalledCount: 1_000_000,
      autorun: false,
    }, sharedConnectionBackend);
    w.on('error', (err) => rt.log.warn({ err, queue }, 'lock watcher error'));
    w.on('stalled', (jobId) => {
      void (async () => {
        const now = rt.clock.now();
        await rt.calls.ready.refresh([queue], now.getTime());
        // Only an assignment whose time is up: the job may already be handed to the next agent.
        await db
          .update(assignments)
          .set({ endedAt: expiredAt(now), endReason: 'expired' })
          .where(and(eq(assignments.queue, queue), eq(assignments.jobId, jobId), isNull(assignments.endedAt), lte(assignments.expiresAt, now)));
        rt.log.info({ queue, jobId }, 'assignment lock expired; case back in its queue');
      })().catch((err: Error) => rt.log.warn({ err }, 'recording an expired lock failed'));
    });
    watchers.set(queue, w);
    // Checkers started together run together, every interval: a burst of one Redis script per
    // queue that holds up every agent's request for a moment. Each starts at its own offset.
    setTimeout(() => void w.startStalledCheckTimer().catch((err: Error) => rt.log.warn({ err, queue }, 'lock watcher did not start')), Math.random() * stalledInterval).unref();
  };

  // Every queue with a waiting or delayed job is in the ready index; a queue whose jobs are
  // all held appears among the live assignments. Both are cheap to read, so this runs often.
  const refresh = async () => {
    const live = await db.selectDistinct({ queue: assignments.queue }).from(assignments).where(isNull(assignments.endedAt));
    const queues = new Set([...live.map((r) => r.queue), ...(await rt.calls.ready.all())]);
    // Once a minute also every queue that has open cases: a queue whose only job is held by an
    // agent who vanished while this process was down is in neither set above.
    if (Date.now() - lastFullScan > 60_000) {
      lastFullScan = Date.now();
      const open = await db.selectDistinct({ clientId: cases.clientId, language: cases.language, secondLanguage: cases.secondLanguage }).from(cases).where(eq(cases.status, 'open'));
      for (const c of open) {
        for (const language of caseLanguages(c)) queues.add(caseQueue({ clientId: c.clientId, language }));
        queues.add(anyLanguageQueue(c.clientId));
      }
      // A queue in none of the three sets holds no job to watch: its checker stops until it has one.
      for (const [queue, w] of watchers) {
        if (queues.has(queue)) continue;
        watchers.delete(queue);
        await w.close();
      }
    }
    for (const q of queues) await watch(q);
    // Assignments whose lock ran out long ago but whose job was never seen stalled (Redis lost it).
    const stale = new Date(rt.clock.now().getTime() - lockMs - 60_000);
    await db
      .update(assignments)
      .set({ endedAt: sql`${assignments.expiresAt}`, endReason: 'expired' })
      .where(and(isNull(assignments.endedAt), lt(assignments.expiresAt, stale)));
  };

  let timer: NodeJS.Timeout | undefined;
  const loop = () => {
    refresh()
      .catch((err: Error) => rt.log.warn({ err }, 'refreshing lock watchers failed'))
      .finally(() => {
        timer = setTimeout(loop, 2_000);
        timer.unref();
      });
  };
  loop();
  return {
    close: async () => {
      clearTimeout(timer);
      await Promise.allSettled([...watchers.values()].map((w) => w.close()));
    },
  };
}
