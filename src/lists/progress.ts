import { and, eq, gt, isNull, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { isAnyOf } from '../db/any-of.js';
import { assignments, attempts, cases, clients, dunningLists, users } from '../db/schema.js';
import { languageGaps, type LanguageGap } from '../dispatch/language-gaps.js';
import { callableUntil, isCallableNow, type CaseSchedulingState, type SchedulingSettings } from '../scheduling/index.js';

export interface ListProgress {
  total: number;
  callableNow: number;
  scheduled: number;
  inCall: number;
  closed: number;
  byOutcome: Record<string, number>;
  attemptsHistogram: Record<string, number>;
  inCallBy: Array<{ assignmentId: string; agent: string; caseId: string; since: string }>;
  nextDueAt: string | null;
  throughputLastHour: number;
  etaAt: string | null;
  /** Whether the client's calling hours allow calls now; `callableNow` are due, but wait for them when not (holidays are the customers', already in who is due). */
  callingHoursNow: boolean;
  /** False while the client is paused (`active: false`): its due cases are not handed out. */
  clientActive: boolean;
  /** When they allow calls again, while they do not. */
  callingResumesAt: string | null;
  /** Due cases waiting for a language none of the client's agents at work speaks (`languageGaps`). */
  languageGaps: LanguageGap[];
}

/**
 * The team lead's live view of one list (DESIGN.md section 10). `byOutcome` counts closed cases
 * by final outcome and sums to `closed`; `attemptsHistogram` counts all cases by attempts made
 * and sums to `total`. The ETA assumes the last hour's pace and one more attempt per open case,
 * worked within the client's calling hours (`etaWithinCallingHours`).
 */
export async function listProgress(db: Db, listId: string, now: Date): Promise<ListProgress> {
  // A Date inside raw SQL has no column type to be serialised by: pass it as text and cast.
  const at = sql`${now.toISOString()}::timestamptz`;
  const inCall = await db
    .select({ assignmentId: assignments.id, agent: users.displayName, caseId: assignments.caseId, since: assignments.assignedAt })
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

  const [client] = await db.select({ settings: clients.settings, active: clients.active, listStatus: dunningLists.status }).from(dunningLists).innerJoin(clients, eq(clients.id, dunningLists.clientId)).where(eq(dunningLists.id, listId));
  // The client's calling hours alone: holidays are the customers' (by postcode, `holidayRegionFor`)
  // and keep those cases from being due; the client's own Land says nothing about them.
  const hours = client ? isCallableNow(now, { ...client.settings, holidays: null }, CLIENT_PLACE) : { callable: true as const };
  const p: ListProgress = {
    total: 0, callableNow: 0, scheduled: 0, inCall: inCall.length, closed: 0, byOutcome: {}, attemptsHistogram: {},
    inCallBy: inCall.map((a) => ({ assignmentId: a.assignmentId, agent: a.agent, caseId: a.caseId, since: a.since.toISOString() })),
    nextDueAt: null, throughputLastHour: 0, etaAt: null,
    callingHoursNow: hours.callable, callingResumesAt: hours.callable ? null : (hours.nextAt?.toISOString() ?? null),
    clientActive: client?.active ?? true,
    languageGaps: await languageGaps(db, { listId }, now),
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
  // A paused client's or list's cases are not handed out: no end to foresee until it goes on.
  if (open > 0 && p.throughputLastHour > 0 && client?.active && client.listStatus !== 'paused') {
    p.etaAt = etaWithinCallingHours(now, (open / p.throughputLastHour) * 3_600_000, client.settings)?.toISOString() ?? null;
  }
  return p;
}

/** The client's own place: its calling hours and its holidays, no customer's region or windows. */
const CLIENT_PLACE: CaseSchedulingState = { attemptsMade: 0, attemptTimes: [] };

/** Callable stretches an ETA walks through at most (a year of working days); beyond, no ETA. */
const ETA_MAX_STRETCHES = 300;

/**
 * When `workMs` of calling is done from `now` on, counted only while the client's calling hours
 * allow calls: 3 hours of work at 19:00 with calls until 20:00 end at 10:00 the next working day
 * (from 08:00), not at 22:00. Null when that lies beyond {@link ETA_MAX_STRETCHES} stretches.
 */
export function etaWithinCallingHours(now: Date, workMs: number, settings: SchedulingSettings): Date | null {
  let t = now.getTime();
  let left = workMs;
  for (let i = 0; i < ETA_MAX_STRETCHES; i++) {
    const check = isCallableNow(new Date(t), settings, CLIENT_PLACE);
    if (!check.callable) {
      if (!check.nextAt) return null;
      t = check.nextAt.getTime();
      continue;
    }
    const until = callableUntil(new Date(t), settings, CLIENT_PLACE);
    if (until === null || t + left <= until.getTime()) return new Date(t + left);
    left -= until.getTime() - t;
    t = until.getTime();
  }
  return null;
}
