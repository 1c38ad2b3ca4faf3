import { eq, sql } from 'drizzle-orm';
import type { Tx } from '../db/client.js';
import { assignments, attempts, cases } from '../db/schema.js';
import { failpoint } from '../failpoint.js';
import type { OutcomeJob } from '../queues/registry.js';
import type { Scheduled, SchedulingSettings } from '../scheduling/index.js';
import type { CaseRow } from './case-state.js';
import { closeCase } from './close-case.js';
import type { DispatchDeps } from '../deps.js';
import type { OutcomeBody } from './dispatch.schemas.js';
import { enqueueCall, type CallKind } from './enqueue.js';
import { loadCaseContext } from './load-case.js';
import { decideOutcome } from './outcome-decision.js';

type Next = { kind: 'none' } | { kind: 'call'; case: CaseRow; plan: Scheduled; callKind: CallKind; personalAgentId: string | null };

/**
 * The outcomes worker's job: in one transaction insert the attempt (unique per case and attempt
 * number, so a re-run records nothing twice), update the case, and either close it (closing
 * outcome, cap reached, no callable time left) or schedule the next attempt; the next call job
 * is added after the commit. A re-run after a crash between commit and add finds the attempt
 * recorded and only adds the job again (a no-op if it exists).
 */
export async function recordOutcome(d: DispatchDeps, job: OutcomeJob): Promise<void> {
  const body = job.body as OutcomeBody;
  const recordedAt = new Date(job.recordedAt);
  const now = d.clock.now();

  let settings: SchedulingSettings | undefined;
  const next = await d.db.transaction(async (tx): Promise<Next> => {
    // Recorded (or nothing left to record it on): the outbox entry is done with.
    await tx.update(assignments).set({ outcome: null }).where(eq(assignments.id, job.assignmentId));
    const ctx = await loadCaseContext(tx, job.caseId, true);
    if (!ctx) return { kind: 'none' };
    settings = ctx.settings;
    const attemptTimes = await attemptTimesOf(tx, job.caseId);
    const inserted = await tx
      .insert(attempts)
      .values({
        caseId: job.caseId,
        clientId: ctx.case.clientId,
        attemptNo: job.attemptNo,
        agentId: job.agentId,
        assignmentId: job.assignmentId,
        phoneE164: body.phone ?? ctx.case.phoneE164,
        outcome: body.outcome,
        rightParty: body.rightParty ?? null,
        note: body.note ?? null,
        callback: body.callback ?? null,
        promiseAmountCents: body.promise?.amountCents ?? null,
        promiseDate: body.promise?.date ?? null,
        recordedAt,
      })
      .onConflictDoNothing()
      .returning({ id: attempts.id });
    if (inserted.length === 0) return resumeAfterCrash(ctx.case, job);

    // One update of the case per outcome: a second one in the same transaction would run the
    // foreign-key checks again (and wait on the list row a closing case locks).
    const verdict = decideOutcome({ case: ctx.case, settings, attemptTimes }, { attemptNo: job.attemptNo, agentId: job.agentId, recordedAt, body }, now);
    if (verdict.kind === 'close') {
      await closeCase(tx, ctx.case, verdict.finalOutcome, now, verdict.set);
      return { kind: 'none' };
    }
    const [updated] = await tx.update(cases).set(verdict.set).where(eq(cases.id, job.caseId)).returning();
    if (verdict.kind === 'keep') return { kind: 'none' };
    return { kind: 'call', case: updated!, plan: verdict.plan, callKind: verdict.callKind, personalAgentId: verdict.personalAgentId };
  });

  failpoint(d.config, 'outcome.afterRecord');
  if (next.kind === 'call') {
    await enqueueCall(d.calls, next.case, next.plan, next.callKind, now, { settings: settings!, personalAgentId: next.personalAgentId });
  }
}

async function attemptTimesOf(tx: Tx, caseId: string): Promise<Date[]> {
  const rows = await tx.select({ at: attempts.recordedAt }).from(attempts).where(eq(attempts.caseId, caseId)).orderBy(sql`${attempts.attemptNo}`);
  return rows.map((r) => r.at);
}

/** The attempt was recorded by an earlier run: re-add the job for the case's current state. */
function resumeAfterCrash(c: CaseRow, job: OutcomeJob): Next {
  if (c.status !== 'open' || c.attemptsMade !== job.attemptNo || !c.nextDueAt) return { kind: 'none' };
  const plan: Scheduled = { at: c.nextDueAt, windowEnd: null, window: c.callback?.window ?? null, reason: 'immediate' };
  return { kind: 'call', case: c, plan, callKind: c.callback ? 'callback' : 'retry', personalAgentId: c.callback?.agentId ?? null };
}
