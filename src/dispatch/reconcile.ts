import { and, asc, eq, gt, sql } from 'drizzle-orm';
import { cases, clients, dunningLists } from '../db/schema.js';
import { callJobId } from '../queues/registry.js';
import type { Scheduled } from '../scheduling/index.js';
import type { CaseRow } from './case-state.js';
import { caseQueues } from './routing.js';
import type { DispatchDeps } from '../deps.js';
import { enqueueCall } from './enqueue.js';
import { loadCaseContext } from './load-case.js';

const BATCH = 1000;
const JOB_ID = /^([0-9a-f-]{36})-a(\d+)$/;

export interface ReconcileReport {
  openCases: number;
  added: number;
  removed: number;
}

/**
 * Makes Redis agree with Postgres: every open case of an active list gets its current
 * attempt's call job back in each of its queues (`caseQueues`: language routing under the
 * client's current policy) if it is missing there (Redis flushed or restored from an old
 * snapshot, or the client's `languageRouting` changed),
 * and waiting or delayed jobs of closed cases or older attempts are removed. Active jobs (held
 * by an agent) are left alone. Safe to run at any time and from several workers at once.
 */
export async function reconcile(d: DispatchDeps): Promise<ReconcileReport> {
  const report: ReconcileReport = { openCases: 0, added: 0, removed: 0 };
  const queues = new Set<string>();
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const batch = await d.db
      .select({ c: cases, settings: clients.settings })
      .from(cases)
      .innerJoin(dunningLists, eq(dunningLists.id, cases.listId))
      .innerJoin(clients, eq(clients.id, cases.clientId))
      .where(and(eq(cases.status, 'open'), eq(dunningLists.status, 'active'), gt(cases.id, after)))
      .orderBy(asc(cases.id))
      .limit(BATCH);
    if (batch.length === 0) break;
    after = batch[batch.length - 1]!.c.id;
    report.openCases += batch.length;
    // Per case: its call job, and an outcome for that attempt still waiting to be recorded
    // (then the case is not missing a job: the outcomes worker adds the next one).
    const pipeline = d.queues.connection.pipeline();
    const queuesOf = batch.map(({ c, settings }) => caseQueues(c, settings).map((q) => q.queue));
    for (const [i, { c }] of batch.entries()) {
      const id = callJobId(c.id, c.attemptsMade + 1);
      pipeline.exists(`${d.calls.prefix}:outcomes:${id}`);
      for (const q of queuesOf[i]!) pipeline.exists(`${d.calls.prefix}:${q}:${id}`);
    }
    const exists = ((await pipeline.exec()) ?? []).map(([, n]) => Number(n ?? 0) > 0);
    let at = 0;
    for (const [i, { c }] of batch.entries()) {
      const own = queuesOf[i]!;
      const [outcomePending, ...present] = exists.slice(at, (at += own.length + 1));
      for (const q of own) queues.add(q);
      if (outcomePending || present.every(Boolean)) continue;
      await restoreJob(d, c);
      report.added++;
    }
  }
  for (const q of await d.calls.ready.all()) queues.add(q);
  report.removed = await removeStale(d, [...queues]);
  await d.calls.ready.refresh([...queues], d.clock.now().getTime());
  if (report.added || report.removed) d.log.info(report, 'reconcile repaired the schedule');
  return report;
}

async function restoreJob(d: DispatchDeps, stale: CaseRow): Promise<void> {
  const ctx = await loadCaseContext(d.db, stale.id);
  if (!ctx || ctx.case.status !== 'open' || ctx.listStatus !== 'active') return;
  const c = ctx.case;
  const now = d.clock.now();
  const at = c.nextDueAt && c.nextDueAt > now ? c.nextDueAt : now;
  // The pull-time check applies the calling rules again, so the stored due time is enough here.
  const plan: Scheduled = { at, windowEnd: null, window: c.callback?.window ?? null, reason: 'immediate' };
  await enqueueCall(d.calls, c, plan, c.callback ? 'callback' : c.attemptsMade > 0 ? 'retry' : 'first', now, {
    settings: ctx.settings,
    personalAgentId: c.callback?.agentId ?? null,
  });
}

/** Removes waiting, prioritized and delayed jobs whose case is closed or has moved on. */
async function removeStale(d: DispatchDeps, queues: string[]): Promise<number> {
  const redis = d.queues.connection;
  let removed = 0;
  for (const queue of queues) {
    const base = `${d.calls.prefix}:${queue}`;
    const ids = [
      ...(await redis.lrange(`${base}:wait`, 0, -1)),
      ...(await redis.zrange(`${base}:prioritized`, '0', '-1')),
      ...(await redis.zrange(`${base}:delayed`, '0', '-1')),
    ];
    for (let i = 0; i < ids.length; i += BATCH) {
      const parsed = ids
        .slice(i, i + BATCH)
        .map((id) => ({ id, m: JOB_ID.exec(id) }))
        .filter((x): x is { id: string; m: RegExpExecArray } => x.m !== null);
      if (parsed.length === 0) continue;
      // `= any(array)` is an index lookup per id; `in ($1 … $1000)` was planned as a sequential scan.
      const caseIds = [...new Set(parsed.map((p) => p.m[1]!))];
      const rows = await d.db
        .select({ id: cases.id, status: cases.status, attemptsMade: cases.attemptsMade })
        .from(cases)
        .where(sql`${cases.id} = any(${`{${caseIds.join(',')}}`}::uuid[])`); // one array parameter (ids are checked by JOB_ID)
      const byId = new Map(rows.map((r) => [r.id, r]));
      for (const { id, m } of parsed) {
        const c = byId.get(m[1]!);
        if (c && c.status === 'open' && c.attemptsMade + 1 === Number(m[2])) continue;
        removed += await d.queues.calls(queue).remove(id);
      }
    }
  }
  return removed;
}
