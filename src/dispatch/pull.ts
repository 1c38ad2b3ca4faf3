import { randomUUID } from 'node:crypto';
import type { Job } from 'bullmq';
import { eq, sql, type SQL } from 'drizzle-orm';
import { isUniqueViolation } from '../db/errors.js';
import { prepared } from '../db/prepared.js';
import { assignments, cases } from '../db/schema.js';
import type { SessionUser } from '../http/context.js';
import type { CallJob } from '../queues/registry.js';
import { callableUntil, isCallableNow, LEARNED_MAX_EXTRA_MS, nextCallableAt, type ScheduledSlot, type ScheduleRequest } from '../scheduling/index.js';
import { endIfExpired, endWithoutOutcome } from './assignment-end.js';
import { audit } from '../audit/audit.js';
import { caseQueue, personalQueue, placeState, routingLanguage } from './case-state.js';
import { closeCase, completeListIfDone } from './close-case.js';
import { markPhones, phoneColumns } from './case-phones.js';
import type { DispatchDeps } from '../deps.js';
import { caseHistory, liveAssignmentOfAgent, loadCaseContext, type AssignmentRow, type CaseContext, type HistoryEntry } from './load-case.js';
import { lookAtMissingCase, takeCase, untake, type PullContext, type Take } from './pull-context.js';
import { triage } from './pull-triage.js';
import { giveBack } from './held-assignment.js';
import { keptContext, rememberHandedOut } from './handed-out.js';
import { reconcileIfResumed } from './reconcile.js';
import { releasedByAgent } from './released-by.js';
import { scarceQueues, speakersAtWork } from './scarce-languages.js';
import { heldBackByLanguage, languageVerdict } from './language-check.js';
import { anyLanguageQueue, languageNote } from './routing.js';
import { assignmentView, caseView, type CaseView } from './views.js';
import { explainEmptyQueue, type Waiting } from './waiting.js';
import type { LanguageGap } from './language-gaps.js';

// The assignment of a pulled job that `takeCase` did not write: built once.
const buildInsertAssignment = (db: DispatchDeps['db']) =>
  db
    .insert(assignments)
    .values({
      id: sql.placeholder('id'),
      caseId: sql.placeholder('caseId'),
      agentId: sql.placeholder('agentId'),
      attemptNo: sql.placeholder('attemptNo'),
      queue: sql.placeholder('queue'),
      jobId: sql.placeholder('jobId'),
      lockToken: sql.placeholder('lockToken'),
      assignedAt: sql`${sql.placeholder('assignedAt')}::timestamptz`,
      expiresAt: sql`${sql.placeholder('expiresAt')}::timestamptz`,
    })
    .returning()
    .prepare('insert_assignment');

/** Jobs one `next` may look at before it gives up and explains the empty queue. */
const MAX_JOBS_PER_PULL = 25;

export type NextResult =
  | { assignment: { id: string; expiresAt: string }; case: CaseView; history: HistoryEntry[] }
  | { assignment: null; nextDueAt: string | null; waiting: Waiting; languageGaps: LanguageGap[]; clients: { assigned: number; active: number } };

type Verdict = { kind: 'assigned'; assignment: AssignmentRow; ctx: PullContext } | { kind: 'agent_busy' } | { kind: 'skipped' };

/**
 * "Nächster Anruf": the agent's held assignment if there is one, else one case pulled from the
 * agent's queues — personal callbacks first, then the client queues that are ready, the one
 * waiting longest first (a multilingual agent's scarcer languages before the others) — locked
 * to the agent with a fresh token. Every job is checked against
 * Postgres and the scheduling rules first; a stale one is dropped, a not-yet-callable one moved
 * to its next callable time.
 */
