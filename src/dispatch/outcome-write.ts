import { eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { prepared } from '../db/prepared.js';
import { assignments, cases, clients } from '../db/schema.js';
import type { OutcomeJob } from '../queues/registry.js';
import type { OutcomeBody } from './dispatch.schemas.js';
import type { SchedulingSettings } from '../scheduling/index.js';
import { attemptTimesSql, preparedCaseQuery, settingsFromText } from './load-case.js';
import { carriesEveryColumn, caseFromSeen, rememberRules, rulesAt, type OutcomeCase } from './seen-case.js';

/**
 * The two statements the outcomes worker runs per outcome, both built once: what it decides on,
 * and everything it writes. No interactive transaction (BEGIN, SELECT … FOR UPDATE, writes,
 * COMMIT: four round trips, each statement built anew): the write is one statement that applies
 * only to the case and client rows as they were read (their `xmin`), and is decided again on a
 * fresh read when either changed in between. What it decides on is read here, or was read by
 * the pull and carried in the job (`seen-case.ts`).
 */
export interface LoadedOutcome {
  case: OutcomeCase;
  settings: SchedulingSettings;
  /** The case row's version read (`xmin`): the write applies only to this version. */
  version: string;
  /** The client row's version the rules were read from: the write applies only to this one. */
  clientVersion: string;
  /** This attempt is recorded already (a re-run after a crash). */
  recorded: boolean;
  attemptTimes: Date[];
  attemptOutcomes: string[];
}

const buildContextQuery = (db: Db) =>
  preparedCaseQuery(db, 'outcome_context', {
    version: sql<string>`${cases}.xmin::text`,
    clientVersion: sql<string>`${clients}.xmin::text`,
    recorded: sql<boolean>`exists (select 1 from attempts t where t.case_id = ${cases.id} and t.attempt_no = ${sql.placeholder('attemptNo')})`,
    attemptTimes: attemptTimesSql(),
    attemptOutcomes: sql<string[]>`array(select t.outcome from attempts t where t.case_id = ${cases.id} order by t.attempt_no)`,
  });

/** The case with its rules, the versions read, and the times and outcomes of its recorded attempts. */
export async function loadOutcomeContext(db: Db, caseId: string, attemptNo: number): Promise<LoadedOutcome | null> {
  const [row] = await prepared(db, 'outcome_context', buildContextQuery).execute({ caseId, attemptNo });
  if (!row) return null;
  const settings = settingsFromText(row.settingsText);
  rememberRules(db, row.case.clientId, row.clientVersion, settings);
  const { case: c, version, clientVersion, recorded, attemptOutcomes } = row;
  return { case: c, settings, version, clientVersion, recorded, attemptTimes: row.attemptTimes.map((ms) => new Date(Number(ms))), attemptOutcomes };
}

/**
 * What the pull read, carried in the job, as if read here: when the job carries it and this
 * process knows the client's rules at the version the pull read them. Null otherwise (read).
 */
export function carriedOutcomeContext(db: Db, job: OutcomeJob): LoadedOutcome | null {
  const seen = job.seen;
  const settings = seen && carriesEveryColumn(seen) && rulesAt(db, seen.case.clientId, seen.clientVersion);
  if (!seen || !settings) return null;
  return {
    case: caseFromSeen(seen.case),
    settings,
    version: seen.caseVersion,
    clientVersion: seen.clientVersion,
    recorded: false, // the write finds out (on conflict), and the caller then reads
    attemptTimes: seen.attemptTimes.map((ms) => new Date(ms)),
    attemptOutcomes: seen.attemptOutcomes,
  };
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
const p = (name: string) => sql.placeholder(name);

/**
 * The write, built once (the worker's CPU went a fifth into building it anew per outcome): the
 * case row locked only at the version read and while its client's row is the version read; the
 * attempt inserted (nothing on a conflict: recorded already); the case set to its next state
 * where the attempt was inserted; the outbox cleared where the row was locked. Data-modifying
 * CTEs run whether or not the select reads them. One row when the versions matched, with
 * whether the case was updated; none when either row had moved on.
 */
const buildWriteOutcome = (db: Db) => {
  const locked = db.$with('locked', { id: sql<string>`id` }).as(sql`
    select c.id from cases c join clients k on k.id = c.client_id
    where c.id = ${p('caseId')}::uuid and c.xmin = ${p('version')}::text::xid and k.xmin = ${p('clientVersion')}::text::xid
    for no key update of c`);
  const inserted = db.$with('inserted', { caseId: sql<string>`case_id` }).as(sql`
    insert into attempts (case_id, client_id, attempt_no, agent_id, assignment_id, phone_e164, outcome, right_party, note, callback, promise_amount_cents, promise_date, recorded_at, called_at)
    select locked.id, ${p('clientId')}::uuid, ${p('attemptNo')}::int, ${p('agentId')}::uuid, ${p('assignmentId')}::uuid, ${p('phone')}::text,
      ${p('outcome')}::text, ${p('rightParty')}::boolean, ${p('note')}::text, ${p('callback')}::jsonb,
      ${p('promiseCents')}::bigint, ${p('promiseDate')}::date, ${p('recordedAt')}::timestamptz, ${p('calledAt')}::timestamptz
    from locked
    on conflict do nothing
    returning case_id`);
  const updated = db.$with('updated', { id: sql<string>`id` }).as(sql`
    update cases set
      status = ${p('status')}::case_status, attempts_made = ${p('attemptsMade')}::int, final_outcome = ${p('finalOutcome')}::text,
      closed_at = ${p('closedAt')}::timestamptz, next_due_at = ${p('nextDueAt')}::timestamptz, wait_reason = ${p('waitReason')}::text,
      last_window = ${p('lastWindow')}::text, preferred_windows = ${p('preferredWindows')}::jsonb, callback = ${p('nextCallback')}::jsonb,
      retry_choice = ${p('retryChoice')}::jsonb, promise_amount_cents = ${p('casePromiseCents')}::bigint, promise_date = ${p('casePromiseDate')}::date,
      phones = ${p('phones')}::jsonb, phone_raw = ${p('phoneRaw')}::text, phone_e164 = ${p('phoneE164')}::text, updated_at = ${p('updatedAt')}::timestamptz
    from inserted
    where cases.id = inserted.case_id
    returning cases.id`);
  const cleared = db.$with('cleared', { id: sql<string>`id` }).as(sql`
    update assignments set outcome = null where id = ${p('assignmentId')}::uuid and exists (select 1 from locked)`);
  return db
    .with(locked, inserted, updated, cleared)
    .select({ updated: sql<boolean>`exists (select 1 from updated)` })
    .from(locked)
    .prepare('write_outcome');
};

/**
 * Inserts the attempt, sets the case to `next` and clears the outbox, in one statement, on the
 * versions `ctx` read: `changed` when either row moved on since (nothing written), `recorded`
 * when this attempt was recorded meanwhile (the case is left as it is).
 */
export async function writeOutcome(db: Db, ctx: LoadedOutcome, job: OutcomeJob, next: OutcomeCase): Promise<WriteResult> {
  const body = job.body as OutcomeBody;
  const [row] = await prepared(db, 'write_outcome', buildWriteOutcome).execute({
    caseId: job.caseId,
    version: ctx.version,
    clientVersion: ctx.clientVersion,
    clientId: next.clientId,
    attemptNo: job.attemptNo,
    agentId: job.agentId,
    assignmentId: job.assignmentId,
    phone: body.phone ?? ctx.case.phoneE164,
    outcome: body.outcome,
    rightParty: body.rightParty ?? null,
    note: body.note ?? null,
    callback: json(body.callback),
    promiseCents: body.promise?.amountCents ?? null,
    promiseDate: body.promise?.date ?? null,
    recordedAt: job.recordedAt,
    calledAt: job.calledAt ?? null,
    status: next.status,
    attemptsMade: next.attemptsMade,
    finalOutcome: next.finalOutcome,
    closedAt: iso(next.closedAt),
    nextDueAt: iso(next.nextDueAt),
    waitReason: next.waitReason,
    lastWindow: next.lastWindow,
    preferredWindows: json(next.preferredWindows),
    nextCallback: json(next.callback),
    retryChoice: json(next.retryChoice),
    casePromiseCents: next.promiseAmountCents,
    casePromiseDate: next.promiseDate,
    phones: json(next.phones),
    phoneRaw: next.phoneRaw,
    phoneE164: next.phoneE164,
    updatedAt: iso(next.updatedAt),
  });
  if (!row) return 'changed';
  return row.updated ? 'written' : 'recorded';
}
