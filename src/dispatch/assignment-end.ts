import { and, eq, isNull, lte, sql } from 'drizzle-orm';
import type { Db, Tx } from '../db/client.js';
import { assignments } from '../db/schema.js';
import { prepared } from '../db/prepared.js';
import type { OutcomeJob } from '../queues/registry.js';
import { holdAfterDial } from './dial-hold.js';

/**
 * How an assignment ended: its outcome posted, given back by its agent, its lock run out, its
 * client taken from the agent, or freed by a team lead (`free.ts`).
 */
export type EndReason = 'outcome' | 'released' | 'expired' | 'dropped' | 'freed';

/**
 * An expired assignment ended when its lock ran out, not when that was noticed: the case was
 * free (and may have been handed to someone else) from `expires_at` on.
 */
export const expiredAt = (now: Date) => sql`least(${now.toISOString()}::timestamptz, ${assignments.expiresAt})`;

/**
 * Ends a live assignment; false when it had ended already (someone else was first). Ending it
 * for an outcome stores the outcome with it in the same statement (the outbox, see `recover.ts`).
 */
export async function endAssignment(db: Db | Tx, id: string, reason: EndReason, now: Date, outcome?: OutcomeJob): Promise<boolean> {
  const rows = await db
    .update(assignments)
    .set({ endedAt: reason === 'expired' ? expiredAt(now) : now, endReason: reason, ...(outcome ? { outcome } : {}) })
    .where(and(eq(assignments.id, id), isNull(assignments.endedAt)))
    .returning({ id: assignments.id });
  return rows.length > 0;
}

/**
 * Ends a live assignment without an outcome (given back, dropped, expired) and, in the same
 * transaction, holds its case for the client's retry delay when the customer was dialled for it
 * (`holdAfterDial`: the next agent must not ring them again within seconds, whichever way the
 * assignment ended). Null when it had ended already; else the hold in milliseconds (0: none).
 * `also` writes what belongs with the end (an audit row) in the same transaction.
 */
export async function endWithoutOutcome(
  db: Db | Tx,
  a: { id: string; caseId: string },
  reason: Exclude<EndReason, 'outcome'>,
  now: Date,
  retryDelaySeconds?: () => number,
  also?: (tx: Tx) => Promise<void>,
): Promise<number | null> {
  return db.transaction(async (tx) => {
    if (!(await endAssignment(tx, a.id, reason, now))) return null;
    await also?.(tx);
    return holdAfterDial(tx, a, now, retryDelaySeconds);
  });
}

/**
 * Ends another agent's assignment as expired, only if its time is up by `now`: its holder may
 * have extended it (a heartbeat) after the caller read it as expired; with the hold after a dial.
 * End and hold are one only inside the caller's transaction (the pull's, which inserts its own
 * assignment in it). Null when it was live still or had ended already; else the hold in ms.
 */
export async function endIfExpired(db: Db | Tx, a: { id: string; caseId: string }, now: Date): Promise<number | null> {
  const rows = await db
    .update(assignments)
    .set({ endedAt: expiredAt(now), endReason: 'expired' })
    .where(and(eq(assignments.id, a.id), isNull(assignments.endedAt), lte(assignments.expiresAt, now)))
    .returning({ id: assignments.id });
  return rows.length > 0 ? holdAfterDial(db, a, now) : null;
}

const buildClaim = (db: Db) =>
  db
    .update(assignments)
    .set({ endedAt: sql`${sql.placeholder('now')}::timestamptz`, endReason: 'outcome', outcome: sql`${sql.placeholder('outcome')}::jsonb` })
    .where(and(eq(assignments.id, sql.placeholder('id')), isNull(assignments.endedAt)))
    .returning({ id: assignments.id })
    .prepare('claim_for_outcome');

/** `endAssignment(db, id, 'outcome', now, outcome)` on the hot path: a query built once. */
export async function claimForOutcome(db: Db, id: string, now: Date, outcome: OutcomeJob): Promise<boolean> {
  const rows = await prepared(db, 'claim_for_outcome', buildClaim).execute({ id, now: now.toISOString(), outcome: JSON.stringify(outcome) });
  return rows.length > 0;
}
