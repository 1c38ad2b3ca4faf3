import { and, eq, gt, gte, inArray, isNull, sql } from 'drizzle-orm';
import { DateTime } from 'luxon';
import type { Db } from '../db/client.js';
import { assignments, attempts, cases, clients, dunningLists, sessions, userClients, users } from '../db/schema.js';
import type { SessionUser } from '../http/context.js';
import { ACTIVE_WINDOW_MS } from '../dispatch/language-gaps.js';

/** The day the team view counts, as the screens show times (docs/decisions.md: UI times). */
const TEAM_ZONE = 'Europe/Berlin';

export type AgentState = 'in_call' | 'at_work' | 'away';

export interface TeamMember {
  id: string;
  username: string;
  displayName: string;
  /**
   * In a call (a case held); at work (a session, and a request for a case or a heartbeat within
   * the last hour, as the language figures count it); or away.
   */
  state: AgentState;
  /** When the agent last asked for a case or heartbeat (to the minute). */
  lastActiveAt: string | null;
  /** The held case, when it is a client of the viewer's; null for another client's. */
  call: { assignmentId: string; since: string; clientName: string; listId: string; listName: string } | null;
  /** Today's attempts for the viewer's clients. */
  today: { attempts: number; reached: number; rightParty: number; promises: number; lastAt: string | null };
}

/**
 * The team lead's live view of the agents (VICIdial's real-time report, reduced to what this
 * product knows): the agents of the viewer's clients — admins: all — who are at work, in a
 * call or called today, each with their state, the case held (list and since when: freeing it
 * is one click on the list's page) and today's figures for the viewer's clients. Reached counts
 * outcomes whose effect in the client's current rules is not `retry`, as the LE report does.
 */
export async function teamActivity(db: Db, viewer: Pick<SessionUser, 'role' | 'clientIds'>, now: Date): Promise<TeamMember[]> {
  const admin = viewer.role === 'admin';
  if (!admin && viewer.clientIds.length === 0) return [];
  const inScope = admin ? undefined : inArray(userClients.clientId, viewer.clientIds);
  const agents = await db
    .selectDistinct({ id: users.id, username: users.username, displayName: users.displayName, lastActiveAt: users.lastActiveAt })
    .from(users)
    .leftJoin(userClients, eq(userClients.userId, users.id))
    .where(and(eq(users.role, 'agent'), eq(users.active, true), inScope));
  if (agents.length === 0) return [];
  const ids = agents.map((a) => a.id);
  const dayStart = DateTime.fromJSDate(now, { zone: TEAM_ZONE }).startOf('day').toJSDate();

  // By client and time (`attempts_client_time`), also for an admin: all clients named.
  const clientIds = admin ? (await db.select({ id: clients.id }).from(clients)).map((c) => c.id) : viewer.clientIds;
  const [loggedIn, calls, done] = await Promise.all([
    db.selectDistinct({ userId: sessions.userId }).from(sessions).where(and(inArray(sessions.userId, ids), gt(sessions.expiresAt, now))),
    db
      .select({ agentId: assignments.agentId, assignmentId: assignments.id, since: assignments.assignedAt, clientId: cases.clientId, clientName: clients.name, listId: dunningLists.id, listName: dunningLists.name })
      .from(assignments)
      .innerJoin(cases, eq(cases.id, assignments.caseId))
      .innerJoin(clients, eq(clients.id, cases.clientId))
      .innerJoin(dunningLists, eq(dunningLists.id, cases.listId))
      .where(and(inArray(assignments.agentId, ids), isNull(assignments.endedAt), gt(assignments.expiresAt, now))),
    clientIds.length === 0
      ? []
      : db
          .select({
            agentId: attempts.agentId,
            clientId: attempts.clientId,
            outcome: attempts.outcome,
            n: sql<number>`count(*)::int`,
            rightParty: sql<number>`(count(*) filter (where ${attempts.rightParty}))::int`,
            promises: sql<number>`(count(*) filter (where ${attempts.promiseAmountCents} is not null))::int`,
            lastAt: sql<string>`max(${attempts.recordedAt})`,
          })
          .from(attempts)
          .where(and(inArray(attempts.clientId, clientIds), gte(attempts.recordedAt, dayStart), inArray(attempts.agentId, ids)))
          .groupBy(attempts.agentId, attempts.clientId, attempts.outcome),
  ]);
  // Each client's outcome effects once, for "reached".
  const called = [...new Set(done.map((g) => g.clientId))];
  const effects = new Map<string, Map<string, string>>();
  if (called.length) {
    for (const c of await db.select({ id: clients.id, settings: clients.settings }).from(clients).where(inArray(clients.id, called))) {
      effects.set(c.id, new Map(c.settings.outcomes.map((o) => [o.code, o.effect])));
    }
  }

  const sessionOf = new Set(loggedIn.map((s) => s.userId));
  const callOf = new Map(calls.map((c) => [c.agentId, c]));
  const todayOf = new Map<string, TeamMember['today']>();
  for (const g of done) {
    const t = todayOf.get(g.agentId!) ?? { attempts: 0, reached: 0, rightParty: 0, promises: 0, lastAt: null };
    const effect = effects.get(g.clientId)?.get(g.outcome);
    t.attempts += g.n;
    if (effect !== undefined && effect !== 'retry') t.reached += g.n;
    t.rightParty += g.rightParty;
    t.promises += g.promises;
    const last = new Date(g.lastAt).toISOString();
    if (!t.lastAt || last > t.lastAt) t.lastAt = last;
    todayOf.set(g.agentId!, t);
  }
  const members: TeamMember[] = [];
  for (const a of agents) {
    const held = callOf.get(a.id);
    const today = todayOf.get(a.id) ?? { attempts: 0, reached: 0, rightParty: 0, promises: 0, lastAt: null };
    const recent = a.lastActiveAt !== null && a.lastActiveAt.getTime() > now.getTime() - ACTIVE_WINDOW_MS;
    const state: AgentState = held ? 'in_call' : sessionOf.has(a.id) && recent ? 'at_work' : 'away';
    // Nobody to watch: an agent neither there nor at work today.
    if (state === 'away' && today.attempts === 0) continue;
    const visible = held && (admin || viewer.clientIds.includes(held.clientId));
    members.push({
      id: a.id,
      username: a.username,
      displayName: a.displayName,
      state,
      lastActiveAt: a.lastActiveAt?.toISOString() ?? null,
      call: visible ? { assignmentId: held.assignmentId, since: held.since.toISOString(), clientName: held.clientName, listId: held.listId, listName: held.listName } : null,
      today,
    });
  }
  const order: Record<AgentState, number> = { in_call: 0, at_work: 1, away: 2 };
  return members.sort((x, y) => order[x.state] - order[y.state] || x.displayName.localeCompare(y.displayName, 'de'));
}
