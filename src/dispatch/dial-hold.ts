import { and, eq } from 'drizzle-orm';
import type { Db, Tx } from '../db/client.js';
import { cases, dials } from '../db/schema.js';

/**
 * A case whose customer the phone system was asked to dial for this assignment (whatever it
 * answered, and also while it has not answered yet: the phone may have rung) waits the client's
 * retry delay before anyone gets it again, when the assignment ends without an outcome — given
 * back, or its lock run out. Otherwise the next agent would ring the customer again within
 * seconds. The hold is the case's (`next_due_at`, `wait_reason` `dialled`), written before the
 * job goes back: every copy of the job obeys it at the pull, reconcile rebuilds the job from it.
 * Returns the delay in milliseconds, 0 when nothing was dialled.
 */
export async function holdAfterDial(db: Db | Tx, assignment: { id: string; caseId: string }, retryDelaySeconds: number, now: Date): Promise<number> {
  if (!(await wasDialled(db, assignment.id))) return 0;
  const delayMs = retryDelaySeconds * 1000;
  await db
    .update(cases)
    .set({ nextDueAt: new Date(now.getTime() + delayMs), waitReason: 'dialled', updatedAt: now })
    .where(and(eq(cases.id, assignment.caseId), eq(cases.status, 'open')));
  return delayMs;
}

/** Whether the phone system was asked to dial for this assignment (any answer, or none yet). */
export async function wasDialled(db: Db | Tx, assignmentId: string): Promise<boolean> {
  const [dialled] = await db.select({ id: dials.id }).from(dials).where(eq(dials.assignmentId, assignmentId)).limit(1);
  return dialled !== undefined;
}
