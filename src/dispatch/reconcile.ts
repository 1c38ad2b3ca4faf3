import { and, asc, eq, gt, sql } from 'drizzle-orm';
import { isAnyOf } from '../db/any-of.js';
import { loadSettings } from '../clients/clients.service.js';
import { cases, dunningLists } from '../db/schema.js';
import { callPriority } from '../queues/call-queues.js';
import { callJobId, type CallJob } from '../queues/registry.js';
import type { Scheduled, SchedulingSettings } from '../scheduling/index.js';
import type { CaseRow } from './case-state.js';
import { caseQueues } from './routing.js';
import type { DispatchDeps } from '../deps.js';
import { callJobData, enqueueCall } from './enqueue.js';
import { jobKey, jobSetKeys } from '../queues/bullmq-layout.js';
import type { BulkJob } from '../queues/bulk-add.js';

const BATCH = 1000;
const JOB_ID = /^([0-9a-f-]{36})-a(\d+)$/;
const UUID = /^[0-9a-f-]{36}$/;

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
 * `only`: just the missing jobs of one list's open cases (a resumed list, `pause.ts`).
 */
export async function reconcile(d: DispatchDeps, only?: { listId: string }): Promise<ReconcileReport> {
  const report: ReconcileReport = { openCases: 0, added: 0, removed: 0 };
  const queues = new Set<string>();
  // The job id of every open case's current attempt, as just read: a job with one of these ids
  // is not stale, without asking PostgreSQL again.
  const current = new Set<string>();
  const settings = new Map<string, Promise<SchedulingSettings>>();
  const settingsOf = (clientId: string) => {
    let s = settings.get(clientId);
    if (!s) settings.set(clientId, (s = loadSettings(d.db, clientId)));
    return s;
  };
  const restore = jobRestorer(d, settingsOf);
  const read = (after: string) => {
    const rows = d.db
      .select({ c: reconcileColumns })
      .from(cases)
      .innerJoin(dunningLists, eq(dunningLists.id, cases.listId))
      .where(and(eq(cases.status, 'open'), eq(dunningLists.status, 'active'), gt(cases.id, after), only ? eq(cases.listId, only.listId) : undefined))
      .orderBy(asc(cases.id))
      .limit(BATCH)
      .then((r) => r.map(({ c }) => c));
    rows.catch(() => undefined); // awaited in the loop; no unhandled rejection if the loop fails first
    return rows;
  };
  let next = read('00000000-0000-0000-0000-000000000000');
  for (;;) {
    const batch = await next;
    if (batch.length === 0) break;
    next = read(batch[batch.length - 1]!.id); // the next batch is read while this one is checked
    report.openCases += batch.length;
    const batchSettings = await Promise.all(batch.map((c) => settingsOf(c.clientId)));
    const queuesOf = batch.map((c, i) => caseQueues(c, batchSettings[i]!).map((q) => q.queue));
    // Per case: an outcome for its attempt still waiting to be recorded (then the case is not
    // missing a job: the outcomes worker adds the next one), and its call job in each queue.
    const checks = batch.map((c, i) => ({ jobId: callJobId(c.id, c.attemptsMade + 1), queues: ['outcomes', ...queuesOf[i]!] }));
    const present = await d.calls.presence.of(checks);
    const missing: ReconcileCase[] = [];
    for (const [i, c] of batch.entries()) {
      current.add(checks[i]!.jobId);
      for (const q of queuesOf[i]!) queues.add(q);
      const [outcomePending, ...inQueues] = present[i]!;
      if (!outcomePending && !inQueues.every(Boolean)) missing.push(c);
    }
    await restore.add(missing);
    report.added += missing.length;
  }
  await restore.flush();
  if (only) {
    // One list's jobs given back (a resumed list): nothing to remove, its queues told.
    await d.calls.ready.refresh([...queues], d.clock.now().getTime());
    return report;
  }
  for (const q of await d.calls.ready.all()) queues.add(q);
  const imported = await d.calls.importQueues.all();
  const stale = await removeStale(d, [...new Set([...queues, ...imported])], current);
  report.removed = stale.removed;
  await reconcileIfResumed(d, stale.pausedLists);
  const now = d.clock.now().getTime();
  // Not the imports' own queues: an import names its queue in the ready index once it commits.
  await d.calls.ready.refresh([...queues], now);
  // An emptied queue leaves the imports' index (atomically: an import's add re-enters it).
  await d.calls.importQueues.refresh(imported, now);
  if (report.added || report.removed) d.log.info(report, 'reconcile repaired the schedule');
  return report;
}