export async function nextCall(d: DispatchDeps, agent: SessionUser, onAssigned: () => void = () => {}): Promise<NextResult> {
  const now = d.clock.now();
  // The agent's held assignment is not read first: inserting a second one fails on the unique
  // index (`agent_busy`), and only then is it read (`heldInstead`). An agent asks again while
  // holding a case after a reload, rarely; every other `next` saves that round trip.
  const eligible = queuesToPull(agent);
  // A bilingual agent's scarcer language first (`scarce-languages.ts`).
  const preferred = agent.languages.length > 1 ? scarceQueues(agent, await speakersAtWork(d.db, now)) : [];
  const personal = eligible[0]!;
  // Personal callbacks first; after a job not handed out, the same queue again.
  let first = personal;
  let budget = MAX_JOBS_PER_PULL;
  // Jobs of cases this agent gave back a moment ago, locked and set aside while the pull looks
  // for other work (`released-by.ts`); handed back to their queues when the pull ends.
  const aside: Array<{ queue: string; job: Job<CallJob>; token: string; pulledAt: Date }> = [];
  const tryOne = async (queue: string, job: Job<CallJob>, token: string, pulledAt: Date): Promise<NextResult | 'busy' | null> => {
    const verdict = await vet(d, agent, queue, job, token, now, pulledAt).catch(async (err: unknown) => {
      // Never leave a job locked to nobody: give it back, then report the error.
      await job.moveToDelayed(Date.now(), token).catch(() => {});
      throw err;
    });
    if (verdict.kind === 'assigned') {
      d.log.debug({ caseId: job.data.caseId, agentId: agent.id }, 'assigned');
      onAssigned();
      rememberHandedOut(d.db, { assignment: verdict.assignment, ctx: keptContext(verdict.ctx) });
      return present(d, agent, verdict.assignment, verdict.ctx);
    }
    return verdict.kind === 'agent_busy' ? 'busy' : null;
  };
  try {
    while (budget > 0) {
      budget--;
      const token = randomUUID();
      // Due as of this moment, not the request's start: a concurrent pull sends its queue to the
      // back with its own start time, which may be later than ours (the queue would look not yet due).
      // The job's lock in Redis is taken after this moment, so an assignment counted from it never
      // outlives the lock.
      const pulledAt = d.clock.now();
      const pulled = await d.calls.pull(eligible, first, token, pulledAt.getTime(), preferred);
      if (!pulled) break;
      const { queue, job } = pulled;
      first = queue;
      if (releasedByAgent(job.data, agent.id, now)) {
        aside.push({ queue, job, token, pulledAt });
        continue;
      }
      const got = await tryOne(queue, job, token, pulledAt);
      if (got === 'busy') {
        const held = await heldInstead(d, agent, now);
        if (held) return held;
      } else if (got) return got;
    }
    // Nothing else for the agent: the case they gave back is better than no case.
    const own = aside.shift();
    if (own) {
      const got = await tryOne(own.queue, own.job, own.token, own.pulledAt);
      if (got && got !== 'busy') return got;
    }
  } finally {
    for (const { job, token } of aside) await job.moveToDelayed(Date.now(), token).catch((err: unknown) => d.log.warn({ caseId: job.data.caseId, err }, 'set-aside job not returned (its lock returns it)'));
    // A later pull of this one may have found the queue empty meanwhile and dated it in the ready
    // index to its next delayed job, or dropped it: told again, as a give-back does.
    if (aside.length) await d.calls.ready.refresh([...new Set(aside.map((a) => a.queue))], d.clock.now().getTime()).catch((err: unknown) => d.log.warn({ err }, 'ready index not refreshed (Redis away?)'));
  }
  const held = await heldInstead(d, agent, now);
  if (held) return held;
  const empty = await explainEmptyQueue(d, agent, now);
  // The budget ran out on stale jobs (e.g. of a list just cancelled), not the queue: more may
  // be due right now, so the agent's screen should ask again at once rather than wait.
  return budget === 0 ? { ...empty, nextDueAt: now.toISOString() } : empty;
}

/**
 * The case the agent holds, presented, or null: none, or the one held ended here — expired, or
 * of a client taken from the agent meanwhile (back to its queue; the agent gets a new one).
 */
