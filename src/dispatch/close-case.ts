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
    .set(closedColumns(finalOutcome, now, set))
    .where(and(eq(cases.id, c.id), eq(cases.status, 'open')));
  return completeListIfDone(tx, c.listId, now);
}

/** The columns of a case closing with `finalOutcome`, with whatever else `set` changes. */
export const closedColumns = (finalOutcome: string, now: Date, set: Partial<CaseRow> = {}): Partial<CaseRow> => ({
  ...set,
  status: 'closed',
  finalOutcome,
  closedAt: now,
  nextDueAt: null,
  waitReason: null,
  callback: null,
  updatedAt: now,
});

/** Completes the list when it has no open case left (its row locked first: see `closeCase`). */
export async function completeListIfDone(tx: Tx, listId: string, now: Date): Promise<{ listCompleted: boolean }> {
  await tx.select({ id: dunningLists.id }).from(dunningLists).where(eq(dunningLists.id, listId)).for('no key update');
  const done = await tx
    .update(dunningLists)
    .set({ status: 'completed', completedAt: now })
    .where(
      and(
        eq(dunningLists.id, listId),
        eq(dunningLists.status, 'active'),
        sql`not exists (select 1 from ${cases} where ${cases.listId} = ${listId} and ${cases.status} = 'open')`,
      ),
    )
    .returning({ id: dunningLists.id });
  return { listCompleted: done.length > 0 };
}