/** What reconcile reads of an open case: enough to rebuild its call job, never its personal data. */
const reconcileColumns = {
  id: cases.id,
  listId: cases.listId,
  clientId: cases.clientId,
  language: cases.language,
  secondLanguage: cases.secondLanguage,
  attemptsMade: cases.attemptsMade,
  amountCents: cases.amountCents,
  nextDueAt: cases.nextDueAt,
  callback: cases.callback,
};
type ReconcileCase = Pick<CaseRow, keyof typeof reconcileColumns>;

/** Jobs gathered per queue up to this many in all, then added per queue (`Queues.addCalls`), at once. */
const FLUSH_AT = 5_000;

/**
 * Adds the current attempt's call job of each case, due at its stored time (the pull-time check
 * applies the calling rules again, so that is enough). In bulk per queue; a personal callback
 * (two copies) one by one. A case that moved on since it was read gets a job that its pull
 * drops as stale.
 */
function jobRestorer(d: DispatchDeps, settingsOf: (clientId: string) => Promise<SchedulingSettings>) {
  const byQueue = new Map<string, Array<BulkJob<CallJob>>>();
  let buffered = 0;
  // One send at a time runs while the next jobs are gathered (and the next cases read).
  let sending: Promise<unknown> = Promise.resolve();
  const send = () => {
    const batches = [...byQueue];
    byQueue.clear();
    buffered = 0;
    const sent = Promise.all(batches.map(([queue, jobs]) => d.queues.addCalls(queue, jobs)));
    sent.catch(() => undefined); // awaited by the next send or by flush
    return sent;
  };
  const flush = async () => {
    await sending;
    await send();
  };
  const add = async (missing: ReconcileCase[]) => {
    const now = d.clock.now();
    for (const c of missing) {
      const at = c.nextDueAt && c.nextDueAt > now ? c.nextDueAt : now;
      const plan: Scheduled = { at, windowEnd: null, window: c.callback?.window ?? null, reason: 'immediate' };
      const kind = c.callback ? 'callback' : c.attemptsMade > 0 ? 'retry' : 'first';
      if (c.callback?.agentId) {
        await enqueueCall(d.calls, c, plan, kind, now, { settings: await settingsOf(c.clientId), personalAgentId: c.callback.agentId });
        continue;
      }
      const data = callJobData(c, plan, kind);
      const priority = callPriority(c.amountCents, kind === 'callback');
      // Every copy of its routing (a copy still there makes this add a no-op).
      for (const { queue, delayMs } of caseQueues(c, await settingsOf(c.clientId))) {
        const job = { name: 'call' as const, data, opts: { jobId: callJobId(c.id, data.attemptNo), delay: at.getTime() + delayMs - now.getTime(), priority } };
        const jobs = byQueue.get(queue);
        if (jobs) jobs.push(job);
        else byQueue.set(queue, [job]);
        buffered++;
      }
      if (buffered >= FLUSH_AT) {
        await sending;
        sending = send();
      }
    }
  };
  return { add, flush };
}

/**
 * Removes waiting, prioritized and delayed jobs whose case is closed, gone, has moved on or is in
 * a paused list (one the pause left behind, its removal failed). A job whose case is not found is
 * kept while the list it names is `importing`: an import adds its jobs before it commits their
 * cases. Returns the paused lists it removed jobs of.
 */
async function removeStale(d: DispatchDeps, queues: string[], current: Set<string>): Promise<{ removed: number; pausedLists: Set<string> }> {
  const redis = d.queues.connection;
  let removed = 0;
  const pausedLists = new Set<string>();
  for (const queue of queues) {
    const keys = jobSetKeys(d.calls.prefix, queue);
    const ids = [...(await redis.lrange(keys.wait, 0, -1)), ...(await redis.zrange(keys.prioritized, '0', '-1')), ...(await redis.zrange(keys.delayed, '0', '-1'))];
    for (let i = 0; i < ids.length; i += BATCH) {
      const jobs: StoredJob[] = [];
      for (const id of ids.slice(i, i + BATCH)) {
        const m = current.has(id) ? null : JOB_ID.exec(id);
        if (m) jobs.push({ id, caseId: m[1]!, attemptNo: Number(m[2]) });
      }
      if (jobs.length === 0) continue;
      const { openCases, importing, paused } = await lookAtJobs(d, queue, jobs);
      for (const job of jobs) {
        const attemptsMade = openCases.get(job.caseId);
        if (attemptsMade === undefined ? importing.has(job.id) : attemptsMade + 1 === job.attemptNo) continue;
        removed += await d.queues.calls(queue).remove(job.id);
        const pausedList = paused.get(job.caseId);
        if (pausedList) pausedLists.add(pausedList);
      }
    }
  }
  return { removed, pausedLists };
}