async function heldInstead(d: DispatchDeps, agent: SessionUser, now: Date): Promise<NextResult | null> {
  const live = await liveAssignmentOfAgent(d.db, agent.id);
  if (!live) return null;
  if (live.expiresAt <= now) {
    await endWithoutOutcome(d.db, live, 'expired', now);
    return null;
  }
  const ctx = await loadCaseContext(d.db, live.caseId);
  if (ctx && agent.clientIds.includes(ctx.case.clientId)) return present(d, agent, live, ctx);
  await giveBack(d, live, 'dropped', now);
  return null;
}

/** Per session user (a frozen object, read again when its session or scope is re-read): the queue names it pulls from. */
const pullQueues = new WeakMap<SessionUser, readonly string[]>();

/** The agent's personal queue, then `eligibleQueues`: built once per session user, not per pull. */
function queuesToPull(agent: SessionUser): readonly string[] {
  let queues = pullQueues.get(agent);
  if (!queues) pullQueues.set(agent, (queues = Object.freeze([personalQueue(agent.id), ...eligibleQueues(agent)])));
  return queues;
}

/** The agent's active clients' queues of the agent's languages, and each client's "any language" queue. */
export function eligibleQueues(agent: Pick<SessionUser, 'callClientIds' | 'languages'>): Set<string> {
  const languages = new Set(agent.languages.map(routingLanguage));
  return new Set(agent.callClientIds.flatMap((clientId) => [...[...languages].map((language) => caseQueue({ clientId, language })), anyLanguageQueue(clientId)]));
}

async function present(d: DispatchDeps, agent: SessionUser, a: AssignmentRow, known?: CaseContext & { history?: HistoryEntry[] }): Promise<NextResult> {
  const ctx: (CaseContext & { history?: HistoryEntry[] }) | null = known ?? (await loadCaseContext(d.db, a.caseId));
  if (!ctx) throw new Error(`assignment ${a.id} points at a missing case`);
  // A pulled case brings its history; a first attempt has none.
  const history = ctx.history ?? (ctx.case.attemptsMade > 0 ? await caseHistory(d.db, a.caseId) : []);
  const extras = {
    languageNote: languageNote(agent.languages, ctx.case),
    dial: d.config.CTI_MODE !== 'link',
    callableUntil: callableUntil(d.clock.now(), ctx.settings, placeState(ctx.case))?.toISOString() ?? null,
  };
  return { assignment: assignmentView(a), case: caseView(ctx, d.config.CTI_LINK_TEMPLATE, extras), history };
}

/**
 * The job's slot as the calling rules judge it. A callback's window is the one the customer
 * asked for (the case's pending callback), none for an exact time: the slot of an exact-time
 * callback names the window its time fell in, which is no restriction — taken for one, a
 * callback for 11:55 pulled at 12:01 went to the next morning.
 */
const slotOf = (data: CallJob, c: Pick<CaseContext['case'], 'callback'>): ScheduledSlot => ({
  start: new Date(data.slot.start),
  end: data.slot.end ? new Date(data.slot.end) : null,
  window: data.slot.kind === 'callback' ? (c.callback?.window ?? null) : data.slot.window,
  kind: data.slot.kind,
});

/**
 * The slot the calling rules judge a pulled job by. A first call or plain retry whose planned
 * slot ended while it waited (yesterday's list left over in the morning) would be moved to "the
 * next callable instant" — now, when the calling hours allow it: its end is no bar then, so the
 * job is handed out in this pull instead of being moved, written and audited first. A callback
 * or a learned retry keeps its window (`resumeRequest` moves those to the window's next
 * occurrence).
 */
function judgedSlot(data: CallJob, ctx: Pick<PullContext, 'case' | 'settings' | 'state'>, now: Date): ScheduledSlot {
  const slot = slotOf(data, ctx.case);
  if (!slot.end || now < slot.end || slot.kind === 'callback') return slot;
  const resume = resumeRequest(slot, ctx, now);
  return resume.kind === 'first' && !resume.window ? { ...slot, end: null } : slot;
}

