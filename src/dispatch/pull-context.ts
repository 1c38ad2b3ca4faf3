import { eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { prepared } from '../db/prepared.js';
import { assignments, cases, clients, dunningLists } from '../db/schema.js';
import type { CaseSchedulingState } from '../scheduling/index.js';
import { epochMs, historyJson, preparedCaseQuery, settingsFromText, type CaseContext, type HistoryEntry } from './load-case.js';

/** Everything the pull-time check needs about one case. */
export interface PullContext extends CaseContext {
  /** An outcome for this attempt was posted but is not recorded yet. */
  outcomePending: boolean;
  /** The live assignment of the case (someone else holds it), if any. */
  holder: { id: string; expiresAt: Date } | null;
  /** The case's active numbers that are on the client's do-not-call list. */
  blockedPhones: string[];
  state: CaseSchedulingState;
  /** Its recorded attempts, for the agent's card should it be handed out. */
  history: HistoryEntry[];
  /** The versions (`xmin`) of the case and client rows read (see `handed-out.ts`). */
  caseVersion: string;
  clientVersion: string;
}

/**
 * The assignment a pull writes when the case is free for it: `takeCase` writes it in the same
 * statement that reads the case.
 */
export interface Take {
  id: string;
  caseId: string;
  agentId: string;
  attemptNo: number;
  queue: string;
  jobId: string;
  lockToken: string;
  assignedAt: Date;
  expiresAt: Date;
}

const param = (name: keyof Take | 'clientIds') => sql.placeholder(name);

/**
 * The assignment, written only where the case is free for this agent: open at this attempt, its
 * list active, its client one of the agent's, no live holder, no outcome of this attempt claimed.
 * The do-not-call list (rarely hit: a number found on it leaves the case at once), calling hours
 * and the language check are decided on what the statement read (`vet` in pull.ts undoes the take
 * when they refuse). A concurrent pull of the same case or agent fails on the unique indexes, as a
 * plain insert would.
 */
const takeCte = (db: Db) =>
  db.$with('taken', { id: sql<string>`id` }).as(sql`
    insert into assignments (id, case_id, agent_id, attempt_no, queue, job_id, lock_token, assigned_at, expires_at)
    select ${param('id')}::uuid, c.id, ${param('agentId')}::uuid, c.attempts_made + 1, ${param('queue')}::text, ${param('jobId')}::text,
      ${param('lockToken')}::text, ${param('assignedAt')}::timestamptz, ${param('expiresAt')}::timestamptz
    from cases c join dunning_lists l on l.id = c.list_id
    where c.id = ${param('caseId')}::uuid and c.status = 'open' and c.attempts_made + 1 = ${param('attemptNo')}::int and l.status = 'active'
      and c.client_id = any(${param('clientIds')}::text::uuid[])
      and not exists (select 1 from assignments a where a.case_id = c.id and (a.ended_at is null or (a.attempt_no = ${param('attemptNo')}::int and a.end_reason = 'outcome')))
    returning id`);

const buildQuery = (db: Db) => {
  const taken = takeCte(db);
  return preparedCaseQuery(
    db,
    'take_case',
    {
      outcomePending: sql<boolean>`exists (select 1 from assignments a where a.case_id = ${cases.id} and a.attempt_no = ${sql.placeholder('attemptNo')} and a.end_reason = 'outcome')`,
      holder: sql<string | null>`(select a.id::text || ' ' || ${epochMs('a.expires_at')} from assignments a where a.case_id = ${cases.id} and a.ended_at is null)`,
      blockedPhones: sql<string[]>`array(select p ->> 'e164' from jsonb_array_elements(${cases.phones}) p where p ->> 'status' = 'active' and exists (select 1 from do_not_call n where n.client_id = ${cases.clientId} and n.phone_e164 = p ->> 'e164'))`,
      history: historyJson(),
      caseVersion: sql<string>`${cases}.xmin::text`,
      clientVersion: sql<string>`${clients}.xmin::text`,
      taken: sql<boolean>`exists (select 1 from ${taken})`,
    },
    [taken],
  );
};

/** A Postgres array literal of uuids (they need no quoting). */
const uuidArray = (ids: readonly string[]) => `{${ids.join(',')}}`;

/**
 * The pull's read of a case and, where the case is free for it, its assignment written (`taken`),
 * in one round trip: the pull checks every job it takes, up to 25 per `next`, and hands out
 * nearly every one, so this statement is the hot path of dispatch. What it read is the case as
 * it was before the take (no holder, no outcome pending). Throws what the insert throws (a unique
 * index: the agent or the case is taken meanwhile).
 */
export async function takeCase(db: Db, take: Take, clientIds: readonly string[]): Promise<{ ctx: PullContext | null; taken: boolean }> {
  const [row] = await prepared(db, 'take_case', buildQuery).execute({
    ...take,
    assignedAt: take.assignedAt.toISOString(),
    expiresAt: take.expiresAt.toISOString(),
    clientIds: uuidArray(clientIds),
  });
  if (!row) return { ctx: null, taken: false };
  const [holderId, holderMs] = row.holder?.split(' ') ?? [];
  const c = row.case;
  const ctx: PullContext = {
    case: c,
    listStatus: row.listStatus,
    settings: settingsFromText(row.settingsText),
    clientName: row.clientName,
    outcomePending: row.outcomePending,
    holder: holderId ? { id: holderId, expiresAt: new Date(Number(holderMs)) } : null,
    blockedPhones: row.blockedPhones,
    history: row.history,
    caseVersion: row.caseVersion,
    clientVersion: row.clientVersion,
    state: {
      postalCode: c.postalCode,
      country: c.country,
      preferredWindows: c.preferredWindows,
      attemptsMade: c.attemptsMade,
      // The history's times, in the same order: no second read of the attempts.
      attemptTimes: row.history.map((h) => new Date(h.at)),
      lastWindow: c.lastWindow,
    },
  };
  return { ctx, taken: row.taken };
}

const buildUntake = (db: Db) => db.delete(assignments).where(eq(assignments.id, sql.placeholder('id'))).prepare('untake_case');

/** Undoes a take that a later check of the pull refused: the assignment was never shown to anyone. */
export async function untake(db: Db, id: string): Promise<void> {
  await prepared(db, 'untake_case', buildUntake).execute({ id });
}

const buildMissingCase = (db: Db) =>
  db
    .select({ listStatus: dunningLists.status, caseVisible: sql<boolean>`exists (select 1 from ${cases} where ${cases.id} = ${sql.placeholder('caseId')})` })
    .from(dunningLists)
    .where(eq(dunningLists.id, sql.placeholder('listId')))
    .prepare('missing_case_look');

/** What a second look says of a job whose case `takeCase` did not find (rare: see `triage`). */
export interface MissingCase {
  /** The status of the list the job names; null when there is no such list. */
  listStatus: PullContext['listStatus'] | null;
  /** The case is there now: its import committed after `takeCase` read. */
  caseVisible: boolean;
}

/**
 * The list's status and whether the case is there, read in one statement: in one snapshot, a
 * list seen no longer `importing` means its import's cases, committed before, are seen too.
 */
export async function lookAtMissingCase(db: Db, job: { listId: string; caseId: string }): Promise<MissingCase> {
  const [row] = await prepared(db, 'missing_case_look', buildMissingCase).execute({ listId: job.listId, caseId: job.caseId });
  return { listStatus: row?.listStatus ?? null, caseVisible: row?.caseVisible ?? false };
}
