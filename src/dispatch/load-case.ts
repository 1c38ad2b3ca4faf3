import { and, eq, isNull, sql, type WithSubquery } from 'drizzle-orm';
import type { SelectedFields } from 'drizzle-orm/pg-core';
import type { Db, Tx } from '../db/client.js';
import { prepared } from '../db/prepared.js';
import { assignments, cases, clients, dunningLists, type listStatusEnum } from '../db/schema.js';
import type { SchedulingSettings } from '../scheduling/index.js';
import { caseColumns, type CaseRow } from './case-state.js';

export interface CaseContext {
  case: CaseRow;
  listStatus: (typeof listStatusEnum.enumValues)[number];
  settings: SchedulingSettings;
  clientName: string;
}

/** A case with what every dispatch decision about it needs: list status and client settings. */
export async function loadCaseContext(db: Db | Tx, caseId: string, forUpdate = false): Promise<CaseContext | null> {
  const query = db
    .select({ case: caseColumns, listStatus: dunningLists.status, settings: clients.settings, clientName: clients.name })
    .from(cases)
    .innerJoin(dunningLists, eq(dunningLists.id, cases.listId))
    .innerJoin(clients, eq(clients.id, cases.clientId))
    .where(eq(cases.id, caseId));
  const [row] = forUpdate ? await query.for('no key update', { of: cases }) : await query;
  return row ?? null;
}

/**
 * `fields` of one case (`:caseId`) with its list's status and its client's rules, as a prepared
 * query named `name`: the shape of every hot read of a case (the pull, the outcomes worker).
 * The rules come as their stored text (`settingsText`, for `settingsFromText`); `ctes` go in
 * its `with` clause.
 */
export function preparedCaseQuery<F extends SelectedFields>(db: Db, name: string, fields: F, ctes: WithSubquery[] = []) {
  return (ctes.length ? db.with(...ctes) : db)
    .select({ case: caseColumns, listStatus: dunningLists.status, settingsText: sql<string>`${clients.settings}::text`, clientName: clients.name, ...fields })
    .from(cases)
    .innerJoin(dunningLists, eq(dunningLists.id, cases.listId))
    .innerJoin(clients, eq(clients.id, cases.clientId))
    .where(eq(cases.id, sql.placeholder('caseId')))
    .prepare(name);
}

/** Parsed client rules by their stored text; a full map is emptied (old versions drop out). */
const parsedSettings = new Map<string, SchedulingSettings>();
const MAX_PARSED_SETTINGS = 1000;

/**
 * A client's rules from their stored text, parsed once per distinct text: every pull and every
 * recorded outcome of a client then shares one object, so the scheduling core compiles it once
 * (`compileSettings` caches per object) instead of per case. Frozen: it is shared.
 */
export function settingsFromText(text: string): SchedulingSettings {
  let settings = parsedSettings.get(text);
  if (!settings) {
    settings = deepFreeze(JSON.parse(text) as SchedulingSettings);
    if (parsedSettings.size >= MAX_PARSED_SETTINGS) parsedSettings.clear();
    parsedSettings.set(text, settings);
  }
  return settings;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

/** A timestamp column as whole milliseconds since the epoch (SQL). */
export const epochMs = (column: string) => sql.raw(`(extract(epoch from ${column}) * 1000)::bigint`);

/** The times (ms since the epoch, as text) of a case's recorded attempts, in order. */
export const attemptTimesSql = () =>
  sql<string[]>`array(select ${epochMs('t.recorded_at')}::text from attempts t where t.case_id = ${cases.id} order by t.attempt_no)`;

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

/**
 * A case's recorded attempts as the agent's card shows them, oldest first, as one JSON value: a
 * column of the pull's own query, so handing out a case costs no round trip for its history.
 */
export const historyJson = () =>
  sql<HistoryEntry[]>`coalesce((select json_agg(json_build_object(
    'attemptNo', t.attempt_no, 'at', to_char(t.recorded_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), 'agent', u.display_name,
    'outcome', t.outcome, 'rightParty', t.right_party, 'note', t.note, 'phone', t.phone_e164) order by t.attempt_no)
    from attempts t left join users u on u.id = t.agent_id where t.case_id = ${cases}.id), '[]'::json)`;

export async function caseHistory(db: Db | Tx, caseId: string): Promise<HistoryEntry[]> {
  const [row] = await db.select({ history: historyJson() }).from(cases).where(eq(cases.id, caseId));
  return row?.history ?? [];
}