/**
 * What to ask the scheduling core for when a job cannot be handed out now: a window callback
 * moves to that window's next occurrence, an exact-time callback to the next callable instant
 * (the time has passed), a learned retry to its window's next occurrence (it was placed there
 * because this client's customers answer then) — but only within {@link LEARNED_MAX_EXTRA_MS}
 * of the earliest time the retry was allowed (the last attempt plus the retry delay), as when
 * it was planned: a window busy every day would otherwise move a low-priority case on and on,
 * uncalled, while other hours had agents free — anything else to the next callable instant.
 */
function resumeRequest(slot: ScheduledSlot, ctx: Pick<PullContext, 'case' | 'settings' | 'state'>, now: Date): ScheduleRequest {
  if (slot.kind === 'callback') return slot.window ? { kind: 'callback', window: slot.window } : { kind: 'callback', at: slot.start };
  const choice = ctx.case.retryChoice;
  if (slot.kind !== 'retry' || !choice) return { kind: 'first' };
  const lastAttempt = Math.max(0, ...ctx.state.attemptTimes.map((t) => t.getTime()));
  const keepUntil = lastAttempt + ctx.settings.retryDelaySeconds * 1000 + LEARNED_MAX_EXTRA_MS;
  return now.getTime() <= keepUntil ? { kind: 'first', window: choice.window } : { kind: 'first' };
}

async function later(job: Job<CallJob>, token: string, at: number): Promise<Verdict> {
  await job.moveToDelayed(at, token);
  return { kind: 'skipped' };
}

