import type { OutcomeJob } from '../queues/registry.js';
import { failpoint } from '../failpoint.js';
import type { Scheduled } from '../scheduling/index.js';
import { closedColumns, completeListIfDone } from './close-case.js';
import type { DispatchDeps } from '../deps.js';
import type { OutcomeBody } from './dispatch.schemas.js';
import { enqueueCall, type CallKind } from './enqueue.js';
import { decideOutcome } from './outcome-decision.js';
import { carriedOutcomeContext, clearOutbox, loadOutcomeContext, writeOutcome, type LoadedOutcome } from './outcome-write.js';
import type { OutcomeCase } from './seen-case.js';
import { loadReachRates } from '../reach/load-reach-rates.js';

type Next = { kind: 'none' } | { kind: 'closed'; listId: string } | { kind: 'call'; case: OutcomeCase; plan: Scheduled; callKind: CallKind; personalAgentId: string | null };

/** Reads of a case that changed before its write could apply, before the job fails (and is retried). */
const MAX_READS = 5;

/**
 * The outcomes worker's job: insert the attempt (unique per case and attempt number, so a re-run
 * records nothing twice), update the case, and either close it (closing outcome, cap reached, no
 * callable time left) or schedule the next attempt — one statement on the case as read
 * (`outcome-write.ts`); the next call job is added after it. A re-run after a crash between the
 * write and the add finds the attempt recorded and only adds the job again (a no-op if it exists).
 */
export async function recordOutcome(d: DispatchDeps, job: OutcomeJob): Promise<void> {
  const now = d.clock.now();
  let next: Next | undefined;
  let ctx: LoadedOutcome | null = null;
  // First on what the pull read, when the job carries it; a write it does not apply to reads.
  const carried = carriedOutcomeContext(d.db, job);
  if (carried) next = await decideAndWrite(d, (ctx = carried), job, now);
  for (let read = 0; read < MAX_READS && !next; read++) {
    ctx = await loadOutcomeContext(d.db, job.caseId, job.attemptNo);
    if (!ctx) {
      await clearOutbox(d.db, job.assignmentId);
      return;
    }
    next = ctx.recorded ? await resumeAfterCrash(d, ctx.case, job) : await decideAndWrite(d, ctx, job, now);
  }
  if (!next) throw new Error(`case ${job.caseId} kept changing while its outcome was recorded`);

  failpoint(d.config, 'outcome.afterRecord');
  if (next.kind === 'closed') await completeListIfDone(d.db, next.listId, now);
  if (next.kind === 'call') {
    await enqueueCall(d.calls, next.case, next.plan, next.callKind, now, { settings: ctx!.settings, personalAgentId: next.personalAgentId });
  }
}

/** What the outcome does to the case, written; undefined when the case changed since it was read. */
async function decideAndWrite(d: DispatchDeps, ctx: LoadedOutcome, job: OutcomeJob, now: Date): Promise<Next | undefined> {
  const { settings, attemptTimes, attemptOutcomes } = ctx;
  // From this process's copy of `reach_rates` (read at most once a minute), not from attempts.
  const reach = settings.retryStrategy === 'rotation' ? null : await loadReachRates(d.db, ctx.case.clientId, now);
  const body = job.body as OutcomeBody;
  const verdict = decideOutcome({ case: ctx.case, settings, attemptTimes, attemptOutcomes, reach }, { attemptNo: job.attemptNo, agentId: job.agentId, recordedAt: new Date(job.recordedAt), ...(job.calledAt ? { calledAt: new Date(job.calledAt) } : {}), body }, now);
  const closing = verdict.kind === 'close';
  const updated: OutcomeCase = { ...ctx.case, ...(closing ? closedColumns(verdict.finalOutcome, now, verdict.set) : verdict.set) };
  // Changed since it was read, or this attempt recorded by another run meanwhile: read again.
  if ((await writeOutcome(d.db, ctx, job, updated)) !== 'written') return undefined;
  if (closing) return { kind: 'closed', listId: ctx.case.listId };
  if (verdict.kind === 'keep') return { kind: 'none' };
  return { kind: 'call', case: updated, plan: verdict.plan, callKind: verdict.callKind, personalAgentId: verdict.personalAgentId };
}

/**
 * The attempt was recorded by an earlier run: re-add the job for the case's current state, or,
 * for a closed case, complete its list if that run died before it could.
 */
async function resumeAfterCrash(d: DispatchDeps, c: OutcomeCase, job: OutcomeJob): Promise<Next> {
  await clearOutbox(d.db, job.assignmentId);
  if (c.status !== 'open') return { kind: 'closed', listId: c.listId };
  if (c.attemptsMade !== job.attemptNo || !c.nextDueAt) return { kind: 'none' };
  const plan: Scheduled = { at: c.nextDueAt, windowEnd: null, window: c.callback?.window ?? null, reason: 'immediate' };
  return { kind: 'call', case: c, plan, callKind: c.callback ? 'callback' : 'retry', personalAgentId: c.callback?.agentId ?? null };
}
