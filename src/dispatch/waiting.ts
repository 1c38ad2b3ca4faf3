import { and, eq, inArray, sql } from 'drizzle-orm';
import { cases, dunningLists } from '../db/schema.js';
import type { SessionUser } from '../http/context.js';
import { routingLanguage } from './case-state.js';
import type { DispatchDeps } from '../deps.js';

/** Why nothing is callable now, as counts of open cases (DESIGN.md section 10). */
export interface Waiting {
  callbackWindow: number;
  retryDelay: number;
  callingHours: number;
  holiday: number;
  perDayCap: number;
  preferredWindow: number;
  language: number;
  personalCallback: number;
}

/** Scheduling reasons (`ScheduleReason`, or `NotCallableReason` from a pull-time check) → key. */
const WAITING_KEY: Record<string, keyof Waiting> = {
  retry_delay: 'retryDelay',
  callback_window: 'callbackWindow',
  callback_time: 'callbackWindow',
  window: 'callbackWindow',
  window_closed: 'callbackWindow',
  calling_hours: 'callingHours',
  holiday: 'holiday',
  per_day_cap: 'perDayCap',
  preferred_window: 'preferredWindow',
};

/**
 * The empty-queue answer: open, unassigned cases of the agent's clients in active lists,
 * counted by why they wait (as recorded when they were scheduled), plus the earliest time one
 * of them that this agent could take becomes callable.
 */
export async function explainEmptyQueue(d: DispatchDeps, agent: SessionUser, now: Date) {
  const waiting: Waiting = { callbackWindow: 0, retryDelay: 0, callingHours: 0, holiday: 0, perDayCap: 0, preferredWindow: 0, language: 0, personalCallback: 0 };
  if (agent.clientIds.length === 0) return { assignment: null, nextDueAt: null, waiting };
  const rows = await d.db
    .select({
      reason: cases.waitReason,
      language: cases.language,
      callbackAgent: sql<string | null>`${cases.callback}->>'agentId'`,
      n: sql<number>`count(*)::int`,
      nextDue: sql<string | null>`min(${cases.nextDueAt})`,
    })
    .from(cases)
    .innerJoin(dunningLists, eq(dunningLists.id, cases.listId))
    .where(
      and(
        inArray(cases.clientId, agent.clientIds),
        eq(cases.status, 'open'),
        eq(dunningLists.status, 'active'),
        sql`not exists (select 1 from assignments a where a.case_id = ${cases.id} and a.ended_at is null)`,
      ),
    )
    .groupBy(cases.waitReason, cases.language, sql`${cases.callback}->>'agentId'`);

  const languages = new Set(agent.languages.map(routingLanguage));
  let nextDue: number | null = null;
  for (const row of rows) {
    if (!languages.has(routingLanguage(row.language))) {
      waiting.language += row.n;
      continue;
    }
    const due = row.nextDue ? new Date(row.nextDue).getTime() : null;
    if (row.callbackAgent && row.callbackAgent !== agent.id) {
      waiting.personalCallback += row.n; // another agent's promise, theirs until the grace period ends
      continue;
    }
    const key = row.reason ? WAITING_KEY[row.reason] : undefined;
    if (key) waiting[key] += row.n;
    if (due !== null && due > now.getTime() && (nextDue === null || due < nextDue)) nextDue = due;
  }
  return { assignment: null, nextDueAt: nextDue === null ? null : new Date(nextDue).toISOString(), waiting };
}