/** Decides what happens to one pulled job; it leaves the job assigned, moved, or dropped. */
async function vet(d: DispatchDeps, agent: SessionUser, queue: string, job: Job<CallJob>, token: string, now: Date, pulledAt: Date): Promise<Verdict> {
  const { caseId, attemptNo } = job.data;
  const drop = async (reason: string) => {
    await job.moveToCompleted(null, token, false); // removeOnComplete: the id is free again
    d.log.debug({ caseId, reason }, 'dropped call job');
    return { kind: 'skipped' } as const;
  };
  const blocked = async (reason: string, details: Record<string, unknown> = {}) =>
    audit(d.db, { at: now, actorId: agent.id, action: 'pull_blocked', entityType: 'case', entityId: caseId, details: { reason, queue, ...details } });

  if (job.deferredFailure) {
    // BullMQ #3911: a job past maxStalledCount can still be handed out; it counts as failed.
    await job.moveToFailed(new Error(job.deferredFailure), token, false);
    await blocked('deferred_failure');
    return { kind: 'skipped' };
  }
  // Assigned when the row is written, not when the request began (a slow pull would date it
  // before the previous holder's end); expiring counted from the pull, so never after the job's
  // lock in Redis, which was taken later.
  const take: Take = { id: randomUUID(), caseId, agentId: agent.id, attemptNo, queue, jobId: job.id!, lockToken: token, assignedAt: d.clock.now(), expiresAt: new Date(pulledAt.getTime() + d.config.LOCK_SECONDS * 1000) };
  if (lockRanOut(d, take, take.assignedAt)) return { kind: 'skipped' };
  let read: Awaited<ReturnType<typeof takeCase>>;
  try {
    read = await takeCase(d.db, take, agent.clientIds);
  } catch (err) {
    return refused(d, job, token, now, err);
  }
  const first = triage(read.ctx, attemptNo, agent, now, read.ctx ? null : await lookAtMissingCase(d.db, job.data));
  if (read.taken) {
    if (await writtenTooLate(d, take)) return { kind: 'skipped' };
    if (first.kind === 'go' && handsOut(agent, queue, job.data, first.ctx, now)) return { kind: 'assigned', assignment: assignmentRow(take), ctx: first.ctx };
    // Refused by a check only JavaScript makes: undone before the job moves on.
    await untake(d.db, take.id);
  }
  if (first.kind === 'drop') {
    const dropped = await drop(first.reason);
    // In the background, never failing the pull (PostgreSQL failing here, the workers' reconcile
    // restores the job should the list have resumed).
    if (read.ctx?.listStatus === 'paused') {
      const { listId } = read.ctx.case;
      reconcileIfResumed(d, [listId]).catch((err: unknown) => d.log.warn({ listId, err }, 'a resumed list\'s dropped job not restored; the workers\' reconcile restores it'));
    }
    return dropped;
  }
  if (first.kind === 'later') return later(job, token, first.at);
  const { ctx } = first;
  const { holder, state } = ctx;
  if (await heldBackByLanguage(d, agent, queue, job, token, ctx, now)) return { kind: 'skipped' };

  if (ctx.blockedPhones.length) {
    // Numbers on the do-not-call list are never dialled; the case goes on with another, if any.
    const numbers = phoneColumns(markPhones(ctx.case.phones, ctx.blockedPhones, 'do_not_call'));
    if (!numbers.phoneE164) {
      await closeCase(d.db, ctx.case, 'do_not_call', now, numbers);
      await completeListIfDone(d.db, ctx.case.listId, now);
      await blocked('do_not_call');
      return drop('do_not_call');
    }
    // Written on the row as read, the new version is the one the outcome's claim checks (its
    // fast path); on a row changed since, as it is (the claim then finds it changed and reads).
    const mark = (where: SQL) => d.db.update(cases).set({ ...numbers, updatedAt: now }).where(where).returning({ version: sql<string>`${cases}.xmin::text` });
    const [marked] = await mark(sql`${cases.id} = ${caseId} and ${cases}.xmin = ${ctx.caseVersion}::text::xid`);
    if (marked) ctx.caseVersion = marked.version;
    else await mark(eq(cases.id, caseId));
    ctx.case = { ...ctx.case, ...numbers, updatedAt: now };
    await blocked('do_not_call_number', { numbers: ctx.blockedPhones.length });
  }

  const judged = judgedSlot(job.data, ctx, now);
  const check = isCallableNow(now, ctx.settings, state, judged);
  if (!check.callable) {
    // Not now: the job gets a fresh slot, so its old end cannot block it again at the next pull.
    let plan = check.nextAt === null ? null : nextCallableAt(now, ctx.settings, state, resumeRequest(judged, ctx, now));
    // A callback window the client renamed or removed since: the next callable time, never a
    // case closed for a name that is gone.
    if (plan?.at === null && plan.cause === 'unknown_window') plan = nextCallableAt(now, ctx.settings, state, { kind: 'first' });
    if (!plan || plan.at === null) {
      const final = check.reason === 'cap_reached' || plan?.cause === 'cap_reached' ? 'max_attempts' : 'no_callable_time';
      await closeCase(d.db, ctx.case, final, now);
      await completeListIfDone(d.db, ctx.case.listId, now);
      await blocked(check.reason, { closedAs: final });
      return drop(check.reason);
    }
    const { slot: was } = job.data;
    const slot = { ...was, since: was.since ?? was.start, start: plan.at.toISOString(), end: plan.windowEnd?.toISOString() ?? null, window: plan.window ?? was.window };
    await job.updateData({ ...job.data, slot });
    await job.moveToDelayed(plan.at.getTime(), token);
    await d.db.update(cases).set({ nextDueAt: plan.at, waitReason: check.reason, updatedAt: now }).where(eq(cases.id, caseId));
    await blocked(check.reason, { until: plan.at.toISOString() });
    return { kind: 'skipped' };
  }

  // Not taken by the read (an expired holder to end first, a number just taken off the case):
  // written now, and the unique indexes decide as they do for the take.
  if (lockRanOut(d, take, d.clock.now())) return { kind: 'skipped' };
  try {
    const assignment = holder
      ? await d.db.transaction(async (tx) => {
          const hold = await endIfExpired(tx, { id: holder.id, caseId: take.caseId }, take.assignedAt);
          // Its holder had the customer dialled: nobody rings them again before the retry delay.
          if (hold) return { later: now.getTime() + hold };
          if (hold === null) {
            const [ended] = await tx.select({ endedAt: assignments.endedAt, reason: assignments.endReason, expiresAt: assignments.expiresAt }).from(assignments).where(eq(assignments.id, holder.id));
            // Extended by its holder's heartbeat since it was read: theirs until it runs out.
            if (ended && !ended.endedAt) return { later: ended.expiresAt.getTime() + 1_000 };
            // Ended meanwhile by its holder's outcome, saved just before the lock ran out: that
            // attempt is done, and this job goes stale once it is recorded.
            if (ended?.reason === 'outcome') return { later: now.getTime() + 30_000 };
            // Ended as expired by the lock watch meanwhile, with the hold after a dial: kept.
            const [held] = await tx.select({ due: cases.nextDueAt, why: cases.waitReason }).from(cases).where(eq(cases.id, take.caseId));
            if (held?.why === 'dialled' && held.due && held.due > now) return { later: held.due.getTime() };
          }
          return (await tx.insert(assignments).values(take).returning())[0]!;
        })
      : (await prepared(d.db, 'insert_assignment', buildInsertAssignment).execute({ ...take, assignedAt: take.assignedAt.toISOString(), expiresAt: take.expiresAt.toISOString() }))[0]!;
    if ('later' in assignment) return later(job, token, assignment.later);
    if (await writtenTooLate(d, take)) return { kind: 'skipped' };
    return { kind: 'assigned', assignment, ctx };
  } catch (err) {
    return refused(d, job, token, now, err);
  }
}

