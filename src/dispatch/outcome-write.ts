import { eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { prepared } from '../db/prepared.js';
import { rowsOf } from '../db/rows.js';
import { assignments, cases } from '../db/schema.js';
import type { OutcomeJob } from '../queues/registry.js';
import type { CaseRow } from './case-state.js';
import type { OutcomeBody } from './dispatch.schemas.js';
import { attemptTimesSql, preparedCaseQuery, settingsFromText, type CaseContext } from './load-case.js';

/**
 * The two statements the outcomes worker runs per outcome, both built once: what it decides on,
 * and everything it writes. No interactive transaction (BEGIN, SELECT … FOR UPDATE, writes,
 * COMMIT: four round trips, each statement built anew): the write is one statement that applies
 * only to the case row as it was read (its `xmin`), and is decided again on a fresh read when
 * the row changed in between.
 */
export interface LoadedOutcome extends CaseContext {
  /** The row version read (`xmin`): the write applies only to this version. */
  version: string;
  /** This attempt is recorded already (a re-run after a crash). */
  recorded: boolean;
  attemptTimes: Date[];
  attemptOutcomes: string[];
}

const buildContextQuery = (db: Db) =>
  preparedCaseQuery(db, 'outcome_context', {
    version: sql<string>`${cases}.xmin::text`,
    recorded: sql<boolean>`exists (select 1 from attempts t where t.case_id = ${cases.id} and t.attempt_no = ${sql.placeholder('attemptNo')})`,
    attemptTimes: attemptTimesSql(),
    attemptOutcomes: sql<string[]>`array(select t.outcome from attempts t where t.case_id = ${cases.id} order by t.attempt_no)`,
  });

/** The case with its rules, the version read, and the times and outcomes of its recorded attempts. */
export async function loadOutcomeContext(db: Db, caseId: string, attemptNo: number): Promise<LoadedOutcome | null> {
  const [row] = await prepared(db, 'outcome_context', buildContextQuery).execute({ caseId, attemptNo });
  if (!row) return null;
  const { settingsText, ...rest } = row;
  return { ...rest, settings: settingsFromText(settingsText), attemptTimes: row.attemptTimes.map((ms) => new Date(Number(ms))) };
}

const buildClearOutbox = (db: Db) =>
  db.update(assignments).set({ outcome: null }).where(eq(assignments.id, sql.placeholder('id'))).prepare('clear_outbox');

/** The outcome is recorded (or there is nothing left to record it on): its outbox entry goes. */
export async function clearOutbox(db: Db, assignmentId: string): Promise<void> {
  await prepared(db, 'clear_outbox', buildClearOutbox).execute({ id: assignmentId });
}

export type WriteResult = 'written' | 'changed' | 'recorded';

const json = (v: unknown) => (v == null ? null : JSON.stringify(v));
const iso = (v: Date | null) => v?.toISOString() ?? null;

/**
 * Inserts the attempt, sets the case to `next` and clears the outbox, in one statement, on the
 * version `ctx` read: `changed` when the row moved on since (nothing written), `recorded` when
 * this attempt was recorded meanwhile (the case is left as it is).
 */
export async function writeOutcome(db: Db, ctx: LoadedOutcome, job: OutcomeJob, next: CaseRow): Promise<WriteResult> {
  const body = job.body as OutcomeBody;
  const result: unknown = await db.execute(sql`
    with locked as (
      select id from cases where id = ${job.caseId}::uuid and xmin = ${ctx.version}::xid for no key update
    ), inserted as (
      insert into attempts (case_id, client_id, attempt_no, agent_id, assignment_id, phone_e164, outcome, right_party, note, callback, promise_amount_cents, promise_date, recorded_at)
      select locked.id, ${next.clientId}::uuid, ${job.attemptNo}::int, ${job.agentId}::uuid, ${job.assignmentId}::uuid, ${body.phone ?? ctx.case.phoneE164}::text,
        ${body.outcome}::text, ${body.rightParty ?? null}::boolean, ${body.note ?? null}::text, ${json(body.callback)}::jsonb,
        ${body.promise?.amountCents ?? null}::bigint, ${body.promise?.date ?? null}::date, ${job.recordedAt}::timestamptz
      from locked
      on conflict do nothing
      returning case_id
    ), updated as (
      update cases set
        status = ${next.status}::case_status, attempts_made = ${next.attemptsMade}::int, final_outcome = ${next.finalOutcome}::text,
        closed_at = ${iso(next.closedAt)}::timestamptz, next_due_at = ${iso(next.nextDueAt)}::timestamptz, wait_reason = ${next.waitReason}::text,
        last_window = ${next.lastWindow}::text, preferred_windows = ${json(next.preferredWindows)}::jsonb, callback = ${json(next.callback)}::jsonb,
        retry_choice = ${json(next.retryChoice)}::jsonb, promise_amount_cents = ${next.promiseAmountCents}::bigint, promise_date = ${next.promiseDate}::date,
        phones = ${json(next.phones)}::jsonb, phone_raw = ${next.phoneRaw}::text, phone_e164 = ${next.phoneE164}::text, updated_at = ${iso(next.updatedAt)}::timestamptz
      from inserted
      where cases.id = inserted.case_id
      returning cases.id
    ), cleared as (
      update assignments set outcome = null where id = ${job.assignmentId}::uuid and exists (select 1 from locked)
    )
    select (select count(*) from locked)::int as locked, (select count(*) from updated)::int as updated
  `);
  const [row] = rowsOf<{ locked: number; updated: number }>(result);
  if (!row?.locked) return 'changed';
  return row.updated ? 'written' : 'recorded';
}
