import { and, eq, sql } from 'drizzle-orm';
import type { Tx } from '../db/client.js';
import { cases, dunningLists } from '../db/schema.js';

/**
 * Closes an open case with its final outcome and, when it was the list's last open case,
 * completes the list. The list row is locked, so two last cases closing at once cannot both see
 * the other still open; always case row first, then list row (as outcomes and cancel do), so
 * no two transactions wait for each other.
 */
export async function closeCase(tx: Tx, c: { id: string; listId: string }, finalOutcome: string, now: Date): Promise<{ listCompleted: boolean }> {
  await tx.select({ id: cases.id }).from(cases).where(eq(cases.id, c.id)).for('update');
  await tx.select({ id: dunningLists.id }).from(dunningLists).where(eq(dunningLists.id, c.listId)).for('update');
  await tx
    .update(cases)
    .set({ status: 'closed', finalOutcome, closedAt: now, nextDueAt: null, waitReason: null, callback: null, updatedAt: now })
    .where(and(eq(cases.id, c.id), eq(cases.status, 'open')));
  const done = await tx
    .update(dunningLists)
    .set({ status: 'completed', completedAt: now })
    .where(
      and(
        eq(dunningLists.id, c.listId),
        eq(dunningLists.status, 'active'),
        sql`not exists (select 1 from ${cases} where ${cases.listId} = ${c.listId} and ${cases.status} = 'open')`,
      ),
    )
    .returning({ id: dunningLists.id });
  return { listCompleted: done.length > 0 };
}
