import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import type { Db, Tx } from '../db/client.js';
import { prepared } from '../db/prepared.js';
import { assignments, attempts, cases, clients, dunningLists, users } from '../db/schema.js';
import type { SchedulingSettings } from '../scheduling/index.js';
import type { CaseRow } from './case-state.js';

export interface CaseContext {
  case: CaseRow;
  listStatus: 'importing' | 'active' | 'completed' | 'failed' | 'cancelled';
  settings: SchedulingSettings;
  clientName: string;
}

/** A case with what every dispatch decision about it needs: list status and client settings. */
export async function loadCaseContext(db: Db | Tx, caseId: string, forUpdate = false): Promise<CaseContext | null> {
  const query = db
    .select({ case: cases, listStatus: dunningLists.status, settings: clients.settings, clientName: clients.name })
    .from(cases)
    .innerJoin(dunningLists, eq(dunningLists.id, cases.listId))
    .innerJoin(clients, eq(clients.id, cases.clientId))
    .where(eq(cases.id, caseId));
  const [row] = forUpdate ? await query.for('no key update', { of: cases }) : await query;
  return row ?? null;
}

export type AssignmentRow = typeof assignments.$inferSelect;

const buildLiveOfAgent = (db: Db) =>
  db
    .select()
    .from(assignments)
    .where(and(eq(assignments.agentId, sql.placeholder('agentId')), isNull(assignments.endedAt)))
    .prepare('live_assignment_of_agent');

export async function liveAssignmentOfAgent(db: Db, agentId: string): Promise<AssignmentRow | null> {
  const [row] = await prepared(db, 'live_assignment_of_agent', buildLiveOfAgent).execute({ agentId });
  return row ?? null;
}

export interface HistoryEntry {
  attemptNo: number;
  at: string;
  agent: string | null;
  outcome: string;
  rightParty: boolean | null;
  note: string | null;
  /** The number dialled (E.164), null for attempts recorded before it was kept. */
  phone: string | null;
}

export async function caseHistory(db: Db | Tx, caseId: string): Promise<HistoryEntry[]> {
  const rows = await db
    .select({ a: attempts, agent: users.displayName })
    .from(attempts)
    .leftJoin(users, eq(users.id, attempts.agentId))
    .where(eq(attempts.caseId, caseId))
    .orderBy(asc(attempts.attemptNo));
  return rows.map(({ a, agent }) => ({
    attemptNo: a.attemptNo,
    at: a.recordedAt.toISOString(),
    agent,
    outcome: a.outcome,
    rightParty: a.rightParty,
    note: a.note,
    phone: a.phoneE164,
  }));
}
