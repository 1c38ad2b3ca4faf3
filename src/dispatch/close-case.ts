import { and, eq, sql } from 'drizzle-orm';
import type { Tx } from '../db/client.js';
import { cases, dunningLists } from '../db/schema.js';
import type { CaseRow } from './case-state.js';

/**
 * Closes an open case with its final outcome (and whatever else `set` changes, in the same
 * statement) and, when it was the list's last open case, completes the list. Of two last cases
 * closing at once, the list row lock serialises the check, so the second sees the first closed;
 * `NO KEY UPDATE` does not block other transactions' foreign-key checks against the list.
 * Always case row first, then list row (as outcomes and cancel do), so no two transactions wait
 * for each other.
 */
export async function closeCase(tx: Tx, c: { id: string; listId: string }, finalOutcome: string, now: Date, set: Partial<CaseRow> = {}): Promise<{ listCompleted: boolean }> {
  await tx
    .update(cases)
    .set({ ...set, status: 'closed', finalOutcome, closedAt: now, nextDueAt: null, waitReason: null, callback: null, updatedAt: now })
    .where(and(eq(cases.id, c.id), eq(cases.status, 'open')));
  await tx.select({ id: dunningLists.id }).from(dunningLists).where(eq(dunningLists.id, c.listId)).for('no key update');
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
