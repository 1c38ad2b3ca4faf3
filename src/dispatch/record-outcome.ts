import { eq } from 'drizzle-orm';
import { assignments, attempts, cases } from '../db/schema.js';
import { failpoint } from '../failpoint.js';
import type { PendingCallback } from '../db/schema.js';
import type { OutcomeJob } from '../queues/registry.js';
import { nextCallableAt, windowAt, type ScheduleRequest, type Scheduled, type SchedulingSettings } from '../scheduling/index.js';
import { schedulingState, type CaseRow } from './case-state.js';
import { closeCase } from './close-case.js';
import { markPhones, phoneColumns } from './case-phones.js';
import type { DispatchDeps } from '../deps.js';
import type { OutcomeBody } from './dispatch.schemas.js';
import { enqueueCall, type CallKind } from './enqueue.js';
import { loadCaseContext } from './load-case.js';
import { callbackRequest } from './outcome.js';

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
    if (ctx.case.status !== 'open') {
      // E.g. the list was cancelled during the call: the attempt still counts, the case stays closed.
      await tx.update(cases).set({ attemptsMade: Math.max(ctx.case.attemptsMade, job.attemptNo), updatedAt: now }).where(eq(cases.id, job.caseId));
      return { kind: 'none' };
    }

    const [updated] = await tx
      .update(cases)
      .set({
        attemptsMade: Math.max(ctx.case.attemptsMade, job.attemptNo),
        lastWindow: windowAt(recordedAt, settings),
        preferredWindows: body.preferredWindows ?? ctx.case.preferredWindows,
        promiseAmountCents: body.promise?.amountCents ?? ctx.case.promiseAmountCents,
        promiseDate: body.promise?.date ?? ctx.case.promiseDate,
        updatedAt: now,
      })
      .where(eq(cases.id, job.caseId))
      .returning();
    const c = updated!;

    const effect = settings.outcomes.find((o) => o.code === body.outcome)?.effect ?? 'retry';
    if (effect === 'close') {
      await closeCase(tx, c, body.outcome, now);
      return { kind: 'none' };
    }
    let request: ScheduleRequest = effect === 'callback' && body.callback ? callbackRequest(body.callback) : { kind: 'retry', recordedAt };
    if (effect === 'wrong_number') {
      // The number dialled is wrong; with another number left the case goes on at once with it.
      const numbers = phoneColumns(markPhones(c.phones, [body.phone ?? c.phoneE164], 'wrong'));
      await tx.update(cases).set(numbers).where(eq(cases.id, c.id));
      if (!numbers.phoneE164) {
        await closeCase(tx, c, body.outcome, now);
        return { kind: 'none' };
      }
      request = { kind: 'first' };
    }
    if (c.attemptsMade >= settings.maxAttempts) {
      await closeCase(tx, c, 'max_attempts', now);
      return { kind: 'none' };
    }
    const plan = nextCallableAt(now, settings, await schedulingState(tx, c), request);
    if (plan.at === null) {
      await closeCase(tx, c, plan.cause === 'cap_reached' ? 'max_attempts' : 'no_callable_time', now);
      return { kind: 'none' };
    }
    const personalAgentId = body.callback?.owner === 'me' ? job.agentId : null;
    const callback: PendingCallback | null =
      request.kind === 'callback' ? { agentId: personalAgentId, at: plan.at.toISOString(), window: 'window' in request ? request.window : null } : null;
    const [scheduled] = await tx
      .update(cases)
      .set({ nextDueAt: plan.at, waitReason: plan.reason, callback })
      .where(eq(cases.id, c.id))
      .returning();
    return { kind: 'call', case: scheduled!, plan, callKind: request.kind, personalAgentId };
  });

  failpoint(d.config, 'outcome.afterRecord');
  if (next.kind === 'call') {
    await enqueueCall(d.calls, next.case, next.plan, next.callKind, now, { settings: settings!, personalAgentId: next.personalAgentId });
  }
}

/** The attempt was recorded by an earlier run: re-add the job for the case's current state. */
function resumeAfterCrash(c: CaseRow, job: OutcomeJob): Next {
  if (c.status !== 'open' || c.attemptsMade !== job.attemptNo || !c.nextDueAt) return { kind: 'none' };
  const plan: Scheduled = { at: c.nextDueAt, windowEnd: null, window: c.callback?.window ?? null, reason: 'immediate' };
  return { kind: 'call', case: c, plan, callKind: c.callback ? 'callback' : 'retry', personalAgentId: c.callback?.agentId ?? null };
}