/** Lists reconciled again in this process, and whether another run was asked for meanwhile. */
const rerunning = new Map<string, { again: boolean; done: Promise<void> }>();

/**
 * After a pull or `removeStale` removed a job because they read its list as paused: a resume
 * that committed after that read has given the list's cases their jobs back already (its
 * reconcile for the list) and counted the job as there. So the lists are read again after the
 * removal, and an active one is reconciled once more; a resume committing after this read finds
 * the job gone and adds it itself. One run per list at a time: removals meanwhile ask for one
 * more run, not one each. Resolves when the runs asked for here have ended.
 */
export async function reconcileIfResumed(d: DispatchDeps, listIds: Iterable<string>): Promise<void> {
  const lists = new Set(listIds);
  if (lists.size === 0) return;
  const resumed = await d.db
    .select({ id: dunningLists.id })
    .from(dunningLists)
    .where(and(isAnyOf(dunningLists.id, lists), eq(dunningLists.status, 'active')));
  await Promise.all(resumed.map(({ id }) => reconcileAgain(d, id)));
}

function reconcileAgain(d: DispatchDeps, listId: string): Promise<void> {
  const running = rerunning.get(listId);
  if (running) {
    running.again = true;
    return running.done;
  }
  const run = { again: true, done: Promise.resolve() };
  rerunning.set(listId, run);
  run.done = (async () => {
    try {
      while (run.again) {
        run.again = false;
        await reconcile(d, { listId });
      }
    } finally {
      rerunning.delete(listId);
    }
  })();
  return run.done;
}

/** A call job by its id: the case and attempt it is for. */
interface StoredJob {
  id: string;
  caseId: string;
  attemptNo: number;
}

/**
 * Of these jobs: their open cases not in a paused list (attempts made, by case id), those in a
 * paused list (its id, by case id), and the jobs whose list (from the job's data) is
 * `importing`. Cases and lists are read in one statement: in one snapshot, a list seen no longer
 * `importing` means its import's cases, committed before, are seen too — a case committed while
 * reconcile looked is never taken for a ghost.
 */
async function lookAtJobs(d: DispatchDeps, queue: string, jobs: StoredJob[]): Promise<{ openCases: Map<string, number>; importing: Set<string>; paused: Map<string, string> }> {
  const pipeline = d.queues.connection.pipeline();
  for (const { id } of jobs) pipeline.hget(jobKey(d.calls.prefix, queue, id), 'data');
  const listOf = new Map<string, string>();
  for (const [i, [, data]] of ((await pipeline.exec()) ?? []).entries()) {
    const listId = typeof data === 'string' ? (JSON.parse(data) as Partial<CallJob>).listId : undefined;
    if (typeof listId === 'string' && UUID.test(listId)) listOf.set(jobs[i]!.id, listId);
  }
  const caseIds = new Set(jobs.map((j) => j.caseId)); // checked by JOB_ID
  const listIds = new Set(listOf.values()); // checked by UUID
  const openCases = d.db
    .select({
      kind: sql<'case' | 'list'>`'case'`,
      id: cases.id,
      attemptsMade: cases.attemptsMade,
      // A paused list's cases have no jobs (`pause.ts`): one left behind is stale until it resumes.
      pausedList: sql<string | null>`(select ${dunningLists.id}::text from ${dunningLists} where ${dunningLists.id} = ${cases.listId} and ${dunningLists.status} = 'paused')`,
    })
    .from(cases)
    .where(and(isAnyOf(cases.id, caseIds), eq(cases.status, 'open')));
  const rows = listIds.size
    ? await openCases.unionAll(
        d.db
          .select({ kind: sql<'case' | 'list'>`'list'`, id: dunningLists.id, attemptsMade: sql<number>`0`, pausedList: sql<string | null>`null` })
          .from(dunningLists)
          .where(and(isAnyOf(dunningLists.id, listIds), eq(dunningLists.status, 'importing'))),
      )
    : await openCases;
  const importingLists = new Set(rows.filter((r) => r.kind === 'list').map((r) => r.id));
  const caseRows = rows.filter((r) => r.kind === 'case');
  return {
    openCases: new Map(caseRows.filter((r) => !r.pausedList).map((r) => [r.id, r.attemptsMade])),
    importing: new Set([...listOf].filter(([, listId]) => importingLists.has(listId)).map(([id]) => id)),
    paused: new Map(caseRows.filter((r) => r.pausedList).map((r) => [r.id, r.pausedList!])),
  };
}
