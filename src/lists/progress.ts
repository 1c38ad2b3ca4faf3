import { and, eq, gt, isNull, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { isAnyOf } from '../db/any-of.js';
import { assignments, attempts, cases, users } from '../db/schema.js';
import { languageGaps, type LanguageGap } from '../dispatch/language-gaps.js';

export interface ListProgress {
  total: number;
  callableNow: number;
  scheduled: number;
  inCall: number;
  closed: number;
  byOutcome: Record<string, number>;
  attemptsHistogram: Record<string, number>;
  inCallBy: Array<{ agent: string; caseId: string; since: string }>;
  nextDueAt: string | null;
  throughputLastHour: number;
  etaAt: string | null;
  /** Cases waiting for a language no active agent speaks (`languageGaps`). */
  languageGaps: LanguageGap[];
}

/**
 * The team lead's live view of one list (DESIGN.md section 10). `byOutcome` counts closed cases
 * by final outcome and sums to `closed`; `attemptsHistogram` counts all cases by attempts made
 * and sums to `total`. The ETA assumes the last hour's pace and one more attempt per open case.
 */
export async function listProgress(db: Db, listId: string, now: Date): Promise<ListProgress> {
  // A Date inside raw SQL has no column type to be serialised by: pass it as text and cast.
  const at = sql`${now.toISOString()}::timestamptz`;
  const inCall = await db
    .select({ agent: users.displayName, caseId: assignments.caseId, since: assignments.assignedAt })
    .from(assignments)
    .innerJoin(cases, eq(cases.id, assignments.caseId))
    .innerJoin(users, eq(users.id, assignments.agentId))
    .where(and(eq(cases.listId, listId), isNull(assignments.endedAt), gt(assignments.expiresAt, now)));

  // One pass over the list's cases, the held ones named by the rows above (asking every case
  // whether it is held, an index probe each, doubled the time). Counted inside this statement, a
  // held case closed or moved meanwhile is taken out of the state it is in now, never twice.
  const byState = await db
    .select({
      status: cases.status,
      due: sql<boolean>`coalesce(${cases.nextDueAt} <= ${at}, true)`,
      finalOutcome: cases.finalOutcome,
      attemptsMade: cases.attemptsMade,
      heldCount: sql<number>`(count(*) filter (where ${isAnyOf(cases.id, inCall.map((a) => a.caseId))}))::int`,
      nextDueAt: sql<string | null>`min(${cases.nextDueAt}) filter (where ${cases.status} = 'open' and ${cases.nextDueAt} > ${at})`,
      n: sql<number>`count(*)::int`,
    })
    .from(cases)
    .where(eq(cases.listId, listId))
    .groupBy(cases.status, sql`2`, cases.finalOutcome, cases.attemptsMade);

  const p: ListProgress = {
    total: 0, callableNow: 0, scheduled: 0, inCall: inCall.length, closed: 0, byOutcome: {}, attemptsHistogram: {},
    inCallBy: inCall.map((a) => ({ agent: a.agent, caseId: a.caseId, since: a.since.toISOString() })),
    nextDueAt: null, throughputLastHour: 0, etaAt: null, languageGaps: await languageGaps(db, { listId }, now),
  };
  let nextDue = Infinity;
  for (const row of byState) {
    p.total += row.n;
    p.attemptsHistogram[row.attemptsMade] = (p.attemptsHistogram[row.attemptsMade] ?? 0) + row.n;
    if (row.status === 'closed') {
      p.closed += row.n;
      const key = row.finalOutcome ?? 'unknown';
      p.byOutcome[key] = (p.byOutcome[key] ?? 0) + row.n;
    } else if (row.due) p.callableNow += row.n - row.heldCount;
    else p.scheduled += row.n - row.heldCount;
    if (row.nextDueAt) nextDue = Math.min(nextDue, new Date(row.nextDueAt).getTime());
  }
  p.nextDueAt = Number.isFinite(nextDue) ? new Date(nextDue).toISOString() : null;

  const [pace] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(attempts)
    .innerJoin(cases, eq(cases.id, attempts.caseId))
    .where(and(eq(cases.listId, listId), gt(attempts.recordedAt, new Date(now.getTime() - 3_600_000))));
  p.throughputLastHour = pace?.n ?? 0;
  const open = p.total - p.closed;
  if (open > 0 && p.throughputLastHour > 0) p.etaAt = new Date(now.getTime() + (open / p.throughputLastHour) * 3_600_000).toISOString();
  return p;
}
