import { and, eq, lt, sql } from 'drizzle-orm';
import type { Tx } from '../db/client.js';
import { assignments, attempts, cases, clients, dunningLists } from '../db/schema.js';
import { failpoint } from '../failpoint.js';
import type { OutcomeJob } from '../queues/registry.js';
import type { Scheduled, SchedulingSettings } from '../scheduling/index.js';
import type { CaseRow } from './case-state.js';
import { closedColumns, completeListIfDone } from './close-case.js';
import type { DispatchDeps } from '../deps.js';
import type { OutcomeBody } from './dispatch.schemas.js';
import { enqueueCall, type CallKind } from './enqueue.js';
import type { CaseContext } from './load-case.js';
import { decideOutcome } from './outcome-decision.js';
import { loadReachRates } from '../reach/load-reach-rates.js';

type Next = { kind: 'none' } | { kind: 'closed'; listId: string } | { kind: 'call'; case: CaseRow; plan: Scheduled; callKind: CallKind; personalAgentId: string | null };

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
    const clearOutbox = () => tx.update(assignments).set({ outcome: null }).where(eq(assignments.id, job.assignmentId));
    const ctx = await loadOutcomeContext(tx, job.caseId);
    if (!ctx) {
      await clearOutbox();
      return { kind: 'none' };
    }
    settings = ctx.settings;
    const { attemptTimes, attemptOutcomes } = ctx;
    // From this process's copy of `reach_rates` (read at most once a minute), not from attempts.
    const reach = settings.retryStrategy === 'rotation' ? null : await loadReachRates(d.db, ctx.case.clientId, now);
    // Decided before the writes, so all three go out together (one round trip). The case update
    // applies only while this attempt is not counted yet, i.e. when its attempt row is new; one
    // update per outcome, as a second would run the foreign-key checks again.
    const verdict = decideOutcome({ case: ctx.case, settings, attemptTimes, attemptOutcomes, reach }, { attemptNo: job.attemptNo, agentId: job.agentId, recordedAt, body }, now);
    const closing = verdict.kind === 'close';
    const insert = tx
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
    const update = tx
      .update(cases)
      .set(closing ? closedColumns(verdict.finalOutcome, now, verdict.set) : verdict.set)
      .where(and(eq(cases.id, job.caseId), lt(cases.attemptsMade, job.attemptNo), closing ? eq(cases.status, 'open') : undefined))
      .returning();
    const [inserted, [updated]] = await Promise.all([insert, update, clearOutbox()]);
    if (inserted.length === 0 || !updated) return resumeAfterCrash(ctx.case, job);

    if (closing) return { kind: 'closed', listId: ctx.case.listId };
    if (verdict.kind === 'keep') return { kind: 'none' };
    return { kind: 'call', case: updated, plan: verdict.plan, callKind: verdict.callKind, personalAgentId: verdict.personalAgentId };
  });

  failpoint(d.config, 'outcome.afterRecord');
  if (next.kind === 'closed') await completeListIfDone(d.db, next.listId, now);
  if (next.kind === 'call') {
    await enqueueCall(d.calls, next.case, next.plan, next.callKind, now, { settings: settings!, personalAgentId: next.personalAgentId });
  }
}

/** The case (locked), its rules and the times and outcomes of its recorded attempts, in one round trip. */
async function loadOutcomeContext(tx: Tx, caseId: string): Promise<(CaseContext & { attemptTimes: Date[]; attemptOutcomes: string[] }) | null> {
  const [row] = await tx
    .select({
      case: cases,
      listStatus: dunningLists.status,
      settings: clients.settings,
      clientName: clients.name,
      attemptTimes: sql<string[]>`array(select (extract(epoch from t.recorded_at) * 1000)::bigint::text from attempts t where t.case_id = ${cases.id} order by t.attempt_no)`,
      attemptOutcomes: sql<string[]>`array(select t.outcome from attempts t where t.case_id = ${cases.id} order by t.attempt_no)`,
    })
    .from(cases)
    .innerJoin(dunningLists, eq(dunningLists.id, cases.listId))
    .innerJoin(clients, eq(clients.id, cases.clientId))
    .where(eq(cases.id, caseId))
    .for('no key update', { of: cases });
  return row ? { ...row, attemptTimes: row.attemptTimes.map((ms) => new Date(Number(ms))) } : null;
}

/** The attempt was recorded by an earlier run: re-add the job for the case's current state. */
function resumeAfterCrash(c: CaseRow, job: OutcomeJob): Next {
  if (c.status !== 'open' || c.attemptsMade !== job.attemptNo || !c.nextDueAt) return { kind: 'none' };
  const plan: Scheduled = { at: c.nextDueAt, windowEnd: null, window: c.callback?.window ?? null, reason: 'immediate' };
  return { kind: 'call', case: c, plan, callKind: c.callback ? 'callback' : 'retry', personalAgentId: c.callback?.agentId ?? null };
}
