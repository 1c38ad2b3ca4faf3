import { and, eq, gt, inArray, isNull, or, sql } from 'drizzle-orm';
import { assignments, dials } from '../db/schema.js';
import type { DispatchDeps } from '../deps.js';
import { AppError } from '../http/errors.js';
import type { DialFailure } from './dialer.js';

/**
 * How long after a dial that timed out (or one still on its way) the assignment is not dialled
 * again: a phone system that answered too late may still be setting the call up, and a second
 * request would ring the customer twice.
 */
export const DIAL_SETTLE_MS = 15_000;

/**
 * How long after a dial the phone system took another is refused: a double click (or a second
 * window) would send two calls, the agent's phone ringing twice and, with a system that calls
 * the customer first, the customer's too. Shorter than any real next try of another number.
 */
export const DIAL_REPEAT_MS = 5_000;

/**
 * Records a dial as `pending` before the phone system is asked, so that a release meanwhile sees
 * it (and holds the case for the retry delay), and refuses a dial while an earlier one of the same
 * assignment may still be setting the call up (409 `dial_in_progress`). One dial of an assignment
 * at a time: the check and the insert run under a transaction-scoped lock on the assignment's id.
 * A row a killed process left `pending` blocks no longer than a dial could last.
 */
export async function startDial(d: DispatchDeps, row: { assignmentId: string; agentId: string; at: Date; mode: 'http' | 'ari'; phoneE164: string }): Promise<number> {
  const busyUntil = d.config.CTI_TIMEOUT_MS + DIAL_SETTLE_MS;
  return d.db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${row.assignmentId}, 0))`);
    const since = (ms: number) => gt(dials.at, new Date(row.at.getTime() - ms));
    const [busy] = await tx
      .select({ result: dials.result })
      .from(dials)
      .where(and(eq(dials.assignmentId, row.assignmentId), or(and(inArray(dials.result, ['pending', 'timeout']), since(busyUntil)), and(eq(dials.result, 'ok'), since(DIAL_REPEAT_MS)))))
      .limit(1);
    if (busy?.result === 'ok') {
      throw new AppError(409, 'dial_in_progress', 'The phone system took a dial of this assignment a moment ago', {
        messageDe: 'Die Telefonanlage hat eben angerufen – Ihr Telefon klingelt gleich. Erneut wählen ist erst nach einigen Sekunden möglich.',
      });
    }
    if (busy) {
      throw new AppError(409, 'dial_in_progress', 'The phone system may still be setting up the previous call of this assignment', {
        messageDe: 'Die Telefonanlage baut den vorigen Anruf eventuell noch auf. Bitte einige Sekunden warten, ob Ihr Telefon klingelt, bevor Sie erneut wählen.',
      });
    }
    const [live] = await tx.select({ id: assignments.id }).from(assignments).where(and(eq(assignments.id, row.assignmentId), isNull(assignments.endedAt)));
    if (!live) throw new AppError(409, 'assignment_ended', 'This assignment is no longer held');
    const [inserted] = await tx.insert(dials).values({ ...row, result: 'pending', durationMs: 0 }).returning({ id: dials.id });
    return inserted!.id;
  });
}

/** The phone system's answer to a dial `startDial` recorded. */
export async function finishDial(d: DispatchDeps, id: number, outcome: { result: 'ok' | DialFailure; httpStatus: number | null; durationMs: number }): Promise<void> {
  await d.db.update(dials).set(outcome).where(eq(dials.id, id));
}
