import { and, eq, inArray, sql } from 'drizzle-orm';
import { cases, clients, dunningLists } from '../db/schema.js';
import type { SessionUser } from '../http/context.js';
import type { DispatchDeps } from '../deps.js';
import { personalCallbackOpensToAllAt } from '../scheduling/index.js';
import { languageGaps, type LanguageGap } from './language-gaps.js';
import { fallsBackToAll, languagePolicy, speaks } from './routing.js';

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
  /** In a list a lead paused (`pause.ts`): not handed out until it is resumed. */
  listPaused: number;
}

/** Scheduling reasons (`ScheduleReason`, or `NotCallableReason` from a pull-time check) → key. */
const WAITING_KEY: Record<string, keyof Waiting> = {
  retry_delay: 'retryDelay',
  dialled: 'retryDelay', // given back after a dial: waits the retry delay
  callback_window: 'callbackWindow',
  callback_time: 'callbackWindow',
  window: 'callbackWindow',
  window_closed: 'callbackWindow',
  calling_hours: 'callingHours',
  holiday: 'holiday',
  per_day_cap: 'perDayCap',
  preferred_window: 'preferredWindow',
};

/** The time of a personal callback (grouped on: each one's grace period ends at its own time); null for others. */
const personalCallbackAt = sql<string | null>`case when ${cases.callback}->>'agentId' is not null then ${cases.callback}->>'at' end`;

/**
 * The empty-queue answer: open, unassigned cases of the agent's clients in active lists,
 * counted by why they wait (as recorded when they were scheduled; those of paused lists as
 * `listPaused`), plus the earliest time one
 * of them that this agent could take becomes callable, and the cases waiting for a language no
 * active agent speaks (`languageGaps`). A case in a language the agent does not speak counts as
 * `language` unless the client's routing lets the agent have it (`off`, or `prefer` once the
 * fallback has opened). Another agent's personal callback counts as `personalCallback` until
 * its grace period ends (its time plus `personalCallbackGraceMinutes`), and becomes callable for
 * this agent then; after that it waits like any other case — also when its owner is away.
 */
export async function explainEmptyQueue(d: DispatchDeps, agent: SessionUser, now: Date) {
  const waiting: Waiting = { callbackWindow: 0, retryDelay: 0, callingHours: 0, holiday: 0, perDayCap: 0, preferredWindow: 0, language: 0, personalCallback: 0, listPaused: 0 };
  // An inactive client's cases are not the agent's to wait for: they are not handed out.
  const scope = { assigned: agent.clientIds.length, active: agent.callClientIds.length };
  if (agent.callClientIds.length === 0) return { assignment: null, nextDueAt: null, waiting, languageGaps: [] as LanguageGap[], clients: scope };
  const rows = await d.db
    .select({
      reason: cases.waitReason,
      clientId: cases.clientId,
      language: cases.language,
      secondLanguage: cases.secondLanguage,
      settings: clients.settings,
      callbackAgent: sql<string | null>`${cases.callback}->>'agentId'`,
      callbackAt: personalCallbackAt,
      n: sql<number>`count(*)::int`,
      nextDue: sql<string | null>`min(${cases.nextDueAt})`,
      listPaused: sql<boolean>`${dunningLists.status} = 'paused'`,
    })
    .from(cases)
    .innerJoin(dunningLists, eq(dunningLists.id, cases.listId))
    .innerJoin(clients, eq(clients.id, cases.clientId))
    .where(
      and(
        inArray(cases.clientId, agent.callClientIds),
        eq(cases.status, 'open'),
        inArray(dunningLists.status, ['active', 'paused']),
        sql`not exists (select 1 from assignments a where a.case_id = ${cases.id} and a.ended_at is null)`,
      ),
    )
    .groupBy(cases.waitReason, cases.clientId, cases.language, cases.secondLanguage, clients.settings, sql`${cases.callback}->>'agentId'`, personalCallbackAt, sql`${dunningLists.status} = 'paused'`);

  let nextDue: number | null = null;
  for (const row of rows) {
    let due = row.nextDue ? new Date(row.nextDue).getTime() : null;
    /** The fallback a copy for agents who do not speak the case's language waits on top (`prefer`). */
    let fallbackMs = 0;
    if (!speaks(agent.languages, row)) {
      const policy = languagePolicy(row.settings);
      // Never theirs (strict, or the client's own language), or not yet (the fallback is ahead).
      const neverTheirs = policy.mode === 'strict' || (policy.mode === 'prefer' && !fallsBackToAll(row, row.settings));
      if (neverTheirs || (policy.mode === 'prefer' && (due === null || due + policy.fallbackMinutes * 60_000 > now.getTime()))) {
        waiting.language += row.n;
        continue;
      }
      if (policy.mode === 'prefer') fallbackMs = policy.fallbackMinutes * 60_000;
      if (due !== null) due += fallbackMs;
    }
    // Waiting for the lead (a case this agent could take once the list goes on): no time to foresee.
    if (row.listPaused) {
      waiting.listPaused += row.n;
      continue;
    }
    // Another agent's personal callback opens to all after its grace period — and to this agent,
    // who does not speak its language, after the fallback on top (its copy is queued so: `enqueue.ts`).
    const opensAt = row.callbackAgent && row.callbackAgent !== agent.id && row.callbackAt ? personalCallbackOpensToAllAt(new Date(row.callbackAt), row.settings).getTime() + fallbackMs : null;
    if (opensAt !== null && opensAt > now.getTime()) {
      waiting.personalCallback += row.n; // another agent's promise, theirs until the grace period ends
      due = Math.max(due ?? opensAt, opensAt);
    } else {
      const key = row.reason ? WAITING_KEY[row.reason] : undefined;
      if (key) waiting[key] += row.n;
    }
    if (due !== null && due > now.getTime() && (nextDue === null || due < nextDue)) nextDue = due;
  }
  const gaps = await languageGaps(d.db, { clientIds: agent.callClientIds }, now);
  return { assignment: null, nextDueAt: nextDue === null ? null : new Date(nextDue).toISOString(), waiting, languageGaps: gaps, clients: scope };
}