/**
 * Whether the pulled job's lock has run out by `at`, just before its assignment would be written
 * (a process stalled that long): then nothing is handed out, and the lock watch puts the job back
 * like any job without a holder.
 */
/**
 * Whether the assignment just written came too late: its write waited past the job's lock
 * (PostgreSQL stalled), and the lock watch may have given the job to someone else meanwhile.
 * Then it is undone and nothing is handed out.
 */
async function writtenTooLate(d: DispatchDeps, take: Take): Promise<boolean> {
  if (!lockRanOut(d, take, d.clock.now())) return false;
  await untake(d.db, take.id);
  return true;
}

function lockRanOut(d: DispatchDeps, take: Take, at: Date): boolean {
  if (at < take.expiresAt) return false;
  d.log.warn({ caseId: take.caseId, queue: take.queue }, 'call job lock ran out before its assignment was written');
  return true;
}

/** Whether a case triage let through may be handed out now: no blocked number, the language check, calling hours. */
function handsOut(agent: SessionUser, queue: string, data: CallJob, ctx: PullContext, now: Date): boolean {
  return !ctx.blockedPhones.length && languageVerdict(agent, queue, data, ctx, now).kind === 'hand_out' && isCallableNow(now, ctx.settings, ctx.state, judgedSlot(data, ctx, now)).callable;
}

const assignmentRow = (take: Take): AssignmentRow => ({ ...take, endedAt: null, endReason: null, outcome: null });

/** What a refused insert of the assignment means for the job; anything but a unique index is thrown. */
async function refused(d: DispatchDeps, job: Job<CallJob>, token: string, now: Date, err: unknown): Promise<Verdict> {
  if (isUniqueViolation(err, 'assignments_live_agent')) {
    // The same agent pressed twice at once: the other request won; give this job back.
    await job.moveToDelayed(Date.now(), token);
    return { kind: 'agent_busy' };
  }
  // Held by someone else, or its outcome claimed since the case was read: back until then.
  if (isUniqueViolation(err, 'assignments_live_case') || isUniqueViolation(err, 'assignments_attempt_taken')) return later(job, token, now.getTime() + d.config.LOCK_SECONDS * 1000);
  await job.moveToDelayed(Date.now(), token).catch(() => {});
  throw err;
}
