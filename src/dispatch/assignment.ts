import { eq } from 'drizzle-orm';
import { assignments } from '../db/schema.js';
import type { SessionUser } from '../http/context.js';
import { AppError } from '../http/errors.js';
import type { DispatchDeps } from '../deps.js';
import { giveBack, heldAssignment, lost } from './held-assignment.js';

/**
 * Extends the lock of a held assignment by LOCK_SECONDS; 409 when it is no longer held, and 409
 * `hold_limit` once it has been held HOLD_MAX_MINUTES: the lock then runs out at its time (an
 * agent gone home with the tab open must not keep the case, nor its callback window, for good;
 * an outcome saved after is still taken while nobody took the case, `late-outcome.ts`).
 */
export async function heartbeat(d: DispatchDeps, agent: SessionUser, id: string): Promise<{ id: string; expiresAt: string }> {
  const now = d.clock.now();
  const { assignment, job } = await heldAssignment(d, agent, id, now);
  if (now.getTime() - assignment.assignedAt.getTime() >= d.config.HOLD_MAX_MINUTES * 60_000) {
    throw new AppError(409, 'hold_limit', `This case has been held for ${d.config.HOLD_MAX_MINUTES} minutes; its lock is not extended any more and runs out at ${assignment.expiresAt.toISOString()}`, {
      expiresAt: assignment.expiresAt.toISOString(),
      holdMaxMinutes: d.config.HOLD_MAX_MINUTES,
    });
  }
  const lockMs = d.config.LOCK_SECONDS * 1000;
  // extendLock answers 0 (it does not throw) when the lock is gone.
  const extended = await job.extendLock(assignment.lockToken, lockMs);
  if (!extended) return lost(d, assignment, now);
  const expiresAt = new Date(now.getTime() + lockMs);
  await d.db.update(assignments).set({ expiresAt }).where(eq(assignments.id, id));
  return { id, expiresAt: expiresAt.toISOString() };
}

/**
 * Gives the case back with no attempt counted: at once, or — when the phone system was asked to
 * dial the customer for this assignment — after the client's retry delay (`holdAfterDial`), so
 * that the next agent does not ring the customer again the moment the first one gave up, and
 * dial-and-release cannot repeat without limit (a release is no attempt, but the phone rang).
 */
export async function release(d: DispatchDeps, agent: SessionUser, id: string): Promise<void> {
  const now = d.clock.now();
  const { assignment, ctx } = await heldAssignment(d, agent, id, now);
  if (!(await giveBack(d, assignment, 'released', now, () => ctx.settings.retryDelaySeconds))) {
    throw new AppError(409, 'assignment_ended', 'This assignment is no longer held');
  }
}
