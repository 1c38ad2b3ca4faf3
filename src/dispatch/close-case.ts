import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Db, Tx } from '../db/client.js';
import { prepared } from '../db/prepared.js';
import { cases, dunningLists } from '../db/schema.js';
import type { CaseRow } from './case-state.js';

/**
 * Closes an open case with its final outcome (and whatever else `set` changes, in the same
 * statement). The caller completes the list after its commit (`completeListIfDone`).
 */
export async function closeCase(db: Db | Tx, c: { id: string }, finalOutcome: string, now: Date, set: Partial<CaseRow> = {}): Promise<void> {
  await db
    .update(cases)
    .set(closedColumns(finalOutcome, now, set))
    .where(and(eq(cases.id, c.id), eq(cases.status, 'open')));
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

/**
 * Completes the list (active or paused) when it has no open case left. Called after the commit that closed a case,
 * never inside it: of two last cases closing at once, whichever commits last sees both closed
 * (each check starts after its own commit), so no list row lock is held while outcomes are
 * recorded. A process that dies between commit and check leaves the list to `recover`
 * (`completeFinishedLists`).
 */
export async function completeListIfDone(db: Db, listId: string, now: Date): Promise<{ listCompleted: boolean }> {
  const done = await prepared(db, 'complete_list_if_done', buildCompleteList).execute({ listId, now: now.toISOString() });
  return { listCompleted: done.length > 0 };
}

// Built once: it runs after every outcome that closes a case.
const buildCompleteList = (db: Db) =>
  db
    .update(dunningLists)
    .set({ status: 'completed', completedAt: sql`${sql.placeholder('now')}::timestamptz` })
    .where(and(eq(dunningLists.id, sql.placeholder('listId')), inArray(dunningLists.status, ['active', 'paused']), noOpenCase))
    .returning({ id: dunningLists.id })
    .prepare('complete_list_if_done');

/** Every active or paused list without an open case is completed (the sweep behind `completeListIfDone`). */
export async function completeFinishedLists(db: Db, now: Date): Promise<number> {
  const done = await db
    .update(dunningLists)
    .set({ status: 'completed', completedAt: now })
    .where(and(inArray(dunningLists.status, ['active', 'paused']), noOpenCase))
    .returning({ id: dunningLists.id });
  return done.length;
}

const noOpenCase = sql`not exists (select 1 from ${cases} where ${cases.listId} = ${dunningLists.id} and ${cases.status} = 'open')`;
