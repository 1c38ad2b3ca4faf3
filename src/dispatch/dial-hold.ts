import { and, eq } from 'drizzle-orm';
import type { Db, Tx } from '../db/client.js';
import { cases, clients, dials } from '../db/schema.js';

/**
 * A case whose customer the phone system was asked to dial for this assignment (whatever it
 * answered, and also while it has not answered yet: the phone may have rung) waits the client's
 * retry delay before anyone gets it again, when the assignment ends without an outcome — given
 * back, or its lock run out. Otherwise the next agent would ring the customer again within
 * seconds. The hold is the case's (`next_due_at`, `wait_reason` `dialled`), written before the
 * job goes back: every copy of the job obeys it at the pull, reconcile rebuilds the job from it.
 * Returns the delay in milliseconds, 0 when nothing was dialled; the client's retry delay is
 * read (`retryDelaySeconds`, default: from the case's client) only then.
 */
export async function holdAfterDial(
  db: Db | Tx,
  assignment: { id: string; caseId: string },
  now: Date,
  retryDelaySeconds: () => Promise<number> | number = () => clientRetryDelay(db, assignment.caseId),
): Promise<number> {
  const [dialled] = await db.select({ id: dials.id }).from(dials).where(eq(dials.assignmentId, assignment.id)).limit(1);
  if (!dialled) return 0;
  const delayMs = (await retryDelaySeconds()) * 1000;
  await db
    .update(cases)
    .set({ nextDueAt: new Date(now.getTime() + delayMs), waitReason: 'dialled', updatedAt: now })
    .where(and(eq(cases.id, assignment.caseId), eq(cases.status, 'open')));
  return delayMs;
}

async function clientRetryDelay(db: Db | Tx, caseId: string): Promise<number> {
  const [row] = await db.select({ settings: clients.settings }).from(cases).innerJoin(clients, eq(clients.id, cases.clientId)).where(eq(cases.id, caseId));
  return row?.settings.retryDelaySeconds ?? 0;
}
