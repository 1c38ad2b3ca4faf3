import { and, inArray, isNull, eq, lte, or, sql } from 'drizzle-orm';
import { assignments } from '../db/schema.js';
import { isUniqueViolation } from '../db/errors.js';
import type { SessionUser } from '../http/context.js';
import { AppError } from '../http/errors.js';
import type { OutcomeJob } from '../queues/registry.js';
import type { DispatchDeps } from '../deps.js';
import { readAssignment } from './held-assignment.js';
import type { AssignmentRow, CaseContext } from './load-case.js';

/**
 * An outcome posted after the assignment's lock ran out: the agent talked to the customer while
 * their network was away for longer than LOCK_SECONDS, so no heartbeat arrived. The call
 * happened; refusing its outcome would lose a payment promise and have the next agent ring the
 * customer again. It is accepted when nobody has taken that attempt since: the case is still
 * open at the same attempt, and claiming the assignment for its outcome passes the index that
 * allows one hand-out per attempt (`assignments_attempt_taken`) — another agent who holds the
 * case now, or recorded its outcome, makes the claim fail, and the 409 stands. The call job,
 * back in its queue or still locked by the dead lock, is then held back at every pull until the
 * outcome is recorded and dropped as stale after (`pull-triage.ts`).
 *
 * The same holds for an assignment a team lead freed (`free.ts`): the lead took the case for
 * gone, but an agent who was on the phone after all and saves the call's outcome loses nothing
 * while nobody took the case since.
 */

/** End reasons after which the agent's outcome may still be claimed: the call may have happened. */
const LATE_ENDS = ['expired', 'freed'] as const;
const isLateEnd = (reason: string | null | undefined) => (LATE_ENDS as readonly (string | null | undefined)[]).includes(reason);

/** Whether an outcome for `a` may be claimed late; why not, otherwise. Pure: decided on what was read. */
export function lateOutcomeVerdict(a: AssignmentRow, ctx: CaseContext, agent: Pick<SessionUser, 'id' | 'clientIds'>, now: Date): { ok: true } | { ok: false; why: string } {
  if (a.agentId !== agent.id) return { ok: false, why: 'another agent’s assignment' };
  const expired = a.endedAt ? isLateEnd(a.endReason) : a.expiresAt <= now;
  if (!expired) return { ok: false, why: a.endedAt ? `it ended (${a.endReason})` : 'it is still held' };
  if (!agent.clientIds.includes(ctx.case.clientId)) return { ok: false, why: 'its client is no longer assigned to you' };
  if (ctx.case.status !== 'open') return { ok: false, why: 'the case is closed' };
  if (ctx.case.attemptsMade + 1 !== a.attemptNo) return { ok: false, why: 'the case was called again since' };
  return { ok: true };
}

/**
 * Claims an expired assignment of `agent` for its outcome if `lateOutcomeVerdict` allows it;
 * `validate` checks the outcome against the case as it is now. 409 `lock_expired` otherwise,
 * saying why.
 */
export async function claimLate(
  d: Pick<DispatchDeps, 'db'>,
  agent: SessionUser,
  id: string,
  now: Date,
  outcomeOf: (a: AssignmentRow) => OutcomeJob,
  validate: (ctx: CaseContext) => void,
): Promise<{ assignment: AssignmentRow; ctx: CaseContext }> {
  const { a, ctx } = await readAssignment(d, id);
  const verdict = lateOutcomeVerdict(a, ctx, agent, now);
  if (!verdict.ok) throw expiredConflict(verdict.why, a.endReason);
  validate(ctx);
  try {
    const rows = await d.db
      .update(assignments)
      .set({ endedAt: now, endReason: 'outcome', outcome: outcomeOf(a) })
      .where(
        and(
          eq(assignments.id, id),
          isNull(assignments.outcome),
          or(and(isNull(assignments.endedAt), lte(assignments.expiresAt, now)), inArray(assignments.endReason, [...LATE_ENDS])),
          // The case as read: still open at this attempt (an outcome recorded meanwhile moves it on).
          sql`exists (select 1 from cases c where c.id = ${a.caseId} and c.status = 'open' and c.attempts_made + 1 = ${a.attemptNo})`,
        ),
      )
      .returning({ id: assignments.id });
    if (rows.length === 0) {
      // Another post of this outcome was first (a retried request, a second window): as for any ended assignment.
      const again = await readAssignment(d, id);
      if (again.a.endReason === 'outcome') throw new AppError(409, 'assignment_ended', 'This assignment is no longer held: its outcome is recorded already', { endReason: 'outcome' });
      throw expiredConflict('the case changed meanwhile', a.endReason);
    }
  } catch (err) {
    if (isUniqueViolation(err, 'assignments_attempt_taken')) throw expiredConflict('another agent has the case now', a.endReason);
    throw err;
  }
  return { assignment: a, ctx };
}

/** 409 `lock_expired` saying why; `endReason` `freed` when a team lead freed the case (the screen says so). */
const expiredConflict = (why: string, endReason: string | null) =>
  endReason === 'freed'
    ? new AppError(409, 'lock_expired', `A team lead freed this case and the outcome cannot be recorded: ${why}`, { why, endReason })
    : new AppError(409, 'lock_expired', `The lock on this case expired and the outcome cannot be recorded: ${why}`, { why });

/** True for the 409s of `heldAssignment` that say the agent's own lock ran out, or a lead freed the case. */
export function isOwnLockExpired(err: unknown): boolean {
  if (!(err instanceof AppError)) return false;
  const details = err.details as { endReason?: string } | undefined;
  return err.code === 'lock_expired' || (err.code === 'assignment_ended' && isLateEnd(details?.endReason));
}
